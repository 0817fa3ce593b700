import type { Cue, NarrationSegment, Voice } from '../domain/generation.js';
import type { Script } from '../domain/script.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { SpeechErrorCodes, type MarkedSpeech, type SpeechEngine } from '../ports/speech.port.js';
import { buildMarkedDocuments, cueMarkName, utteranceSsml } from './build-ssml.js';
import { planNarration, type PlannedSegment } from './narration-plan.js';
import { BYTES_PER_SAMPLE, silence, trimSilence, type TrimOptions } from './pcm.js';

export interface NarrateOptions {
  /** Called after every utterance with the fraction done (by characters), ending with 1. */
  onProgress?: (fraction: number) => void;
  /** Trim the engine's own leading/trailing silence of every utterance (default true). */
  trimSilence?: boolean | TrimOptions;
  /** The plan to speak (default: `planNarration(script)`). */
  plan?: PlannedSegment[];
  /**
   * Use the engine's `speakMarked` (whole documents, times from the engine's mark timepoints) when
   * it has one (default true); false forces the per-utterance path.
   */
  useMarks?: boolean;
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
  /** How the times were obtained: `utterances` (laid out per utterance) or `marks` (engine timepoints). */
  timing: 'utterances' | 'marks';
  /** Requests made to the engine (one per utterance, or one per SSML document). */
  requests: number;
}

/**
 * Speak a script utterance by utterance (intro: title + hook; each section: heading + narration;
 * takeaways: "Key takeaways." + each takeaway; credits) and join the audio with silences of exact
 * length (250 ms between sentences, 500 ms after a title, 800 ms after the hook, 700 ms between
 * sections, 500 ms at the end), so every cue and segment time is exact in samples.
 *
 * An engine with `speakMarked` (Google Cloud TTS) is instead given the script as a few whole SSML
 * documents with a `<mark>` before every utterance, and the cue and segment times are the
 * engine's mark timepoints (see `narrateMarked`); `trimSilence` does not apply there.
 */
export async function narrateScript(script: Script, voice: Voice, engine: SpeechEngine, opts: NarrateOptions = {}): Promise<NarratedScript> {
  const plan = opts.plan ?? planNarration(script);
  if (engine.speakMarked && opts.useMarks !== false) return narrateMarked(plan, voice, engine as MarkingEngine, opts);
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
    segments.push({ slide: segment.slide, index: segment.index, beat: segment.beat, start: segStart / rate, end: samples / rate });
  });

  const pcm = Buffer.concat(parts);
  if (opts.onProgress && lastFraction < 1) opts.onProgress(1);
  return { pcm, sampleRateHz: rate, durationSeconds: samples / rate, segments, cues, characters, timing: 'utterances', requests: jobs.flat().length };
}

type MarkingEngine = SpeechEngine & Required<Pick<SpeechEngine, 'speakMarked'>>;

/** Default document size limit when the engine names none (Google Cloud TTS: 5000 bytes of input). */
const DEFAULT_MAX_MARKED_BYTES = 5000;

function invalid(engine: SpeechEngine, message: string): PipelineError {
  return new PipelineError(SpeechErrorCodes.responseInvalid, `${engine.provider}: ${message}`);
}

/**
 * The marked path: the plan as few SSML documents as the engine's size limit allows (see
 * `buildMarkedDocuments`), each spoken in one request; cue and segment times are the engine's mark
 * timepoints, rounded to the sample, offset by the documents before. The audio is not trimmed (that
 * would move the marks); the pause after each document's last utterance is laid as exact silence.
 * A cue ends at the next mark less the `<break>` written between them, so with the engine's own
 * sentence pause a cue's end includes that pause.
 */
