import { PipelineError } from '../../shared/errors.js';
import { publishNext } from '../../shared/runtime/input-event.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';
import { providerNote } from '../understand/understand.js';

/** write: a personalised script (title, hook, sections, takeaways, citations, attribution) from the retrieved passages. */
export const writeStage: StageSpec<never> = {
  stage: 'write',
  input: 'sources_retrieved',
  output: 'script_written',

  async work(generation, ports) {
    if (!generation.topic || !generation.passageIds?.length) throw new PipelineError('STATE_INCONSISTENT', 'sources_retrieved without passages', { retryable: false });
    const found = await ports.library.getTopic(generation.topic.id);
    if (!found) throw new PipelineError('NO_SOURCES', `topic ${generation.topic.id} is no longer in the library`, { retryable: false });
    const passages = await ports.library.getPassages(generation.passageIds);
    const figures = await ports.library.getFigures([...new Set(passages.flatMap((p) => p.figureIds))]);
    const materials = await ports.library.getMaterials(found.topic.id);
    const written = await ports.writer.write({
      topic: found.topic,
      book: found.book,
      passages,
      figures,
      materials,
      question: generation.request.question,
      grade: generation.request.grade,
      interest: generation.request.interest,
    });
    return { patch: { script: written.script, providers: { script: providerNote(written) } } };
  },

  async emit(generation, ports) {
    await publishNext(generation, ports.bus);
  },
};
