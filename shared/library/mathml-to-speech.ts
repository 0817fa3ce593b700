/**
 * MathML (presentation markup) to speakable English.
 *
 * Table-driven: element handlers by local name, plus lookup tables for operators, Greek letters,
 * named functions and stray symbols. The aim is narration a listener can follow ("F sub net equals
 * m times a", "x squared", "the square root of 2"), not a lossless round trip. Parentheses are
 * silent; a parenthesised base of a power becomes "the quantity ...".
 */
import { childElements, isElement, isMathMl, isText, localName, normalizeSpace, parseXml, rawText, type Element, type Node } from './xml.js';

/** Greek letters (and common variants) by name. Capital delta reads "delta" as in "delta x". */
export const GREEK: Readonly<Record<string, string>> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta',
  θ: 'theta', ϑ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', µ: 'mu', ν: 'nu', ξ: 'xi',
  ο: 'omicron', π: 'pi', ϖ: 'pi', ρ: 'rho', ϱ: 'rho', σ: 'sigma', ς: 'sigma', τ: 'tau', υ: 'upsilon',
  φ: 'phi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
  Α: 'capital alpha', Β: 'capital beta', Γ: 'capital gamma', Δ: 'delta', '∆': 'delta', Ε: 'capital epsilon',
  Ζ: 'capital zeta', Η: 'capital eta', Θ: 'capital theta', Ι: 'capital iota', Κ: 'capital kappa',
  Λ: 'capital lambda', Μ: 'capital mu', Ν: 'capital nu', Ξ: 'capital xi', Ο: 'capital omicron',
  Π: 'capital pi', Ρ: 'capital rho', Σ: 'capital sigma', Τ: 'capital tau', Υ: 'capital upsilon',
  Φ: 'capital phi', Χ: 'capital chi', Ψ: 'capital psi', Ω: 'capital omega',
};

/** Operators (`<mo>` content) to words. An empty string means silent. */
export const OPERATORS: Readonly<Record<string, string>> = {
  '=': 'equals', '≠': 'is not equal to', '≈': 'is approximately equal to', '≅': 'is congruent to',
  '≡': 'is equivalent to', '∝': 'is proportional to', '∼': 'is similar to', '~': 'is similar to',
  '<': 'is less than', '>': 'is greater than', '≤': 'is less than or equal to', '≥': 'is greater than or equal to',
  '≪': 'is much less than', '≫': 'is much greater than',
  '+': 'plus', '−': 'minus', '-': 'minus', '–': 'minus', '‒': 'minus', '±': 'plus or minus', '∓': 'minus or plus',
  '×': 'times', '·': 'times', '⋅': 'times', '∙': 'times', '*': 'times', '÷': 'divided by', '/': 'divided by', '∕': 'divided by',
  '⟶': 'yields', '⇌': 'is in equilibrium with', '⇄': 'is in equilibrium with', '→': 'approaches', '←': 'comes from',
  '⇒': 'implies', '⟹': 'implies', '⇔': 'if and only if', '↔': 'if and only if', '⟺': 'if and only if',
  '∘': 'composed with', '°': 'degrees', '′': 'prime', '″': 'double prime', "'": 'prime', '!': 'factorial', '%': 'percent',
  '∪': 'union', '∩': 'intersection', '∈': 'is an element of', '∉': 'is not an element of', '⊂': 'is a subset of', '⊆': 'is a subset of',
  '∑': 'the sum of', '∏': 'the product of', '∫': 'the integral of', '∞': 'infinity', '∂': 'partial', '∇': 'del', '√': 'the square root of',
  '∠': 'angle', '∡': 'angle', '⊥': 'is perpendicular to', '∥': 'is parallel to', '║': 'is parallel to', '△': 'triangle',
  '…': 'and so on', '⋯': 'and so on', '⋮': 'and so on', '∴': 'therefore', '∵': 'because', '¬': 'not', '∧': 'and', '∨': 'or',
  '(': '', ')': '', '[': '', ']': '', '{': '', '}': '', '〈': '', '〉': '', '⟨': '', '⟩': '', '⌊': '', '⌋': '', '⌈': '', '⌉': '',
  '|': '', '│': '', '∣': 'divides', '\u2061': '', '\u2062': '', '\u2063': '', '\u2064': '', '⏟': '', '︸': '', '⏞': '', '︷': '', '¯': '',
  ',': ',', '.': '.', ';': ';', ':': ':', '?': '?', '#': 'number', '_': 'blank', '^': 'to the power',
};

