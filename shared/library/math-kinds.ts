/**
 * What kind of mathematics a student typed: "solve 3(x - 2) + 4 = 2x + 7" is a linear equation,
 * "|x - 3| < 5" an absolute value inequality, "8^(2/3)" a rational exponent, "f(g(x))" a composite
 * function, "3, 6, 12, 24" a geometric sequence. Typed mathematics without words shares few symbols
 * with the books' equations (the books solve other numbers), but the books name each kind of
 * expression in their titles and key terms; so the kind, in the books' words, is added to the
 * question (search-text.ts). Rules read the expression's form only: the variables, their powers,
 * the operators and functions.
 */

/** A kind of expression, in the books' words, with what it was read from (for diagnostics). */
export interface MathKind {
  phrase: string;
  from: string;
}

const TRIG = '(?:sin|cos|tan|sec|csc|cot)';
const INVERSE_TRIG = new RegExp(`\\b(?:arc${TRIG}\\w*|${TRIG}\\s*(?:\\^\\s*\\(?\\s*[-−]\\s*1\\s*\\)?|⁻¹))`, 'i');
const TRIG_FN = new RegExp(`\\b${TRIG}\\b|\\b${TRIG}(?=[\\s^²(]|[a-zθ]\\b)`, 'i');
/** A function applied to a function of a variable: f(g(x)), (f∘g)(x). */
const COMPOSITE = /\b[a-z]\s*\(\s*[a-z]\s*\(\s*[a-z]\s*\)\s*\)|\b[a-z]\s*[∘o]\s*[a-z]\s*\)\s*\(\s*[a-z]\s*\)/i;
/** A number to a fractional power: 8^(2/3), 27^(1/3). */
const RATIONAL_EXPONENT = /\d\s*\^\s*\(\s*[-−]?\d+\s*\/\s*\d+\s*\)/;
const RADICAL = /√|\bsqrt\b|∛/i;
/** A variable in an exponent: 3^x, 2^(x+1), e^x. */
const VARIABLE_EXPONENT = /(?:\d|\be)\s*\^\s*\(?\s*[-−]?\s*\d*\s*[a-z]\b/i;
const FACTORIAL = /(?:\b[a-z]|\d|\))!(?!=)/i;
const ABSOLUTE = /\|[^|]*[a-z][^|]*\|/i;
const INEQUALITY = /[<>≤≥]|<=|>=/;
/** Three or more numbers after one another, separated by commas: a sequence. */
const SEQUENCE = /(?:^|[^\d.])(-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?){3,})/;
/** A repeating decimal: 0.363636..., 0.3̅, 0.333... */
const REPEATING = /\d*\.(\d+?)\1{2,}\d*(?:\.\.\.|…)|\d\.\d+(?:\.\.\.|…)/;

