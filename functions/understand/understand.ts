import { contentKey } from '../../shared/domain/cache-keys.js';
import type { Generation } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import { publishNext } from '../../shared/runtime/input-event.js';
import type { Ports } from '../../shared/runtime/ports.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';

/** understand: question -> a topic of the library with a confidence, or TOPIC_NOT_COVERED; then the content cache. */
export const understandStage: StageSpec<never> = {
  stage: 'understand',
  input: 'requested',
  output: 'topic_resolved',

  async work(generation, ports) {
    const [best, runnerUp] = await ports.library.resolve(generation.request.question, 5);
    if (!best || best.confidence < ports.config.minConfidence) {
      throw new PipelineError(
        'TOPIC_NOT_COVERED',
        best
          ? `the library does not cover this question well enough (best match "${best.topic.title}" at confidence ${best.confidence.toFixed(2)})`
          : 'the library has no topic for this question',
        { retryable: false, details: { closest: best?.topic.title, runnerUp: runnerUp?.topic.title } },
      );
    }
    const topic = {
      id: best.topic.id,
      title: best.topic.title,
      subject: best.topic.subject,
      book: best.book.title,
      moduleId: best.topic.moduleId,
      confidence: Number(best.confidence.toFixed(4)),
    };
    const cached = await findCachedResult(topic.id, generation, ports);
    if (cached) {
      return {
        output: 'completed' as const,
        patch: { topic, passageIds: cached.passageIds, script: cached.script, narration: cached.narration, video: cached.video, cacheHit: true, sourceGenerationId: cached.id },
      };
    }
    return { patch: { topic } };
  },

  async emit(generation, ports) {
    if (generation.status === 'completed') {
      // Answered from the content cache: do publish's bookkeeping for this request.
      await ports.state.putCache('request', generation.requestKey, generation.id);
      await ports.state.releaseInflight(generation.requestKey, generation.id);
      return;
    }
    await publishNext(generation, ports.bus);
  },
};

async function findCachedResult(topicId: string, generation: Generation, ports: Ports): Promise<Generation | null> {
  const entry = await ports.state.getCache('content', contentKey(topicId, generation.request));
  if (!entry) return null;
  const source = await ports.state.getGeneration(entry.generationId);
  if (!source || source.status !== 'completed' || !source.video) return null;
  // The cached video must still exist (lifecycle rules may have removed it).
  const stillThere = await ports.objects.stat(source.video.bucket, source.video.object);
  return stillThere ? source : null;
}
