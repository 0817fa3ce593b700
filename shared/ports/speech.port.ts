import type { Voice } from '../domain/generation.js';

export interface SpokenUtterance {
  /** 16-bit little-endian mono PCM. */
  pcm: Buffer;
  sampleRateHz: number;
}

/** Text-to-speech: one SSML utterance in, PCM out. */
export interface SpeechEngine {
  readonly provider: string;
  speak(ssml: string, voice: Voice): Promise<SpokenUtterance>;
}