/** The variables of an expression (single letters that are not function names) with their largest power. */
function variables(expr: string): Map<string, number> {
  const out = new Map<string, number>();
  const text = expr.replace(/\b(?:arc)?(?:sin|cos|tan|sec|csc|cot|log|ln|lim|sqrt|exp)\b/gi, ' ');
  for (const m of text.matchAll(/(?<![A-Za-z])([a-zA-Z])(?![A-Za-z(])(\s*(?:\^\s*\(?\s*(\d+)|([²³])))?/g)) {
    const letter = m[1];
    const power = m[3] ? Number(m[3]) : m[4] === '²' ? 2 : m[4] === '³' ? 3 : 1;
    out.set(letter, Math.max(out.get(letter) ?? 0, power));
  }
  return out;
}

/** Whether a run of numbers grows by one ratio (geometric) or one difference (arithmetic). */
function sequenceKind(numbers: number[]): 'geometric' | 'arithmetic' | null {
  const diffs = numbers.slice(1).map((n, i) => n - numbers[i]);
  if (diffs.every((d) => Math.abs(d - diffs[0]) < 1e-9) && diffs[0] !== 0) return 'arithmetic';
  if (numbers.every((n) => n !== 0)) {
    const ratios = numbers.slice(1).map((n, i) => n / numbers[i]);
    if (ratios.every((r) => Math.abs(r - ratios[0]) < 1e-9) && ratios[0] !== 1) return 'geometric';
  }
  return null;
}

/**
 * The kinds of mathematics in a question, in the books' words. `formulas` are the typed formulas
 * found in it (formula-index.ts findFormulas); expressions without an operator the formula finder
 * needs ("8^(2/3)", "n!", "arcsin(1/2)") are read from the question itself.
 */
export function mathKinds(question: string, formulas: string[]): MathKind[] {
  const out: MathKind[] = [];
  const add = (phrase: string, from: string): void => {
    if (!out.some((k) => k.phrase === phrase)) out.push({ phrase, from });
  };
  const seq = SEQUENCE.exec(question);
  if (seq) {
    const numbers = seq[1].split(',').map((n) => Number(n.trim()));
    const kind = sequenceKind(numbers);
    add(kind ? `${kind} sequence` : 'sequence', seq[1]);
  }
  const repeating = REPEATING.exec(question);
  if (repeating) add('geometric series', repeating[0]);
  if (INVERSE_TRIG.test(question)) add('inverse trigonometric functions', question.match(INVERSE_TRIG)![0]);
  if (FACTORIAL.test(question)) add('factorial', question.match(FACTORIAL)![0]);
  if (RATIONAL_EXPONENT.test(question)) add('rational exponents', question.match(RATIONAL_EXPONENT)![0]);
  if (RADICAL.test(question)) add('radical', question.match(RADICAL)![0]);
  if (COMPOSITE.test(question)) add('composite function', question.match(COMPOSITE)![0]);
  const solving = /\b(?:solve|solving|find|zeros?|roots?)\b/i.test(question);
  for (const typed of formulas) {
    // words the formula finder kept in front ("of y = 2^x")
    const f = typed.replace(/^(?:[A-Za-z]{2,}\s+)+(?=\S)/, '');
    const hasEquals = /=/.test(f.replace(/<=|>=/g, ''));
    const inequality = INEQUALITY.test(f);
    // "y = ..." and "f(x) = ...": a function of the variables on the right
    const fn = /^\s*(?:y|r|[a-z]\s*\(\s*[a-zθ]\s*\))\s*=/i.test(f);
    const vars = variables(fn ? f.slice(f.indexOf('=') + 1) : f);
    const single = vars.size === 1 ? [...vars.keys()][0] : null;
    const trig = TRIG_FN.test(f) && !INVERSE_TRIG.test(f);
    if (ABSOLUTE.test(f)) {
      add(inequality ? 'absolute value inequality' : fn ? 'absolute value function' : 'absolute value equation', f);
      continue;
    }
    if (VARIABLE_EXPONENT.test(f)) {
      add(hasEquals && !fn ? 'exponential equation' : 'exponential function', f);
      continue;
    }
    if (trig) {
      // a trigonometric equation is solved for its angles; otherwise an equation of them (not a function's definition) is an identity
      if (hasEquals && (solving || !fn)) add(solving ? 'trigonometric equations' : 'trigonometric identities', f);
      continue;
    }
    // physics and chemistry formulas are products of named quantities ("F = ma", "PV = nRT"), an
    // algebra exercise has numbers and single-letter variables
    if ((!hasEquals && !inequality) || !/\d/.test(f.replace(/\^\s*\d+|[²³]/g, '')) || /[A-Za-z]{2}/.test(f.replace(/\b(?:sin|cos|tan|sec|csc|cot|log|ln|sqrt)\b/gi, ''))) continue;
    // conics: two squared variables over numbers, summed to a constant
    if (vars.size === 2 && [...vars.values()].every((p) => p === 2) && hasEquals) {
      add(/\/\s*\d/.test(f) ? (/-|−/.test(f) ? 'hyperbola' : 'ellipse') : /-|−/.test(f) ? 'hyperbola' : 'circle', f);
      continue;
    }
    // "x = 3" gives a value, it is not an equation to solve
    if (!single || /^\s*[a-z]\s*=\s*[-−]?[\d.]+\s*$/i.test(f)) continue;
    const power = vars.get(single)!;
    // the variable in a denominator: a rational expression
    if (new RegExp(`/\\s*\\(?[^)=]*\\b${single}\\b`).test(f)) {
      add(fn ? 'rational function' : 'rational equation', f);
      continue;
    }
    if (inequality) add(power === 1 ? 'linear inequality' : 'polynomial inequality', f);
    else if (power === 1) add(fn ? 'linear function' : 'linear equation', f);
    else if (power === 2) add(fn ? 'quadratic function' : 'quadratic equation', f);
    else add(fn ? 'polynomial function' : 'polynomial equation', f);
  }
  return out;
}