/** Named functions (`<mi>` content). */
export const FUNCTIONS: Readonly<Record<string, string>> = {
  sin: 'sine', cos: 'cosine', tan: 'tangent', sec: 'secant', csc: 'cosecant', cot: 'cotangent',
  arcsin: 'arc sine', arccos: 'arc cosine', arctan: 'arc tangent', sinh: 'hyperbolic sine', cosh: 'hyperbolic cosine',
  tanh: 'hyperbolic tangent', log: 'log', ln: 'the natural log', exp: 'the exponential', lim: 'the limit',
  det: 'the determinant', max: 'the maximum', min: 'the minimum', cis: 'cis', gcd: 'the greatest common divisor',
};

/** Single symbols inside identifiers, numbers and text. */
export const SYMBOLS: Readonly<Record<string, string>> = {
  ...GREEK,
  '−': 'minus', '×': 'times', '⋅': 'times', '·': 'times', '±': 'plus or minus', '°': 'degrees', '∞': 'infinity',
  '%': 'percent', 'ℓ': 'l', 'ℏ': 'h bar', '′': 'prime', '√': 'the square root of', '≈': 'approximately', '∅': 'the empty set',
  'ℝ': 'the real numbers', '→': 'approaches', '⟶': 'yields', '≤': 'is less than or equal to', '≥': 'is greater than or equal to',
  '≠': 'is not equal to', '∠': 'angle', 'ℳ': 'M', '\u2061': '', '\u2062': '', '\u2063': '',
};

const SYMBOL_PATTERN = new RegExp(`[${Object.keys(SYMBOLS).join('').replace(/[\]\\^-]/g, '\\$&')}]`, 'gu');
/** A pause after a spoken group ("the quantity x plus 1, squared"); dropped at the end of the math. */
const SOFT_COMMA = '\u0001';
const FUNCTION_LETTERS = new Set(['f', 'g', 'h']);
const FENCE_CHARS = new Set(['(', ')', '[', ']', '{', '}', '〈', '〉', '⟨', '⟩']);
const LARGE_OPERATORS: Readonly<Record<string, string>> = { '∑': 'the sum', 'Σ': 'the sum', '∏': 'the product', '∫': 'the integral', '∮': 'the integral' };
const ACCENTS_OVER: Readonly<Record<string, (base: string) => string>> = {
  '¯': (b) => `${b} bar`, '‾': (b) => `${b} bar`, '_': (b) => `${b} bar`, '―': (b) => `${b} bar`, '−': (b) => `${b} bar`,
  '→': (b) => `vector ${b}`, '⇀': (b) => `vector ${b}`, '⟶': (b) => `vector ${b}`, '⃗': (b) => `vector ${b}`,
  '^': (b) => `${b} hat`, 'ˆ': (b) => `${b} hat`, '˙': (b) => `${b} dot`, '.': (b) => `${b} dot`, '~': (b) => `${b} tilde`, '˜': (b) => `${b} tilde`,
  '⏞': (b) => b, '︷': (b) => b, '↔': (b) => `line ${b}`, '⟷': (b) => `line ${b}`, '⌢': (b) => `arc ${b}`,
};
const ACCENTS_UNDER: Readonly<Record<string, (base: string) => string>> = {
  '⏟': (b) => b, '︸': (b) => b, '_': (b) => `${b} underbar`, '¯': (b) => `${b} underbar`,
};

/** Replace special symbols inside token text by their spoken names. */
export function speakSymbols(text: string): string {
  return text.replace(SYMBOL_PATTERN, (ch) => ` ${SYMBOLS[ch] ?? ch} `);
}

