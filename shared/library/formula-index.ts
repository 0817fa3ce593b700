/**
 * Formula index: the equations of the library (MathML of the books, TeX of the starter topics) and
 * the formulas students type ("F = ma", "PV=nRT", "a^2 + b^2 = c^2", "6CO2 + 6H2O -> C6H12O6 + 6O2")
 * reduced to the same form, a list of atoms, so a typed formula finds the sections whose equations
 * it is.
 *
 * An atom is a symbol with its subscript and superscript ("F_net", "c^2", "ΔT", "H_2"), a number,
 * a named function ("log", "sin") or an operator ("=", "+", "-", "/", "→", "<", "∝", "√").
 * Multiplication, brackets and spacing are dropped; "or", "and", commas and table rows split an
 * equation into segments (books often write "P ∝ T or P = kT"). Juxtaposed letters typed by a student
 * are separate symbols ("ma" = m a, "nRT" = n R T); a run of element symbols is a chemical formula
 * ("NaCl" = Na Cl, "H2O" = H_2 O).
 *
 * Similarity of a typed formula Q to an equation segment E (0..1): each atom of Q is paired with its
 * best unused atom of E (1 when equal; a subscript or superscript the student left out, or a digit
 * typed after a letter that the book sets as a power, counts partly; letters of another case count
 * 0.6); the paired weight over Q's weight (atoms weighted by their inverse document frequency over
 * the library's sections, numbers and operators lightly) is the recall, and
 *   similarity = recall × (0.75 + 0.25 × precision)
 * where precision is the share of E's atoms that were paired.
 */
/** A MathML element as the formula index reads it: its local name, children and text. */
interface MathElement {
  name: string;
  children: MathElement[];
  /** Text directly inside it. */
  text: string;
}

export type MathSource = { format: 'tex' | 'mathml'; source: string };

/** One atom of a formula. */
export interface Atom {
  kind: 'sym' | 'num' | 'fn' | 'op';
  /** Symbol, number, function name or operator. */
  base: string;
  sub?: string;
  sup?: string;
  /** A digit the student typed right after a letter ("mc2", "M1"): a subscript or a power. */
  loose?: boolean;
}

const GREEK_NAMES: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'Δ', epsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ', nu: 'ν', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', phi: 'φ', omega: 'ω', psi: 'ψ', chi: 'χ', eta: 'η', kappa: 'κ', zeta: 'ζ', xi: 'ξ',
};
/** Variants of one letter. */
const LETTER_ALIASES: Readonly<Record<string, string>> = { '∆': 'Δ', δ: 'Δ', ϵ: 'ε', ϑ: 'θ', ϕ: 'φ', µ: 'μ', ℓ: 'l', ς: 'σ', '∑': 'Σ' };
/** Letters that prefix the symbol after them ("ΔT", "ΣF"). */
const PREFIXES = new Set(['Δ', 'Σ']);

export const FUNCTION_NAMES: ReadonlySet<string> = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'log', 'ln', 'exp', 'lim', 'det', 'max', 'min']);

const ELEMENTS = new Set(
  `H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe
  Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr`.split(/\s+/),
);

/** Operators by their characters; undefined: dropped. */
function operator(ch: string): string | undefined {
  if (ch === '=' || ch === '≡' || ch === '≈' || ch === '≅') return '=';
  if (ch === '+' || ch === '±') return '+';
  if (ch === '-' || ch === '−' || ch === '–' || ch === '‒' || ch === '∓') return '-';
  if (ch === '/' || ch === '÷' || ch === '∕') return '/';
  if (ch === '→' || ch === '⟶' || ch === '⇌' || ch === '⇄' || ch === '⟷' || ch === '->' || ch === '=>' || ch === '<=>' || ch === '<->') return '→';
  if (ch === '<' || ch === '>' || ch === '≤' || ch === '≥' || ch === '<=' || ch === '>=') return '<';
  if (ch === '∝') return '∝';
  if (ch === '√') return '√';
  if (ch === '∘') return '∘';
  return undefined;
}

const SEPARATOR_WORDS = new Set(['or', 'and', 'where', 'with', 'so', 'then', 'for', 'if', 'when', 'unbalanced', 'balanced']);

const normLetter = (ch: string): string => LETTER_ALIASES[ch] ?? ch;

