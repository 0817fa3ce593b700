import type { Cue, NarrationSegment, Voice } from '../domain/generation.js';
import type { Script } from '../domain/script.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import type { SpeechEngine } from '../ports/speech.port.js';
import { utteranceSsml } from './build-ssml.js';
import { planNarration, type PlannedSegment } from './narration-plan.js';
import { BYTES_PER_SAMPLE, silence, trimSilence, type TrimOptions } from './pcm.js';

export interface NarrateOptions {
  /** Called after every utterance with the fraction done (by characters), ending with 1. */
  onProgress?: (fraction: number) => void;
  /** Trim the engine's own leading/trailing silence of every utterance (default true). */
  trimSilence?: boolean | TrimOptions;
  /** The plan to speak (default: `planNarration(script)`). */
  plan?: PlannedSegment[];
}

export interface NarratedScript {
  /** 16-bit little-endian mono PCM of the whole narration. */
  pcm: Buffer;
  sampleRateHz: number;
  /** Exactly pcm samples / sampleRateHz. */
  durationSeconds: number;
  /** One per slide, contiguous from 0 to durationSeconds; a pause belongs to the segment before it. */
  segments: NarrationSegment[];
  /** One per utterance (sentence, title or heading), with its exact start and end. */
  cues: Cue[];
  /** Characters of SSML sent to the engine (what cloud TTS bills). */
  characters: number;
}

/**
 * Speak a script utterance by utterance (intro: title + hook; each section: heading + narration;
 * takeaways: "Key takeaways." + each takeaway; credits) and join the audio with silences of exact
 * length (250 ms between sentences, 500 ms after a title, 800 ms after the hook, 700 ms between
 * sections, 500 ms at the end), so every cue and segment time is exact in samples.
 */
export async function narrateScript(script: Script, voice: Voice, engine: SpeechEngine, opts: NarrateOptions = {}): Promise<NarratedScript> {
  const plan = opts.plan ?? planNarration(script);
  const trim = opts.trimSilence === undefined || opts.trimSilence === true ? {} : opts.trimSilence === false ? undefined : opts.trimSilence;

  const jobs = plan.map((segment) => segment.utterances.map((u) => ({ ...u, ssml: utteranceSsml(u.text, u.part, voice) })));
  const totalChars = jobs.flat().reduce((n, j) => n + j.ssml.length, 0);

  // Speak everything first (the sample rate is known only from the engine's answers), then lay out.
  const spoken: Buffer[][] = [];
  let sampleRateHz: number | undefined;
  let characters = 0;
  let lastFraction = 0;
  for (const segmentJobs of jobs) {
    const out: Buffer[] = [];
    for (const job of segmentJobs) {
      const r = await engine.speak(job.ssml, voice);
      if (!Number.isInteger(r.sampleRateHz) || r.sampleRateHz <= 0) {
        throw new PipelineError(ErrorCodes.speechFailed, `${engine.provider} returned an invalid sample rate ${r.sampleRateHz}`);
      }
      if (sampleRateHz === undefined) sampleRateHz = r.sampleRateHz;
      else if (r.sampleRateHz !== sampleRateHz) {
        throw new PipelineError(ErrorCodes.speechFailed, `${engine.provider} changed sample rate mid-script (${sampleRateHz} -> ${r.sampleRateHz} Hz)`);
      }
      const pcm = r.pcm.subarray(0, r.pcm.length - (r.pcm.length % BYTES_PER_SAMPLE));
      out.push(trim ? trimSilence(pcm, r.sampleRateHz, trim) : pcm);
      characters += job.ssml.length;
      const fraction = totalChars ? Math.min(1, characters / totalChars) : 1;
      if (opts.onProgress && fraction > lastFraction) {
        lastFraction = fraction;
        opts.onProgress(fraction);
      }
    }
    spoken.push(out);
  }
  if (sampleRateHz === undefined) throw new PipelineError(ErrorCodes.speechFailed, 'nothing to say: the script has no speakable text');
  const rate = sampleRateHz;

  const parts: Buffer[] = [];
  const segments: NarrationSegment[] = [];
  const cues: Cue[] = [];
  let samples = 0;
  const append = (buf: Buffer): void => {
    parts.push(buf);
    samples += buf.length / BYTES_PER_SAMPLE;
  };
  plan.forEach((segment, s) => {
    const segStart = samples;
    segment.utterances.forEach((u, i) => {
      const start = samples;
      append(spoken[s]![i]!);
      cues.push({ start: start / rate, end: samples / rate, text: u.text });
      append(silence(u.pauseAfterMs, rate));
    });
    if (segment.utterances.length === 0) append(silence(700, rate)); // a slide with nothing to say still shows briefly
    segments.push({ slide: segment.slide, index: segment.index, start: segStart / rate, end: samples / rate });
  });

  const pcm = Buffer.concat(parts);
  if (opts.onProgress && lastFraction < 1) opts.onProgress(1);
  return { pcm, sampleRateHz: rate, durationSeconds: samples / rate, segments, cues, characters };
}
