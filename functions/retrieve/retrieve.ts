import { PipelineError } from '../../shared/errors.js';
import { publishNext } from '../../shared/runtime/input-event.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';

/** retrieve: the best passages of the resolved topic for this question, and the figures they reference. */
export const retrieveStage: StageSpec<never> = {
  stage: 'retrieve',
  input: 'topic_resolved',
  output: 'sources_retrieved',

  async work(generation, ports) {
    if (!generation.topic) throw new PipelineError('STATE_INCONSISTENT', 'topic_resolved without a topic', { retryable: false });
    const { passages } = await ports.library.retrieve(generation.topic.id, generation.request.question, 6);
    if (passages.length === 0) throw new PipelineError('NO_SOURCES', `no passages for topic ${generation.topic.id}`, { retryable: false });
    return { patch: { passageIds: passages.map((p) => p.id) } };
  },

  async emit(generation, ports) {
    await publishNext(generation, ports.bus);
  },
};
