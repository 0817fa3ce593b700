import assert from 'node:assert/strict';
import { integratedLoudness } from '../helpers/ffprobe.js';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NarrationSegment } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import { slidesFromScript } from '../../shared/media/draw-slide.js';
import { toneWavJob, type FfmpegJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg } from '../../shared/media/ffmpeg-run.js';
import { sniffImage } from '../../shared/media/image-probe.js';
import { probeMedia } from '../../shared/media/probe.js';
import { planScreens, renderVideo, type RenderVideoInput } from '../../shared/media/render-video.js';
import { sampleScript, sampleSegments } from './fixtures.js';

const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

/**
 * For every decoded frame, which slide is on screen, read from the progress bar drawn along the
 * bottom edge of every slide (its filled width is slideNumber / slideCount of 1920 px).
 */
async function slideNumberPerFrame(video: string, slideCount: number, dir: string): Promise<number[]> {
  const out = path.join(dir, `bar-${path.basename(path.dirname(video))}.gray`);
  const job: FfmpegJob = {
    inputs: [{ path: video, options: QUIET }],
    outputOptions: ['-map', '0:v:0', '-vf', 'crop=1920:2:0:1076,format=gray', '-f', 'rawvideo'],
    output: out,
  };
  await runFfmpeg(job);
  const buf = await readFile(out);
  const frame = 1920 * 2;
  const numbers: number[] = [];
  for (let off = 0; off + frame <= buf.length; off += frame) {
    let bright = 0;
    for (let x = 0; x < 1920; x++) if (buf[off + x] > 100) bright++;
    numbers.push(Math.round((bright * slideCount) / 1920));
  }
  return numbers;
}

