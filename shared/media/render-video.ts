import { promises as fs } from 'node:fs';
import { createCanvas, type Image } from '@napi-rs/canvas';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Narration, NarrationSegment } from '../domain/generation.js';
import type { Figure } from '../domain/library.js';
import type { Script } from '../domain/script.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { buildConcatList } from './build-concat-list.js';
import { buildWebVtt } from './build-captions.js';
import { createDrawKit, createSlideCanvas, drawSlide, footerAttribution, posterJpeg, posterSlide, slidesFromScript, SLIDE_HEIGHT, SLIDE_WIDTH, type SlideSpec } from './draw-slide.js';
import { loudnessGain, parseEbur128Summary } from './loudness.js';
import { saysDefinition } from './beats/term.js';
import { audioJob, DEFAULT_PRESET, isX264Preset, loudnessJob, muxJob, slideClipJob, trimClipJob, zoomClipJob, type ClipContainer } from './ffmpeg-args.js';
import { runFfmpeg, TaskPool } from './ffmpeg-run.js';
import { FPS, planClips, planFrames, UNIT_FRAMES, type FramePlanEntry } from './frame-plan.js';
import { countPictures, parameterSets } from './h264-annexb.js';
import { probeMedia } from './probe.js';
import { planReveals } from './reveal-plan.js';
import { themeFor } from './themes.js';

export type RenderPhase = 'probe' | 'draw' | 'encode' | 'assemble' | 'mux' | 'verify' | 'done';

export interface RenderVideoInput {
  script: Script;
  narration: Pick<Narration, 'segments' | 'cues' | 'durationSeconds'>;
  /** The narration audio (any format ffmpeg reads: WAV, MP3, ...). */
  audioPath: string;
  /** Figures the script's sections may reference by `figureId`. */
  figures: Figure[];
  /** Scratch space: a private subfolder is created here and removed afterwards. */
  workDir: string;
  /** Where `video.mp4`, `video.vtt` and `poster.jpg` are written (created if missing). */
  outDir: string;
  /** x264 preset (default `veryfast`; one of ultrafast..veryslow). */
  preset?: string;
  /** Progress 0..1 (non-decreasing) with the current phase. */
  onProgress?: (fraction: number, phase: string) => void;
  /** ffmpeg processes at once (default: min(2, CPUs)). */
  concurrency?: number;
  /**
   * How the per-slide clips become one stream. `bytes` (default): Annex B clips are concatenated
   * byte for byte and muxed with timestamps generated per frame. `demuxer`: MP4 clips joined by
   * ffmpeg's concat demuxer with explicit durations (slower: it probes every listed file).
   */
  assembly?: 'bytes' | 'demuxer';
  /** x264 CRF (default 20). */
  crf?: number;
  /** Poster width in px (16:9; default 1280). */
  posterWidth?: number;
}

export interface RenderVideoResult {
  videoPath: string;
  captionsPath: string;
  posterPath: string;
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  sizeBytes: number;
  /** Screens drawn and encoded (every reveal phase of every narration segment). */
  screens: number;
  /**
   * Milliseconds: wall clock per step (`probeAudio`, `draw`, `encodeWall`, `assemble`, `mux`,
   * `verify`, `publish`, `total`); `audioJob`, `slideJobs` and `trimJobs` are sums over jobs that
   * ran in parallel (so they can exceed `encodeWall`).
   */
  timings: Record<string, number>;
}

export const VIDEO_FILE = 'video.mp4';
export const CAPTIONS_FILE = 'video.vtt';
export const POSTER_FILE = 'poster.jpg';

/** AAC-LC sample rates kept as they are; anything else is resampled to 48 kHz. */
const KEEP_SAMPLE_RATES = new Set([22050, 24000, 32000, 44100, 48000]);
const AUDIO_BITRATE_K = 128;
/** Integrated loudness of the narration track: -16 LUFS, the usual target for spoken content on phones and podcasts. */
const TARGET_LUFS = -16;
/** A zooming figure is encoded in stretches of this many frames (a multiple of UNIT_FRAMES). */
const ZOOM_STRETCH_FRAMES = 4 * UNIT_FRAMES;
/** Allowed difference between video and audio duration. */
const MAX_AV_DRIFT_SECONDS = 0.1;

