import assert from 'node:assert/strict';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { MathSource } from '../../shared/domain/script.js';
import { PipelineError } from '../../shared/errors.js';
import { equationProblem, typesetEquation, type TypesetOptions } from '../../shared/media/typeset-equation.js';
import { themeFor } from '../../shared/media/themes.js';

/**
 * Newton's law of gravitation as OpenStax ships it (University Physics, module m54189), copied
 * verbatim: the `m:` prefix is declared on the CNXML document, not on the excerpt.
 */
const OPENSTAX_GRAVITATION = `<m:math>
 <m:mrow>
  <m:mstyle mathvariant="bold" mathsize="normal"><m:mi>F</m:mi></m:mstyle><m:mo>=</m:mo><m:mi>G</m:mi><m:mfrac>
   <m:mrow>
    <m:mi>m</m:mi><m:mi>M</m:mi></m:mrow>
   <m:mrow>
    <m:msup>
     <m:mi>r</m:mi>
     <m:mn>2</m:mn>
    </m:msup>
    </m:mrow>
  </m:mfrac>
  </m:mrow>
</m:math>`;

const QUADRATIC: MathSource = { format: 'tex', source: 'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}' };
const IDEAL_GAS: MathSource = { format: 'tex', source: 'PV = nRT' };
const GRAVITATION: MathSource = { format: 'mathml', source: OPENSTAX_GRAVITATION };
const LONG: MathSource = { format: 'tex', source: 'a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q+r+s+t+u+v+w+x+y+z = \\sum_{i=1}^{n} i^2' };

const theme = themeFor('physics');
const OPTS: TypesetOptions = { color: theme.text, highlightColor: theme.accent, fontPx: 72, maxWidthPx: 1600, maxHeightPx: 600 };

type Rgb = [number, number, number];
function hex(c: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as Rgb;
}

interface Pixels {
  width: number;
  height: number;
  /** Opaque pixels by exact colour ('r,g,b' -> count). */
  opaque: Map<string, number>;
  /** Pixels with any coverage. */
  inked: number;
  transparent: number;
}

/** Decode the PNG (as render does) and tally its pixels. */
async function pixels(png: Buffer): Promise<Pixels> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const opaque = new Map<string, number>();
  let inked = 0;
  let transparent = 0;
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]!;
    if (a === 0) transparent++;
    else inked++;
    if (a === 255) {
      const k = `${data[i]},${data[i + 1]},${data[i + 2]}`;
      opaque.set(k, (opaque.get(k) ?? 0) + 1);
    }
  }
  return { width: img.width, height: img.height, opaque, inked, transparent };
}
const count = (p: Pixels, colour: string): number => p.opaque.get(hex(colour).join(',')) ?? 0;