/** A run of element symbols with counts ("NaCl", "H2O", "C6H12O6", "CO"): its atoms, or null. */
export function chemicalAtoms(text: string): Atom[] | null {
  if (!/^(?:[A-Z][a-z]?\d*)+[+-]?$/.test(text)) return null;
  const out: Atom[] = [];
  for (const m of text.matchAll(/([A-Z][a-z]?)(\d*)/g)) {
    if (!ELEMENTS.has(m[1])) return null;
    out.push(m[2] ? { kind: 'sym', base: m[1], sub: m[2] } : { kind: 'sym', base: m[1] });
  }
  return out.length ? out : null;
}

// ----- building atoms -----

/** Collects atoms and segments, attaching scripts to the last symbol and prefixes to the next. */
class AtomBuilder {
  readonly segments: Atom[][] = [[]];
  private prefix = '';

  private get current(): Atom[] {
    return this.segments[this.segments.length - 1];
  }

  sym(base: string): void {
    const b = normLetter(base);
    if (PREFIXES.has(b)) {
      this.prefix += b;
      return;
    }
    this.current.push({ kind: 'sym', base: this.prefix + b });
    this.prefix = '';
  }

  num(text: string): void {
    this.flushPrefix();
    this.current.push({ kind: 'num', base: text.replace(/,/g, '') });
  }

  fn(name: string): void {
    this.flushPrefix();
    this.current.push({ kind: 'fn', base: name });
  }

  op(o: string): void {
    this.flushPrefix();
    const cur = this.current;
    // repeated operators ("= =") and a leading sign add nothing
    if (cur.length && cur[cur.length - 1].kind === 'op' && cur[cur.length - 1].base === o) return;
    cur.push({ kind: 'op', base: o });
  }

  /** Attach a subscript or superscript to the last atom (a symbol, number or function). */
  script(kind: 'sub' | 'sup', text: string, loose = false): void {
    this.flushPrefix();
    const t = text.replace(/\s+/g, '').replace(/[()]/g, '').replace(/−/g, '-');
    if (!t) return;
    const last = this.current[this.current.length - 1];
    if (!last || last.kind === 'op') return;
    if (kind === 'sub' && last.sub === undefined) last.sub = t;
    else if (kind === 'sup' && last.sup === undefined) last.sup = t;
    if (loose) last.loose = true;
  }

  separate(): void {
    this.flushPrefix();
    if (this.current.length) this.segments.push([]);
  }

  private flushPrefix(): void {
    if (!this.prefix) return;
    this.current.push({ kind: 'sym', base: this.prefix });
    this.prefix = '';
  }

  finish(): Atom[][] {
    this.flushPrefix();
    return this.segments.filter((s) => s.some((a) => a.kind !== 'op'));
  }
}

/** Plain text inside a formula (a MathML token, TeX \text, a student's typing) into atoms. */
function textAtoms(b: AtomBuilder, text: string, mode: 'book' | 'student'): void {
  const re = /(\d+(?:[.,]\d+)?)|([A-Za-z]+)|(<=>|<->|->|=>|<=|>=|\S)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) {
      b.num(m[1]);
      continue;
    }
    if (m[2]) {
      wordAtoms(b, m[2], mode, text.slice(re.lastIndex));
      continue;
    }
    const ch = m[3];
    const o = operator(ch);
    if (o) b.op(o);
    else if (ch === ',' || ch === ';') b.separate();
    else if (/\p{L}/u.test(ch)) b.sym(ch);
  }
}

/** A run of letters: a function, a Greek letter's name, a chemical formula, a word, or symbols. */
function wordAtoms(b: AtomBuilder, word: string, mode: 'book' | 'student', rest: string): void {
  const lower = word.toLowerCase();
  if (FUNCTION_NAMES.has(lower)) return b.fn(lower);
  if (GREEK_NAMES[lower] && (lower !== 'delta' || /^\s*[A-Za-z]/.test(rest))) return b.sym(GREEK_NAMES[lower]);
  if (SEPARATOR_WORDS.has(lower)) return b.separate();
  // a chemical formula (a digit after it belongs to its last element: "CO" + sub 2)
  const chem = /[A-Z]/.test(word) && (word.length > 1 || mode === 'book') ? chemicalAtoms(word) : null;
  if (chem && (mode === 'book' || chem.length > 1 || /^\d/.test(rest))) {
    for (const a of chem) {
      b.sym(a.base);
      if (a.sub) b.script('sub', a.sub);
    }
    return;
  }
  if (mode === 'book' && word.length > 1) {
    // a word of the book's text inside an equation ("molecule", "kg") separates nothing but is no symbol
    return;
  }
  for (const ch of word) b.sym(ch);
}

// ----- MathML -----

const SKIP_ELEMENTS = new Set(['mspace', 'annotation', 'annotation-xml', 'mprescripts', 'none', 'maligngroup', 'malignmark']);

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', minus: '−', times: '×' };

