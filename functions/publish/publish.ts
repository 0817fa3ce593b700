import type { StorageObjectData } from '../../events/schemas.js';
import { contentKey } from '../../shared/domain/cache-keys.js';
import type { Generation } from '../../shared/domain/generation.js';
import { generationOfVideo } from '../../shared/domain/object-names.js';
import { PipelineError } from '../../shared/errors.js';
import type { Ports } from '../../shared/runtime/ports.js';
import { identifyGenerationObject } from '../../shared/runtime/generation-objects.js';
import { addToInvocationRecord } from '../../shared/runtime/invocation-context.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';

/** Captions and posters land in the same bucket; only the video (uploaded last) completes a generation. */
export function identifyVideo(object: StorageObjectData, ports: Ports): { generationId: string } | { ignore: string } {
  return identifyGenerationObject(object, ports.config.videoBucket, generationOfVideo);
}

/** publish: mark the generation completed, fill the request and content caches, release coalesced requests. */
export const publishStage: StageSpec<never> = {
  stage: 'publish',
  input: 'rendered',
  output: 'completed',

  async work(generation, ports) {
    const video = generation.video;
    if (!video) throw new PipelineError('STATE_INCONSISTENT', 'rendered without a video', { retryable: false });
    const stored = await ports.objects.stat(video.bucket, video.object);
    if (!stored) throw new PipelineError('NOT_READY', 'video object not visible yet', { retryable: true });
    return { patch: {} };
  },

  async emit(generation, ports, _artefact, ctx) {
    if (generation.status !== 'completed' || !generation.topic) return;
    // Redelivered after the record: only heal the caches, the completion was reported once already.
    if (!ctx?.redelivery) reportLatency(generation);
    await ports.state.putCache('content', contentKey(generation.topic.id, generation.request), generation.id);
    await ports.state.putCache('request', generation.requestKey, generation.id);
    await ports.state.releaseInflight(generation.requestKey, generation.id);
  },
};

/** End to end: from the request to the moment this invocation completed the generation. */
function reportLatency(generation: Generation): void {
  const completedAt = Date.parse(generation.stages.publish?.finishedAt ?? generation.updatedAt);
  const latency = completedAt - Date.parse(generation.createdAt);
  if (Number.isFinite(latency) && latency >= 0) addToInvocationRecord({ generationLatencyMs: Math.round(latency) });
}
