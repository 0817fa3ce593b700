import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { slideClipJob, zoomClipJob, type FfmpegJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg } from '../../shared/media/ffmpeg-run.js';
import { countPictures, parameterSets } from '../../shared/media/h264-annexb.js';

/** Raw RGBA of w x h: a slide-blue background, or a figure of stripes (so a zoom shows). */
function rgba(w: number, h: number, figure: boolean): Buffer {
  const buf = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      const on = figure && Math.floor(x / 16) % 2 === 0;
      buf[o] = figure ? (on ? 20 : 240) : 26;
      buf[o + 1] = figure ? (on ? 90 : 230) : 36;
      buf[o + 2] = figure ? (on ? 200 : 220) : 64;
      buf[o + 3] = 255;
    }
  }
  return buf;
}

/** Luma of the given frames (0-based) of an Annex B clip, as gray bytes per frame. */
async function grayFrames(clip: string, frames: number[], dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const n of frames) {
    const file = path.join(dir, `f${n}.gray`);
    const job: FfmpegJob = {
      inputs: [{ path: clip, options: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'h264', '-r', '30'] }],
      outputOptions: ['-vf', `select=eq(n\\,${n}),format=gray`, '-vsync', '0', '-frames:v', '1', '-f', 'rawvideo'],
      output: file,
    };
    await runFfmpeg(job);
    out.push(await fs.readFile(file));
  }
  return out;
}

function meanDiff(a: Buffer, b: Buffer, x0: number, y0: number, w: number, h: number): number {
  let sum = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) sum += Math.abs(a[y * 1920 + x]! - b[y * 1920 + x]!);
  return sum / (w * h);
}

describe('media: a zooming figure clip (real ffmpeg)', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vividly-zoom-test-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a stretch longer than a second: every frame, a key frame each second, the still clips\' SPS/PPS, the figure moving and nothing else', async () => {
    const box = { x: 400, y: 200, w: 320, h: 240 };
    const slide = path.join(dir, 'slide.rgba');
    const figure = path.join(dir, 'figure.rgba');
    await fs.writeFile(slide, rgba(1920, 1080, false));
    await fs.writeFile(figure, rgba(box.w, box.h, true));
    const zoomed = path.join(dir, 'zoom.h264');
    await runFfmpeg(zoomClipJob({ slide, figure, box, frames: 75, firstFrame: 30, totalFrames: 120, zoom: 1.2, output: zoomed, container: 'h264' }));
    const still = path.join(dir, 'still.h264');
    await runFfmpeg(slideClipJob({ image: slide, raw: true, frames: 30, output: still, container: 'h264' }));

    const z = await fs.readFile(zoomed);
    assert.deepEqual(countPictures(z), { pictures: 75, idr: 3 });
    assert.deepEqual(parameterSets(z), parameterSets(await fs.readFile(still)), 'joins the still clips by copy');

    const [first, last] = await grayFrames(zoomed, [0, 74], dir);
    assert.ok(meanDiff(first!, last!, box.x, box.y, box.w, box.h) > 10, 'the figure zooms');
    assert.ok(meanDiff(first!, last!, 0, 0, 1920, box.y) < 0.5, 'the slide around it stays');
  });

  it('refuses odd figure boxes (4:2:0) and frame ranges past the screen', () => {
    const base = { slide: '/w/s.rgba', figure: '/w/f.rgba', frames: 30, firstFrame: 0, totalFrames: 30, zoom: 1.1, output: '/w/z.h264', container: 'h264' as const };
    assert.throws(() => zoomClipJob({ ...base, box: { x: 401, y: 200, w: 320, h: 240 } }), /figure box/);
    assert.throws(() => zoomClipJob({ ...base, box: { x: 400, y: 200, w: 321, h: 240 } }), /figure box/);
    assert.throws(() => zoomClipJob({ ...base, box: { x: 400, y: 200, w: 320, h: 240 }, firstFrame: 10 }), /frame range/);
    assert.throws(() => zoomClipJob({ ...base, box: { x: 400, y: 200, w: 320, h: 240 }, zoom: 2 }), /zoom/);
  });
});