async function narrateMarked(plan: PlannedSegment[], voice: Voice, engine: MarkingEngine, opts: NarrateOptions): Promise<NarratedScript> {
  const maxBytes = engine.maxMarkedBytes ?? DEFAULT_MAX_MARKED_BYTES;
  const docs = buildMarkedDocuments(plan, voice, maxBytes);
  const utterances = plan.flatMap((segment) => segment.utterances);
  if (utterances.length === 0) throw new PipelineError(ErrorCodes.speechFailed, 'nothing to say: the script has no speakable text');
  for (const doc of docs) {
    const bytes = Buffer.byteLength(doc.ssml, 'utf8');
    if (bytes > maxBytes) {
      throw new PipelineError(SpeechErrorCodes.rejected, `${engine.provider}: one sentence needs ${bytes} bytes of SSML, more than the ${maxBytes} the engine accepts`);
    }
  }
  const totalChars = docs.reduce((n, d) => n + d.ssml.length, 0);

  const parts: Buffer[] = [];
  let samples = 0;
  let rate: number | undefined;
  let characters = 0;
  let lastFraction = 0;
  const cueTimes: Array<{ start: number; end: number } | undefined> = new Array(utterances.length);
  const segmentStarts: Array<number | undefined> = new Array(plan.length);

  for (const doc of docs) {
    const r: MarkedSpeech = await engine.speakMarked(doc.ssml, voice);
    if (!Number.isInteger(r.sampleRateHz) || r.sampleRateHz <= 0) throw invalid(engine, `invalid sample rate ${r.sampleRateHz}`);
    if (rate === undefined) rate = r.sampleRateHz;
    else if (r.sampleRateHz !== rate) throw new PipelineError(ErrorCodes.speechFailed, `${engine.provider} changed sample rate mid-script (${rate} -> ${r.sampleRateHz} Hz)`);
    const pcm = r.pcm.subarray(0, r.pcm.length - (r.pcm.length % BYTES_PER_SAMPLE));
    const docSamples = pcm.length / BYTES_PER_SAMPLE;

    // Every mark we wrote, exactly once, in order, within the audio.
    const at = new Map<string, number>();
    for (const m of r.marks) {
      if (!doc.marks.includes(m.name)) continue; // not ours: ignore
      if (at.has(m.name)) throw invalid(engine, `mark "${m.name}" reported twice`);
      if (!Number.isFinite(m.seconds) || m.seconds < 0) throw invalid(engine, `mark "${m.name}" at ${m.seconds} s`);
      at.set(m.name, Math.min(docSamples, Math.round(m.seconds * rate)));
    }
    const missing = doc.marks.filter((name) => !at.has(name));
    if (missing.length) throw invalid(engine, `no timepoint for mark${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')}`);
    const positions = doc.marks.map((name) => at.get(name)!);
    if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) throw invalid(engine, 'mark timepoints out of document order');

    for (const s of doc.segments) segmentStarts[s] = samples + at.get(plan[s]!.mark)!;
    for (const c of doc.cues) {
      const k = doc.marks.indexOf(cueMarkName(c.index));
      const start = positions[k]!;
      const next = positions[k + 1]!; // a cue mark is never last: `end` follows
      const end = Math.max(start, next - Math.round((c.breakAfterMs * rate) / 1000));
      cueTimes[c.index] = { start: samples + start, end: samples + end };
    }
    parts.push(pcm, silence(doc.pauseAfterMs, rate));
    samples += docSamples + Math.round((doc.pauseAfterMs * rate) / 1000);

    characters += doc.ssml.length;
    const fraction = totalChars ? Math.min(1, characters / totalChars) : 1;
    if (opts.onProgress && fraction > lastFraction) {
      lastFraction = fraction;
      opts.onProgress(fraction);
    }
  }
  const sampleRateHz = rate!;

  const cues: Cue[] = utterances.map((u, i) => ({ start: cueTimes[i]!.start / sampleRateHz, end: cueTimes[i]!.end / sampleRateHz, text: u.text }));
  segmentStarts[0] = 0; // the first slide shows from the first sample, lead-in silence included
  const segments: NarrationSegment[] = plan.map((segment, s) => ({
    slide: segment.slide,
    index: segment.index,
    beat: segment.beat,
    start: segmentStarts[s]! / sampleRateHz,
    end: (s + 1 < plan.length ? segmentStarts[s + 1]! : samples) / sampleRateHz,
  }));
  if (opts.onProgress && lastFraction < 1) opts.onProgress(1);
  return { pcm: Buffer.concat(parts), sampleRateHz, durationSeconds: samples / sampleRateHz, segments, cues, characters, timing: 'marks', requests: docs.length };
}
