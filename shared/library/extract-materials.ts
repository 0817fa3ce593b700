/**
 * What a lesson needs from one CNXML module beyond its passages: display equations (MathML and how
 * they are said), worked examples (problem and solution steps), review questions with short answers,
 * and glossary entries. A separate pass over the parsed module document: the passage parser drops all
 * of this, this pass keeps only this. Everything is the book's own text; nothing is made up (a
 * multiple-choice answer letter is replaced by the choice it names, circled part markers by "(a)").
 *
 * - Equations: each display `<equation>` and standalone `<m:math display="block">` of the module's
 *   exposition (not in examples, exercises, teacher notes, tables, key-equation lists), with its
 *   MathML serialised as a standalone `<math xmlns=MathML>` string, its spoken form, the sentence
 *   before it (`context`), and a `label` when the context names a law, formula, theorem or principle
 *   (expanded to the module's key term that contains the name: "the second law" becomes "Newton's
 *   second law of motion") or the note holding the equation has such a title. Trivial ones (a single
 *   number or symbol) and malformed MathML (unknown elements, wrong child counts, stray text) are skipped.
 * - Worked examples: CNXML `<example>` (algebra: exercise/problem/solution; chemistry: titled
 *   paragraphs "Solution", "Check Your Learning" with an "Answer:" note) and physics
 *   `note.worked-example` (exercise with a "Strategy" note, solution, discussion). Steps are the
 *   strategy and solution paragraphs, each with the display equation that follows or sits in it;
 *   solution tables give one step per row. Consecutive text-only steps are merged when there are more
 *   than MAX_EXAMPLE_STEPS; examples still longer, or without a solution, are skipped.
 * - Review questions: exercises with a solution (end-of-section exercises, review questions, Try It,
 *   chemistry's Check Your Learning) whose answer is at most MAX_ANSWER_CHARS characters, whose
 *   question has some prose (not a bare expression under "For the following exercises"), and that
 *   refer to no figure, table, graph, other example or "the following".
 * - Glossary: the module's `<glossary>` definitions, plus `<term>` key terms of the exposition the
 *   glossary lacks, defined by the sentence that introduces them.
 */
import type { ExampleStep } from '../domain/library.js';
import { countWords, splitSentences } from '../text/sentences.js';
import { mathToSpeech, speakSymbols } from './mathml-to-speech.js';
import { mathToText } from './mathml-to-text.js';
import { NS, childElements, classes, descendants, firstChild, isElement, isMathMl, isText, localName, normalizeSpace, rawText, tidyProse, type Element, type Node } from './xml.js';

export const MAX_EXAMPLE_STEPS = 8;
export const MAX_ANSWER_CHARS = 300;
/** Longest MathML kept as math, in characters: the script schema's limit on an equation's source. Longer math is only spoken. */
export const MAX_MATH_CHARS = 6000;
/** A glossary definition longer than this is cut to its first sentence. */
const MAX_DEFINITION_CHARS = 300;

export interface MathSource {
  format: 'mathml';
  source: string;
}

export interface ExtractedEquation {
  xmlId: string | null;
  math: MathSource;
  speech: string;
  context: string;
  label?: string;
  coreqOnly: boolean;
}

export interface ExtractedExample {
  xmlId: string | null;
  title: string;
  problem: string;
  /** The problem as the screen shows it (inline math in symbols), when that differs from `problem`. */
  problemScreen?: string;
  steps: ExampleStep[];
  coreqOnly: boolean;
}

export interface ExtractedQuestion {
  xmlId: string | null;
  question: string;
  answer: string;
  /** As the screen shows them (inline math in symbols), when they differ. */
  questionScreen?: string;
  answerScreen?: string;
  coreqOnly: boolean;
}

export interface ExtractedGlossaryEntry {
  term: string;
  definition: string;
  coreqOnly: boolean;
}

export interface ExtractedMaterials {
  equations: ExtractedEquation[];
  examples: ExtractedExample[];
  reviewQuestions: ExtractedQuestion[];
  glossary: ExtractedGlossaryEntry[];
}

export interface ExtractMaterialsOptions {
  /** The passage parser's rule for what is not exposition; the topic's equations come from the rest. */
  isDropped: (el: Element) => boolean;
  /** The module's key terms: a law named in an equation's context is expanded to the key term containing it. */
  keyTerms?: string[];
}

const COREQ_CLASS = 'coreq-skills';

/** Boxes that are not student content for materials either: teacher notes and link-out boxes built around a video, simulation or lab. */
const SKIPPED_BOX_CLASSES = new Set([
  'media', 'media-notitle', 'media-notitile', 'click-and-explore', 'watch-physics', 'virtual-physics', 'os-interactive',
  'link-to-learning', 'snap-lab', 'contrib-auth', 'sr-contrib-auth', 'references',
]);

function isSkippedBox(el: Element): boolean {
  if (/teacher/i.test(el.getAttribute('class') ?? '')) return true;
  return classes(el).some((c) => SKIPPED_BOX_CLASSES.has(c.toLowerCase()));
}

function isWorkedExampleNote(el: Element): boolean {
  return localName(el) === 'note' && classes(el).some((c) => c.toLowerCase() === 'worked-example');
}

function ancestors(el: Element, stop?: Node): Element[] {
  const out: Element[] = [];
  for (let p = el.parentNode; p && p !== stop; p = p.parentNode) if (isElement(p)) out.push(p);
  return out;
}

// ----- MathML -----

/** MathML element names and, where fixed, their number of children. */
const MATHML_ARITY: Readonly<Record<string, number | null>> = {
  math: null, mi: null, mn: null, mo: null, mtext: null, ms: null, mspace: null, mglyph: null,
  mrow: null, mstyle: null, merror: null, mpadded: null, mphantom: null, mfenced: null, menclose: null, msqrt: null,
  mfrac: 2, mroot: 2, msub: 2, msup: 2, munder: 2, mover: 2, msubsup: 3, munderover: 3,
  mmultiscripts: null, mprescripts: null, none: null, mtable: null, mtr: null, mlabeledtr: null, mtd: null,
  maligngroup: null, malignmark: null, maction: null, semantics: null, annotation: null, 'annotation-xml': null,
  mstack: null, mlongdiv: null, msgroup: null, msrow: null, mscarries: null, mscarry: null, msline: null,
};
const TOKEN_ELEMENTS = new Set(['mi', 'mn', 'mo', 'mtext', 'ms']);
const DROPPED_MATHML = new Set(['annotation', 'annotation-xml']);

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

