import { createHash } from 'node:crypto';
import { gradeBand, PIPELINE_VERSION, type GenerationRequest } from './generation.js';
import { normaliseQuestion } from './normalise-question.js';

/** Lower-case, single-spaced, without surrounding punctuation: "Explain  Newton's 3rd law?" == "explain newton's 3rd law". */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .trim();
}

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
}

/**
 * Request cache and in-flight coalescing key: same question, grade band, interest and voice, and
 * the topic when the request names one (a lesson on a chosen alternative is another video).
 */
export function requestKey(request: GenerationRequest): string {
  const parts = [normaliseText(request.question), gradeBand(request.grade), normaliseText(request.interest), request.voice];
  return 'rq_' + hash(request.topicId ? [...parts, `topic:${request.topicId}`] : parts);
}

/** Content cache key: same topic, grade band, interest, voice and pipeline version. */
export function contentKey(topicId: string, request: GenerationRequest): string {
  return 'ct_' + hash([topicId, gradeBand(request.grade), normaliseText(request.interest), request.voice, PIPELINE_VERSION]);
}

/**
 * The version of topic resolution (the library's ranking: shared/library/topic-index.ts,
 * search-text.ts; the choosers): part of the not-covered cache key. Bump it with any change that
 * may cover a question the previous resolution did not, or the answers cached before it (kept
 * forever in SQLite, for the TTL in Firestore) go on saying "not covered".
 */
export const RESOLUTION_VERSION = 'r8';

/**
 * Not-covered cache key: the question in its normalised form (normalise-question.ts: case,
 * spacing, punctuation, accents, contractions), the library's version, the confidence threshold,
 * the topic chooser and RESOLUTION_VERSION. Grade, interest and voice do not change whether the
 * library covers a question. A new library version (a book ingested or removed), another threshold,
 * chooser or resolution is another key, so the answers cached before are not found again: the
 * cache is empty for them.
 */
export function notCoveredKey(question: string, scope: { libraryVersion: string; minConfidence: number; chooser: string }): string {
  return 'nc_' + hash([normaliseQuestion(question), scope.libraryVersion, String(scope.minConfidence), scope.chooser, RESOLUTION_VERSION]);
}