describe('media: renderVideo (short render, real ffmpeg) @slow', function () {
  this.timeout(180_000);
  const SECONDS = 12.37;
  const script = sampleScript();
  const segments: NarrationSegment[] = sampleSegments(SECONDS, script);
  // One cue per segment; the first section's first segment is its heading, then its sentence (so
  // that screen has a reveal phase: the heading alone, then the body).
  const texts = [
    'Ever wonder why you jump higher when you push harder?',
    'Forces come in pairs & the floor pushes back <b>hard</b> --> always.',
    'That is Newton’s third law, and it is at work on every rebound, every pass and every collision under the rim.',
  ];
  const cues = segments.flatMap((seg, i) => {
    const text = texts[i % texts.length]!;
    if (seg.slide === 'section' && seg.index === 0 && seg.beat === 0) {
      const mid = (seg.start + seg.end) / 2;
      return [{ start: seg.start, end: mid - 0.02, text: script.sections[0]!.heading }, { start: mid, end: seg.end, text }];
    }
    return [{ start: seg.start, end: seg.end, text }];
  });
  let dir: string;
  let wav: string;
  let mp3: string;
  let figure: string;

  before(async () => {
    // A quote and a space in the folder name: every path handed to ffmpeg must survive it.
    dir = await mkdtemp(path.join(tmpdir(), "vividly render it's-"));
    wav = path.join(dir, 'narration.wav');
    await runFfmpeg(toneWavJob({ seconds: SECONDS, output: wav }));
    mp3 = path.join(dir, 'narration.mp3');
    await runFfmpeg({ inputs: [{ path: wav, options: QUIET }], outputOptions: ['-c:a', 'libmp3lame', '-b:a', '64k', '-ar', '22050', '-f', 'mp3'], output: mp3 });
    // A figure for section 1.
    const { createCanvas } = await import('@napi-rs/canvas');
    const c = createCanvas(640, 480);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 640, 480);
    ctx.fillStyle = '#2266cc';
    ctx.fillRect(100, 100, 440, 280);
    figure = path.join(dir, 'figure.jpg');
    await writeFile(figure, await c.encode('jpeg', 90));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function input(name: string, over: Partial<RenderVideoInput> = {}): RenderVideoInput {
    return {
      script,
      narration: { segments, cues, durationSeconds: SECONDS },
      audioPath: wav,
      figures: [{ id: 'fig-1', topicId: 't', alt: 'A blue box', caption: '', path: figure, mimeType: 'image/jpeg' }],
      workDir: path.join(dir, name, 'work'),
      outDir: path.join(dir, name, 'out'),
      ...over,
    };
  }

  // Every screen, reveal phases included (what render draws), on its frames.
  const { plan } = planScreens(script, { segments, cues }, SECONDS);

  async function checkOutput(res: Awaited<ReturnType<typeof renderVideo>>, audioSeconds: number, name: string): Promise<void> {
    const p = await probeMedia(res.videoPath);
    assert.ok(p.video && p.audio);
    assert.equal(p.video.codec, 'h264');
    assert.equal(p.video.width, 1920);
    assert.equal(p.video.height, 1080);
    assert.equal(p.video.fps, 30);
    assert.equal(p.audio.codec, 'aac');
    assert.equal(p.video.frames, Math.round(audioSeconds * 30));
    assert.ok(Math.abs(p.durationSeconds - audioSeconds) < 0.5, `duration ${p.durationSeconds} vs ${audioSeconds}`);
    assert.ok(Math.abs(p.video.durationSeconds - audioSeconds) < 0.1, `video ${p.video.durationSeconds} vs ${audioSeconds}`);
    assert.deepEqual([res.width, res.height, res.fps], [1920, 1080, 30]);
    const lufs = await integratedLoudness(res.videoPath);
    assert.ok(Math.abs(lufs - -16) <= 1.5, `narration at ${lufs} LUFS, target -16`);
    assert.equal(res.sizeBytes, (await stat(res.videoPath)).size);
    assert.ok(Math.abs(res.durationSeconds - p.durationSeconds) < 1e-6);

    const vtt = await readFile(res.captionsPath, 'utf8');
    assert.ok(vtt.startsWith('WEBVTT\n'));
    assert.equal(path.dirname(res.captionsPath), path.dirname(res.videoPath));
    assert.ok(vtt.includes('&amp;') && vtt.includes('&lt;b&gt;'));
    assert.equal(vtt.split('\n').filter((l) => l.includes('-->')).every((l) => /^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/.test(l)), true);

    assert.deepEqual(sniffImage(await readFile(res.posterPath)), { type: 'jpeg', width: 1280, height: 720 });
    assert.deepEqual(await readdir(path.join(dir, name, 'work')), [], 'intermediates removed');
    assert.deepEqual((await readdir(path.join(dir, name, 'out'))).sort(), ['poster.jpg', 'video.mp4', 'video.vtt']);
  }

  it('renders 1080p30 H.264 + AAC with captions and poster, switching slides on the planned frames (byte-joined clips)', async () => {
    const progress: Array<[number, string]> = [];
    const res = await renderVideo(input('bytes', { onProgress: (f, phase) => progress.push([f, phase]) }));
    await checkOutput(res, SECONDS, 'bytes');

    // Frame-accurate slide changes.
    const numbers = await slideNumberPerFrame(res.videoPath, plan.length, dir);
    const expected = plan.flatMap((e, k) => Array(e.frames).fill(k + 1));
    assert.equal(numbers.length, expected.length);
    assert.deepEqual(numbers, expected);
    assert.equal(res.screens, plan.length);
    assert.ok(plan.some((e) => (e.phase ?? 0) > 0), 'a screen revealed in phases');

    // Each beat's first frame is within one frame of its sentence's mark (its segment's start).
    const slides = slidesFromScript(script);
    for (const seg of segments) {
      const k = plan.findIndex((e) => e.slide === seg.slide && e.index === (seg.slide === 'section' ? seg.index : 0) && e.beat === seg.beat && (e.phase ?? 0) === 0);
      if (k < 0) continue; // merged into a neighbour (shorter than 2 frames)
      const first = numbers.indexOf(k + 1);
      assert.ok(Math.abs(first - seg.start * 30) <= 1, `${seg.slide} ${seg.index}/${seg.beat}: first frame ${first}, mark at ${(seg.start * 30).toFixed(1)}`);
    }
    assert.ok(slides.length > 0);

    // Progress: non-decreasing, ends at 1, covers drawing, encoding and muxing.
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i][0] >= progress[i - 1][0]);
    assert.deepEqual(progress[progress.length - 1], [1, 'done']);
    for (const phase of ['draw', 'encode', 'mux']) assert.ok(progress.some(([, p]) => p === phase), phase);
    assert.ok(res.timings.total > 0 && res.timings.mux >= 0 && res.timings.draw >= 0);
  });

  it('also renders through the concat demuxer (quoted list paths) from an MP3 narration', async () => {
    const mp3Seconds = (await probeMedia(mp3)).audio!.durationSeconds;
    const res = await renderVideo(input('demuxer', { assembly: 'demuxer', audioPath: mp3 }));
    await checkOutput(res, mp3Seconds, 'demuxer');
    const mp3Plan = planScreens(script, { segments, cues }, mp3Seconds).plan;
    const numbers = await slideNumberPerFrame(res.videoPath, mp3Plan.length, dir);
    assert.deepEqual(numbers, mp3Plan.flatMap((e, k) => Array(e.frames).fill(k + 1)));
  });

  it('fails with RENDER_FAILED (not retryable) when the narration has no audio, and cleans up', async () => {
    const notAudio = path.join(dir, 'not-audio.txt');
    await writeFile(notAudio, 'hello');
    await mkdir(path.join(dir, 'bad', 'work'), { recursive: true });
    await assert.rejects(renderVideo(input('bad', { audioPath: notAudio })), (err: unknown) => {
      assert.ok(err instanceof PipelineError);
      assert.equal(err.code, 'RENDER_FAILED');
      assert.equal(err.retryable, false);
      return true;
    });
    assert.deepEqual(await readdir(path.join(dir, 'bad', 'work')), []);
  });

  it('refuses an unknown x264 preset before running anything', async () => {
    await assert.rejects(renderVideo(input('preset', { preset: 'fast; rm -rf /' })), /unknown x264 preset/);
  });
});