function ordinal(n: string): string {
  const named: Record<string, string> = { '2': 'square', '3': 'cube', '4': 'fourth', '5': 'fifth', n: 'n-th' };
  if (named[n]) return named[n];
  if (/^\d+$/.test(n)) return `${n}th`;
  return `${n}-th`;
}

/** Text of a token element (mi, mn, mo, mtext), whitespace-normalised. */
function tokenText(el: Element): string {
  return normalizeSpace(rawText(el));
}

function kids(el: Element): Element[] {
  return childElements(el).filter(isMathMl);
}

/** Unwrap single-child rows: <mrow><mi>x</mi></mrow> is just x. */
function unwrap(el: Element): Element {
  let cur = el;
  for (;;) {
    const name = localName(cur);
    if (name !== 'mrow' && name !== 'mstyle' && name !== 'mpadded') return cur;
    const k = kids(cur).filter((c) => localName(c) !== 'mspace');
    if (k.length !== 1) return cur;
    cur = k[0];
  }
}

function isMo(el: Element | undefined, ...texts: string[]): boolean {
  if (!el) return false;
  const u = unwrap(el);
  return localName(u) === 'mo' && (texts.length === 0 || texts.includes(tokenText(u)));
}

/** True when the subtree contains an operator other than fences/punctuation, or a fraction/root. */
function isCompound(el: Element): boolean {
  const u = unwrap(el);
  const name = localName(u);
  if (name === 'mo') {
    const t = tokenText(u);
    return !(FENCE_CHARS.has(t) || t === ',' || t === '.' || t === '');
  }
  if (name === 'mfrac' || name === 'msqrt' || name === 'mroot') return true;
  return kids(u).some(isCompound);
}

function isFunctionName(el: Element): boolean {
  const u = unwrap(el);
  const name = localName(u);
  if (name === 'mi') return tokenText(u) in FUNCTIONS;
  if (name === 'msub' || name === 'msup' || name === 'msubsup') {
    const base = kids(u)[0];
    return !!base && isFunctionName(base);
  }
  if (name === 'munder') {
    const base = kids(u)[0];
    return !!base && localName(unwrap(base)) === 'mi' && tokenText(unwrap(base)) === 'lim';
  }
  return false;
}

function join(parts: string[]): string {
  return parts
    .filter((p) => p && p.trim())
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:?])/g, '$1')
    .trim();
}

/** A row of siblings: absolute-value bars pair up, and a named function is followed by "of". */
function speakRow(children: Element[]): string {
  const items = children.filter(isMathMl);
  const parts: string[] = [];
  let prevGroup = false;
  for (let i = 0; i < items.length; i++) {
    const c = items[i];
    if (isMo(c, '(')) {
      const j = matchingParen(items, i);
      if (j > i + 1) {
        const inner = items.slice(i + 1, j);
        const spoken = speakRow(inner);
        // bracketed factors side by side multiply: (x - 2)(x + 3), 3(x + 1)
        if (prevGroup || (i > 0 && parts[parts.length - 1] !== 'of' && isFactor(items[i - 1]))) parts.push('times');
        parts.push(inner.some(isCompound) ? `the quantity ${spoken}${SOFT_COMMA}` : spoken);
        prevGroup = true;
        i = j;
        continue;
      }
    }
    if (isParenGroup(c) && (prevGroup || (i > 0 && parts[parts.length - 1] !== 'of' && isFactor(items[i - 1])))) parts.push('times');
    prevGroup = isParenGroup(c);
    if (isMo(c, '|', '│')) {
      const j = items.findIndex((x, k) => k > i && isMo(x, '|', '│'));
      if (j > i + 1) {
        parts.push(`the absolute value of ${speakRow(items.slice(i + 1, j))}`);
        i = j;
        continue;
      }
    }
    parts.push(speakEl(c));
    const next = items[i + 1];
    if (!next || localName(next) === 'mspace') continue;
    const appliesFunction = isFunctionName(c) && !(isMo(next) && !isMo(next, '(', '['));
    // f(x), g(x), h(x): the usual function letters followed by a parenthesis read as "f of x"
    const opensParen = isMo(next, '(') || isParenGroup(next);
    const appliesLetter = opensParen && localName(unwrap(c)) === 'mi' && FUNCTION_LETTERS.has(tokenText(unwrap(c)));
    if (appliesFunction || appliesLetter) parts.push('of');
  }
  return join(parts);
}