class MalformedMathError extends Error {}

/**
 * A `<math>` element as a standalone MathML document string: MathML namespace as the default one (no
 * prefixes), annotations dropped, whitespace between elements dropped and collapsed inside tokens.
 * Null when the markup is not MathML we can trust (unknown or foreign elements, wrong child counts,
 * text outside token elements).
 */
export function serializeMathMl(math: Element): string | null {
  try {
    return serializeElement(math, true);
  } catch (err) {
    if (err instanceof MalformedMathError) return null;
    throw err;
  }
}

function serializeElement(el: Element, root: boolean): string {
  const name = localName(el);
  if (!isMathMl(el) || !(name in MATHML_ARITY)) throw new MalformedMathError(`not MathML: ${el.nodeName}`);
  if (root && name !== 'math') throw new MalformedMathError('root is not <math>');
  const kids = childElements(el).filter((c) => !(isMathMl(c) && DROPPED_MATHML.has(localName(c))));
  const arity = MATHML_ARITY[name];
  if (arity !== null && kids.length !== arity) throw new MalformedMathError(`<${name}> has ${kids.length} children`);
  let attrs = root ? ` xmlns="${NS.mathml}"` : '';
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes[i];
    if (!a || a.name === 'xmlns' || a.name.startsWith('xmlns:') || a.name.includes(':')) continue;
    attrs += ` ${a.name}="${escapeAttr(a.value)}"`;
  }
  let inner = '';
  if (TOKEN_ELEMENTS.has(name)) {
    if (kids.some((c) => localName(c) !== 'mglyph' && localName(c) !== 'malignmark')) throw new MalformedMathError(`<${name}> holds elements`);
    inner = escapeText(normalizeSpace(rawText(el)));
  } else {
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (isText(c)) {
        if (normalizeSpace(rawText(c))) throw new MalformedMathError(`text directly inside <${name}>`);
        continue;
      }
      if (!isElement(c)) continue;
      if (isMathMl(c) && DROPPED_MATHML.has(localName(c))) continue;
      inner += serializeElement(c, false);
    }
  }
  return inner ? `<${name}${attrs}>${inner}</${name}>` : `<${name}${attrs}/>`;
}

/** Spoken form of a math element; empty when it cannot be spoken. */
function speakMath(math: Element): string {
  try {
    return normalizeSpace(mathToSpeech(math));
  } catch {
    return '';
  }
}

/** Meaningful token texts of a math element (punctuation and spacing left out). */
function mathTokens(math: Element): string[] {
  return ['mi', 'mn', 'mo', 'mtext']
    .flatMap((n) => descendants(math, n, NS.mathml))
    .map((t) => normalizeSpace(rawText(t)))
    .filter((t) => t && !/^[,.;:()[\]{}|\u2061-\u2064]+$/.test(t));
}

/** A single number or symbol ("x", "2", "x,") is not worth an equation slide. */
export function isTrivialMath(math: Element): boolean {
  return mathTokens(math).length <= 1;
}

function isDisplayMath(el: Element): boolean {
  return isMathMl(el) && localName(el) === 'math' && el.getAttribute('display') === 'block';
}

/** The MathML element a display equation holds (first `<math>` inside it), if any. */
function mathOf(el: Element): Element | null {
  if (isMathMl(el)) return localName(el) === 'math' ? el : null;
  return descendants(el, 'math', NS.mathml)[0] ?? null;
}

/** A step's math: MathML source and spoken form; null when malformed or silent. */
function mathStep(math: Element): { math: MathSource; speech: string } | null {
  const source = serializeMathMl(math);
  if (!source || source.length > MAX_MATH_CHARS) return null;
  const speech = speakMath(math);
  if (!speech) return null;
  return { math: { format: 'mathml', source }, speech };
}

// ----- labels -----

const NAME_KINDS = ['law', 'formula', 'theorem', 'principle', 'identity', 'rule', 'equation'];
/**
 * "the ideal gas law", "called the quadratic formula", "the second law of motion", "Boyle's law": an
 * optional cue, then "the" or a possessive name, up to four words, a kind, maybe "of <word>".
 */