/**
 * A light, fast reading of MathML (an XML parser is ten times slower over the library's thousands of
 * equations): elements, their children and their text, entities decoded; attributes, comments and
 * processing instructions ignored. Null when the tags do not nest.
 */
export function parseMathElements(source: string): MathElement | null {
  const root: MathElement = { name: '#root', children: [], text: '' };
  const stack: MathElement[] = [root];
  const re = /<(\/?)([A-Za-z][\w.:-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|([^<]+)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const top = stack[stack.length - 1];
    if (m[4] !== undefined) {
      top.text += m[4].replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (e, code: string) =>
        code[0] === '#' ? String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)) : (ENTITIES[code] ?? e),
      );
      continue;
    }
    if (!m[2]) continue;
    const name = m[2].replace(/^.*:/, '');
    if (m[1]) {
      if (top.name !== name) return null;
      stack.pop();
    } else {
      const el: MathElement = { name, children: [], text: '' };
      top.children.push(el);
      if (!m[3]) stack.push(el);
    }
  }
  return stack.length === 1 ? root : null;
}

/** All text inside an element. */
function rawText(el: MathElement): string {
  let t = el.text;
  for (const c of el.children) t += rawText(c);
  return t;
}

function mathmlNode(b: AtomBuilder, el: MathElement): void {
  const name = el.name;
  if (SKIP_ELEMENTS.has(name)) return;
  const kids = el.children;
  switch (name) {
    case 'mi':
    case 'mn':
    case 'mtext':
    case 'ms': {
      const text = rawText(el).trim();
      if (!text) return;
      if (name === 'mn') return b.num(text);
      if (name === 'mi' && FUNCTION_NAMES.has(text)) return b.fn(text);
      if (name === 'mi' && [...text].length === 1) return b.sym(text);
      return textAtoms(b, text, 'book');
    }
    case 'mo': {
      const text = rawText(el).trim();
      const o = operator(text);
      if (o) b.op(o);
      else if (text === ',' || text === ';') b.separate();
      else if (text.length === 1 && /\p{L}/u.test(text)) b.sym(text);
      return;
    }
    case 'msub':
    case 'msup':
    case 'msubsup': {
      const [base, s1, s2] = kids;
      if (base) mathmlNode(b, base);
      if (name === 'msub' && s1) b.script('sub', scriptText(s1));
      if (name === 'msup' && s1) b.script('sup', scriptText(s1));
      if (name === 'msubsup') {
        if (s1) b.script('sub', scriptText(s1));
        if (s2) b.script('sup', scriptText(s2));
      }
      return;
    }
    case 'mfrac': {
      const [num, den] = kids;
      if (num) mathmlNode(b, num);
      b.op('/');
      if (den) mathmlNode(b, den);
      return;
    }
    case 'msqrt':
    case 'mroot': {
      b.op('√');
      if (kids[0]) mathmlNode(b, kids[0]);
      return;
    }
    case 'munder':
    case 'mover':
    case 'munderover': {
      if (kids[0]) mathmlNode(b, kids[0]);
      return;
    }
    case 'mmultiscripts': {
      if (kids[0]) mathmlNode(b, kids[0]);
      return;
    }
    case 'mtr':
    case 'mlabeledtr': {
      b.separate();
      for (const k of kids) mathmlNode(b, k);
      b.separate();
      return;
    }
    case 'semantics': {
      if (kids[0]) mathmlNode(b, kids[0]);
      return;
    }
    default:
      for (const k of kids) mathmlNode(b, k);
  }
}

/** A subscript or superscript as one short string ("net", "2", "0y", "-1"). */
function scriptText(el: MathElement): string {
  return rawText(el)
    .replace(/\s+/g, '')
    .replace(/[−–]/g, '-')
    .slice(0, 12);
}

/** Segments of atoms of a MathML equation (empty when it does not parse). */
export function mathmlAtoms(source: string): Atom[][] {
  const root = parseMathElements(source);
  if (!root) return [];
  const b = new AtomBuilder();
  mathmlNode(b, root);
  return b.finish();
}

// ----- TeX -----

