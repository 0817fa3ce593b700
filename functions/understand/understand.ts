import { contentKey, normaliseText, notCoveredKey } from '../../shared/domain/cache-keys.js';
import {
  GenerationErrorSchema,
  MAX_ALTERNATIVES,
  type Generation,
  type ProviderNote,
  type TopicAlternative,
  type TopicRef,
} from '../../shared/domain/generation.js';
import type { Book, Topic, TopicCandidate } from '../../shared/domain/library.js';
import type { ProviderOutcome, TopicChoice } from '../../shared/ports/language-model.port.js';
import { PipelineError } from '../../shared/errors.js';
import { publishNext } from '../../shared/runtime/input-event.js';
import type { Ports } from '../../shared/runtime/ports.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';

/** Candidates the library ranks for the chooser. */
const CANDIDATES = 5;

/** The provider note of a topic the request named (no resolution, no model). */
export const REQUESTED_TOPIC_PROVIDER = 'request';

/**
 * understand: question -> a topic of the library with a confidence, or TOPIC_NOT_COVERED with up to
 * three alternatives (recorded in the not-covered cache); a request naming a topic skips
 * resolution. Then the content cache.
 */
export const understandStage: StageSpec<never> = {
  stage: 'understand',
  input: 'requested',
  output: 'topic_resolved',

  async work(generation, ports) {
    const { topic, provider } = generation.request.topicId ? await requestedTopic(generation.request.topicId, ports) : await resolveTopic(generation, ports);
    const cached = await findCachedResult(topic.id, generation, ports);
    if (cached) {
      return {
        output: 'completed' as const,
        patch: { topic, passageIds: cached.passageIds, script: cached.script, narration: cached.narration, video: cached.video, cacheHit: true, sourceGenerationId: cached.id, providers: { topic: provider } },
      };
    }
    return { patch: { topic, providers: { topic: provider } } };
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

/** The topic the request names, as asked: confidence 1, provider `request`. */
async function requestedTopic(topicId: string, ports: Ports): Promise<{ topic: TopicRef; provider: ProviderNote }> {
  const found = await ports.library.getTopic(topicId);
  // The API checked it; the library may have changed since.
  if (!found) throw new PipelineError('UNKNOWN_TOPIC', `the library has no topic ${JSON.stringify(topicId)}`, { retryable: false });
  return { topic: topicRef(found.topic, found.book, 1), provider: { provider: REQUESTED_TOPIC_PROVIDER } };
}

async function resolveTopic(generation: Generation, ports: Ports): Promise<{ topic: TopicRef; provider: ProviderNote }> {
  const question = generation.request.question;
  // First: a library changed under this instance is seen (and re-indexed) before it resolves.
  const libraryVersion = await ports.library.version();
  const candidates = await ports.library.resolve(question, CANDIDATES);
  const choice = await ports.chooser.choose(question, candidates);
  // The chooser may only pick among the candidates: anything else counts as "not covered".
  const chosen = choice.topicId ? candidates.find((c) => c.topic.id === choice.topicId) : undefined;
  if (!chosen || choice.confidence < ports.config.minConfidence) {
    return notCovered(generation, ports, { candidates, chosen, choice, libraryVersion });
  }
  return { topic: topicRef(chosen.topic, chosen.book, choice.confidence), provider: providerNote(choice) };
}

/**
 * The question is not covered: the generation fails with TOPIC_NOT_COVERED and its closest topics,
 * and the not-covered cache points at it, so the same question (normalised) on the same library is
 * answered by the API without a generation. The cache entry is written first: a redelivery after
 * a failure in between writes the same entry again and fails the generation; an entry whose
 * generation has not failed (yet) is not an answer for the API. A not-covered answer of a
 * fallback chooser (the preferred one failed) is not cached: the preferred one may cover it.
 */
async function notCovered(
  generation: Generation,
  ports: Ports,
  found: { candidates: TopicCandidate[]; chosen?: TopicCandidate; choice: TopicChoice; libraryVersion: string },
): Promise<never> {
  const { candidates, chosen, choice, libraryVersion } = found;
  const closest = chosen ?? candidates[0];
  const confidence = chosen ? choice.confidence : (closest?.confidence ?? 0);
  const message = closest
    ? `the library does not cover this question well enough (best match "${closest.topic.title}" at confidence ${confidence.toFixed(2)})`
    : 'the library has no topic for this question';
  const details = { alternatives: alternativesOf(candidates, chosen) };
  const error = GenerationErrorSchema.parse({ stage: 'understand', code: 'TOPIC_NOT_COVERED', message, details });
  if (!choice.fallbackFrom) {
    const key = notCoveredKey(generation.request.question, { libraryVersion, minConfidence: ports.config.minConfidence, chooser: ports.chooser.provider });
    await ports.state.putCache('notCovered', key, generation.id);
  }
  // Recorded here with its details (the stage failure handler records code and message only; it
  // then finds the generation failed and leaves it as it is).
  await ports.state.fail(generation.id, error);
  throw new PipelineError('TOPIC_NOT_COVERED', message, { retryable: false, details });
}

/**
 * Up to three of the library's closest topics, best first (the chooser's pick, if any, then the
 * library's ranking), one per section: a section several books share (the same OpenStax module)
 * or two that would read the same to the student (the same title) are offered once.
 */
export function alternativesOf(candidates: TopicCandidate[], chosen?: TopicCandidate): TopicAlternative[] {
  const ordered = chosen ? [chosen, ...candidates.filter((c) => c !== chosen)] : candidates;
  const seen = new Set<string>();
  const out: TopicAlternative[] = [];
  for (const c of ordered) {
    const title = alternativeTitle(c.topic);
    const keys = [`topic:${c.topic.id}`, `title:${normaliseText(title)}`, ...(c.topic.moduleId ? [`module:${c.topic.moduleId}`] : [])];
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push({ id: c.topic.id, title, book: c.book.title });
    if (out.length === MAX_ALTERNATIVES) break;
  }
  return out;
}

/** Titles that say nothing on their own (OpenStax opens every chapter with an "Introduction"). */
const GENERIC_TITLE = /^(?:introduction|summary|review|overview|conclusion)$/i;

/** A topic's title as a student choosing among alternatives reads it: a chapter's "Introduction" names its chapter. */
function alternativeTitle(topic: Topic): string {
  return GENERIC_TITLE.test(topic.title.trim()) && topic.chapter.trim() ? `${topic.chapter.trim()}: ${topic.title.trim()}` : topic.title;
}

function topicRef(topic: Topic, book: Book, confidence: number): TopicRef {
  return { id: topic.id, title: topic.title, subject: topic.subject, book: book.title, moduleId: topic.moduleId, confidence: Number(confidence.toFixed(4)) };
}

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
