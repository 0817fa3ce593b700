import type { Voice } from '../domain/generation.js';

export interface SpokenUtterance {
  /** 16-bit little-endian mono PCM. */
  pcm: Buffer;
  sampleRateHz: number;
}

/** Where a `<mark name>` of an SSML document falls in the audio spoken for it. */
export interface SpokenMark {
  name: string;
  /** Offset from the start of the document's audio. */
  seconds: number;
}

export interface MarkedSpeech extends SpokenUtterance {
  /** One per `<mark>` of the document, in document order. */
  marks: SpokenMark[];
}

/** Text-to-speech: one SSML utterance in, PCM out. */
export interface SpeechEngine {
  readonly provider: string;
  speak(ssml: string, voice: Voice): Promise<SpokenUtterance>;
  /**
   * Optional: speak a whole SSML document containing `<mark name>`s and report where each mark
   * falls in the audio (cloud TTS timepoints). When an engine offers it, `narrateScript` sends
   * whole stretches of the script as one document and takes every cue and section time from the
   * marks; engines without it are driven utterance by utterance.
   */
  speakMarked?(ssml: string, voice: Voice): Promise<MarkedSpeech>;
  /** Largest document `speakMarked` accepts, in UTF-8 bytes (Google: 5000). */
  readonly maxMarkedBytes?: number;
}

/**
 * Stable codes of speech provider failures. A provider chain falls back to its next provider on
 * any of them; `retryable` on the error says whether the engine itself retried it.
 */
export const SpeechErrorCodes = {
  /** 429 / RESOURCE_EXHAUSTED, or the account's character quota is spent. */
  quota: 'SPEECH_QUOTA',
  /** 5xx, connection refused or reset. */
  unavailable: 'SPEECH_UNAVAILABLE',
  /** No answer within the configured timeout. */
  timeout: 'SPEECH_TIMEOUT',
  /** A 200 answer that is not what the API promises (bad JSON, no audio, missing timepoints). */
  responseInvalid: 'SPEECH_RESPONSE_INVALID',
  /** 401 / 403: bad or missing credentials, API not enabled; never retried. */
  auth: 'SPEECH_AUTH',
  /** 400 / 404 / 422: the provider refused this request (bad SSML, unknown voice); never retried. */
  rejected: 'SPEECH_REJECTED',
} as const;
export type SpeechErrorCode = (typeof SpeechErrorCodes)[keyof typeof SpeechErrorCodes];
