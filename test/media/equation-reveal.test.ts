import assert from 'node:assert/strict';
import { loadImage } from '@napi-rs/canvas';
import { createDrawKit, drawSlide, type SlideSpec } from '../../shared/media/draw-slide.js';
import { inkBands, rightHandSymbols } from '../../shared/media/beats/equation.js';
import { themeFor } from '../../shared/media/themes.js';
import { typesetEquation } from '../../shared/media/typeset-equation.js';

// The projectile-motion system of the physics book (four rows), in TeX.
const SYSTEM = String.raw`\begin{aligned} y &= y_0 + \tfrac{1}{2}(v_{0y} + v_y)t \\ v_y &= v_{0y} - gt \\ y &= y_0 + v_{0y}t - \tfrac{1}{2}gt^2 \\ v_y^2 &= v_{0y}^2 - 2g(y - y_0) \end{aligned}`;

/** Non-background pixels of the equation panel's area. */
function inkIn(canvas: { getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }, bg: [number, number, number]): number {
  const { data } = canvas.getContext('2d').getImageData(120, 300, 1680, 600);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - bg[0]) + Math.abs(data[i + 1]! - bg[1]) + Math.abs(data[i + 2]! - bg[2]) > 120) n++;
  return n;
}

describe('media: a system of equations revealed row by row as it is read', () => {
  it('finds the rows of a typeset system as bands of ink', async () => {
    const png = (await typesetEquation({ format: 'tex', source: SYSTEM }, { fontPx: 110, maxWidthPx: 1500, maxHeightPx: 600, color: '#ffffff', highlightColor: '#ff0000' })).png;
    assert.equal(inkBands(await loadImage(png), 16).length, 4);
    const one = (await typesetEquation({ format: 'tex', source: 'F = ma' }, { fontPx: 110, maxWidthPx: 1500, maxHeightPx: 600, color: '#ffffff', highlightColor: '#ff0000' })).png;
    assert.equal(inkBands(await loadImage(one), 16).length, 1);
    // a vector's arrow sits a few pixels above its letter: one row, not two (Newton's third law, starter physics)
    const vectors = (await typesetEquation({ format: 'tex', source: String.raw`\vec{F}_{AB} = -\vec{F}_{BA}` }, { fontPx: 110, maxWidthPx: 1500, maxHeightPx: 600, color: '#ffffff', highlightColor: '#ff0000' })).png;
    assert.equal(inkBands(await loadImage(vectors), 8).length, 1);
  });

  it('draws the first rows while they are read, the row being read marked, and the whole system at the end, in the same place', async () => {
    const theme = themeFor('physics');
    const kit = createDrawKit(theme, []);
    const base: SlideSpec = { kind: 'beat', heading: 'Projectile motion', section: 1, earlier: [], beat: { kind: 'equation', say: 'Written as equations.', math: { format: 'tex', source: SYSTEM } } };
    const hex = theme.panel.replace('#', '');
    const bg: [number, number, number] = [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
    const ink = async (read?: number) => inkIn(await drawSlide(read === undefined ? base : { ...base, reveal: { lines: 1, headed: false, chips: [], chipRow: false, thinking: false, read } }, { theme }, undefined, kit), bg);
    const quarter = await ink(0.25);
    const half = await ink(0.5);
    const whole = await ink(1);
    assert.ok(quarter > 0 && quarter < half && half < whole, `${quarter} < ${half} < ${whole}`);
    // read to the end: the whole system, its last row marked (the bar beside it); the poster shows it unmarked
    const full = await ink(undefined);
    assert.ok(whole > full && whole - full < 4000, `whole ${whole} vs unmarked ${full}`);
  });

  it('a single equation is shown whole, then what the voice reaches last is highlighted', async () => {
    assert.deepEqual(rightHandSymbols('tex', String.raw`\log_b(MN) = \log_b M + \log_b N`), ['b', 'M', 'N']);
    assert.deepEqual(rightHandSymbols('tex', 'F = ma'), ['m', 'a']);
    const mathml = '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>P</mi><mi>V</mi><mo>=</mo><mi>n</mi><mi>R</mi><mi>T</mi></math>';
    assert.deepEqual(rightHandSymbols('mathml', mathml), ['n', 'R', 'T']);
    assert.deepEqual(rightHandSymbols('tex', 'x^2'), [], 'nothing without an equals sign');

    const theme = themeFor('chemistry');
    const kit = createDrawKit(theme, []);
    const spec: SlideSpec = { kind: 'beat', heading: 'The ideal gas law', section: 0, earlier: [], beat: { kind: 'equation', say: 'P V equals n R T.', math: { format: 'mathml', source: mathml } } };
    const phase = (read: number): SlideSpec => ({ ...spec, reveal: { lines: 1, headed: false, chips: [], chipRow: false, thinking: false, read } });
    const accent = theme.accentText.replace('#', '');
    const rgb = [0, 2, 4].map((i) => parseInt(accent.slice(i, i + 2), 16));
    const accentPixels = async (s: SlideSpec) => {
      const { data } = (await drawSlide(s, { theme }, undefined, kit)).getContext('2d').getImageData(120, 320, 1680, 560);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - rgb[0]!) + Math.abs(data[i + 1]! - rgb[1]!) + Math.abs(data[i + 2]! - rgb[2]!) < 40) n++;
      return n;
    };
    const whole = await accentPixels(phase(0.5));
    const highlighted = await accentPixels(phase(1));
    assert.ok(highlighted > whole + 500, `accent pixels ${whole} -> ${highlighted}`);
  });
});
