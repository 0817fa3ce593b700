/**
 * Equation typesetting benchmark: 20 equations (TeX as the writer produces it, MathML as OpenStax
 * ships it) through typesetEquation at slide size, and through equationProblem.
 *
 *   npx tsx test/bench/typeset.bench.ts [--runs 5]
 *
 * - warm-up: the process's very first call (loads MathJax and its font), timed on its own.
 * - first ms: each equation's first typeset after the warm-up (includes loading any font range it
 *   is the first to need, e.g. \mathbb, accented letters).
 * - typeset ms: median of the following runs (MathJax + SVG rasterisation + PNG encoding).
 * - check ms: median equationProblem (MathJax only, no rasterisation).
 */
import { performance } from 'node:perf_hooks';
import type { MathSource } from '../../shared/domain/script.js';
import { equationProblem, typesetEquation, type TypesetOptions } from '../../shared/media/typeset-equation.js';
import { themeFor } from '../../shared/media/themes.js';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = Math.max(1, Number(runsAt >= 0 ? args[runsAt + 1] : 5) || 5);

const theme = themeFor('physics');
const OPTS: TypesetOptions = { color: theme.text, highlightColor: theme.accent, fontPx: 72, maxWidthPx: 1600, maxHeightPx: 560 };

const m = (body: string): MathSource => ({ format: 'mathml', source: `<m:math>${body}</m:math>` });
const EQUATIONS: { name: string; math: MathSource; highlight?: string[] }[] = [
  { name: 'PV = nRT', math: { format: 'tex', source: 'PV = nRT' }, highlight: ['P', 'V'] },
  { name: 'quadratic formula', math: { format: 'tex', source: 'x = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}' } },
  { name: 'Newton 2nd law (vectors)', math: { format: 'tex', source: '\\vec{F}_{\\text{net}} = m\\vec{a}' }, highlight: ['F', 'a'] },
  { name: 'kinematics', math: { format: 'tex', source: 'v^2 = v_0^2 + 2a(x - x_0)' }, highlight: ['v_0'] },
  { name: 'E = mc^2', math: { format: 'tex', source: 'E = mc^2' } },
  { name: 'Gauss (integral)', math: { format: 'tex', source: '\\oint_S \\vec{E}\\cdot d\\vec{A} = \\frac{Q_{\\text{enc}}}{\\varepsilon_0}' } },
  { name: 'sum of squares', math: { format: 'tex', source: '\\sum_{i=1}^{n} i^2 = \\frac{n(n+1)(2n+1)}{6}' } },
  { name: 'aligned derivation', math: { format: 'tex', source: '\\begin{aligned} F &= ma \\\\ &= m\\frac{\\Delta v}{\\Delta t} \\end{aligned}' } },
  { name: 'matrix', math: { format: 'tex', source: 'A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}' } },
  { name: 'cases', math: { format: 'tex', source: '|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}' } },
  { name: 'real numbers (\\mathbb)', math: { format: 'tex', source: 'f: \\mathbb{R} \\to \\mathbb{R},\\; x \\mapsto e^{-x^2}' } },
  { name: 'chemistry equilibrium', math: { format: 'tex', source: 'K_c = \\frac{[\\mathrm{NH_3}]^2}{[\\mathrm{N_2}][\\mathrm{H_2}]^3}' } },
  { name: 'long sum (scaled)', math: { format: 'tex', source: 'a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q+r+s+t+u+v+w+x+y+z = \\int_0^\\infty e^{-x^2}\\,dx' } },
  { name: 'OpenStax gravitation', math: m('<m:mrow><m:mstyle mathvariant="bold"><m:mi>F</m:mi></m:mstyle><m:mo>=</m:mo><m:mi>G</m:mi><m:mfrac><m:mrow><m:mi>m</m:mi><m:mi>M</m:mi></m:mrow><m:msup><m:mi>r</m:mi><m:mn>2</m:mn></m:msup></m:mfrac></m:mrow>'), highlight: ['F'] },
  { name: 'OpenStax Coulomb potential', math: m('<m:mrow><m:mi>V</m:mi><m:mo>=</m:mo><m:mfrac><m:mrow><m:mi>k</m:mi><m:mi>Z</m:mi><m:msub><m:mi>q</m:mi><m:mi>e</m:mi></m:msub></m:mrow><m:msub><m:mi>r</m:mi><m:mi>n</m:mi></m:msub></m:mfrac></m:mrow>') },
  { name: 'OpenStax sqrt', math: m('<m:mrow><m:mi>v</m:mi><m:mo>=</m:mo><m:msqrt><m:mrow><m:mn>2</m:mn><m:mi>g</m:mi><m:mi>h</m:mi></m:mrow></m:msqrt></m:mrow>') },
  { name: 'OpenStax table', math: m('<m:mtable><m:mtr><m:mtd><m:mi>x</m:mi><m:mo>=</m:mo><m:mn>3.0</m:mn><m:mtext> m</m:mtext></m:mtd></m:mtr><m:mtr><m:mtd><m:mi>t</m:mi><m:mo>=</m:mo><m:mn>1.5</m:mn><m:mtext> s</m:mtext></m:mtd></m:mtr></m:mtable>') },
  { name: 'MathML semantics', math: { format: 'mathml', source: '<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>a</mi><mo>=</mo><mfrac><mrow><mi>Δ</mi><mi>v</mi></mrow><mrow><mi>Δ</mi><mi>t</mi></mrow></mfrac></mrow><annotation encoding="TeX">a=\\frac{\\Delta v}{\\Delta t}</annotation></semantics></math>' } },
  { name: 'units with degrees', math: { format: 'tex', source: 'T = 25\\,^{\\circ}\\mathrm{C} = 298\\,\\mathrm{K}' } },
  { name: 'limit definition', math: { format: 'tex', source: "f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}" } },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const ms = (n: number): number => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  let t = performance.now();
  await typesetEquation({ format: 'tex', source: 'x' }, OPTS);
  const warmup = performance.now() - t;
  console.log(`warm-up (first call in the process: MathJax + font load): ${ms(warmup)} ms`);

  const rows = [];
  for (const e of EQUATIONS) {
    const opts = { ...OPTS, highlight: e.highlight };
    t = performance.now();
    const first = await typesetEquation(e.math, opts);
    const firstMs = performance.now() - t;
    const typeset: number[] = [];
    const check: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      await typesetEquation(e.math, opts);
      typeset.push(performance.now() - t);
      t = performance.now();
      const problem = await equationProblem(e.math);
      check.push(performance.now() - t);
      if (problem) throw new Error(`${e.name}: ${problem}`);
    }
    rows.push({ equation: e.name, format: e.math.format, 'first ms': ms(firstMs), 'typeset ms': ms(median(typeset)), 'check ms': ms(median(check)), px: `${first.width}x${first.height}`, 'PNG KB': ms(first.png.length / 1024) });
  }
  console.table(rows);
  const all = rows.map((r) => r['typeset ms']);
  console.log(`typeset: median ${ms(median(all))} ms, max ${ms(Math.max(...all))} ms over ${rows.length} equations (${RUNS} runs each); node ${process.version}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