const TEX_GREEK: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(GREEK_NAMES).map(([k, v]) => [k, v === 'Δ' ? 'δ' : v])),
  Delta: 'Δ', Sigma: 'Σ', Omega: 'Ω', Phi: 'Φ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Gamma: 'Γ', varepsilon: 'ε', vartheta: 'θ', varphi: 'φ',
};
const TEX_OPERATORS: Readonly<Record<string, string>> = {
  rightarrow: '→', longrightarrow: '→', to: '→', rightleftharpoons: '→', leftrightarrow: '→', Rightarrow: '→',
  leq: '<', geq: '<', le: '<', ge: '<', lt: '<', gt: '<', approx: '=', equiv: '=', pm: '+', mp: '-', propto: '∝', div: '/', circ: '∘',
};
const TEX_TEXT = new Set(['text', 'mathrm', 'textrm', 'operatorname', 'mbox', 'textbf', 'textit']);
const TEX_KEEP = new Set(['vec', 'mathbf', 'boldsymbol', 'hat', 'bar', 'overline', 'dot', 'ddot', 'tilde', 'mathit', 'bm', 'underline', 'left', 'right', 'big', 'Big', 'displaystyle']);

/** Segments of atoms of a TeX formula (the starter library's notation: MathJax base and ams). */
export function texAtoms(source: string): Atom[][] {
  const b = new AtomBuilder();
  texInto(b, source);
  return b.finish();
}

function texInto(b: AtomBuilder, s: string): void {
  let i = 0;
  /** The next argument: {...}, one command or one character. */
  const group = (): string => {
    while (s[i] === ' ') i++;
    if (s[i] === '{') {
      let depth = 0;
      const start = i + 1;
      for (; i < s.length; i++) {
        if (s[i] === '{') depth++;
        else if (s[i] === '}' && --depth === 0) break;
      }
      return s.slice(start, i++);
    }
    if (s[i] === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
      i += m ? m[0].length : 1;
      return m ? m[0] : '';
    }
    return s[i++] ?? '';
  };
  const scriptOf = (text: string): string =>
    text
      .replace(/\\(?:text|mathrm|textrm)\s*\{([^}]*)\}/g, '$1')
      .replace(/\\([A-Za-z]+)/g, (_, c: string) => TEX_GREEK[c] ?? '')
      .replace(/[{}\s]/g, '');
  while (i < s.length) {
    const ch = s[i];
    if (ch === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(s.slice(i));
      i += m ? m[0].length : 1;
      const cmd = m ? m[1] : '';
      if (cmd === 'frac' || cmd === 'dfrac' || cmd === 'tfrac') {
        const num = group();
        const den = group();
        texInto(b, num);
        b.op('/');
        texInto(b, den);
      } else if (cmd === 'sqrt') {
        b.op('√');
        texInto(b, group());
      } else if (TEX_TEXT.has(cmd)) textAtoms(b, group(), 'book');
      else if (TEX_KEEP.has(cmd)) {
        if (!['left', 'right', 'big', 'Big', 'displaystyle'].includes(cmd)) texInto(b, group());
      } else if (TEX_GREEK[cmd]) b.sym(TEX_GREEK[cmd]);
      else if (FUNCTION_NAMES.has(cmd)) b.fn(cmd);
      else if (TEX_OPERATORS[cmd]) b.op(TEX_OPERATORS[cmd]);
      else if (cmd === '\\' || cmd === 'qquad' || cmd === 'quad' || cmd === 'text') b.separate();
      continue;
    }
    if (ch === '_' || ch === '^') {
      i++;
      b.script(ch === '_' ? 'sub' : 'sup', scriptOf(group()));
      continue;
    }
    if (/\d/.test(ch)) {
      const m = /^\d+(?:\.\d+)?/.exec(s.slice(i))!;
      b.num(m[0]);
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      b.sym(ch);
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '->' || two === '<=' || two === '>=') {
      b.op(operator(two)!);
      i += 2;
      continue;
    }
    const o = operator(ch);
    if (o) b.op(o);
    else if (ch === ',' || ch === ';') b.separate();
    else if (/\p{L}/u.test(ch)) b.sym(ch);
    i++;
  }
}

export function equationAtoms(math: MathSource): Atom[][] {
  return math.format === 'tex' ? texAtoms(math.source) : mathmlAtoms(math.source);
}

// ----- formulas typed in a question -----

/** Characters that make a stretch of a question mathematical. */
const MATH_OPERATOR = /[=^_→⟶⇌<>≤≥∝√Δ∆Σ∑θπ]|->|\/|[A-Za-z]\([^)]*[A-Za-z]/;

export interface QuestionFormula {
  /** The text as typed. */
  text: string;
  atoms: Atom[];
  /** Where it was in the question (character offsets), so its words are not read as words too. */
  start: number;
  end: number;
}