const anyCase = (w: string): string => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`;
/** "of ..." endings that belong to a name ("Newton's second law of motion", "the law of cosines"). */
const NAME_ENDINGS = ['motion', 'gravitation', 'thermodynamics', 'cosines', 'sines', 'tangents', 'induction', 'exponents', 'logarithms', 'radicals', 'algebra', 'arithmetic', 'reflection', 'refraction', 'partial pressures', 'definite proportions', 'multiple proportions', 'conservation of mass', 'conservation of energy', 'conservation of momentum'];
/** Contractions that look like possessive names ("Let's derive the sum formula"). */
const CONTRACTIONS = ['Let', 'It', 'That', 'There', 'Here', 'What', 'He', 'She', 'Who', 'Where', 'Which'];
const NAMED_PHRASE = new RegExp(
  `(\\b(?:${['called', 'known as', 'named', 'termed'].map(anyCase).join('|')})\\s+)?` +
    `(?:\\b[Tt]he\\s+|\\b(?=(?!(?:${CONTRACTIONS.join('|')})['’]s\\s)[A-Z]\\w*['’]s\\s))` +
    `((?:[\\w'’-]+\\s+){0,4}?(?:${NAME_KINDS.map(anyCase).join('|')})s?(?:\\s+of\\s+(?:${NAME_ENDINGS.join('|')}))?)\\b`,
  'g',
);
/** Words that make "the ... formula" a pointer or a kind rather than a name. */
const GENERIC_WORDS = new Set([
  'following', 'above', 'below', 'previous', 'preceding', 'same', 'this', 'that', 'these', 'those', 'resulting', 'original',
  'given', 'last', 'new', 'general', 'next', 'rearranged', 'other', 'an', 'a', 'its', 'their', 'our', 'your', 'each', 'of',
  'equivalent', 'corresponding', 'appropriate', 'familiar', 'basic', 'simple', 'standard', 'final', 'two', 'three', 'both',
  'chemical', 'molecular', 'empirical', 'structural', 'condensed', 'ionic', 'net', 'overall', 'balanced', 'nuclear',
]);

function normKey(s: string): string {
  return s.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * The name of a law, formula, theorem or principle that an equation's context gives, if any: the last
 * such phrase, expanded to the shortest key term of the module that contains it ("the second law"
 * becomes "Newton's second law of motion"). "the ... equation" counts only after "called"/"known as"
 * (most "the ... equation" phrases name a kind of equation, not one equation).
 */
export function labelFromContext(context: string, keyTerms: string[] = []): string | undefined {
  let found: string | undefined;
  for (const m of context.matchAll(NAMED_PHRASE)) {
    // "substituting into Newton's second law gives", "from the ideal gas law": the equation is derived from the law, not the law
    if (/\b(?:into|from)\s+$/i.test(context.slice(0, m.index))) continue;
    const cued = Boolean(m[1]);
    const phrase = m[2]!.replace(/\s+/g, ' ').trim();
    const words = phrase.split(' ');
    const kindAt = words.findIndex((w) => NAME_KINDS.includes(w.toLowerCase().replace(/s$/, '')));
    const modifiers = words.slice(0, kindAt);
    // "the law" names nothing; "the law of cosines" does
    if ((!modifiers.length && !/ of /.test(phrase)) || modifiers.some((w) => GENERIC_WORDS.has(w.toLowerCase()))) continue;
    if (words[kindAt]!.toLowerCase().startsWith('equation') && !cued) continue;
    found = phrase.replace(/[.,;:]+$/, '');
  }
  if (!found) return undefined;
  const key = normKey(found);
  const named = new RegExp(`\\b(?:${NAME_KINDS.join('|')})s?(?: of [a-z]+)?$`, 'i');
  const expanded = keyTerms.filter((t) => normKey(t).includes(key) && named.test(t.trim())).sort((a, b) => a.length - b.length)[0];
  return (expanded ?? found).replace(/[.,;:]+$/, '');
}

/** A title that names the equation ("The Quadratic Formula", "Boyle's Law"). */
function labelFromTitle(title: string): string | undefined {
  const t = title.replace(/^the\s+/i, '').trim();
  const kinds = NAME_KINDS.filter((k) => k !== 'equation').join('|');
  return new RegExp(`\\b(?:${kinds})s?\\b`, 'i').test(t) && countWords(t) <= 8 ? t : undefined;
}

// ----- text -----

const VISUAL_REFERENCE =
  /\b(?:Figure|Fig\.|Table|Graph)\s+[A-Z]?\d|\bthe (?:figure|table|graph|diagram|image|photo(?:graph)?|map|chart|picture|illustration)s?\b|\bthe following\b|\b(?:shown|pictured|illustrated|given) (?:below|above|here)\b|\b(?:Example|Exercise|Problem|Section|Chapter|Appendix)\s+\d|\bthe (?:example|exercise|feature box|previous (?:question|problem|exercise)s?)\b/i;

const PICTURE_REFERENCE = /\b(?:Figure|Fig\.|Table|Graph)\s+[A-Z]?\d|\b(?:in|from|of|on) the (?:figure|table|graph|diagram|image|photo(?:graph)?|map|chart|picture|illustration)s?\b/i;

/** A problem that cannot be followed without its figure, table or graph ("in the figure", "Table 2"). */
export function needsPicture(text: string): boolean {
  return PICTURE_REFERENCE.test(text);
}

const POINTER_WORDS = /\b(?:below|above|shown|pictured|illustrated|diagram|drawing)\b/i;

/** A problem whose own figure holds what it asks about ("the circuit below", "the system shown"). */
function pointsAtItsPicture(text: string, holders: Element[]): boolean {
  return POINTER_WORDS.test(text) && holders.some((h) => descendants(h, 'figure', NS.cnxml).length > 0 || descendants(h, 'media', NS.cnxml).length > 0);
}

/** True when a text leans on something a question on its own does not carry (a figure, a table, "the following"). */
export function refersElsewhere(text: string): boolean {
  return VISUAL_REFERENCE.test(text);
}

const CIRCLED = /[ⓐ-ⓩ]/g;

interface SayFlags {
  /** A figure, table or other example was referenced or embedded. */
  visual: boolean;
}

/** Matches the passage parser's reading of superscripts. */
function supText(t: string): string {
  if (t === '2') return ' squared ';
  if (t === '3') return ' cubed ';
  if (/^[−-]?\d+(\.\d+)?$/.test(t)) return ` to the power ${speakSymbols(t)} `;
  return t;
}

class MaterialsExtractor {
  private byIdCache: Map<string, Element> | null = null;
  /** Reading for the screen: inline math in symbols (addScreenText). */
  private screenMath = false;

  constructor(
    private readonly doc: Element,
    private readonly content: Element | null,
    private readonly options: ExtractMaterialsOptions,
  ) {}

  private get byId(): Map<string, Element> {
    if (!this.byIdCache) {
      const map = new Map<string, Element>();
      const walk = (n: Node): void => {
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (!isElement(c)) continue;
          const id = c.getAttribute('id');
          if (id && !map.has(id)) map.set(id, c);
          walk(c);
        }
      };
      walk(this.doc);
      this.byIdCache = map;
    }
    return this.byIdCache;
  }

  extract(): ExtractedMaterials {
    if (!this.content) return { equations: [], examples: [], reviewQuestions: [], glossary: this.glossary() };
    const examples: ExtractedExample[] = [];
    const questions: ExtractedQuestion[] = [];
    this.examples(examples, questions);
    this.reviewQuestions(questions);
    this.addScreenText(examples, questions);
    return { equations: this.equations(), examples, reviewQuestions: dedupeBy(questions, (q) => normKey(q.question)), glossary: this.glossary() };
  }

  /**
   * Worked examples read again with inline math written in symbols (mathml-to-text.ts) rather than
   * spoken: what the screen shows of a problem and its steps ("Δt = 2.00 × 10⁻³ s", not "delta t
   * equals ..."). Matched to the spoken reading example by example and step by step; where the two
   * readings differ in shape, the screen keeps the spoken text.
   */
  private addScreenText(examples: ExtractedExample[], questions: ExtractedQuestion[]): void {
    const written: ExtractedExample[] = [];
    const writtenQuestions: ExtractedQuestion[] = [];
    this.screenMath = true;
    try {
      this.examples(written, writtenQuestions);
      this.reviewQuestions(writtenQuestions);
    } finally {
      this.screenMath = false;
    }
    questions.forEach((q, i) => {
      const w = writtenQuestions[i];
      if (!w || w.xmlId !== q.xmlId) return;
      if (w.question !== q.question || w.answer !== q.answer) {
        q.questionScreen = w.question;
        q.answerScreen = w.answer;
      }
    });
    examples.forEach((x, i) => {
      const w = written[i];
      if (!w || w.xmlId !== x.xmlId || w.steps.length !== x.steps.length) return;
      if (w.problem !== x.problem) x.problemScreen = w.problem;
      x.steps = x.steps.map((step, k) => (w.steps[k]!.text !== step.text && w.steps[k]!.text ? { ...step, screen: w.steps[k]!.text } : step));
    });
  }

  /** Inline math: spoken, or (reading for the screen) written in symbols where it reads well on a line. */
  private inlineMath(math: Element): string {
    return (this.screenMath ? mathToText(math) : null) ?? speakMath(math);
  }

  // ----- spoken text -----

  /** Spoken text of inline content: MathML spoken, figures and tables left out (and flagged). */
  say(node: Node, flags?: SayFlags, skip?: (el: Element) => boolean): string {
    let out = '';
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (isText(c)) {
        out += rawText(c);
        continue;
      }
      if (!isElement(c) || skip?.(c)) continue;
      if (isMathMl(c)) {
        out += ` ${this.inlineMath(c)} `;
        continue;
      }
      out += this.sayElement(c, flags, skip);
    }
    return out;
  }

  private sayElement(el: Element, flags: SayFlags | undefined, skip?: (el: Element) => boolean): string {
    switch (localName(el)) {
      case 'newline':
      case 'space':
        return ' ';
      case 'label':
      case 'title':
      case 'caption':
      case 'footnote':
      case 'commentary':
        return '';
      case 'figure':
      case 'media':
      case 'table':
        if (flags) flags.visual = true;
        return ' ';
      case 'link':
        return this.linkText(el, flags, skip);
      case 'sub': {
        const t = normalizeSpace(this.say(el, flags, skip));
        return /^[\d.]+$/.test(t) ? t : ` sub ${t} `;
      }
      case 'sup':
        return supText(normalizeSpace(this.say(el, flags, skip)));
      case 'list':
        return ` ${this.listItems(el, flags, skip).join(' ')} `;
      case 'para':
      case 'note':
      case 'equation':
      case 'quote':
      case 'item':
        return ` ${this.say(el, flags, skip)} `;
      default:
        return this.say(el, flags, skip);
    }
  }

  /** Spoken list items, each ended as a sentence unless `asIs`. */
  private listItems(list: Element, flags?: SayFlags, skip?: (el: Element) => boolean, asIs = false): string[] {
    const items: string[] = [];
    for (const item of childElements(list)) {
      if (localName(item) !== 'item') continue;
      let t = tidy(this.say(item, flags, skip));
      if (!t) continue;
      if (!asIs && !/[.!?:;…]["'”’)]*$/.test(t)) t += '.';
      items.push(t);
    }
    return items;
  }

  private linkText(el: Element, flags: SayFlags | undefined, skip?: (el: Element) => boolean): string {
    const target = el.getAttribute('target-id');
    const external = el.getAttribute('document');
    const targetEl = target && !external ? this.byId.get(target) : undefined;
    const kind = targetEl ? localName(targetEl) : null;
    if (flags && (kind === 'figure' || kind === 'table' || kind === 'example' || kind === 'exercise' || external)) flags.visual = true;
    const own = this.say(el, flags, skip);
    if (normalizeSpace(own)) return own;
    if (external) return ' another section ';
    if (!targetEl) return el.getAttribute('url') ? ' this link ' : ' ';
    const phrase: Record<string, string> = {
      figure: 'the figure', table: 'the table', equation: 'the equation', example: 'the example', exercise: 'the exercise',
      section: 'that section', note: 'the feature box', list: 'the list', para: 'the text',
    };
    return ` ${phrase[kind!] ?? 'the text'} `;
  }

  /** Words of prose (math left out) in a node. */
  private proseWords(node: Node): number {
    return countWords(tidy(this.say(node, undefined, (el) => isMathMl(el))));
  }

  private isCoreq(el: Element): boolean {
    return ancestors(el, this.doc).some((a) => classes(a).includes(COREQ_CLASS)) || classes(el).includes(COREQ_CLASS);
  }

  private inSkippedBox(el: Element): boolean {
    return ancestors(el, this.doc).some(isSkippedBox);
  }

  // ----- equations -----

  private equations(): ExtractedEquation[] {
    const out: ExtractedEquation[] = [];
    const seen = new Map<string, ExtractedEquation>();
    const keyTerms = this.options.keyTerms ?? [];
    const candidate = (el: Element, coreqOnly: boolean): void => {
      const math = mathOf(el);
      if (!math || isTrivialMath(math)) return;
      const step = mathStep(math);
      if (!step) return;
      const context = this.contextBefore(el);
      const label = this.titleLabel(el) ?? labelFromContext(context, keyTerms);
      const earlier = seen.get(step.math.source);
      if (earlier) {
        // the same equation again (a derivation's result, then the boxed formula): one entry, named if either place names it
        if (!earlier.label && label) Object.assign(earlier, { context, label });
        return;
      }
      const speech = step.speech.replace(/[\s,;:.]+$/, '');
      const eq: ExtractedEquation = { xmlId: el.getAttribute('id') || null, math: step.math, speech, context, ...(label ? { label } : {}), coreqOnly };
      seen.set(step.math.source, eq);
      out.push(eq);
    };
    const walk = (el: Element, coreqOnly: boolean): void => {
      for (const child of childElements(el)) {
        if (isMathMl(child)) {
          if (isDisplayMath(child)) candidate(child, coreqOnly);
          continue;
        }
        if (this.options.isDropped(child)) continue;
        const name = localName(child);
        if (name === 'section' && (child.getAttribute('id') === 'keyterms' || classes(child).includes('learning-objectives'))) continue;
        if (name === 'note' && classes(child).includes('learning-objectives')) continue;
        if (['table', 'figure', 'media', 'title', 'label', 'caption', 'glossary', 'metadata'].includes(name)) continue;
        if (name === 'equation') {
          candidate(child, coreqOnly);
          continue;
        }
        walk(child, coreqOnly || classes(child).includes(COREQ_CLASS));
      }
    };
    walk(this.content!, false);
    return out;
  }

  /** "The Quadratic Formula": the title of the note that holds this one equation. */
  private titleLabel(el: Element): string | undefined {
    const own = firstChild(el, 'title', NS.cnxml);
    if (own) return labelFromTitle(tidy(rawText(own)));
    const note = ancestors(el, this.content ?? undefined).find((a) => localName(a) === 'note');
    if (!note) return undefined;
    const title = firstChild(note, 'title', NS.cnxml);
    if (!title || descendants(note, 'equation', NS.cnxml).length > 1) return undefined;
    return labelFromTitle(tidy(rawText(title)));
  }

  /** The sentence before a display equation (two when the last is a fragment such as "We get"). */
  private contextBefore(el: Element): string {
    const text = tidy(this.textBefore(el));
    if (!text) return '';
    const sentences = splitSentences(text);
    const last = sentences.length ? sentences[sentences.length - 1]! : text;
    if (countWords(last) < 6 && sentences.length > 1) return `${sentences[sentences.length - 2]} ${last}`;
    return last;
  }

  private textBefore(el: Element): string {
    // inside a paragraph (or list item, table cell): the paragraph's text up to the equation
    const inline = ancestors(el, this.content ?? undefined).find((a) => ['para', 'item', 'entry'].includes(localName(a)));
    if (inline) {
      const before = tidy(this.sayBefore(inline, el));
      if (before) return before;
      return this.blockBefore(inline);
    }
    return this.blockBefore(el);
  }

  /** Text of the nearest prose block before `el` among its siblings (equations and figures skipped). */
  private blockBefore(el: Element): string {
    for (let s = el.previousSibling; s; s = s.previousSibling) {
      if (isText(s)) {
        const t = normalizeSpace(rawText(s));
        if (t) return t;
        continue;
      }
      if (!isElement(s)) continue;
      const name = localName(s);
      if (isMathMl(s) || ['equation', 'figure', 'media', 'table', 'title', 'label'].includes(name)) continue;
      if (this.options.isDropped(s)) continue;
      if (['para', 'list', 'quote', 'note'].includes(name)) return this.say(s);
      return '';
    }
    return '';
  }

  /** Spoken text of `container` up to (not including) `stop`. */
  private sayBefore(container: Element, stop: Element): string {
    let out = '';
    const visit = (node: Node): boolean => {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c === stop) return true;
        if (isText(c)) {
          out += rawText(c);
          continue;
        }
        if (!isElement(c)) continue;
        if (isAncestorOf(c, stop)) {
          if (visit(c)) return true;
          continue;
        }
        out += isMathMl(c) ? ` ${this.inlineMath(c)} ` : this.sayElement(c, undefined);
      }
      return false;
    };
    visit(container);
    return out;
  }

  // ----- worked examples -----

  private examples(out: ExtractedExample[], questions: ExtractedQuestion[]): void {
    const roots = descendantsWhere(this.content!, (el) => (localName(el) === 'example' && el.namespaceURI === NS.cnxml) || isWorkedExampleNote(el));
    for (const root of roots) {
      if (this.inSkippedBox(root) || isSkippedBox(root)) continue;
      // an example inside another example root (a note around an example) is read once, from the outer one
      if (ancestors(root, this.content ?? undefined).some((a) => roots.includes(a))) continue;
      const coreqOnly = this.isCoreq(root);
      const rootTitle = firstChild(root, 'title', NS.cnxml);
      const title = rootTitle ? tidy(this.say(rootTitle)) : '';
      const exercises = descendants(root, 'exercise', NS.cnxml);
      if (exercises.length) {
        const intro = childElements(root)
          .filter((c) => localName(c) === 'para' && !exercises.some((e) => isAncestorOf(c, e)))
          .map((p) => tidy(this.say(p)))
          .filter(Boolean)
          .join(' ');
        for (const ex of exercises) {
          const example = this.fromExercise(ex, title, intro, coreqOnly);
          if (example) out.push(example);
        }
      } else {
        this.fromTitledParagraphs(root, coreqOnly, out, questions);
      }
    }
  }

  /** Algebra and physics: an exercise with a problem (maybe a "Strategy" note) and a solution. */
  private fromExercise(ex: Element, rootTitle: string, intro: string, coreqOnly: boolean): ExtractedExample | null {
    const problem = firstChild(ex, 'problem', NS.cnxml);
    const solutions = childElements(ex).filter((c) => localName(c) === 'solution');
    if (!problem || !solutions.length) return null;
    const isStrategy = (el: Element): boolean => localName(el) === 'note' && /^strategy\b/i.test(titleText(el));
    const problemTitle = firstChild(problem, 'title', NS.cnxml);
    const title = rootTitle || (problemTitle ? tidy(this.say(problemTitle)) : '') || titleText(ex);
    const problemText = tidy(`${intro} ${this.say(problem, undefined, (el) => isStrategy(el) || ['figure', 'media'].includes(localName(el)))}`);
    if (!problemText || needsPicture(problemText) || pointsAtItsPicture(problemText, [problem])) return null;
    const blocks: Element[] = [];
    for (const note of childElements(problem).filter(isStrategy)) blocks.push(...childElements(note));
    for (const s of solutions) blocks.push(...childElements(s));
    const steps = this.stepsOf(blocks);
    if (!steps) return null;
    return { xmlId: ex.getAttribute('id') || null, title: title || problemText.slice(0, 80), problem: problemText, steps, coreqOnly };
  }

  /**
   * Chemistry: the first paragraph's title is the example's title and its text the problem; a paragraph
   * titled "Solution" starts the solution, one titled "Check Your Learning" ends it and asks a question
   * answered in the "Answer:" note after it.
   */
  private fromTitledParagraphs(root: Element, coreqOnly: boolean, out: ExtractedExample[], questions: ExtractedQuestion[]): void {
    let state: 'problem' | 'solution' | 'check' = 'problem';
    let title = '';
    const problem: string[] = [];
    const solution: Element[] = [];
    const check: Element[] = [];
    let answer: Element | null = null;
    const kids = childElements(root);
    const pictures: Element[] = [];
    kids.forEach((c, i) => {
      const t = localName(c) === 'para' || localName(c) === 'note' ? titleText(c) : '';
      if (i === 0 && localName(c) === 'para') {
        title = t;
        problem.push(tidy(this.say(c)));
        return;
      }
      if (localName(c) === 'title') {
        title ||= tidy(rawText(c));
        return;
      }
      if (/^check your learning\b/i.test(t)) state = 'check';
      else if (/^solution\b/i.test(t) && state === 'problem') state = 'solution';
      if (state === 'check' && localName(c) === 'note' && /^answers?\b/i.test(t)) {
        answer = c;
        return;
      }
      if (state === 'problem') {
        if (['figure', 'media', 'table'].includes(localName(c))) {
          pictures.push(c);
          return;
        }
        problem.push(tidy(this.say(c)));
      } else if (state === 'solution') solution.push(c);
      else check.push(c);
    });
    const problemText = tidy(problem.join(' '));
    const selfContained = !needsPicture(problemText) && !(pictures.length && POINTER_WORDS.test(problemText)) && !pointsAtItsPicture(problemText, kids.slice(0, 1));
    const steps = solution.length && selfContained ? this.stepsOf(solution) : null;
    if (problemText && steps) out.push({ xmlId: root.getAttribute('id') || null, title: title || problemText.slice(0, 80), problem: problemText, steps, coreqOnly });
    const answerEl = answer as Element | null;
    if (check.length && answerEl && !hasPicture([...check, answerEl]) && check.reduce((n, c) => n + this.proseWords(c), 0) >= 3) {
      const flags: SayFlags = { visual: false };
      const question = tidy(check.map((c) => this.say(c, flags)).join(' '));
      const answerText = tidy(this.say(answerEl, flags));
      const q = acceptQuestion(question, answerText, flags);
      if (q) questions.push({ xmlId: (check[0]?.getAttribute('id') ?? null) || null, question: q.question, answer: q.answer, coreqOnly });
    }
  }

  /** Solution blocks to steps: prose with the display math that sits in it or follows it. */
  private stepsOf(blocks: Element[]): ExampleStep[] | null {
    const steps: { text: string; math?: { math: MathSource; speech: string } }[] = [];
    const addMath = (m: { math: MathSource; speech: string }): void => {
      const last = steps[steps.length - 1];
      if (last && !last.math && last.text) last.math = m;
      else steps.push({ text: '', math: m });
    };
    const addText = (text: string): void => {
      const t = tidy(text);
      if (t) steps.push({ text: t });
    };
    const visitBlock = (el: Element): void => {
      if (isMathMl(el)) {
        const m = localName(el) === 'math' && !isTrivialMath(el) ? mathStep(el) : null;
        if (m) addMath(m);
        else addText(this.inlineMath(el));
        return;
      }
      switch (localName(el)) {
        case 'title':
        case 'label':
        case 'figure':
        case 'media':
        case 'commentary':
          return;
        case 'equation': {
          const math = mathOf(el);
          const m = math && !isTrivialMath(math) ? mathStep(math) : null;
          if (m) addMath(m);
          else if (math) addText(this.inlineMath(math));
          return;
        }
        case 'para':
          this.paraSteps(el, addText, addMath);
          return;
        case 'list':
          for (const item of this.listItems(el)) addText(item);
          return;
        case 'table':
          this.tableSteps(el, addText, addMath);
          return;
        case 'note':
        case 'section':
          for (const c of childElements(el)) visitBlock(c);
          return;
        default:
          addText(this.say(el));
      }
    };
    for (const b of blocks) visitBlock(b);
    let out = steps.filter((s) => s.text || s.math);
    if (!out.length) return null;
    if (out.length > MAX_EXAMPLE_STEPS) out = mergeTextSteps(out);
    if (out.length > MAX_EXAMPLE_STEPS) return null;
    return out.map((s) => ({
      text: s.text,
      ...(s.math ? { math: s.math.math } : {}),
      // an equation after a full stop starts a sentence ("Then, write the factors. The quantity x minus 2 ...")
      speech: tidy(`${s.text} ${s.math ? (/[.!?]\s*$/.test(s.text) || !s.text.trim() ? s.math.speech.charAt(0).toUpperCase() + s.math.speech.slice(1) : s.math.speech) : ''}`),
    }));
  }

  /** A paragraph: text runs, each closed by the display equation inside it; a paragraph that is only math is math. */
  private paraSteps(para: Element, addText: (t: string) => void, addMath: (m: { math: MathSource; speech: string }) => void): void {
    const kids = childElements(para).filter((c) => localName(c) !== 'title' && localName(c) !== 'label');
    const onlyMath = kids.length === 1 && isMathMl(kids[0]!) && !normalizeSpace(this.say(para, undefined, (el) => isMathMl(el)));
    let text = '';
    const flush = (m: { math: MathSource; speech: string } | null): void => {
      if (normalizeSpace(text)) addText(text);
      text = '';
      if (m) addMath(m);
    };
    for (let c = para.firstChild; c; c = c.nextSibling) {
      if (isText(c)) {
        text += rawText(c);
        continue;
      }
      if (!isElement(c)) continue;
      const display = localName(c) === 'equation' || isDisplayMath(c) || (onlyMath && isMathMl(c));
      if (display) {
        const math = mathOf(c);
        const m = math && !isTrivialMath(math) ? mathStep(math) : null;
        if (m) flush(m);
        else if (math) text += ` ${this.inlineMath(math)} `;
        continue;
      }
      text += isMathMl(c) ? ` ${this.inlineMath(c)} ` : this.sayElement(c, undefined);
    }
    flush(null);
  }

  /** A step-by-step table: one step per row, its prose from text cells and its math from a cell that is only math. */
  private tableSteps(table: Element, addText: (t: string) => void, addMath: (m: { math: MathSource; speech: string }) => void): void {
    for (const row of descendants(table, 'row', NS.cnxml)) {
      let text = '';
      let math: { math: MathSource; speech: string } | null = null;
      for (const entry of childElements(row)) {
        const kids = childElements(entry);
        const prose = normalizeSpace(this.say(entry, undefined, (el) => isMathMl(el)));
        if (!prose && kids.length === 1 && isMathMl(kids[0]!) && !math) {
          math = isTrivialMath(kids[0]!) ? null : mathStep(kids[0]!);
          if (!math) text += ` ${this.inlineMath(kids[0]!)} `;
        } else text += ` ${this.say(entry)} `;
      }
      text = tidy(text);
      if (text) addText(text);
      if (math) addMath(math);
    }
  }

  // ----- review questions -----

  private reviewQuestions(out: ExtractedQuestion[]): void {
    for (const ex of descendants(this.content!, 'exercise', NS.cnxml)) {
      const up = ancestors(ex, this.content ?? undefined);
      if (up.some((a) => localName(a) === 'example' || isWorkedExampleNote(a) || isSkippedBox(a))) continue;
      const problem = firstChild(ex, 'problem', NS.cnxml);
      const solution = firstChild(ex, 'solution', NS.cnxml);
      if (!problem || !solution || hasPicture([ex]) || this.proseWords(problem) < 3) continue;
      const flags: SayFlags = { visual: false };
      // the choices of a multiple-choice question: the problem's one enumerated list (a child of the problem or of its paragraph)
      const choices = descendants(problem, 'list', NS.cnxml).filter((l) => !ancestors(l, problem).some((a) => localName(a) === 'list'));
      const stem = tidy(this.say(problem, flags, (el) => choices.includes(el)));
      let answer = tidy(this.say(solution, flags));
      let question = stem;
      if (choices.length === 1) {
        const items = this.listItems(choices[0]!, flags, undefined, true);
        // "B", "(b)", or "The correct answer is (b). Because ..." (physics)
        const chosen = /^(?:the correct answer is\s+)?\(?([A-Ea-e])\)?(?:[.,:]|$)\s*(.*)$/i.exec(answer);
        const letter = chosen?.[1];
        const upper = (choices[0]!.getAttribute('number-style') ?? '').includes('upper') || /^[A-Z]$/.test(letter ?? '');
        const index = letter ? letter.toLowerCase().charCodeAt(0) - 97 : -1;
        const mark = (i: number): string => `(${String.fromCharCode((upper ? 65 : 97) + i)})`;
        if (letter && index >= 0 && index < items.length) {
          // multiple choice: the choices go with the question; the answer letter is followed by the choice it names (and the book's reason, if any)
          question = tidy(`${stem} ${items.map((t, i) => `${mark(i)} ${t.replace(/[.;,]+$/, '')}`).join(' ')}`);
          const reason = chosen?.[2] ?? '';
          answer = tidy(`${mark(index)} ${items[index]!.replace(/[.;,]+$/, '')}${reason ? `. ${reason}` : ''}`);
        } else question = tidy(`${stem} ${this.listItems(choices[0]!, flags).join(' ')}`);
      }
      const q = acceptQuestion(question, answer, flags);
      if (q) out.push({ xmlId: ex.getAttribute('id') || null, question: q.question, answer: q.answer, coreqOnly: this.isCoreq(ex) });
    }
  }

  // ----- glossary -----

  private glossary(): ExtractedGlossaryEntry[] {
    const out: ExtractedGlossaryEntry[] = [];
    const seen = new Set<string>();
    const glossary = firstChild(this.doc, 'glossary', NS.cnxml);
    if (glossary) {
      for (const def of descendants(glossary, 'definition', NS.cnxml)) {
        const termEl = firstChild(def, 'term', NS.cnxml);
        const meaning = firstChild(def, 'meaning', NS.cnxml);
        const term = termEl ? tidy(this.say(termEl)).replace(/[.,;:]+$/, '') : '';
        const definition = meaning ? oneLine(tidy(this.say(meaning))) : '';
        if (!term || !definition || seen.has(normKey(term))) continue;
        seen.add(normKey(term));
        out.push({ term, definition, coreqOnly: false });
      }
    }
    if (!this.content) return out;
    for (const termEl of descendants(this.content, 'term', NS.cnxml)) {
      if (classes(termEl).includes('no-emphasis')) continue;
      const up = ancestors(termEl, this.content);
      if (up.some((a) => this.options.isDropped(a) || ['table', 'title', 'caption', 'figure'].includes(localName(a)) || classes(a).includes('learning-objectives'))) continue;
      const term = tidy(this.say(termEl)).replace(/[.,;:]+$/, '');
      if (!term || seen.has(normKey(term))) continue;
      const block = up.find((a) => ['para', 'item', 'note'].includes(localName(a)));
      if (!block) continue;
      const sentence = splitSentences(tidy(this.say(block))).find((s) => normKey(s).includes(normKey(term)));
      if (!sentence || sentence.length > MAX_DEFINITION_CHARS || normKey(sentence) === normKey(term)) continue;
      seen.add(normKey(term));
      out.push({ term, definition: sentence, coreqOnly: this.isCoreq(termEl) });
    }
    return out;
  }
}

// ----- helpers -----

/** The review-question rules on text: a question and a short answer (fill-in lines read "blank"), nothing pointing elsewhere. */
function acceptQuestion(question: string, answer: string, flags: SayFlags): { question: string; answer: string } | null {
  const blank = (s: string): string => tidy(s.replace(/_{2,}/g, ' blank ')).replace(/^blank\b/, 'Blank');
  const q = blank(question);
  const a = blank(answer);
  if (!q || !a || a.length > MAX_ANSWER_CHARS || flags.visual) return null;
  if (refersElsewhere(q) || refersElsewhere(a)) return null;
  return { question: q, answer: a };
}

/** Any figure, image or table in these elements. */
function hasPicture(els: Element[]): boolean {
  return els.some((e) => ['figure', 'media', 'table'].some((n) => descendants(e, n, NS.cnxml).length > 0));
}

/** Tidy spoken prose; circled part markers (ⓐ) read as "(a)". */
function tidy(text: string): string {
  return tidyProse(text.replace(CIRCLED, (c) => ` (${String.fromCharCode(c.charCodeAt(0) - 0x24d0 + 97)}) `));
}

function oneLine(text: string): string {
  if (text.length <= MAX_DEFINITION_CHARS) return text;
  return splitSentences(text)[0] ?? text;
}

function titleText(el: Element): string {
  const t = firstChild(el, 'title', NS.cnxml);
  return t ? tidy(rawText(t)) : '';
}

function isAncestorOf(a: Node, b: Node): boolean {
  for (let p = b.parentNode; p; p = p.parentNode) if (p === a) return true;
  return false;
}

/** Descendant elements matching a predicate, in document order. */
function descendantsWhere(node: Node, pred: (el: Element) => boolean): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (!isElement(c)) continue;
      if (pred(c)) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** Fold each step into the step before it when that one has no math: fewer steps, same content in the same order. */
function mergeTextSteps<T extends { text: string; math?: unknown }>(steps: T[]): T[] {
  const out: T[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && !last.math) out[out.length - 1] = { ...s, text: [last.text, s.text].filter(Boolean).join(' ') };
    else out.push(s);
  }
  return out;
}

function dedupeBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ----- before parsing: which exercises to keep in the document -----

/**
 * Character ranges of worked examples in module text (CNXML `<example>` elements and notes of class
 * `worked-example`), found by scanning tags with a stack so that nested notes close correctly.
 */
export function exampleRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  const stack: { name: string; start: number; example: boolean }[] = [];
  for (const m of text.matchAll(/<(\/?)((?:\w+:)?(?:example|note))\b([^>]*?)(\/?)>/g)) {
    const [, close, name, attrs, selfClose] = m;
    if (selfClose) continue;
    if (!close) {
      const example = /example$/.test(name!) || /\bclass="[^"]*\bworked-example\b/.test(attrs!);
      stack.push({ name: name!, start: m.index!, example });
      continue;
    }
    // pop to the matching opening tag (tolerates stray closes)
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i]!.name !== name) continue;
      const open = stack[i]!;
      stack.length = i;
      if (open.example) out.push([open.start, m.index! + m[0].length]);
      break;
    }
  }
  return out;
}

