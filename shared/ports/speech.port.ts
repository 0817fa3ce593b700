import type { Cue, NarrationSegment, Voice } from '../domain/generation.js';
import type { Script } from '../domain/script.js';

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

/**
 * What the narrate stage needs: a whole script spoken by one voice, timed per screen and sentence.
 * Behind it sits the provider chain (shared/speech/speech-chain.ts: the providers of
 * VIVIDLY_SPEECH, ending in espeak-ng), which narrates the whole script with the first provider
 * and, when that one fails, the whole script again with the next, so a video never changes voice.
 */
export interface Narrator {
  /** The providers in order, e.g. `elevenlabs>google>espeak-ng`. */
  readonly provider: string;
  narrate(script: Script, voice: Voice, opts?: NarrationOptions): Promise<ScriptNarration>;
}

export interface NarrationOptions {
  /** Fraction done, 0..1, never going back (not even across a fallback). */
  onProgress?: (fraction: number) => void;
  /** Where fallbacks are logged (default: the narrator's own log). */
  log?: NarrationLog;
  /**
   * Only this provider (when re-producing a narration whose timings are already recorded: another
   * voice would not match them). Ignored, with a warning, when there is no such provider.
   */
  provider?: string;
}

export interface NarrationLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** Why a narration is not by the preferred provider. */
export interface SpeechFallback {
  provider: string;
  code: string;
  message: string;
}

/** A script spoken: the audio, where each screen and caption falls in it, and who spoke it. */
export interface ScriptNarration extends SpokenUtterance {
  durationSeconds: number;
  /** One per screen, in order. */
  segments: NarrationSegment[];
  /** One caption per sentence. */
  cues: Cue[];
  /** Characters sent to the provider that spoke. */
  characters: number;
  /** The provider whose audio this is. */
  provider: string;
  /** Set when a preferred provider failed: the first that failed (later failures appended to its message). */
  fallbackFrom?: SpeechFallback;
}

/** Text-to-speech: one SSML utterance in, PCM out (one provider; the Narrator chains them). */
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
