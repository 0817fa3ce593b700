import type { Passage } from '../domain/library.js';
import type { GradeBand } from '../domain/generation.js';
import { countWords, splitSentences } from '../text/sentences.js';

/** One usable sentence of one passage, with what the writer needs to choose and order it. */
export interface Candidate {
  text: string;
  words: number;
  passageId: string;
  /** Reading order of the passage among the sources. */
  passageRank: number;
  /** Position of the sentence within its passage's usable sentences. */
  index: number;
  /** Leans on the sentence before it ("This means...", "Another..."): only used together with it. */
  dependent: boolean;
  /** Longer than the grade band likes: used only when a section has nothing else. */
  long: boolean;
  score: number;
}

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have having
  he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
  once only or other our out over own same she should so some such than that the their them then there these
  they this those through to too under until up very was we were what when where which while who whom why
  will with would you your yours explain tell describe show teach please help understand learn know mean
  means meaning work works happen happens really thing things way ways kind example examples like want need
  question grade lesson video`
    .split(/\s+/)
    .filter(Boolean),
);

/** Lower-case content words with a light plural/possessive fold, for overlap scoring. */
export function contentTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)?/gu) ?? []) {
    let w = raw.replace(/['\u2019]s$/, '').replace(/['\u2019]/g, '');
    if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
    else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.add(w);
  }
  return out;
}

// Parenthetical pointers to figures, tables and equations, and bracketed reference marks.
const PAREN_REF =
  /\s*\((?:see\s+|as\s+(?:shown|seen)\s+in\s+)?(?:the\s+|an?\s+)?(?:figure|fig\.|figs\.|table|equation|eq\.|example|chapter|section|appendix)\b[^()]*\)/gi;
const BRACKET_REF = /\s*\[\s*\d+(?:\s*[,\u2013-]\s*\d+)*\s*\]/g;
const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;

/** Sentences that point at something the narration cannot show, or that address the reader of a book. */
const SKIP_PATTERNS: RegExp[] = [
  /\b(?:figure|fig\.|figs\.|table)\s*\d/i,
  /^(?:figure|table|exercise|problem|example)\s+[\dA-Z]/i,
  /^see\b/i,
  /\bthe example and the example\b/i,
  /\b(?:see|refer to|shown in|as shown|illustrated in|depicted in|pictured in|shown below|shown above)\b.*\b(?:figure|table|diagram|graph|image|photo|illustration|below|above)\b/i,
  /\b(?:check your understanding|link to learning|try it|try this|self[- ]check|practice problems?|exercises?\s+\d|review questions?|critical thinking questions?)\b/i,
  /\b(?:click|visit|watch (?:this|the) (?:video|simulation|animation)|go to|download)\b/i,
  /https?:\/\/|www\.|\.(?:com|org|edu|gov)\b/i,
  /\b(?:in this (?:section|chapter|module|unit|lesson)|you will (?:learn|explore|be able)|learning objectives?|by the end of this)\b/i,
  /\b(?:openstax|creative commons|cc by)\b/i,
  /\b(?:previous|next|following|preceding|earlier|later|another|this|that) (?:section|chapter|module|unit|lesson)\b/i,
  /\b(?:as (?:was )?(?:discussed|shown|mentioned|seen|noted|described|explained) (?:earlier|previously|above|below|before))\b/i,
  /\b(?:in|on) the (?:figure|table|diagram|photograph|photo|image|graph|illustration|map)\b/i,
  /\bthe (?:figure|table|diagram|photograph|photo|image|graph|illustration|map) (?:above|below|shows?|illustrates?)\b/i,
  /\b(?:check your learning|check your understanding|your turn|media|interactive)\b/i,
];

const DEPENDENT_START =
  /^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|here|then|however|but|so|thus|therefore|hence|also|instead|similarly|likewise|meanwhile|otherwise|in (?:that|this|which) case|as a result|because of this|for (?:example|instance)|in fact|in other words|finally|first|second|third|fourth|fifth|next|another|the other|the same|both|neither|either|yet|still|even so|at the same time|over the long run|in practice|in reality|on the other hand)\b/i;

/** "The car, however, ...": a sentence whose first clause marks it as a continuation. */
const DEPENDENT_INNER = /^[^,]{1,40},\s*(?:however|though|therefore|then|too|instead|in turn|as a result|by contrast|in contrast)\b/i;

export function leansOnPrevious(text: string): boolean {
  return DEPENDENT_START.test(text) || DEPENDENT_INNER.test(text);
}

const DEFINITION = /\b(?:is called|are called|is known as|are known as|is defined as|refers? to|means|states? that|is the|are the|is a|are a|is an|are two)\b/i;

/** Fraction of a sentence's visible characters that are letters: low for formulas and symbol soup. */
function letterRatio(s: string): number {
  const visible = s.replace(/\s+/g, '');
  if (!visible) return 0;
  const letters = visible.match(/\p{L}/gu)?.length ?? 0;
  return letters / visible.length;
}

/** Parentheses that hold mostly symbols ("([H3O+] > [OH-])"): dropped, since they cannot be narrated. */
function dropSymbolParentheses(text: string): string {
  return text.replace(/\s*\(([^()]*)\)/g, (whole, inner: string) => (letterRatio(inner) < 0.6 || /[<>=\[\]{}^]/.test(inner) ? '' : whole));
}

/** Comparison and arithmetic signs that may be left in prose, said as words. */
function speakSymbols(text: string): string {
  return text
    .replace(/\s*\u2264\s*/g, ' less than or equal to ')
    .replace(/\s*\u2265\s*/g, ' greater than or equal to ')
    .replace(/\s+<\s+/g, ' less than ')
    .replace(/\s+>\s+/g, ' greater than ')
    .replace(/\s+=\s+/g, ' equals ')
    .replace(/\s*\u00b1\s*/g, ' plus or minus ')
    .replace(/\s+\u00d7\s+/g, ' times ')
    .replace(/(\d)\s*%/g, '$1 percent')
    .replace(/\s*\u00b0\s*C\b/g, ' degrees Celsius')
    .replace(/\s*\u00b0\s*F\b/g, ' degrees Fahrenheit')
    .replace(/\s*\u00b0/g, ' degrees');
}

/** Clean one passage's text and split it into narratable sentences (unscored). */
export function usableSentences(text: string): string[] {
  const cleaned = dropSymbolParentheses(text.replace(CONTROL, ' ').replace(PAREN_REF, '').replace(BRACKET_REF, ''))
    .replace(/\s+/g, ' ')
    .trim();
  // A colon before a capital letter ends a list opener ("are the following: Friction ..."): split there.
  const pieces = cleaned.split(/(?<=:)\s+(?=\p{Lu})/u).flatMap((chunk) => splitSentences(chunk));
  const out: string[] = [];
  for (const piece of pieces) {
    const s = piece.replace(/\s+([,.;:!?])/g, '$1').trim();
    if (letterRatio(s) < 0.6 || /->|=>|\s[=<>]\s.*\s[=<>]\s/.test(s)) continue;
    const sentence = speakSymbols(s).replace(/\s+/g, ' ').trim();
    if (countWords(sentence) < 3) continue;
    if (/[:;,\u2013\u2014-]$/.test(sentence)) continue;
    if (SKIP_PATTERNS.some((re) => re.test(sentence))) continue;
    out.push(/[.!?]["'\u2019\u201D)]?$/.test(sentence) ? sentence : `${sentence}.`);
  }
  return out;
}

export interface ScoringContext {
  questionTokens: Set<string>;
  topicTokens: Set<string>;
  keyTermPhrases: string[];
  band: GradeBand;
}

/** The longest sentence (in words) a grade band prefers; longer ones are a last resort. */
export function longSentenceLimit(band: GradeBand): number {
  return band === 'high' ? 45 : 35;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const t of a) if (b.has(t)) n++;
  return n;
}

/** Score how informative a sentence is for this question and topic (higher is better). */
export function scoreSentence(text: string, index: number, ctx: ScoringContext): number {
  const tokens = contentTokens(text);
  const words = countWords(text);
  const lower = text.toLowerCase();
  let score = 1.5 * overlap(tokens, ctx.questionTokens) + 0.75 * overlap(tokens, ctx.topicTokens);
  for (const phrase of ctx.keyTermPhrases) if (phrase && lower.includes(phrase)) score += 1;
  if (index === 0) score += 1.5;
  if (DEFINITION.test(text)) score += 1;
  if (text.endsWith('?')) score -= 1.5;
  if (words < 7) score -= 1;
  if (leansOnPrevious(text)) score -= 0.5;
  const comfortable = ctx.band === 'high' ? 32 : ctx.band === 'middle' ? 24 : 18;
  if (words > comfortable) score -= (words - comfortable) / 8;
  return Math.round(score * 1000) / 1000;
}

/** Split, clean and score the passages (already in reading order). */
export function candidatesOf(passages: Passage[], ctx: ScoringContext): Candidate[][] {
  const limit = longSentenceLimit(ctx.band);
  return passages.map((p, passageRank) =>
    usableSentences(p.text).map((text, index) => ({
      text,
      words: countWords(text),
      passageId: p.id,
      passageRank,
      index,
      dependent: index > 0 && leansOnPrevious(text),
      long: countWords(text) > limit,
      score: scoreSentence(text, index, ctx),
    })),
  );
}

/** A bullet that is a whole sentence or clause (not cut mid-clause with an ellipsis). */
export function isCleanBullet(bullet: string): boolean {
  return bullet.length > 0 && !bullet.endsWith('\u2026');
}

export const LEADING_CONNECTIVE =
  /^(?:for (?:example|instance)|in fact|however|finally|first|second|third|fourth|also|instead|in other words|as a result|even so|in practice|in reality|in general|in words|so|but|yet|then|of course|as we (?:know|have seen|saw)|as you (?:know|may know|might expect|can see)|recall that|remember that|note that|notice that)\s*,?\s+/i;
/** An opening phrase that can go from a bullet: "In 1781, ...", "When the forces balance, ...". */
const INTRO_PHRASE =
  /^(?!at least\b|in fact\b)(?:in|on|at|by|during|after|before|when|whenever|if|because|although|though|while|since|using|for|with|without|near|over|under|once|unless|as|to|from)\b[^,]{0,70},\s+/i;
/** A clause that cannot stand as a bullet on its own because it opens with a preposition. */
const PREPOSITION_OPENING = /^(?:with|than|to|of|in|on|at|by|for|from|into|onto|about|as|like)\b/i;
/** Words that open a non-restrictive aside: ", which happens in the mitochondria, ...". */
const ASIDE_OPENING =
  /^(?:which|who|whose|found|known|called|developed|made|written|including|such as|like|especially|often|usually|led by|named|short for|also called)\b/i;
/** A comma after which an independent or trailing clause starts: a safe place to end a bullet. */
const SAFE_CUT =
  /(?:,\s(?:and|but|so|yet|while|whereas|which|where|because|so that|such as|including|especially|like|as in|as when|an?\s)\b|,\s\p{L}{3,}ing\b|;\s|\s[\u2013\u2014]\s|:\s)/gu;
/** A first clause that is subordinate: it opens with a subordinator, or reports one ("says that if ..."). */
const LEADING_SUBORDINATE = /^(?:[^,]*\bthat\s+)?(?:whenever|when|if|because|although|while|since|unless|until|whereas|as|once)\b/i;
/** The start of a list item that continues a list after a comma: "animals, ...", "fungi and protists,". */
const LIST_ITEM = /^(?:[\p{L}\p{N}'\u2019-]+(?:\s[\p{L}\p{N}'\u2019-]+)?,|(?:[\p{L}\p{N}'\u2019-]+\s)?(?:and|or)\s[\p{L}\p{N}'\u2019-]+(?:\s[\p{L}\p{N}'\u2019-]+)?,)/u;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Remove asides set off by commas (", which ..., ", ", found in a, b and c, "), list-aware. */
function dropAsides(s: string): string {
  let out = s;
  for (let guard = 0; guard < 5; guard++) {
    let changed = false;
    const re = /,\s/g;
    for (let m = re.exec(out); m; m = re.exec(out)) {
      const from = m.index;
      const rest = out.slice(from + 2);
      if (!ASIDE_OPENING.test(rest)) continue;
      // The aside ends at the first comma that is not followed by another list item.
      let end = -1;
      let at = rest.indexOf(', ');
      while (at >= 0) {
        if (!LIST_ITEM.test(rest.slice(at + 2))) {
          end = at;
          break;
        }
        at = rest.indexOf(', ', at + 2);
      }
      if (end < 0) continue;
      const candidate = `${out.slice(0, from)} ${rest.slice(end + 2)}`.replace(/\s+/g, ' ');
      if (candidate.length >= 20) {
        out = candidate;
        changed = true;
        break;
      }
    }
    if (!changed) break;
  }
  return out;
}

function fitted(s: string, maxChars: number): string | null {
  const t = s.replace(/[,;:\s]+$/, '').trim();
  return t.length >= 20 && t.length <= maxChars && !/\b(?:and|or|but|the|a|an|of|to|that|with|by|for|is|are|be|therefore|thus|as)$/i.test(t)
    ? capitalize(t)
    : null;
}

/**
 * A slide bullet from a sentence: the whole sentence when it fits in `maxChars`; otherwise the
 * sentence without its asides and opening phrase, cut at a safe clause boundary; as a last resort,
 * the sentence cut at a word with an ellipsis.
 */
/** Strip leading connectives ("In practice, however, ...") so a sentence reads on its own. */
export function withoutLeadingConnectives(sentence: string): string {
  let s = sentence.trim();
  for (let guard = 0; guard < 4; guard++) {
    const next = s.replace(LEADING_CONNECTIVE, '');
    if (next === s) break;
    s = next;
  }
  return capitalize(s);
}

export function toBullet(sentence: string, maxChars: number): string {
  const s = capitalize(
    withoutLeadingConnectives(sentence)
      .replace(/,\s*(?:however|though|therefore|in turn|for (?:example|instance)|in fact),\s*/gi, ' ')
      .replace(/[.!]+$/, '')
      .trim(),
  );
  if (s.length <= maxChars) return s;
  // Never cut inside a quotation: a sentence that quotes is only shortened at a word.
  if (/["\u201C\u201D]/.test(s)) return ellipsis(s, maxChars);
  let t = dropAsides(s);
  // Drop an opening phrase ("After marchers were attacked in Selma, Alabama, in 1965, ..."),
  // including place names and dates it runs through.
  const intro = t.match(INTRO_PHRASE);
  if (intro && t.length - intro[0].length >= 20) {
    let rest = t.slice(intro[0].length);
    for (let guard = 0; guard < 4; guard++) {
      const more = rest.match(/^[^\s,]+,\s+/) ?? rest.match(INTRO_PHRASE);
      if (!more || rest.length - more[0].length < 20) break;
      rest = rest.slice(more[0].length);
    }
    t = capitalize(rest);
  }
  const whole = fitted(t, maxChars);
  if (whole) return whole;
  // The longest prefix that ends at a safe clause boundary and fits.
  let best: string | null = null;
  for (const m of t.matchAll(SAFE_CUT)) {
    const prefix = fitted(t.slice(0, m.index), maxChars);
    if (prefix) best = prefix;
  }
  if (best) return best;
  // "X states that whenever A, B": B is the main clause.
  const comma = t.indexOf(', ');
  if (comma > 0 && LEADING_SUBORDINATE.test(t.slice(0, comma))) {
    const rest = t.slice(comma + 2);
    const main = PREPOSITION_OPENING.test(rest) ? null : fitted(withoutLeadingConnectives(rest), maxChars);
    if (main) return main;
  }
  return ellipsis(t, maxChars);
}

function ellipsis(t: string, maxChars: number): string {
  const cut = t.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(' ');
  return capitalize(`${(space > 20 ? cut.slice(0, space) : cut).replace(/[,;:\s]+$/, '')}\u2026`);
}
