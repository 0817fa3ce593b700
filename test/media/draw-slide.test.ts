import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import type { Beat } from '../../shared/domain/script.js';
import {
  createDrawKit,
  drawSlide,
  footerAttribution,
  loadFigure,
  posterJpeg,
  posterSlide,
  renderSlidePng,
  slidesFromScript,
  SLIDE_HEIGHT,
  SLIDE_WIDTH,
  type SlideSpec,
} from '../../shared/media/draw-slide.js';
import { sniffImage } from '../../shared/media/image-probe.js';
import { saysDefinition } from '../../shared/media/beats/term.js';
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

describe('media: slide drawing @slow', () => {
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

  const figureOf = (p: string) => ({ id: 'fig-1', topicId: 't', alt: 'a red box', caption: 'A red box', path: p, mimeType: 'image/png' });
  const beatScreen = (beat: Beat, earlier: Beat[] = [], heading = 'A heading'): SlideSpec => ({ kind: 'beat', heading, section: 0, beat, earlier });
  const countRed = (data: Uint8ClampedArray | Buffer, x0: number, x1: number, y0: number, y1: number) => {
    let red = 0;
    for (let y = y0; y < y1; y += 4) {
      for (let x = x0; x < x1; x += 4) {
        const i = (y * SLIDE_WIDTH + x) * 4;
        if (data[i] > 170 && data[i + 1] < 90 && data[i + 2] < 90) red++;
      }
    }
    return red;
  };

  it('draws every screen of a script (intro, each beat, each takeaway, check, answer, credits) as a 1920x1080 PNG', async () => {
    const script = sampleScript();
    const slides = slidesFromScript(script);
    const beats = script.sections.reduce((n, s) => n + s.beats.length, 0);
    assert.deepEqual(
      slides.map((s) => s.kind),
      ['intro', ...Array(beats).fill('beat'), ...Array(script.keyTakeaways.length).fill('takeaways'), 'check', 'check', 'credits'],
    );
    const theme = themeFor(script.subject);
    const kit = createDrawKit(theme, [figureOf(figurePath)]);
    for (const [i, spec] of slides.entries()) {
      const png = await renderSlidePng(spec, { theme, slideNumber: i + 1, slideCount: slides.length, footer: footerAttribution(script.attribution) }, kit);
      assert.deepEqual(sniffImage(png), { type: 'png', width: 1920, height: 1080 }, spec.kind);
      const img: Image = await loadImage(png);
      assert.equal(img.width, SLIDE_WIDTH);
      assert.equal(img.height, SLIDE_HEIGHT);
    }
  });

  it('the check screens show the check as written when it has a screen form (the voice says it in words)', () => {
    const script = { ...sampleScript(), check: { question: 'Solve x squared equals 9.', answer: 'x equals plus or minus 3', shown: { question: 'Solve x² = 9.', answer: 'x = ±3' } } };
    const checks = slidesFromScript(script).filter((s) => s.kind === 'check');
    assert.deepEqual(checks.map((c) => (c.kind === 'check' ? [c.question, c.answer] : null)), [['Solve x² = 9.', null], ['Solve x² = 9.', 'x = ±3']]);
  });

  it('a key-term card whose definition is said fills the definition in as it is read (Chemistry 2e, 9.2)', async () => {
    const definition = 'relation between the pressure, volume, amount, and temperature of a gas under conditions derived by combination of the simple gas laws';
    const beat: Beat = { kind: 'term', say: `The ideal gas law is the ${definition}.`, term: 'ideal gas law', definition };
    assert.ok(saysDefinition(beat.say, definition));
    assert.ok(!saysDefinition('Gases obey one law.', definition));
    const theme = themeFor('chemistry');
    const light = async (read?: number) => {
      const { data } = (await drawSlide({ ...beatScreen(beat), ...(read !== undefined ? { reveal: { lines: 1, headed: false, chips: [], chipRow: false, thinking: false, read } } : {}) }, { theme })).getContext('2d').getImageData(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 600) n++;
      return n;
    };
    const half = await light(0.5);
    assert.ok(half < (await light(1)), 'half read shows less of the definition');
    assert.equal(await light(1), await light(undefined), 'read to the end: the card as the poster shows it');
  });

  it('a figure beat shows the figure large: most of the body is the figure', async () => {
    const spec = beatScreen({ kind: 'figure', say: 'Look.', figureId: 'fig-1', caption: 'A red box' });
    const canvas = await drawSlide(spec, { theme: themeFor('physics') }, undefined, createDrawKit(themeFor('physics'), [figureOf(figurePath)]));
    // The figure's red block is half of it, centred: it spans the middle of the screen, not a thumbnail at the side.
    assert.ok(countRed(canvas.data(), 560, 1360, 360, 760) > 6000, 'the red block fills the middle');
  });

  it('a point after a figure keeps the figure beside the points', async () => {
    const figure: Beat = { kind: 'figure', say: 'Look.', figureId: 'fig-1', caption: 'A red box' };
    const spec = beatScreen({ kind: 'point', say: 'Next.', text: 'A point' }, [figure]);
    const canvas = await drawSlide(spec, { theme: themeFor('physics') }, undefined, createDrawKit(themeFor('physics'), [figureOf(figurePath)]));
    assert.ok(countRed(canvas.data(), 1100, 1800, 300, 900) > 1000, 'figure on the right');
    assert.equal(countRed(canvas.data(), 120, 900, 300, 900), 0, 'points on the left');
  });

  it('earlier points stay, dimmed; the new one is bright', async () => {
    const theme = themeFor('math');
    const one = await drawSlide(beatScreen({ kind: 'point', say: 'A.', text: 'First point' }), { theme });
    const two = await drawSlide(beatScreen({ kind: 'point', say: 'B.', text: 'Second point' }, [{ kind: 'point', say: 'A.', text: 'First point' }]), { theme });
    assert.ok(brightPixels(one.data(), 0, SLIDE_WIDTH, 260, 940) > 0);
    // Two lines of text, but the first is drawn in the muted colour: fewer bright pixels than two bright lines would give.
    assert.ok(brightPixels(two.data(), 0, SLIDE_WIDTH, 260, 940, 200) < 2 * brightPixels(one.data(), 0, SLIDE_WIDTH, 260, 940, 200));
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
      const png = await renderSlidePng(beatScreen({ kind: 'figure', say: 'Look.', figureId: 'fig-1', caption: 'Caption' }), { theme: themeFor('math') }, createDrawKit(themeFor('math'), [figureOf(p)]));
      assert.deepEqual(sniffImage(png), { type: 'png', width: 1920, height: 1080 });
    }
  });

  it('an equation that does not typeset is drawn as text, never a failure', async () => {
    const theme = themeFor('math');
    const canvas = await drawSlide(beatScreen({ kind: 'equation', say: 'x equals y.', math: { format: 'tex', source: '\\frac{' }, label: 'Broken' }), { theme });
    assert.ok(brightPixels(canvas.data(), 0, SLIDE_WIDTH, 260, 940) > 0);
  });

  for (const subject of ['physics', 'chemistry', 'biology', 'math', 'history', 'literature', 'unknown']) {
    it(`hostile, very long text stays inside the slide (${subject})`, async () => {
      const theme = themeFor(subject);
      const long = HOSTILE;
      const beats: Beat[] = [
        { kind: 'point', say: 's', text: long },
        { kind: 'term', say: 's', term: long, definition: long },
        { kind: 'equation', say: 's', math: { format: 'tex', source: 'x^2' }, label: long },
        { kind: 'figure', say: 's', figureId: 'fig-1', caption: long },
        { kind: 'example', say: 's', title: long, step: 0, text: long },
        { kind: 'example', say: 's', title: long, step: 1, text: long, math: { format: 'tex', source: 'a = b' } },
        { kind: 'interest', say: 's', text: long, icon: 'sports' },
      ];
      const specs: SlideSpec[] = [
        { kind: 'intro', title: HOSTILE, hook: HOSTILE },
        ...beats.map((b, i) => beatScreen(b, beats.slice(0, i), HOSTILE)),
        beatScreen({ kind: 'point', say: 's', text: 'x'.repeat(3000) }, [beats[1]!, { kind: 'point', say: 's', text: long }], HOSTILE),
        { kind: 'takeaways', points: [HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE], current: 4 },
        { kind: 'check', question: HOSTILE, answer: null },
        { kind: 'check', question: HOSTILE, answer: HOSTILE },
        {
          kind: 'credits',
          attribution: Array.from({ length: 5 }, (_, i) => ({ book: `${HOSTILE} ${i}`, publisher: HOSTILE, license: HOSTILE, licenseUrl: HOSTILE, url: `https://example.org/${'p/'.repeat(400)}` })),
        },
      ];
      const kit = createDrawKit(theme, [figureOf(figurePath)]);
      for (const spec of specs) {
        const canvas = await drawSlide(spec, { theme, slideNumber: 3, slideCount: 9, footer: HOSTILE }, undefined, kit);
        const what = spec.kind === 'beat' ? `beat ${spec.beat.kind}` : spec.kind;
        const data = canvas.data();
        // Nothing drawn in the band between the content and the footer, nor in the side margins.
        assert.equal(brightPixels(data, 0, SLIDE_WIDTH, 952, 980), 0, `${what}: text below the content area`);
        assert.equal(brightPixels(data, 0, 80, 0, 1070), 0, `${what}: text in the left margin`);
        assert.equal(brightPixels(data, 1830, SLIDE_WIDTH, 0, 1070), 0, `${what}: text in the right margin`);
      }
    });
  }

  it('the poster is the strongest screen: a figure, else an equation, else the intro', () => {
    const script = sampleScript();
    const poster = posterSlide(slidesFromScript(script));
    assert.equal(poster.kind === 'beat' && poster.beat.kind, 'figure');
    const noFigure = sampleScript({ sections: script.sections.map((s) => ({ ...s, beats: s.beats.filter((b) => b.kind !== 'figure') })) });
    const second = posterSlide(slidesFromScript(noFigure));
    assert.equal(second.kind === 'beat' && second.beat.kind, 'equation');
    const plain = sampleScript({ sections: script.sections.map((s) => ({ ...s, beats: s.beats.filter((b) => b.kind === 'point') })) });
    assert.equal(posterSlide(slidesFromScript(plain)).kind, 'intro');
  });

  it('the poster is a 16:9 JPEG of the requested width', async () => {
    const canvas = await drawSlide({ kind: 'intro', title: 'Title', hook: 'Hook' }, { theme: themeFor('history') });
    const jpg = await posterJpeg(canvas, 1280);
    assert.deepEqual(sniffImage(jpg), { type: 'jpeg', width: 1280, height: 720 });
    assert.deepEqual(sniffImage(await posterJpeg(canvas, 1920)), { type: 'jpeg', width: 1920, height: 1080 });
  });

  it('one canvas can be reused: redrawing gives the same pixels as a fresh canvas', async () => {
    const theme = themeFor('literature');
    const a: SlideSpec = { kind: 'takeaways', points: ['One', 'Two'], current: 1 };
    const b: SlideSpec = { kind: 'intro', title: 'A title', hook: 'A hook' };
    const shared = await drawSlide(a, { theme });
    await drawSlide(b, { theme }, shared);
    const fresh = await drawSlide(b, { theme });
    assert.ok(shared.data().equals(fresh.data()));
  });
});