function slideKey(e: { slide: string; index: number; beat: number; phase?: number }): string {
  return `${e.slide}-${e.slide === 'section' ? e.index : 0}-${e.beat}-${e.phase ?? 0}`;
}

/** Everything a screen already shows in words (a key phrase never repeats it). */
function screenText(spec: SlideSpec): string {
  switch (spec.kind) {
    case 'intro':
      return `${spec.title} ${spec.hook}`;
    case 'takeaways':
      return spec.points.slice(0, spec.current + 1).join(' ');
    case 'check':
      return `${spec.question} ${spec.answer ?? ''}`;
    case 'credits':
      return '';
    case 'beat':
      // (an interest card shows what is said under it)
      return [spec.heading, ...[...spec.earlier, spec.beat].map((b) => Object.entries(b).filter(([k]) => (k !== 'say' || b === spec.beat && b.kind === 'interest') && k !== 'kind').map(([, v]) => (typeof v === 'string' ? v : '')).join(' '))].join(' ');
  }
}

/** Moves a finished file into place without ever exposing a partial file under its final name. */
async function moveInto(src: string, dest: string): Promise<void> {
  try {
    await fs.rename(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const partial = `${dest}.partial`;
    await fs.copyFile(src, partial);
    await fs.rename(partial, dest);
    await fs.rm(src, { force: true });
  }
}

class Progress {
  private last = 0;
  constructor(private readonly cb?: (fraction: number, phase: string) => void) {}
  report(fraction: number, phase: RenderPhase): void {
    if (!this.cb) return;
    const f = Math.max(this.last, Math.min(1, fraction));
    this.last = f;
    try {
      this.cb(f, phase);
    } catch {
      // A progress listener never breaks a render.
    }
  }
}

interface SlideWork {
  entry: FramePlanEntry;
  spec: SlideSpec;
  clips: number[];
  /** Every encoded file with its length in frames (a still slide: one per distinct clip length). */
  files: Map<string, number>;
  /** The file of each clip, in order. */
  sequence: string[];
}

/** A figure zooms in by this much over its screen, at most this fast (per second), so a long hold does not rush at the viewer. */
const FIGURE_ZOOM = { max: 1.08, perSecond: 0.012 } as const;

/**
 * The screens of a lesson and their frames: each narration segment's screen in its reveal phases
 * (reveal-plan.ts), planned onto frames (frame-plan.ts). `specs[k]` is what `plan[k]` shows.
 */
export function planScreens(script: Script, narration: Pick<Narration, 'segments' | 'cues'>, audioSeconds: number, fps = FPS): { plan: FramePlanEntry[]; specs: SlideSpec[] } {
  const slides = slidesFromScript(script);
  const byKey = new Map(slides.map((s) => [slideKey(s.ref), s]));
  const specOf = (seg: NarrationSegment) => byKey.get(slideKey({ slide: seg.slide, index: seg.index, beat: seg.beat ?? 0 }));
  const phased = planReveals(
    narration.segments,
    narration.cues,
    audioSeconds,
    (seg) => {
      const spec = specOf(seg);
      // A figure moves by itself (slow zoom), an equation is read row by row: no key phrases over them.
      if (!spec || (spec.kind === 'beat' && (spec.beat.kind === 'figure' || spec.beat.kind === 'equation'))) return null;
      return screenText(spec);
    },
    {
      keyTerms: script.keyTerms,
      // A worked example's problem and steps show the sentences being read, a system of equations its rows: its lines appear as they are read.
      reads: (seg) => {
        const spec = specOf(seg);
        if (spec?.kind !== 'beat') return false;
        // A step fills in over all it says (over its first sentence only, then key phrases, left steps
        // of spoken math with nothing to show for 20 s: eval:lessons); a card its analogy; a system its
        // rows; a key-term card whose definition is what is said ("X is <its definition>") that definition.
        if (spec.beat.kind === 'term') return saysDefinition(spec.beat.say, spec.beat.definition);
        return spec.beat.kind === 'example' || spec.beat.kind === 'equation' || spec.beat.kind === 'interest';
      },
      // a key-term card whose definition is not what is said shows the term, then its definition part way through
      builds: (seg) => {
        const spec = specOf(seg);
        return spec?.kind === 'beat' && spec.beat.kind === 'term' && !saysDefinition(spec.beat.say, spec.beat.definition);
      },
    },
  );
  const reveals = new Map(phased.map((p) => [slideKey(p), p.reveal]));
  const refs = [...slides.map((s) => ({ ...s.ref, phase: 0 })), ...phased.filter((p) => p.phase > 0).map((p) => ({ slide: p.slide, index: p.index, beat: p.beat ?? 0, phase: p.phase }))];
  const plan = planFrames(phased, audioSeconds, { fps, slides: refs });
  const specs = plan.map((entry) => {
    const base = byKey.get(slideKey({ ...entry, phase: 0 }));
    if (!base) throw new Error(`no slide for ${slideKey(entry)}`);
    const reveal = reveals.get(slideKey(entry));
    const spec: SlideSpec = reveal ? { ...base, reveal } : base;
    return spec;
  });
  return { plan, specs };
}

/**
 * Renders the narrated slide video: one slide per narration segment, switching at the segment
 * start frames, 1920x1080 30 fps H.264 (yuv420p, BT.709) + AAC in MP4 with faststart, WebVTT
 * captions beside it, and a JPEG poster of the intro slide.
 *
 * Each slide is drawn once and encoded once as a short closed-GOP clip (at most 30 frames, two
 * clips at a time); a hold is that clip repeated by stream copy plus a prefix of it for the
 * remainder, so encoding cost does not grow with the video length.
 */
export async function renderVideo(input: RenderVideoInput): Promise<RenderVideoResult> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const mark = (name: string, since: number) => {
    timings[name] = Math.round(performance.now() - since);
  };
  const progress = new Progress(input.onProgress);
  const preset = input.preset ?? DEFAULT_PRESET;
  if (!isX264Preset(preset)) {
    throw new PipelineError(ErrorCodes.renderFailed, `unknown x264 preset: ${String(preset).slice(0, 40)}`, { retryable: false });
  }
  if (input.crf !== undefined && !(Number.isFinite(input.crf) && input.crf >= 0 && input.crf <= 51)) {
    throw new PipelineError(ErrorCodes.renderFailed, `crf must be within 0..51`, { retryable: false });
  }
  const assembly = input.assembly ?? 'bytes';
  const container: ClipContainer = assembly === 'bytes' ? 'h264' : 'mp4';
  const wanted = input.concurrency ?? Math.min(2, os.availableParallelism?.() ?? os.cpus().length);
  const concurrency = Number.isFinite(wanted) ? Math.max(1, Math.floor(wanted)) : 1;
  const fps = FPS;
  const audioPath = path.resolve(input.audioPath);
  const outDir = path.resolve(input.outDir);
  const workDir = path.resolve(input.workDir);

  let tmp: string;
  try {
    await fs.mkdir(workDir, { recursive: true });
    await fs.mkdir(outDir, { recursive: true });
    tmp = await fs.mkdtemp(path.join(workDir, 'render-'));
  } catch (err) {
    throw new PipelineError(ErrorCodes.renderFailed, `cannot prepare render folders: ${(err as Error).message}`, { retryable: true, cause: err });
  }
  const pool = new TaskPool(concurrency);
  // Every job promise is stored already settled (resolving to its error, if any), so a failure
  // while slides are still being drawn is never an unhandled rejection.
  const jobs: Array<Promise<unknown>> = [];
  const settled = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e ?? new Error('job failed'));
  try {
    // 1. The audio decides the length.
    progress.report(0, 'probe');
    let t = performance.now();
    const audioProbe = await probeMedia(audioPath).catch((err: unknown) => {
      throw new PipelineError(ErrorCodes.renderFailed, 'narration audio cannot be read', { retryable: false, cause: err });
    });
    if (!audioProbe.audio) throw new PipelineError(ErrorCodes.renderFailed, 'narration file has no audio stream', { retryable: false });
    const audioSeconds = audioProbe.audio.durationSeconds || audioProbe.durationSeconds || input.narration.durationSeconds;
    if (!(audioSeconds > 0)) throw new PipelineError(ErrorCodes.renderFailed, 'narration audio is empty', { retryable: false });
    mark('probeAudio', t);

    // 2. Which screen is on for which frames (every reveal phase of every narration segment).
    const slides = slidesFromScript(input.script);
    const { plan, specs } = planScreens(input.script, input.narration, audioSeconds, fps);
    if (plan.length === 0) throw new PipelineError(ErrorCodes.renderFailed, 'nothing to render', { retryable: false });
    const theme = themeFor(input.script.subject);
    const footer = footerAttribution(input.script.attribution);
    const kit = createDrawKit(theme, input.figures);
    const posterSpec = posterSlide(slides);
    const work: SlideWork[] = plan.map((entry, k) => ({ entry, spec: specs[k]!, clips: planClips(entry.frames, UNIT_FRAMES), files: new Map(), sequence: [] }));

    // 3. Jobs: the audio first (longest single job), then one clip per slide as soon as it is drawn.
    // Still slides: one job per distinct clip length; a figure's zooming screen: one per stretch (an upper bound before drawing tells which).
    const totalJobs = 1 + work.reduce((n, w) => n + (w.spec.kind === 'beat' && w.spec.beat.kind === 'figure' ? Math.ceil(w.entry.frames / ZOOM_STRETCH_FRAMES) : new Set(w.clips).size), 0);
    let jobsDone = 0;
    let drawn = 0;
    let encodeStart = Number.POSITIVE_INFINITY;
    let encodeEnd = 0;
    const report = (phase: RenderPhase) => progress.report(0.05 + 0.2 * (drawn / work.length) + 0.6 * (jobsDone / totalJobs), phase);
    const timed = async (name: string, fn: () => Promise<unknown>) => {
      const s = performance.now();
      encodeStart = Math.min(encodeStart, s);
      await fn();
      const e = performance.now();
      encodeEnd = Math.max(encodeEnd, e);
      timings[name] = (timings[name] ?? 0) + Math.round(e - s);
      jobsDone++;
      report('encode');
    };

    const audioOut = path.join(tmp, 'audio.m4a');
    const rate = audioProbe.audio.sampleRate;
    // Measured first (about 0.4 s for 180 s of speech), then encoded with the gain that reaches the target.
    jobs.push(settled(
      pool.run(() =>
        timed('audioJob', async () => {
          const measured = parseEbur128Summary(await runFfmpeg(loudnessJob({ source: audioPath })));
          if (!measured) throw new PipelineError(ErrorCodes.renderFailed, 'narration loudness could not be measured', { retryable: true });
          await runFfmpeg(
            audioJob({
              source: audioPath,
              output: audioOut,
              sampleRate: KEEP_SAMPLE_RATES.has(rate) ? undefined : 48000,
              bitrateK: AUDIO_BITRATE_K,
              downmixStereo: audioProbe.audio!.channels > 2,
              loudness: loudnessGain(measured, TARGET_LUFS),
            }),
          );
        }),
      ),
    ));

    // One canvas, repainted for each slide (keeps this process's native memory flat).
    const canvas = createSlideCanvas();
    let drawMs = 0;
    for (let k = 0; k < work.length; k++) {
      const w = work[k];
      const ds = performance.now();
      let figure: { image: Image; x: number; y: number; w: number; h: number } | null = null;
      kit.onFigureDrawn = (f) => {
        figure = f;
      };
      await drawSlide(w.spec, { theme, slideNumber: k + 1, slideCount: work.length, footer }, canvas, kit);
      kit.onFigureDrawn = undefined;
      // Raw RGBA (8 MB) rather than PNG: a 1080p PNG encode costs ~350 ms, the raw copy ~2 ms.
      const rgbaPath = path.join(tmp, `slide-${k}.rgba`);
      await fs.writeFile(rgbaPath, canvas.data());
      const zoomBox = figure ? await writeFigureRaw(figure, path.join(tmp, `figure-${k}.rgba`)) : null;
      drawMs += performance.now() - ds;
      drawn++;
      report('draw');

      const ext = container === 'h264' ? 'h264' : 'mp4';
      if (zoomBox) {
        // A figure's screen moves: encoded in stretches of a few seconds (key frames every second, so
        // they join the still clips by copy). Fewer processes than one per second save the start-up
        // and image conversion each repeated; more than one keeps both encoders busy near the end.
        const zoom = Math.min(FIGURE_ZOOM.max, 1 + FIGURE_ZOOM.perSecond * (w.entry.frames / fps));
        w.sequence = [];
        for (let first = 0; first < w.entry.frames; first += ZOOM_STRETCH_FRAMES) {
          const len = Math.min(ZOOM_STRETCH_FRAMES, w.entry.frames - first);
          const out = path.join(tmp, `clip-${k}-z${first}.${ext}`);
          w.files.set(out, len);
          w.sequence.push(out);
          jobs.push(settled(pool.run(() => timed('slideJobs', () => runFfmpeg(zoomClipJob({ slide: rgbaPath, figure: zoomBox.path, box: zoomBox.box, frames: len, firstFrame: first, totalFrames: w.entry.frames, zoom, output: out, container, fps, preset, crf: input.crf }))))));
        }
        continue;
      }
      const lengths = [...new Set(w.clips)].sort((a, b) => b - a);
      const base = lengths[0];
      const byLength = new Map<number, string>();
      const basePath = path.join(tmp, `clip-${k}-${base}.${ext}`);
      byLength.set(base, basePath);
      const baseJob = pool.run(() => timed('slideJobs', () => runFfmpeg(slideClipJob({ image: rgbaPath, raw: true, frames: base, output: basePath, container, fps, preset, crf: input.crf }))));
      jobs.push(settled(baseJob));
      for (const len of lengths.slice(1)) {
        const out = path.join(tmp, `clip-${k}-${len}.${ext}`);
        byLength.set(len, out);
        jobs.push(settled(baseJob.then(() => pool.run(() => timed('trimJobs', () => runFfmpeg(trimClipJob({ source: basePath, frames: len, output: out, container, fps })))))));
      }
      for (const [len, file] of byLength) w.files.set(file, len);
      w.sequence = w.clips.map((len) => byLength.get(len) as string);
    }
    timings.draw = Math.round(drawMs);
    // The poster: its screen fully revealed (the screens drawn above are its phases), drawn once more.
    const posterBuf = await posterJpeg(await drawSlide(posterSpec, { theme, footer }, canvas, kit), input.posterWidth ?? 1280);
    const results = await Promise.all(jobs);
    const failure = results.find((r) => r !== undefined);
    if (failure) throw failure;
    timings.encodeWall = Math.round(encodeEnd - encodeStart);

    // 4. One video stream.
    progress.report(0.85, 'assemble');
    t = performance.now();
    let videoInput: string;
    if (container === 'h264') {
      videoInput = path.join(tmp, 'video.h264');
      await assembleAnnexB(work, videoInput);
    } else {
      videoInput = path.join(tmp, 'clips.ffconcat');
      const entries = work.flatMap((w) => w.sequence.map((file) => ({ path: file, durationSeconds: (w.files.get(file) as number) / fps })));
      await fs.writeFile(videoInput, buildConcatList(entries));
    }
    mark('assemble', t);

    // 5. Mux (stream copy of both).
    progress.report(0.88, 'mux');
    t = performance.now();
    const muxed = path.join(tmp, 'out.mp4');
    await runFfmpeg(muxJob({ video: videoInput, videoKind: container === 'h264' ? 'h264' : 'concat', audio: audioOut, output: muxed, fps }));
    mark('mux', t);

    // 6. Check what we made before publishing it.
    progress.report(0.95, 'verify');
    t = performance.now();
    const probe = await probeMedia(muxed);
    const v = probe.video;
    const a = probe.audio;
    const expectedFrames = plan.reduce((n, e) => n + e.frames, 0);
    const problems: string[] = [];
    if (!v || v.codec !== 'h264' || v.width !== SLIDE_WIDTH || v.height !== SLIDE_HEIGHT) problems.push(`video stream ${JSON.stringify(v)}`);
    if (v && Math.abs(v.fps - fps) > 0.01) problems.push(`fps ${v.fps}`);
    if (v && v.frames !== null && v.frames !== expectedFrames) problems.push(`frames ${v.frames} != ${expectedFrames}`);
    if (!a || a.codec !== 'aac') problems.push(`audio stream ${JSON.stringify(a)}`);
    if (v && Math.abs(v.durationSeconds - audioSeconds) > MAX_AV_DRIFT_SECONDS) problems.push(`video ${v.durationSeconds}s vs narration ${audioSeconds}s`);
    if (v && a && Math.abs(v.durationSeconds - a.durationSeconds) > MAX_AV_DRIFT_SECONDS) problems.push(`video ${v.durationSeconds}s vs audio track ${a.durationSeconds}s`);
    if (problems.length > 0) throw new PipelineError(ErrorCodes.renderFailed, `rendered video failed checks: ${problems.join('; ')}`, { retryable: false });
    mark('verify', t);

    // 7. Publish: captions, poster, video (video last: its arrival is the "done" signal downstream).
    t = performance.now();
    const captionsTmp = path.join(tmp, 'captions.vtt');
    await fs.writeFile(captionsTmp, buildWebVtt(input.narration.cues), 'utf8');
    const posterTmp = path.join(tmp, 'poster.jpg');
    await fs.writeFile(posterTmp, posterBuf);
    const videoPath = path.join(outDir, VIDEO_FILE);
    const captionsPath = path.join(outDir, CAPTIONS_FILE);
    const posterPath = path.join(outDir, POSTER_FILE);
    await moveInto(captionsTmp, captionsPath);
    await moveInto(posterTmp, posterPath);
    await moveInto(muxed, videoPath);
    const size = (await fs.stat(videoPath)).size;
    mark('publish', t);
    timings.total = Math.round(performance.now() - t0);
    progress.report(1, 'done');
    return {
      videoPath,
      captionsPath,
      posterPath,
      durationSeconds: probe.durationSeconds,
      width: SLIDE_WIDTH,
      height: SLIDE_HEIGHT,
      fps,
      sizeBytes: size,
      screens: work.length,
      timings,
    };
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    throw new PipelineError(ErrorCodes.renderFailed, `render failed: ${(err as Error)?.message ?? String(err)}`, { retryable: true, cause: err });
  } finally {
    // Stop queued jobs and let running ones end before removing their files.
    pool.cancelPending('render stopped');
    await Promise.all(jobs);
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The figure as drawn, alone, as raw RGBA at its on-screen size (the zoom's source); null when too small to zoom. */
async function writeFigureRaw(f: { image: Image; x: number; y: number; w: number; h: number }, file: string): Promise<{ path: string; box: { x: number; y: number; w: number; h: number } } | null> {
  // Even corners and sides: the zoom is laid over the slide in 4:2:0.
  const even = (v: number) => 2 * Math.round(v / 2);
  const x = even(f.x);
  const y = even(f.y);
  const box = { x, y, w: even(f.x + f.w) - x, h: even(f.y + f.h) - y };
  if (box.w < 64 || box.h < 64 || box.x < 0 || box.y < 0 || box.x + box.w > SLIDE_WIDTH || box.y + box.h > SLIDE_HEIGHT) return null;
  const c = createCanvas(box.w, box.h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, box.w, box.h);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(f.image, 0, 0, box.w, box.h);
  await fs.writeFile(file, c.data());
  return { path: file, box };
}

/**
 * Concatenates the Annex B clips in plan order. Every clip must carry the same SPS/PPS (same
 * encoder settings) and exactly the expected number of pictures; otherwise joining them by
 * bytes would be wrong, and we stop.
 */
async function assembleAnnexB(work: SlideWork[], output: string): Promise<void> {
  const buffers = new Map<string, Buffer>();
  let reference: string | null = null;
  for (const w of work) {
    for (const [file, len] of w.files) {
      const buf = await fs.readFile(file);
      const ps = parameterSets(buf);
      const key = JSON.stringify(ps);
      if (ps.sps.length !== 1 || ps.pps.length !== 1) throw new PipelineError(ErrorCodes.renderFailed, `clip ${path.basename(file)} has ${ps.sps.length} SPS / ${ps.pps.length} PPS`, { retryable: false });
      if (reference === null) reference = key;
      else if (key !== reference) throw new PipelineError(ErrorCodes.renderFailed, 'slide clips differ in SPS/PPS; cannot join by stream copy', { retryable: false });
      const pics = countPictures(buf);
      // One IDR per clip of at most a unit; a longer (zooming) clip has one every unit.
      const idr = Math.ceil(len / UNIT_FRAMES);
      if (pics.pictures !== len || pics.idr !== idr) {
        throw new PipelineError(ErrorCodes.renderFailed, `clip ${path.basename(file)} has ${pics.pictures} pictures (${pics.idr} IDR), expected ${len} (${idr} IDR)`, { retryable: false });
      }
      buffers.set(file, buf);
    }
  }
  const fh = await fs.open(output, 'w');
  try {
    for (const w of work) {
      const seq = w.sequence.map((file) => buffers.get(file) as Buffer);
      // writev in batches keeps the number of syscalls small.
      for (let i = 0; i < seq.length; i += 256) await fh.writev(seq.slice(i, i + 256));
    }
  } finally {
    await fh.close();
  }
}