async function invalidReason(math: MathSource): Promise<string> {
  try {
    await typesetEquation(math, OPTS);
  } catch (err) {
    assert.ok(err instanceof PipelineError, `expected a PipelineError, got ${String(err)}`);
    assert.equal(err.code, 'EQUATION_INVALID');
    assert.equal(err.retryable, false);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(math.source.slice(0, 60))} to be refused`);
}

describe('media: typeset equations', () => {
  describe('typesets to a transparent PNG in the theme colour', () => {
    const cases: { name: string; math: MathSource; minWidth: number }[] = [
      { name: 'OpenStax MathML (m: prefix, undeclared)', math: GRAVITATION, minWidth: 200 },
      { name: 'TeX quadratic formula', math: QUADRATIC, minWidth: 400 },
      { name: 'TeX PV = nRT', math: IDEAL_GAS, minWidth: 250 },
      // XML metacharacters in TeX end up in the SVG's data-latex attributes.
      { name: 'TeX with < > & and quotes', math: { format: 'tex', source: '|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases} \\quad \\text{"a" > b}' }, minWidth: 300 },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const r = await typesetEquation(c.math, OPTS);
        const p = await pixels(r.png);
        assert.equal(p.width, r.width);
        assert.equal(p.height, r.height);
        assert.ok(r.width >= c.minWidth && r.width <= OPTS.maxWidthPx, `width ${r.width}`);
        assert.ok(r.height >= 0.5 * OPTS.fontPx && r.height <= OPTS.maxHeightPx, `height ${r.height}`);
        assert.ok(p.transparent > p.inked, 'the background is transparent');
        assert.ok(count(p, OPTS.color) > 200, 'glyphs are filled in the requested colour');
        // Every fully covered pixel is the glyph colour: nothing else (no black, no red merror) is drawn.
        for (const [rgb, n] of p.opaque) assert.equal(rgb, hex(OPTS.color).join(','), `${n} opaque pixels of ${rgb}`);
        assert.match(r.svg, /^<svg\b/);
        assert.doesNotMatch(r.svg, /currentColor|merror/);
      });
    }
  });

  it('keeps the spaces around words in an equation and drops the sentence\'s full stop after it', async () => {
    const M = (body: string) => ({ format: 'mathml' as const, source: `<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>F</mi><mo>=</mo><mi>m</mi><mi>a</mi>${body}</math>` });
    const spaced = await typesetEquation(M('<mtext> or </mtext><mi>x</mi>'), OPTS);
    const tight = await typesetEquation(M('<mtext>or</mtext><mi>x</mi>'), OPTS);
    assert.ok(spaced.width > tight.width + 0.3 * OPTS.fontPx, `${spaced.width} vs ${tight.width}`);
    const plain = await typesetEquation(M(''), OPTS);
    const stopped = await typesetEquation(M('<mo>.</mo>'), OPTS);
    assert.equal(stopped.width, plain.width);
    assert.equal((await typesetEquation(M('<mrow><mtext>,</mtext></mrow>'), OPTS)).width, plain.width);
    // OpenStax's unitless space widths are ems.
    const unitless = await typesetEquation(M('<mspace width="0.5"/><mtext>or</mtext>'), OPTS);
    const none = await typesetEquation(M('<mtext>or</mtext>'), OPTS);
    assert.ok(unitless.width >= none.width + 0.4 * OPTS.fontPx, `${unitless.width} vs ${none.width}`);
  });

  it('also reads unprefixed MathML with <semantics> and annotations', async () => {
    const source =
      '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics><mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow>' +
      '<annotation encoding="application/x-tex">\\href{http://x}{E=mc^2}</annotation></semantics></math>';
    const r = await typesetEquation({ format: 'mathml', source }, OPTS);
    assert.ok(count(await pixels(r.png), OPTS.color) > 100);
    assert.doesNotMatch(r.svg, /href="(?!#MJX-)|annotation/);
    const declared = await typesetEquation({ format: 'mathml', source: '<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi></mml:math>' }, OPTS);
    assert.ok(declared.width > 20);
  });

  it('colours the highlighted identifiers, and only when asked', async () => {
    for (const math of [GRAVITATION, { format: 'tex', source: '\\vec{F} = m\\vec{a}' } as MathSource]) {
      const plain = await pixels((await typesetEquation(math, OPTS)).png);
      const lit = await pixels((await typesetEquation(math, { ...OPTS, highlight: ['F'] })).png);
      assert.equal(count(plain, OPTS.highlightColor), 0, 'no highlight colour without a highlight');
      assert.ok(count(lit, OPTS.highlightColor) > 100, 'F is drawn in the highlight colour');
      assert.ok(count(lit, OPTS.color) > 100, 'the rest stays in the glyph colour');
      assert.ok(count(lit, OPTS.color) < count(plain, OPTS.color), 'pixels moved from glyph to highlight colour');
      const none = await pixels((await typesetEquation(math, { ...OPTS, highlight: ['Q'] })).png);
      assert.equal(count(none, OPTS.highlightColor), 0, 'an identifier that is not there colours nothing');
    }
    // v_0 names the identifier v; \Delta names Δ.
    const sub = await pixels((await typesetEquation({ format: 'tex', source: 'v = v_0 + \\Delta t' }, { ...OPTS, highlight: ['v_0', '\\Delta'] })).png);
    assert.ok(count(sub, OPTS.highlightColor) > 100);
  });

  it('concurrent calls keep their own highlights', async () => {
    const math: MathSource = { format: 'tex', source: 'F = ma' };
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => typesetEquation(math, { ...OPTS, highlight: i % 2 ? ['F'] : [] })));
    for (const [i, r] of results.entries()) {
      const n = count(await pixels(r.png), OPTS.highlightColor);
      if (i % 2) assert.ok(n > 50, `call ${i} highlighted`);
      else assert.equal(n, 0, `call ${i} not highlighted`);
    }
  });

  it('scales a wide equation down to maxWidthPx, never up beyond fontPx', async () => {
    const natural = await typesetEquation(LONG, OPTS);
    assert.ok(natural.width > 900, `natural width ${natural.width}`);
    const narrow = await typesetEquation(LONG, { ...OPTS, maxWidthPx: 600 });
    assert.ok(narrow.width <= 600 && narrow.width >= 590, `narrow width ${narrow.width}`);
    assert.ok(narrow.height < natural.height, 'the height shrinks with the width');
    const p = await pixels(narrow.png);
    assert.equal(p.width, narrow.width);
    assert.ok(count(p, OPTS.color) > 0);
    const short = await typesetEquation(IDEAL_GAS, OPTS);
    const roomy = await typesetEquation(IDEAL_GAS, { ...OPTS, maxWidthPx: 4000, maxHeightPx: 2000 });
    assert.deepEqual([roomy.width, roomy.height], [short.width, short.height], 'more room does not enlarge it');
    // At fontPx, PV = nRT is about 5em by 0.8em (plus a thin margin): 1em is fontPx, not more.
    assert.ok(short.width < 6 * OPTS.fontPx && short.height < 1.2 * OPTS.fontPx, `${short.width}x${short.height}`);
    const half = await typesetEquation(IDEAL_GAS, { ...OPTS, fontPx: OPTS.fontPx / 2 });
    assert.ok(Math.abs(half.width * 2 - short.width) <= 2, `half size ${half.width} vs ${short.width}`);
    const low = await typesetEquation(QUADRATIC, { ...OPTS, maxHeightPx: 100 });
    assert.ok(low.height <= 100);
  });

  describe('refuses what does not typeset with EQUATION_INVALID', () => {
    const cases: { name: string; math: MathSource; reason: RegExp }[] = [
      { name: 'malformed MathML', math: { format: 'mathml', source: '<math><mi>x</mi>' }, reason: /malformed MathML/ },
      { name: 'MathML that is not <math>', math: { format: 'mathml', source: '<mi>x</mi>' }, reason: /<math>/ },
      { name: 'MathML with the wrong arity', math: { format: 'mathml', source: '<math><mfrac><mi>x</mi></mfrac></math>' }, reason: /mfrac/ },
      { name: 'content MathML', math: { format: 'mathml', source: '<math><apply><plus/><ci>x</ci></apply></math>' }, reason: /apply/ },
      { name: 'TeX \\frac{', math: { format: 'tex', source: '\\frac{' }, reason: /does not typeset/ },
      { name: 'TeX undefined command', math: { format: 'tex', source: '\\foo{x}' }, reason: /Undefined control sequence/ },
      { name: 'TeX \\href', math: { format: 'tex', source: '\\href{http://x}{y}' }, reason: /\\href is not allowed/ },
      { name: 'TeX \\def', math: { format: 'tex', source: '\\def\\x{\\x}\\x' }, reason: /\\def is not allowed/ },
      { name: 'TeX \\newcommand', math: { format: 'tex', source: '\\newcommand{\\x}{y}\\x' }, reason: /\\newcommand is not allowed/ },
      { name: 'TeX \\require', math: { format: 'tex', source: '\\require{html}' }, reason: /\\require is not allowed/ },
      { name: 'TeX \\class / \\style / \\unicode', math: { format: 'tex', source: '\\class{a}{x} \\style{color:red}{y} \\unicode{x41}' }, reason: /not allowed/ },
      { name: 'TeX colour', math: { format: 'tex', source: '\\color{red}{F}' }, reason: /\\color is not allowed/ },
      { name: 'empty TeX', math: { format: 'tex', source: '' }, reason: /empty/ },
      { name: 'blank MathML', math: { format: 'mathml', source: '  \n ' }, reason: /empty/ },
      { name: '7000 characters', math: { format: 'tex', source: 'x+'.repeat(3500) }, reason: /6000/ },
      { name: 'absurdly wide', math: { format: 'tex', source: 'x \\hspace{500em} y' }, reason: /absurdly large/ },
      { name: 'characters the font lacks', math: { format: 'tex', source: '\\text{日本}' }, reason: /no glyphs/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        assert.match(await invalidReason(c.math), c.reason);
        assert.match((await equationProblem(c.math)) ?? 'null', c.reason);
      });
    }
    it('an equation that would be unreadably small in the box', async () => {
      await assert.rejects(typesetEquation(LONG, { ...OPTS, maxWidthPx: 60 }), (err: unknown) => err instanceof PipelineError && err.code === 'EQUATION_INVALID' && /too large to read/.test(err.message));
    });
  });

  it('equationProblem is null for equations that typeset', async () => {
    for (const math of [QUADRATIC, IDEAL_GAS, GRAVITATION, { format: 'tex', source: '$$\\mathbb{R}^n \\ni \\vec{x}, \\text{é}$$' } as MathSource]) {
      assert.equal(await equationProblem(math), null, math.source);
    }
  });

  describe('hostile MathML typesets as text or fails cleanly', () => {
    const cases: { name: string; source: string }[] = [
      { name: 'escaped <script> in <mi>', source: '<math><mi>&lt;script&gt;</mi></math>' },
      { name: '"]]> in <mtext>', source: '<math><mtext>"]]&gt;</mtext></math>' },
      { name: 'raw "]]> in <mtext>', source: '<math><mtext>"]]></mtext></math>' },
      { name: 'CDATA in <mtext>', source: '<math><mtext><![CDATA[</mtext><script>alert(1)</script>]]></mtext></math>' },
      { name: 'a <script> element', source: '<math><mi>x</mi><script>alert(1)</script></math>' },
      { name: 'an HTML-namespace element', source: '<math xmlns:h="http://www.w3.org/1999/xhtml"><h:img src="x" onerror="alert(1)"/></math>' },
      { name: 'href and event attributes', source: '<math href="javascript:alert(1)"><mi onclick="alert(1)" xlink:href="x" xmlns:xlink="http://www.w3.org/1999/xlink">x</mi></math>' },
      { name: 'attribute breaking out', source: '<math><mi mathvariant="&quot;/&gt;&lt;script&gt;">x</mi></math>' },
      { name: 'an entity bomb', source: '<!DOCTYPE math [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><math><mi>&b;</mi></math>' },
      { name: 'closing math early', source: '<math><mi>x</mi></math><script>alert(1)</script>' },
      { name: 'mglyph with an external image', source: '<math><mglyph src="http://example.com/x.png"/></math>' },
      { name: 'deep nesting', source: '<math>' + '<mrow>'.repeat(200) + '<mi>x</mi>' + '</mrow>'.repeat(200) + '</math>' },
      { name: 'not XML at all', source: '<<<>>>&&&' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        try {
          const r = await typesetEquation({ format: 'mathml', source: c.source }, OPTS);
          assert.doesNotMatch(r.svg, /<script|onerror|onclick|href="(?!#MJX-)|<img/i);
          assert.ok(count(await pixels(r.png), OPTS.color) > 0);
        } catch (err) {
          assert.ok(err instanceof PipelineError, `threw ${String(err)}`);
          assert.equal(err.code, 'EQUATION_INVALID');
        }
      });
    }
    it('escaped markup is drawn as text', async () => {
      const r = await typesetEquation({ format: 'mathml', source: '<math><mi>&lt;script&gt;</mi></math>' }, OPTS);
      assert.ok(r.width > 3 * OPTS.fontPx, 'eight characters wide');
    });
  });

  it('refuses bad options as a PipelineError (a caller bug, not the equation)', async () => {
    await assert.rejects(typesetEquation(IDEAL_GAS, { ...OPTS, color: 'red"/><script>' }), (err: unknown) => err instanceof PipelineError && err.code !== 'EQUATION_INVALID');
    await assert.rejects(typesetEquation(IDEAL_GAS, { ...OPTS, fontPx: 0 }), (err: unknown) => err instanceof PipelineError);
  });
});
