import { contentKey } from '../../shared/domain/cache-keys.js';
import type { Generation, ProviderNote } from '../../shared/domain/generation.js';
import type { ProviderOutcome } from '../../shared/ports/language-model.port.js';
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
    const candidates = await ports.library.resolve(generation.request.question, 5);
    const choice = await ports.chooser.choose(generation.request.question, candidates);
    // The chooser may only pick among the candidates: anything else counts as "not covered".
    const chosen = choice.topicId ? candidates.find((c) => c.topic.id === choice.topicId) : undefined;
    if (!chosen || choice.confidence < ports.config.minConfidence) {
      const closest = chosen ?? candidates[0];
      const confidence = chosen ? choice.confidence : (closest?.confidence ?? 0);
      throw new PipelineError(
        'TOPIC_NOT_COVERED',
        closest
          ? `the library does not cover this question well enough (best match "${closest.topic.title}" at confidence ${confidence.toFixed(2)})`
          : 'the library has no topic for this question',
        { retryable: false, details: { closest: closest?.topic.title, provider: choice.provider } },
      );
    }
    const best = { ...chosen, confidence: choice.confidence };
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
        patch: { topic, passageIds: cached.passageIds, script: cached.script, narration: cached.narration, video: cached.video, cacheHit: true, sourceGenerationId: cached.id, providers: { topic: providerNote(choice) } },
      };
    }
    return { patch: { topic, providers: { topic: providerNote(choice) } } };
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

export function providerNote(outcome: ProviderOutcome): ProviderNote {
  const note: ProviderNote = { provider: outcome.provider };
  if (outcome.fallbackFrom) note.fallbackFrom = outcome.fallbackFrom;
  if (outcome.usage) note.usage = outcome.usage;
  return note;
}
