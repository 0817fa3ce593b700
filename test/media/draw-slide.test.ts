import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import {
  drawSlide,
  footerAttribution,
  loadFigure,
  posterJpeg,
  renderSlidePng,
  slidesFromScript,
  SLIDE_HEIGHT,
  SLIDE_WIDTH,
  type SlideSpec,
} from '../../shared/media/draw-slide.js';
import { sniffImage } from '../../shared/media/image-probe.js';
import { themeFor } from '../../shared/media/themes.js';
import { sampleScript } from './fixtures.js';

const HOSTILE =
  '<script>alert(1)</script> \u202Eevil\u202C ${process.exit()} ' +
  'Supercalifragilisticexpialidocious'.repeat(12) +
  ' ' +
  'and so on '.repeat(150);

/** Rows [y0, y1) x columns [x0, x1): count of pixels brighter than `threshold` (luma 0..255). */
function brightPixels(data: Uint8ClampedArray | Buffer, x0: number, x1: number, y0: number, y1: number, threshold = 140): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * SLIDE_WIDTH + x) * 4;
      const luma = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      if (luma > threshold) n++;
    }
  }
  return n;
}

describe('media: slide drawing', () => {
  let dir: string;
  let figurePath: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vividly-slides-'));
    const c = createCanvas(800, 600);
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 800, 600);
    ctx.fillStyle = '#c0392b';
    ctx.fillRect(200, 150, 400, 300);
    figurePath = path.join(dir, 'figure.png');
    await writeFile(figurePath, await c.encode('png'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws every slide of a script as a 1920x1080 PNG', async () => {
    const script = sampleScript();
    const slides = slidesFromScript(script, [{ id: 'fig-1', topicId: 't', alt: 'a red box', caption: '', path: figurePath, mimeType: 'image/png' }]);
    assert.deepEqual(
      slides.map((s) => s.kind),
      ['intro', 'section', 'section', 'section', 'takeaways', 'credits'],
    );
    assert.deepEqual(slides[2].kind === 'section' && slides[2].figure, { path: figurePath });
    for (const [i, spec] of slides.entries()) {
      const png = await renderSlidePng(spec, { theme: themeFor(script.subject), slideNumber: i + 1, slideCount: slides.length, footer: footerAttribution(script.attribution) });
      assert.deepEqual(sniffImage(png), { type: 'png', width: 1920, height: 1080 }, spec.kind);
      const img: Image = await loadImage(png);
      assert.equal(img.width, SLIDE_WIDTH);
      assert.equal(img.height, SLIDE_HEIGHT);
    }
  });

  it('puts the figure beside the bullets (right half has the figure\'s red)', async () => {
    const spec: SlideSpec = { kind: 'section', index: 0, heading: 'With a figure', bullets: ['One', 'Two'], figure: { path: figurePath } };
    const canvas = await drawSlide(spec, { theme: themeFor('physics') });
    const data = canvas.data();
    let red = 0;
    for (let y = 300; y < 900; y += 4) {
      for (let x = 1100; x < 1800; x += 4) {
        const i = (y * SLIDE_WIDTH + x) * 4;
        if (data[i] > 170 && data[i + 1] < 90 && data[i + 2] < 90) red++;
      }
    }
    assert.ok(red > 1000, `red pixels ${red}`);
  });

  it('a missing, non-image or oversized figure is skipped, not fatal', async () => {
    const notImage = path.join(dir, 'fake.png');
    await writeFile(notImage, '<svg onload="alert(1)"/>');
    const huge = path.join(dir, 'huge.png');
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'latin1');
    header.writeUInt32BE(100000, 16);
    header.writeUInt32BE(100000, 20);
    await writeFile(huge, header);
    for (const p of [path.join(dir, 'nope.png'), notImage, huge, dir]) {
      assert.equal(await loadFigure(p), null, p);
      const png = await renderSlidePng({ kind: 'section', index: 0, heading: 'H', bullets: ['b'], figure: { path: p } }, { theme: themeFor('math') });
      assert.deepEqual(sniffImage(png), { type: 'png', width: 1920, height: 1080 });
    }
  });

  for (const subject of ['physics', 'chemistry', 'biology', 'math', 'history', 'literature', 'unknown']) {
    it(`hostile, very long text stays inside the slide (${subject})`, async () => {
      const theme = themeFor(subject);
      const specs: SlideSpec[] = [
        { kind: 'intro', title: HOSTILE, hook: HOSTILE },
        { kind: 'section', index: 0, heading: HOSTILE, bullets: [HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE] },
        { kind: 'section', index: 1, heading: HOSTILE, bullets: [HOSTILE, 'x'.repeat(3000)], figure: { path: figurePath } },
        { kind: 'takeaways', points: [HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE] },
        {
          kind: 'credits',
          attribution: Array.from({ length: 5 }, (_, i) => ({ book: `${HOSTILE} ${i}`, publisher: HOSTILE, license: HOSTILE, licenseUrl: HOSTILE, url: `https://example.org/${'p/'.repeat(400)}` })),
        },
      ];
      for (const spec of specs) {
        const canvas = await drawSlide(spec, { theme, slideNumber: 3, slideCount: 9, footer: HOSTILE });
        if (subject === 'physics') {
          // PNG encoding costs ~0.3 s a slide: decoded once, for one subject.
          const img = await loadImage(await canvas.encode('png'));
          assert.deepEqual([img.width, img.height], [1920, 1080]);
        }
        const data = canvas.data();
        // Nothing drawn in the band between the content and the footer, nor in the side margins.
        assert.equal(brightPixels(data, 0, SLIDE_WIDTH, 952, 980), 0, `${spec.kind}: text below the content area`);
        assert.equal(brightPixels(data, 0, 80, 0, 1070), 0, `${spec.kind}: text in the left margin`);
        assert.equal(brightPixels(data, 1830, SLIDE_WIDTH, 0, 1070), 0, `${spec.kind}: text in the right margin`);
      }
    });
  }

  it('the poster is a 16:9 JPEG of the requested width', async () => {
    const canvas = await drawSlide({ kind: 'intro', title: 'Title', hook: 'Hook' }, { theme: themeFor('history') });
    const jpg = await posterJpeg(canvas, 1280);
    assert.deepEqual(sniffImage(jpg), { type: 'jpeg', width: 1280, height: 720 });
    assert.deepEqual(sniffImage(await posterJpeg(canvas, 1920)), { type: 'jpeg', width: 1920, height: 1080 });
  });

  it('one canvas can be reused: redrawing gives the same pixels as a fresh canvas', async () => {
    const theme = themeFor('literature');
    const a: SlideSpec = { kind: 'takeaways', points: ['One', 'Two'] };
    const b: SlideSpec = { kind: 'intro', title: 'A title', hook: 'A hook' };
    const shared = await drawSlide(a, { theme });
    await drawSlide(b, { theme }, shared);
    const fresh = await drawSlide(b, { theme });
    assert.ok(shared.data().equals(fresh.data()));
  });
});