/**
 * Whether an exercise's markup is worth parsing for materials: inside a worked example, any exercise
 * with a solution; elsewhere, one that could pass the review-question rules. The checks on markup
 * only ever reject what the rules on the parsed exercise would reject too, so cutting an exercise out
 * here never loses a question (a test compares against parsing every exercise).
 */
export function exerciseMarkupMayHoldMaterials(markup: string, inExample: boolean): boolean {
  const solution = /<((?:\w+:)?solution)\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1\s*>)/.exec(markup);
  if (!solution) return false;
  if (inExample) return true;
  // review-question rules: no figure, image or table anywhere in the exercise
  if (/<(?:figure|media|table)\b/.test(markup)) return false;
  const problem = /<((?:\w+:)?problem)\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1\s*>)/.exec(markup);
  if (!problem) return false;
  const problemMarkup = problem[2] ?? '';
  // prose of the problem: its text without math, titles, labels, footnotes (what say() leaves out)
  const prose = markupText(problemMarkup.replace(MATH_MARKUP, ' '));
  if (/\bthe following\b/i.test(prose)) return false;
  // links, sub- and superscripts can add spoken words ("the figure", "sub", "squared"): no word count then
  if (!/<(?:\w+:)?(?:link|sub|sup)\b/.test(problemMarkup) && countWords(prose) < 3) return false;
  // spoken math is longer than its characters, so an answer over twice the limit in markup is over the limit spoken
  return markupText(solution[2] ?? '').length <= 2 * MAX_ANSWER_CHARS;
}

const MATH_MARKUP = /<((?:\w+:)?math)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/g;
const UNSPOKEN_MARKUP = /<((?:\w+:)?(?:title|label|footnote|caption|commentary))\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/g;

/** Text of a markup fragment as say() reads it, roughly: unspoken elements and tags removed, whitespace collapsed. */
function markupText(markup: string): string {
  return normalizeSpace(markup.replace(UNSPOKEN_MARKUP, ' ').replace(/<[^>]*>/g, ' '));
}

/** Extract the materials of one parsed module document (the `<document>` root). */
export function extractMaterials(doc: Element, options: ExtractMaterialsOptions): ExtractedMaterials {
  const content = firstChild(doc, 'content', NS.cnxml);
  return new MaterialsExtractor(doc, content, options).extract();
}