/** A number or a plain variable (not a function name) that multiplies a following bracket. */
function isFactor(el: Element): boolean {
  const u = unwrap(el);
  const name = localName(u);
  if (name === 'mn') return true;
  if (name === 'mi') return !isFunctionName(u) && !FUNCTION_LETTERS.has(tokenText(u));
  return (name === 'msup' || name === 'msub') && !isFunctionName(u);
}

/** Index of the ")" closing the "(" at `open` among siblings, or -1. */
function matchingParen(items: Element[], open: number): number {
  let depth = 0;
  for (let k = open; k < items.length; k++) {
    if (isMo(items[k], '(')) depth++;
    else if (isMo(items[k], ')')) {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/** An element that is a whole parenthesised group: <mrow><mo>(</mo>...<mo>)</mo></mrow>. */
function isParenGroup(el: Element): boolean {
  const u = unwrap(el);
  if (localName(u) === 'mfenced') return (u.getAttribute('open') ?? '(') === '(';
  if (localName(u) !== 'mrow') return false;
  const k = kids(u);
  return k.length >= 3 && isMo(k[0], '(') && matchingParen(k, 0) === k.length - 1;
}

function power(exp: Element): string {
  const u = unwrap(exp);
  const raw = tokenText(u);
  if (raw === '2') return 'squared';
  if (raw === '3') return 'cubed';
  if (raw === '∘' || raw === '°' || raw === '⁰') return 'degrees';
  if (raw === '′' || raw === "'") return 'prime';
  if (raw === '″') return 'double prime';
  if (raw === '*' || raw === '∗') return 'star';
  // ion charges: Na^+, Ca^{2+}, O^{2−}
  const charge = /^(\d*)\s*([+−-])$/.exec(raw);
  if (charge) return join([charge[1], charge[2] === '+' ? 'plus' : 'minus']);
  return `to the power ${speakEl(exp)}`;
}

/** A script on an empty base with nothing before it (or an operator) and an element symbol after it: an isotope's numbers. */
function isPrescript(el: Element, base: Element): boolean {
  if (speakEl(base) !== '') return false;
  const siblings = el.parentNode ? childElements(el.parentNode as Element) : [];
  const at = siblings.indexOf(el);
  const before = siblings[at - 1];
  const after = siblings[at + 1];
  const symbolAfter = !!after && ['mi', 'mtext', 'mrow', 'msub', 'msup'].includes(localName(after)) && /^\p{Lu}/u.test(normalizeSpace(rawText(after)));
  return symbolAfter && (!before || localName(before) === 'mo' || /^m(?:sub|sup|subsup)$/.test(localName(before)) && speakEl(kids(before)[0]!) === '');
}

function baseText(base: Element): string {
  const spoken = speakEl(base);
  return isCompound(base) && !spoken.startsWith('the quantity') ? `the quantity ${spoken}${SOFT_COMMA}` : spoken;
}

type Handler = (el: Element) => string;

const row: Handler = (el) => speakRow(kids(el));

/** Element handlers by MathML local name. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  math: row,
  mrow: row,
  mstyle: row,
  mpadded: row,
  mtd: row,
  merror: () => '',
  mphantom: () => '',
  mspace: () => '',
  none: () => '',
  mprescripts: () => '',
  maligngroup: () => '',
  malignmark: () => '',
  annotation: () => '',
  'annotation-xml': () => '',
  semantics: (el) => {
    const first = kids(el)[0];
    return first ? speakEl(first) : '';
  },
  maction: (el) => {
    const first = kids(el)[0];
    return first ? speakEl(first) : '';
  },
  mglyph: (el) => el.getAttribute('alt') ?? '',
  mi: (el) => {
    const t = tokenText(el);
    if (t in FUNCTIONS) return FUNCTIONS[t];
    return normalizeSpace(speakSymbols(t));
  },
  mn: (el) => normalizeSpace(speakSymbols(tokenText(el))),
  mtext: (el) => normalizeSpace(speakSymbols(tokenText(el).replace(/[()]/g, ' '))),
  ms: (el) => normalizeSpace(tokenText(el)),
  mo: (el) => {
    const t = tokenText(el);
    if (t in OPERATORS) return OPERATORS[t];
    if (t in LARGE_OPERATORS) return `${LARGE_OPERATORS[t]} of`;
    // multi-character operators such as "),", "(−" or " → ": speak each character
    return join(Array.from(t).map((ch) => (ch in OPERATORS ? OPERATORS[ch] : ch)));
  },
  mfenced: (el) => {
    const open = el.getAttribute('open') ?? '(';
    const close = el.getAttribute('close') ?? ')';
    const inner = kids(el).map(speakElement).filter(Boolean).join(', ');
    if (open === '|' && close === '|') return `the absolute value of ${inner}`;
    return inner;
  },
  menclose: (el) => {
    const notation = el.getAttribute('notation') ?? '';
    const inner = speakRow(kids(el));
    if (/\bradical\b/.test(notation)) return `the square root of ${inner}`;
    return inner; // strikes (cancelled units), boxes and circles are visual only
  },
  msub: (el) => {
    const [base, sub] = kids(el);
    if (!base) return '';
    // an empty base before an element symbol is a prescript (its atomic number): the number alone
    if (sub && isPrescript(el, base)) return speakEl(sub);
    if (isMo(base) || localName(unwrap(base)) === 'mi' && tokenText(unwrap(base)) === 'log') return join([speakEl(base), 'base', sub ? speakEl(sub) : '']);
    return join([baseText(base), 'sub', sub ? speakEl(sub) : '']);
  },
  msup: (el) => {
    const [base, exp] = kids(el);
    if (!base) return '';
    // an empty base before an element symbol is a prescript (its mass number, "¹²C"): "12 C", not "to the power 12 C";
    // after something ("m/s" then ²) it is that thing's power
    if (exp && isPrescript(el, base)) return speakEl(exp);
    return join([baseText(base), exp ? power(exp) : '']);
  },
  msubsup: (el) => {
    const [base, sub, sup] = kids(el);
    if (!base) return '';
    // an isotope's numbers before its element: the mass number is what is said ("14 C")
    if (sup && isPrescript(el, base)) return speakEl(sup);
    const large = LARGE_OPERATORS[tokenText(unwrap(base))];
    if (large && sub && sup) return join([large, 'from', speakEl(sub), 'to', speakEl(sup), 'of']);
    return join([baseText(base), 'sub', sub ? speakEl(sub) : '', sup ? `${SOFT_COMMA} ${power(sup)}` : '']);
  },
  mfrac: (el) => {
    const [num, den] = kids(el);
    if (!num || !den) return '';
    const n = speakEl(num);
    const d = speakEl(den);
    if (isCompound(num) || isCompound(den)) return `the fraction with numerator ${n} and denominator ${d}`;
    return `${n} over ${d}`;
  },
  msqrt: (el) => `the square root of ${speakRow(kids(el))}`,
  mroot: (el) => {
    const [radicand, index] = kids(el);
    if (!radicand) return '';
    const idx = index ? speakEl(index) : '2';
    return `the ${ordinal(idx)} root of ${speakEl(radicand)}`;
  },
  mover: (el) => {
    const [base, over] = kids(el);
    if (!base) return '';
    const b = speakEl(base);
    const accent = over ? ACCENTS_OVER[tokenText(unwrap(over))] : undefined;
    if (accent) return accent(b);
    return join([b, 'with', over ? speakEl(over) : '', 'above']);
  },
  munder: (el) => {
    const [base, under] = kids(el);
    if (!base) return '';
    const baseToken = tokenText(unwrap(base));
    if (baseToken === 'lim' && under) return `the limit as ${speakEl(under)}`;
    const large = LARGE_OPERATORS[baseToken];
    if (large) return join([large, 'over', under ? speakEl(under) : '', 'of']);
    const accent = under ? ACCENTS_UNDER[tokenText(unwrap(under))] : undefined;
    const b = speakEl(base);
    if (accent) return accent(b);
    return join([b, 'with', under ? speakEl(under) : '', 'below']);
  },
  munderover: (el) => {
    const [base, under, over] = kids(el);
    if (!base) return '';
    const large = LARGE_OPERATORS[tokenText(unwrap(base))];
    const u = under ? speakEl(under) : '';
    const o = over ? speakEl(over) : '';
    if (large) return join([large, 'from', u, 'to', o, 'of']);
    return join([speakEl(base), 'from', u, 'to', o]);
  },
  mmultiscripts: (el) => {
    const k = kids(el);
    const base = k[0];
    if (!base) return '';
    const split = k.findIndex((c) => localName(c) === 'mprescripts');
    const post = k.slice(1, split < 0 ? undefined : split);
    const pre = split < 0 ? [] : k.slice(split + 1);
    const parts = [speakEl(base)];
    for (let i = 0; i < post.length; i += 2) {
      const [sub, sup] = [post[i], post[i + 1]];
      if (sub && localName(sub) !== 'none') parts.push('sub', speakEl(sub));
      if (sup && localName(sup) !== 'none') parts.push(power(sup));
    }
    const preParts: string[] = [];
    for (let i = 0; i < pre.length; i += 2) {
      const [sub, sup] = [pre[i], pre[i + 1]];
      if (sub && localName(sub) !== 'none') preParts.push(`left subscript ${speakEl(sub)}`);
      if (sup && localName(sup) !== 'none') preParts.push(`left superscript ${speakEl(sup)}`);
    }
    if (preParts.length) parts.push('with', preParts.join(' and '));
    return join(parts);
  },
  mtable: (el) =>
    kids(el)
      .map(speakElement)
      .filter(Boolean)
      .join('; '),
  mtr: (el) => join(kids(el).map(speakElement)),
  mlabeledtr: (el) => join(kids(el).slice(1).map(speakElement)),
};

function speakEl(el: Element): string {
  const handler = HANDLERS[localName(el)] ?? row;
  return handler(el);
}

/** Resolve soft commas: kept before more words, dropped at the end or before other punctuation. */
function finish(text: string): string {
  return join([text])
    .replace(/\s*\u0001(?=\s*(?:[,.;:?]|$))/g, '')
    .replace(/\s*\u0001/g, ',')
    .replace(/^[,;]\s*/, '')
    .trim();
}

/** Speak one MathML element (any element of a MathML tree). */
export function speakElement(el: Element): string {
  return finish(speakEl(el));
}

/** Speak a `<math>` element (or any MathML element) as plain English. */
export function mathToSpeech(math: Element): string {
  return finish(speakEl(math));
}

/**
 * Speak a MathML fragment given as a string. Namespace prefixes `m:` and `mml:` are accepted;
 * an unprefixed fragment is read in the MathML namespace.
 */
export function mathMlToSpeech(xml: string): string {
  const wrapped = `<root xmlns="http://www.w3.org/1998/Math/MathML" xmlns:m="http://www.w3.org/1998/Math/MathML" xmlns:mml="http://www.w3.org/1998/Math/MathML">${xml}</root>`;
  const doc = parseXml(wrapped, 'mathml fragment');
  const root = doc.documentElement;
  if (!root) return '';
  const parts: string[] = [];
  for (let c: Node | null = root.firstChild; c; c = c.nextSibling) {
    if (isElement(c)) parts.push(mathToSpeech(c));
    else if (isText(c)) parts.push(normalizeSpace(rawText(c)));
  }
  return join(parts);
}