/**
 * Formulas in a question: stretches of symbols, numbers and operators with at least two symbols and
 * an operator that makes it a formula (=, ^, /, ->, <, ∝, Δ ...), or a chemical equation. English
 * words end a stretch ("what does F = ma mean" gives "F = ma").
 */
export function findFormulas(question: string, isWord: (lowerToken: string) => boolean): QuestionFormula[] {
  // split into chunks on spaces, keeping offsets
  const chunks: { text: string; start: number; end: number }[] = [];
  for (const m of question.matchAll(/\S+/g)) chunks.push({ text: m[0], start: m.index!, end: m.index! + m[0].length });
  const mathy = chunks.map((c) => chunkKind(c.text, isWord));
  // a short word right beside an operator is a product of symbols ("F = ma", "p = mv")
  const operatorChunk = (k: number): boolean => k >= 0 && k < chunks.length && mathy[k] === 'math' && /[=→<>≤≥∝]|->/.test(chunks[k].text);
  for (let k = 0; k < chunks.length; k++) {
    const c = chunks[k].text.replace(/[?!,;:.]+$/, '');
    if (mathy[k] === 'text' && /^[A-Za-z]{2,4}$/.test(c) && !STOP_LIKE.has(c.toLowerCase()) && (operatorChunk(k - 1) || operatorChunk(k + 1))) mathy[k] = 'math';
  }
  const out: QuestionFormula[] = [];
  for (let i = 0; i < chunks.length; ) {
    if (mathy[i] === 'text') {
      i++;
      continue;
    }
    let j = i;
    while (j < chunks.length && mathy[j] !== 'text') j++;
    // trailing punctuation of the last chunk is not part of it
    const start = chunks[i].start;
    let text = question.slice(start, chunks[j - 1].end).replace(/[?.!,;:]+$/, '');
    const atoms = studentAtoms(text);
    const symbols = atoms.filter((a) => a.kind !== 'op').length;
    const hasOperator = MATH_OPERATOR.test(text) || /\d[A-Za-z]|[A-Za-z]\d/.test(text.replace(/\s/g, '')) && atoms.some((a) => a.kind === 'op');
    const chemical = chunks.slice(i, j).some((c) => chemicalAtoms(c.text.replace(/[^A-Za-z0-9+-]/g, '').replace(/^\d+/, ''))?.some((a) => a.sub)) && atoms.some((a) => a.kind === 'op');
    // a quantity with its unit ("3 m/s^2", "9.8 m/s²") is not a formula
    const quantity = /^[-−]?\d+(?:\.\d+)?\s*[A-Za-z]{1,3}(?:\s*[/·*]\s*[A-Za-z]{1,3})*(?:\^?[-−]?\d|[²³])?$/.test(text);
    if (symbols >= 2 && (hasOperator || chemical) && !quantity) out.push({ text, atoms, start, end: start + text.length });
    i = j;
  }
  return out;
}

/** Short words that are never symbols beside an operator. */
const STOP_LIKE = new Set(['what', 'does', 'mean', 'is', 'are', 'the', 'and', 'or', 'for', 'how', 'why', 'do', 'in', 'of', 'to', 'if', 'then', 'when', 'so', 'it', 'this', 'that', 'mean', 'with', 'from', 'solve', 'find', 'plot', 'show', 'prove', 'get', 'use', 'by', 'as', 'at', 'on', 'an', 'be', 'can', 'work', 'say', 'says', 'law', 'rule']);

