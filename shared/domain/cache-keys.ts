import { createHash } from 'node:crypto';
import { gradeBand, PIPELINE_VERSION, type GenerationRequest } from './generation.js';

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

/** Request cache and in-flight coalescing key: same question, grade band, interest and voice. */
export function requestKey(request: GenerationRequest): string {
  return 'rq_' + hash([normaliseText(request.question), gradeBand(request.grade), normaliseText(request.interest), request.voice]);
}

/** Content cache key: same topic, grade band, interest, voice and pipeline version. */
export function contentKey(topicId: string, request: GenerationRequest): string {
  return 'ct_' + hash([topicId, gradeBand(request.grade), normaliseText(request.interest), request.voice, PIPELINE_VERSION]);
}
