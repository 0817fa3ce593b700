/**
 * Inline MathML to a line of text for the screen: "Δt = 2 × 10⁻³ s", "H₂O", "v = d/t", "√2".
 *
 * Narration says math in words (mathml-to-speech.ts); a screen that shows the same sentence should
 * show its quantities in symbols. Only what reads well on one line is written: sub- and
 * superscripts in Unicode where every character has a Unicode form, a fraction as a slash, a
 * square root as √. Anything else (a table, a sum with limits, a subscript such as "0y" that has no
 * Unicode form) gives null, and the caller keeps the spoken form.
 */
import { childElements, localName, normalizeSpace, rawText, type Element } from './xml.js';

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '−': '⁻', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', x: 'ˣ', y: 'ʸ',
};
const SUBSCRIPT: Readonly<Record<string, string>> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '−': '₋', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ',
  l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
};
/** Operators written with a space on each side. */
const SPACED = new Set(['=', '≠', '≈', '≡', '∝', '<', '>', '≤', '≥', '+', '−', '-', '±', '∓', '×', '÷', '⟶', '→', '⇌', '⇄', '⇒', '·', '⋅']);
/** Longest inline math written in symbols; longer is kept spoken (a screen line is about 60 characters). */
const MAX_CHARS = 48;

class TooComplex extends Error {}

function script(text: string, table: Readonly<Record<string, string>>): string {
  let out = '';
  for (const ch of text) {
    const mapped = table[ch];
    if (mapped === undefined) throw new TooComplex();
    out += mapped;
  }
  return out;
}

/** Whether a written part needs parentheses to stay one thing after "/" (it has an operator or a space). */
function compound(text: string): boolean {
  return /[\s+−\-×·/=]/.test(text);
}

function isOperator(el: Element | undefined): boolean {
  return !!el && localName(el) === 'mo' && SPACED.has(normalizeSpace(rawText(el)).replace(/^-$/, '−'));
}

/** Children in a row; a sign that opens the row or follows another operator is unary ("−6", "= −3"), written close. */
function row(children: Element[]): string {
  return children
    .map((c, i) => {
      const prev = children[i - 1];
      if (isOperator(c) && (i === 0 || isOperator(prev))) return write(c).trim();
      // a unit after a number: "4.7 g" (units are upright: mtext, or mi with mathvariant="normal")
      const unit = localName(c) === 'mtext' || (localName(c) === 'mi' && c.getAttribute('mathvariant') === 'normal');
      if (unit && prev && localName(prev) === 'mn') return ` ${write(c).trim()}`;
      return write(c);
    })
    .join('');
}

function write(el: Element): string {
  const kids = childElements(el);
  switch (localName(el)) {
    case 'math':
    case 'mrow':
    case 'mstyle':
    case 'mpadded':
    case 'merror':
      return row(kids);
    case 'semantics':
      return kids[0] ? write(kids[0]) : '';
    case 'annotation':
    case 'annotation-xml':
    case 'mphantom':
      return '';
    case 'mi':
    case 'mn':
    case 'ms':
      return normalizeSpace(rawText(el));
    case 'mtext': {
      // text keeps the spaces around it ("<mtext> s</mtext>" after a number is a unit)
      const raw = rawText(el);
      return `${/^\s/.test(raw) ? ' ' : ''}${normalizeSpace(raw)}${/\s$/.test(raw) ? ' ' : ''}`;
    }
    case 'mspace':
      return ' ';
    case 'mo': {
      const op = normalizeSpace(rawText(el)).replace(/^-$/, '−');
      if (/^[\u2061-\u2064]$/.test(op)) return '';
      if (SPACED.has(op)) return ` ${op} `;
      if (op === ',' || op === ';') return `${op} `;
      return op;
    }
    case 'msup': {
      const [base, exp] = kids;
      if (!base || !exp) throw new TooComplex();
      return write(base) + script(write(exp).replace(/\s+/g, ''), SUPERSCRIPT);
    }
    case 'msub': {
      const [base, sub] = kids;
      if (!base || !sub) throw new TooComplex();
      return write(base) + script(write(sub).replace(/\s+/g, ''), SUBSCRIPT);
    }
    case 'msubsup': {
      const [base, sub, sup] = kids;
      if (!base || !sub || !sup) throw new TooComplex();
      return write(base) + script(write(sub).replace(/\s+/g, ''), SUBSCRIPT) + script(write(sup).replace(/\s+/g, ''), SUPERSCRIPT);
    }
    case 'mfrac': {
      const [num, den] = kids;
      if (!num || !den) throw new TooComplex();
      const wrap = (t: string) => (compound(t.trim()) ? `(${t.trim()})` : t.trim());
      return `${wrap(write(num))}/${wrap(write(den))}`;
    }
    case 'msqrt': {
      const inner = row(kids).trim();
      return compound(inner) || inner.length > 2 ? `√(${inner})` : `√${inner}`;
    }
    case 'mfenced': {
      const open = el.getAttribute('open') ?? '(';
      const close = el.getAttribute('close') ?? ')';
      const sep = (el.getAttribute('separators') ?? ',').trim().charAt(0) || ',';
      return `${open}${kids.map(write).join(`${sep} `)}${close}`;
    }
    case 'mover': {
      // An arrow over a letter is a vector: the letter with a combining arrow.
      const [base, over] = kids;
      if (!base || !over) throw new TooComplex();
      const mark = normalizeSpace(rawText(over));
      if (/^[→⃗⇀]$/.test(mark)) return `${write(base)}\u20d7`;
      if (/^[¯‾_]$/.test(mark)) return `${write(base)}\u0305`;
      throw new TooComplex();
    }
    default:
      // mroot, munder, munderover, mtable, menclose, mmultiscripts ...: kept spoken.
      throw new TooComplex();
  }
}

/** The math element written on one line, or null when it does not read well that way. */
export function mathToText(math: Element): string | null {
  try {
    const text = write(math).replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
    if (!text || [...text].length > MAX_CHARS) return null;
    return text;
  } catch (err) {
    if (err instanceof TooComplex) return null;
    throw err;
  }
}