/** A chunk of a question: formula material ('math'), neutral (a lone letter or number), or English ('text'). */
function chunkKind(chunk: string, isWord: (lowerToken: string) => boolean): 'math' | 'neutral' | 'text' {
  const c = chunk.replace(/[?!,;:]+$/, '').replace(/\.$/, '');
  if (!c) return 'text';
  // English words joined by a slash or brackets ("and/or", "admin/debug", "<speak>") are not math
  const longRuns = (c.match(/[A-Za-z]{5,}/g) ?? []).filter((r) => !FUNCTION_NAMES.has(r.toLowerCase()) && !GREEK_NAMES[r.toLowerCase()] && !chemicalAtoms(r));
  if (longRuns.length) return 'text';
  if (/[=^_!→⟶⇌<>≤≥∝√ΔΣ∆∑+*×·|\[\]−–]|->|\/|\(|\)/.test(c) && /[\p{L}\d]/u.test(c)) return 'math';
  if (/^[=+\-−–/*×·→<>]+$/.test(c)) return 'math';
  if (/^\d+(?:\.\d+)?$/.test(c)) return 'neutral';
  if (/^\p{L}$/u.test(c)) return 'neutral';
  if (/^[A-Za-z]*\d[A-Za-z\d]*$/.test(c)) return 'math';
  const lower = c.toLowerCase();
  if (FUNCTION_NAMES.has(lower) || GREEK_NAMES[lower]) return 'neutral';
  if (/^[A-Za-z]{2,4}$/.test(c) && !isWord(lower) && (/[A-Z]/.test(c.slice(1)) || c.length <= 3)) return 'math';
  if (chemicalAtoms(c) && /[A-Z].*[A-Z]/.test(c)) return 'math';
  return 'text';
}

/** Multi-character operators a student types. */
const TYPED_OPERATORS = ['<=>', '<->', '->', '=>', '<=', '>='];

/** Atoms of a formula as a student types it (ASCII or Unicode math). */
export function studentAtoms(text: string): Atom[] {
  const b = new AtomBuilder();
  const s = text;
  let i = 0;
  /** A script: braced or parenthesised, else a number or a letter (a power), or a run of letters and digits (a subscript: "F_net", "v_0y"). */
  const readScript = (kind: 'sub' | 'sup'): string => {
    while (s[i] === ' ') i++;
    if (s[i] === '(' || s[i] === '{') {
      const close = s[i] === '(' ? ')' : '}';
      const end = s.indexOf(close, i);
      const t = s.slice(i + 1, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end + 1;
      return t;
    }
    const m = (kind === 'sub' ? /^[-−]?[A-Za-z0-9]+/ : /^[-−]?(?:\d+(?:\.\d+)?|\p{L})/u).exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < s.length) {
    const rest = s.slice(i);
    const ch = s[i];
    const typed = TYPED_OPERATORS.find((t) => rest.startsWith(t));
    if (typed) {
      b.op(operator(typed)!);
      i += typed.length;
      continue;
    }
    if (ch === '^' || ch === '_') {
      i++;
      b.script(ch === '^' ? 'sup' : 'sub', readScript(ch === '^' ? 'sup' : 'sub'));
      continue;
    }
    const sup = /^[²³¹⁰⁴-⁹]+/.exec(rest);
    if (sup) {
      b.script('sup', [...sup[0]].map((c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)).join(''));
      i += sup[0].length;
      continue;
    }
    const num = /^\d+(?:\.\d+)?/.exec(rest);
    if (num) {
      const prev = s[i - 1];
      // a digit right after a letter: a subscript (M1, H2O) or, typed lazily, a power (mc2)
      if (prev && /[A-Za-z]/.test(prev) && !/^\d+\.\d/.test(num[0])) b.script('sub', num[0], true);
      else b.num(num[0]);
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z]+/.exec(rest);
    if (word) {
      const w = word[0];
      const after = s.slice(i + w.length);
      i += w.length;
      const lower = w.toLowerCase();
      if (FUNCTION_NAMES.has(lower)) b.fn(lower);
      else if (GREEK_NAMES[lower] && (lower !== 'delta' || /^\s*[A-Za-z]/.test(after))) b.sym(GREEK_NAMES[lower]);
      else {
        const chem = /[A-Z]/.test(w) && w.length > 1 ? chemicalAtoms(w) : null;
        // "NaCl", "CO2", "CH2Cl2": a chemical formula when it reads as one (two capitals, or element + digit)
        if (chem && (/[A-Z].*[A-Z]/.test(w) || /^\d/.test(after))) for (const a of chem) b.sym(a.base);
        else if (/^[A-Z][a-z]{1,3}$/.test(w)) {
          // "Ka", "Fnet", "Ea": a capital with its subscript typed inline
          b.sym(w[0]);
          b.script('sub', w.slice(1));
        } else for (const c of w) b.sym(c);
      }
      continue;
    }
    const o = operator(ch);
    if (o) b.op(o);
    else if (/\p{L}/u.test(ch)) b.sym(ch);
    i++;
  }
  return b.finish().flat();
}

// ----- matching -----

const atomKey = (a: Atom): string => (a.kind === 'sym' ? a.base : a.kind === 'num' ? '#' : a.kind === 'fn' ? `fn:${a.base}` : `op:${a.base}`);

/** How well a typed atom matches a book atom, 0..1. */
export function atomMatch(q: Atom, e: Atom): number {
  if (q.kind !== e.kind) return 0;
  if (q.kind === 'op' || q.kind === 'fn') return q.base === e.base ? 1 : 0;
  if (q.kind === 'num') return q.base === e.base ? 1 : 0.3;
  let base: number;
  if (q.base === e.base) base = 1;
  else if (q.base.toLowerCase() === e.base.toLowerCase()) base = 0.6;
  else return 0;
  let scripts = 1;
  // subscripts: one the student left out costs little; different ones cost more
  if (q.sub !== e.sub) {
    if (q.loose && q.sub !== undefined && e.sup === q.sub && e.sub === undefined) scripts *= 0.9;
    else if (q.sub === undefined) scripts *= 0.85;
    else if (e.sub === undefined) scripts *= 0.6;
    else scripts *= q.sub.toLowerCase() === e.sub.toLowerCase() ? 0.9 : 0.5;
  }
  if (q.sup !== e.sup && !(q.loose && q.sub === e.sup)) {
    if (q.sup === undefined) scripts *= 0.7;
    else if (e.sup === undefined) scripts *= 0.5;
    else scripts *= 0.4;
  }
  return base * scripts;
}

/** Weight of an atom in a typed formula: symbols by their rarity, numbers and operators lightly. */
function atomWeight(a: Atom, idf: (key: string) => number): number {
  if (a.kind === 'op') return 0.3;
  if (a.kind === 'num') return 0.25;
  return idf(atomKey(a));
}

/** Similarity of a typed formula to one equation segment, 0..1 (see the file comment). */
export function formulaSimilarity(q: Atom[], e: Atom[], idf: (key: string) => number = () => 1): number {
  if (!q.length || !e.length) return 0;
  const used = new Array<boolean>(e.length).fill(false);
  let total = 0;
  let got = 0;
  let symbols = 0;
  // rarest atoms first, so they pick their partner before common ones do
  const order = q.map((a, i) => ({ a, i, w: atomWeight(a, idf) })).sort((x, y) => y.w - x.w || x.i - y.i);
  for (const { a, w } of order) {
    total += w;
    let best = 0;
    let bestJ = -1;
    for (let j = 0; j < e.length; j++) {
      if (used[j]) continue;
      const m = atomMatch(a, e[j]);
      if (m > best) {
        best = m;
        bestJ = j;
        if (m === 1) break;
      }
    }
    if (bestJ >= 0) {
      used[bestJ] = true;
      got += w * best;
      if (a.kind !== 'op') symbols++;
    }
  }
  // operators alone ("=" and "+") are no likeness
  if (!symbols) return 0;
  const recall = total > 0 ? got / total : 0;
  const paired = used.filter(Boolean).length;
  const precision = paired / e.length;
  return recall * (0.75 + 0.25 * precision);
}

/** One equation of a section, as indexed. */
export interface IndexedEquation {
  doc: number;
  segments: Atom[][];
  /** The equation the section is named after or defines (its label names the section's subject). */
  defining: boolean;
  /** Where the section is: its books and place in each (for `introduced`). */
  places: { book: string; ordinal: number }[];
  /** Per segment: the first section of its book with this very segment (where the book introduces it). */
  introduced: boolean[];
}

/**
 * The segments of an equation as compared: each segment, and for a chain "A = B = C" also each of its
 * equations "A = B", "B = C", "A = C" (books write a definition and its expansion as one chain).
 */
function comparedSegments(segments: Atom[][]): Atom[][] {
  const out: Atom[][] = [];
  for (const seg of segments) {
    out.push(seg);
    const parts: Atom[][] = [[]];
    for (const a of seg) {
      if (a.kind === 'op' && a.base === '=') parts.push([]);
      else parts[parts.length - 1].push(a);
    }
    const sides = parts.filter((p) => p.length);
    if (sides.length < 3 || sides.length > 4) continue;
    for (let i = 0; i < sides.length; i++) for (let j = i + 1; j < sides.length; j++) out.push([...sides[i], { kind: 'op', base: '=' }, ...sides[j]]);
  }
  return out.filter((s) => s.filter((a) => a.kind !== 'op').length >= 2);
}

/** Equations compared with one typed formula at most (those sharing the most of its symbols). */
const MAX_CANDIDATES = 300;

/** Credit of a section whose matching equation is not its defining one. */
export const NOT_DEFINING = 0.85;
/** Credit of the section where a book first writes the equation, when it does not name it after its subject. */
export const INTRODUCING = 0.95;

/** Equations of every section, searchable by a typed formula. */
export class FormulaIndex {
  private readonly equations: IndexedEquation[] = [];
  /** Symbol key -> equation numbers containing it. */
  private readonly postings = new Map<string, number[]>();
  /** Symbol key -> sections containing it. */
  private readonly docFreq = new Map<string, Set<number>>();
  private docs = 0;

  /**
   * Add one equation of a section. `defining`: the book names it after the section's subject. `book`
   * and `ordinal` place the section, so the section where a book first writes an equation counts as
   * defining it too (books introduce an equation once and use it later; see finish()).
   */
  add(doc: number, math: MathSource, defining: boolean, places: { book: string; ordinal: number }[] = []): void {
    const segments = comparedSegments(equationAtoms(math));
    if (!segments.length) return;
    const n = this.equations.push({ doc, segments, defining, places, introduced: segments.map(() => false) }) - 1;
    this.docs = Math.max(this.docs, doc + 1);
    const keys = new Set(segments.flat().filter((a) => a.kind === 'sym' || a.kind === 'fn').map((a) => atomKey(a).toLowerCase()));
    for (const k of keys) {
      const p = this.postings.get(k);
      if (p) p.push(n);
      else this.postings.set(k, [n]);
      let d = this.docFreq.get(k);
      if (!d) this.docFreq.set(k, (d = new Set()));
      d.add(doc);
    }
  }

  get size(): number {
    return this.equations.length;
  }

  /** Mark, per book, the first section (by place in the book) that writes each segment. Call once all are added. */
  finish(): void {
    const seen = new Set<string>();
    const order = this.equations
      .flatMap((e, n) => e.places.map((p) => ({ n, ...p })))
      .sort((x, y) => x.book.localeCompare(y.book) || x.ordinal - y.ordinal || x.n - y.n);
    for (const { n, book } of order) {
      const e = this.equations[n];
      e.segments.forEach((seg, i) => {
        const key = `${book}\u0000${segmentKey(seg)}`;
        if (seen.has(key)) return;
        seen.add(key);
        e.introduced[i] = true;
      });
    }
  }

  /** Inverse document frequency of an atom over sections (a symbol no equation uses weighs most). */
  idf(key: string): number {
    const df = this.docFreq.get(key.toLowerCase())?.size ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /**
   * Best credit per section for a typed formula (similarity, times NOT_DEFINING unless defining).
   * `defining`, when given, receives the sections whose best credit comes from an equation the book
   * names after the section's subject.
   */
  match(atoms: Atom[], defining?: Set<number>): Map<number, number> {
    const out = new Map<number, number>();
    const keys = new Set(atoms.filter((a) => a.kind === 'sym' || a.kind === 'fn').map((a) => atomKey(a).toLowerCase()));
    // candidates: equations sharing the rarer half of the formula's symbols, the most shared first
    const shared = new Map<number, number>();
    for (const k of keys) {
      const w = this.idf(k);
      for (const n of this.postings.get(k) ?? []) shared.set(n, (shared.get(n) ?? 0) + w);
    }
    const totalIdf = [...keys].reduce((s, k) => s + this.idf(k), 0);
    const candidates = [...shared.entries()]
      .filter(([, w]) => w >= 0.5 * totalIdf)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, MAX_CANDIDATES)
      .map(([n]) => n);
    const idf = (k: string): number => this.idf(k);
    for (const n of candidates) {
      const eq = this.equations[n];
      let credit = 0;
      eq.segments.forEach((seg, i) => {
        const sim = formulaSimilarity(atoms, seg, idf);
        credit = Math.max(credit, sim * (eq.defining ? 1 : eq.introduced[i] ? INTRODUCING : NOT_DEFINING));
      });
      if (credit > (out.get(eq.doc) ?? 0)) {
        out.set(eq.doc, credit);
        if (eq.defining) defining?.add(eq.doc);
        else defining?.delete(eq.doc);
      }
    }
    return out;
  }
}

/**
 * A segment as text, the same for the same equation written in another order: the atoms of each side
 * of its equals signs sorted, and the sides sorted ("Δv / Δt = a" and "a = Δv / Δt", "q = c m ΔT" and
 * "q = m c ΔT" alike).
 */
function segmentKey(seg: Atom[]): string {
  const sides: Atom[][] = [[]];
  for (const a of seg) {
    if (a.kind === 'op' && a.base === '=') sides.push([]);
    else sides[sides.length - 1].push(a);
  }
  return sides
    .map((side) => side.map((a) => atomsToString([a])).sort().join(' '))
    .sort()
    .join(' = ');
}

/** Atoms as text, for tests and diagnostics: "F_net = m a". */
export function atomsToString(atoms: Atom[]): string {
  return atoms
    .map((a) => {
      const base = a.kind === 'fn' ? a.base : a.base;
      return `${base}${a.sub !== undefined ? `_${a.sub}` : ''}${a.sup !== undefined ? `^${a.sup}` : ''}`;
    })
    .join(' ');
}
