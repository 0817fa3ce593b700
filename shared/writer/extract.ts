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
  /** Opens with a word that points back ("This", "Similarly", "Recall that"), whatever its position. */
  leans: boolean;
  /** How plainly it defines or states the topic or a key term (0..3, see definitionStrength). */
  definition: number;
  /** A step of a procedure or problem-solving strategy ("Next, make a list of knowns"). */
  procedural: boolean;
  /** Mostly a spoken formula ("v sub avg equals distance over time"): narrated only as a last resort. */
  formula: boolean;
  /** Opens with "the X" for an X of the sentence before ("... the car's wheels. ... the wheels ..."). */
  refersBack: boolean;
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
/** ", as illustrated in the figure": a clause pointing at a figure, said without it (the sentence stays). */
const FIGURE_CLAUSE =
  /,\s*(?:as\s+(?:is\s+)?)?(?:illustrated|shown|seen|depicted|pictured|in)\s+(?:in\s+)?(?:the\s+)?(?:figure|fig\.|table|diagram|photo|photograph)(?:\s+\d+(?:\.\d+)*)?(?=[,.;])/gi;
/** "The equation described in section 4.1 is ...": a pointer to another section, said without it. */
const SECTION_REF = /\s+(?:described|discussed|introduced|presented|shown|given|defined|covered)\s+(?:in|earlier in)\s+(?:section|chapter)\s+\d+(?:\.\d+)*/gi;
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
  /\b(?:previous|next|following|preceding|earlier|later|last|another|this|that) (?:section|chapter|module|unit|lesson)\b/i,
  /\b(?:as (?:was )?(?:discussed|shown|mentioned|seen|noted|described|explained) (?:earlier|previously|above|below|before))\b/i,
  /\b(?:in|on) the (?:figure|table|diagram|photograph|photo|image|graph|illustration|map)\b/i,
  /\bthe (?:figure|table|diagram|photograph|photo|image|graph|illustration|map) (?:above|below|shows?|illustrates?)\b/i,
  /\b(?:check your learning|check your understanding|your turn|media|interactive)\b/i,
];

const DEPENDENT_START =
  /^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|here|then|however|but|and|or|nor|so|thus|therefore|hence|also|instead|similarly|likewise|moreover|furthermore|additionally|in addition|consequently|accordingly|meanwhile|otherwise|in (?:this|these|that|those|which)\b|in the same way|as a result|because of this|for (?:example|instance)|in fact|in other words|finally|first|second|third|fourth|fifth|next|another|other (?:examples?|cases?|ways?)|the other|the same|both|neither|either|yet|still|even so|at the same time|over the long run|in practice|in reality|on the other hand|recall that|remember that|as (?:we|you) (?:saw|have seen|know|learned))\b/i;

/** "The car, however, ...": a sentence whose first clause marks it as a continuation. */
const DEPENDENT_INNER = /^[^,]{1,40},\s*(?:however|though|therefore|then|too|instead|in turn|as a result|by contrast|in contrast)\b/i;

/** "Extending this symbolism ...", "Solving these equations ...": a demonstrative early on points back. */
const DEMONSTRATIVE_EARLY = /^(?:[^\s,]+\s+){1,3}(?:this|these|those)\s+(?!is\b|are\b|was\b|were\b|section\b|chapter\b)\p{L}/u;

/** "It has long been known that ...", "It is sometimes convenient to ...": an "it" that points nowhere. */
const EXPLETIVE_IT =
  /^it\s+(?:is|was|has|had|can|could|may|might|will|would|seems|seemed|appears|appeared|turns out|turned out|takes|took|remains)\b(?:\s+[^\s,]+){0,5}?\s+(?:that|to|whether|how|why|when)\b/i;

export function leansOnPrevious(text: string): boolean {
  if (EXPLETIVE_IT.test(text)) return DEPENDENT_INNER.test(text);
  return DEPENDENT_START.test(text) || DEPENDENT_INNER.test(text) || DEMONSTRATIVE_EARLY.test(text);
}

/** A connective that only adds to what came before ("Furthermore, ..."): fine after any narrated sentence. */
export const ADDITIVE_START = /^(?:furthermore|moreover|in addition|additionally|also|similarly|likewise)\b/i;

const DEFINITION = /\b(?:is called|are called|is known as|are known as|is defined as|refers? to|means|states? that|is the|are the|is a|are a|is an|are two)\b/i;

/** Fold case and apostrophes so "Newton’s" in a key term matches "Newton's" in the text. */
function foldText(text: string): string {
  return text.toLowerCase().normalize('NFKC').replace(/[\u2018\u2019\u02BC`]/g, "'").replace(/\s+/g, ' ');
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern of a term in folded text; a plural "s"/"es" may follow ("quadratic equation(s)"). */
function termPattern(term: string): RegExp | null {
  const words = foldText(term).replace(/[^\p{L}\p{N}' -]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.join('').length < 3) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('[\\s-]+')}(?:e?s)?(?![\\p{L}\\p{N}])`, 'u');
}

/**
 * The phrases a topic defines: its key terms, and its title (without a section number or subtitle)
 * and the multi-word parts of it ("Newton's Third Law of Motion" gives "Newton's third law"; "Speed
 * and Velocity" gives nothing more than its key terms).
 */
export function definitionTerms(title: string, keyTerms: string[]): string[] {
  const core = title.replace(/\s+/g, ' ').trim().replace(/^\d+(?:\.\d+)*\s+/, '').split(':')[0].trim();
  const parts = core.split(/\s+(?:of|and|in|for|with|&)\s+|,\s*/i).map((x) => x.trim());
  const out: string[] = [];
  for (const t of [...keyTerms, core, ...parts.filter((x) => x.split(' ').length >= 2)]) {
    const k = t.replace(/\s+/g, ' ').trim();
    if (k && !out.some((o) => foldText(o) === foldText(k))) out.push(k);
  }
  return out;
}

/** Adjectives that make "X is ..." an evaluation, not a definition ("Newton's third law is useful"). */
const EVALUATIVE =
  /^(?:useful|important|easy|difficult|hard|possible|impossible|true|false|similar|common|interesting|helpful|necessary|clear|obvious|also|not|often|sometimes|usually|typically|generally|commonly|normally|mostly|rarely|only|never|always|very|more|less|still|now|then|thus|therefore)\b/;
const STATES = /^(?:states?|stated|is defined (?:as|by|to be)|are defined (?:as|by|to be)|refers? to|means|is the name (?:of|for|given to)|are the names)\b/;
const SAYS = /^(?:tells us that|says that|explains that|shows that|describes|describe|is given by|are given by|is equal to)\b/;
const COPULA = /^(?:is|are)\s+(\S+)/;
const NAMING = /\b(?:is|are|was|were) (?:called|known as|termed|named|referred to as|defined as) (?:an? |the )?$/;

/**
 * How plainly a sentence defines or states one of `terms` (0..3):
 * 3 - "X states that", "X is defined as", "X refers to", "... is called X", "X is ..., meaning that";
 * 2.5 - "X tells us that", "X describes";
 * 2 - "X is a/an/the ...", "X is <noun phrase>", "... is its X";
 * 1 - a definition cue without one of the terms ("is called", "states that"), or "X is <evaluation>".
 * X must be the subject: it starts within the first six words.
 */
export function definitionStrength(text: string, terms: string[]): number {
  const s = foldText(text).replace(/[.!?]+["')\u201D]*$/, '');
  let best = 0;
  for (const term of terms) {
    const re = termPattern(term);
    if (!re) continue;
    const m = re.exec(s);
    if (!m) continue;
    const before = s.slice(0, m.index);
    const after = s.slice(m.index + m[0].length);
    // "... is called X", "... are known as the X"
    if (NAMING.test(before)) {
      best = Math.max(best, 3);
      continue;
    }
    // "A description of how fast an object moves is its speed."
    if (/\b(?:is|are) (?:its|their|an?|the)\s?$/.test(before) && after.trim() === '') best = Math.max(best, 2);
    if (before.trim().split(/\s+/).filter(Boolean).length > 6) continue;
    // "When you describe an object's speed, ...": the term sits in a subordinate clause, not as subject.
    if (/^(?:when|whenever|if|because|although|though|while|since|as|after|before|unless|until|once|where|how|why|what)\b/.test(before.trim())) continue;
    // The verb follows the term within a few words: "X (of motion) states that", "X, which states that".
    const tail = after.replace(/^\s*,?\s*(?:which|that)?\s*/, '');
    const words = tail.split(/\s+/);
    for (let skip = 0; skip <= 4 && skip < words.length; skip++) {
      const rest = words.slice(skip).join(' ');
      if (STATES.test(rest)) best = Math.max(best, 3);
      else if (SAYS.test(rest)) best = Math.max(best, 2.5);
      else {
        const cop = COPULA.exec(rest);
        if (cop) {
          const meaning = /,\s*(?:meaning that|which means that|that is,)/.test(rest);
          const strength = meaning ? 3 : EVALUATIVE.test(cop[1]) ? 1 : 2;
          best = Math.max(best, strength);
        } else continue;
      }
      break;
    }
    if (best >= 3) break;
  }
  if (best === 0 && /\b(?:is called|are called|is known as|are known as|is defined as|states? that|meaning that)\b/i.test(text)) best = 1;
  return best;
}

const IMPERATIVE =
  /^(?:make|figure out|identify|draw|label|use|find|rewrite|apply|solve|substitute|determine|check|write|list|set up|plug|multiply|divide|subtract|factor|simplify|isolate|compute|calculate|choose|sketch|assign|translate|verify|graph|collect|replace|evaluate|express|begin|repeat|keep in mind|be sure|make sure|remember to|pay (?:close )?attention|carefully|now,? (?:carefully )?(?:define|use|find|make|draw|apply|solve)|add|take)\b/i;
const STEP_OPENING = /^(?:first|second|third|next|then|finally|lastly|now)\b,?\s+(?:\S+\s+){0,2}?(?:make|figure|identify|draw|label|use|find|rewrite|apply|solve|substitute|determine|check|write|list|set|plug|multiply|divide|add|subtract|factor|simplify|isolate|compute|calculate|choose|define|sketch|assign|translate|verify|move|put|replace|evaluate|carefully)\b/i;
const PROBLEM_SOLVING =
  /\b(?:problem[- ]solving|knowns and unknowns|list of knowns|setting up (?:a|the) problem|solve the problem|in the problem|the problem involves|strateg(?:y|ies) for (?:solving|applying|approaching)|in step \d|step \d)\b/i;

/** "With the quadratic in standard form, ..., multiply a times c.": an instruction after an opening phrase. */
const INNER_IMPERATIVE =
  /,\s+(?:then\s+)?(?:multiply|divide|add|subtract|factor|solve|find|use|rewrite|set|isolate|take|write|substitute|simplify|apply|draw|label|identify|move|put|replace)\s+(?:the|a|an|it|each|both|all|those|these|this|x|y|\d)\b/i;

/** A step of a procedure or of a problem-solving strategy, rather than exposition of an idea. */
export function isProcedural(text: string): boolean {
  const t = text.trim();
  return IMPERATIVE.test(t) || STEP_OPENING.test(t) || PROBLEM_SOLVING.test(t) || /^given an?\b[^,]*,\s/i.test(t) || INNER_IMPERATIVE.test(t);
}

const MATH_WORD =
  /^(?:sub|plus|minus|times|over|equals|squared|cubed|yields|root|fraction|numerator|denominator|quantity|delta|[a-z]|\p{Lu}[a-z]?\d*|\d+(?:\.\d+)?|[a-z]\d)$/u;

/** Mostly a formula read out in words: "C sub 2 H sub 6 plus 7 over 2 O sub 2 yields ...". */
export function isSpokenFormula(text: string): boolean {
  const words = text.replace(/[.,;:!?()]/g, ' ').split(/\s+/).filter(Boolean);
  const math = words.filter((w) => MATH_WORD.test(w) && !/^(?:a|A|I)$/.test(w)).length;
  return math >= 4 && math / Math.max(1, words.length) >= 0.4;
}

/** A vivid opening ("If you have ever stubbed your toe, ..."): fine, but a definition comes first. */
const ANECDOTE = /^(?:if you have ever|have you ever|imagine|suppose|picture|you may have|you might have|you have probably)\b/i;

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
  const cleaned = dropSymbolParentheses(text.replace(CONTROL, ' ').replace(PAREN_REF, '').replace(BRACKET_REF, '').replace(SECTION_REF, '').replace(FIGURE_CLAUSE, ''))
    .replace(/\s+/g, ' ')
    .trim();
  // A colon before a capital letter ends a list opener ("are the following: Friction ..."): split there.
  const pieces = cleaned
    .split(/(?<=:)\s+(?=\p{Lu})/u)
    // "... the displacement occurs. v sub avg equals ...": a formula after a full stop starts a new sentence.
    .flatMap((chunk) => chunk.split(/(?<=\p{Ll}{2}[.!?])\s+(?=\p{Ll}\s)/u))
    .flatMap((chunk) => splitSentences(chunk));
  const out: string[] = [];
  for (const piece of pieces) {
    const s = piece.replace(/\s+([,.;:!?])/g, '$1').trim();
    if (letterRatio(s) < 0.6 || /->|=>|\s[=<>]\s.*\s[=<>]\s/.test(s)) continue;
    const sentence = speakSymbols(s).replace(/\s+/g, ' ').trim();
    if (countWords(sentence) < 3) continue;
    if (/[:;,\u2013\u2014-]$/.test(sentence)) continue;
    // A fragment left by a split inside a quotation: "... cannot be answered without ...".
    if (/^\p{Ll}{3,}\b/u.test(sentence)) continue;
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
  /** Phrases whose definition or statement is the core of the topic (see definitionTerms). */
  definitionTerms?: string[];
  /** The question asks for a procedure ("how do I solve ..."): its steps are not penalised as much. */
  wantsSteps?: boolean;
  /** The question's content words, stemmed ("pushed back" matches "pushes ... backward"). */
  questionStems?: Set<string>;
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
  const asked = ctx.questionStems ? overlap(stemTokens(text), ctx.questionStems) : overlap(tokens, ctx.questionTokens);
  let score = 1.5 * asked + 0.75 * overlap(tokens, ctx.topicTokens);
  for (const phrase of ctx.keyTermPhrases) if (phrase && lower.includes(phrase)) score += 1;
  if (index === 0) score += 1.5;
  if (DEFINITION.test(text)) score += 1;
  // A statement or definition of the topic or a key term is what a lesson must not leave out.
  score += 1.25 * definitionStrength(text, ctx.definitionTerms ?? []);
  if (isProcedural(text)) score -= ctx.wantsSteps ? 1 : 2.5;
  if (isSpokenFormula(text)) score -= 3;
  if (ANECDOTE.test(text)) score -= 0.5;
  if (text.endsWith('?')) score -= 1.5;
  if (words < 7) score -= 1;
  if (leansOnPrevious(text)) score -= 0.5;
  const comfortable = ctx.band === 'high' ? 32 : ctx.band === 'middle' ? 24 : 18;
  if (words > comfortable) score -= (words - comfortable) / 8;
  return Math.round(score * 1000) / 1000;
}

const NOT_ANAPHORIC = new Set(['same', 'first', 'second', 'third', 'last', 'next', 'other', 'following', 'most', 'two', 'three', 'one', 'end', 'way', 'number', 'time']);

/**
 * Whether a sentence opens (first eight words) with a definite noun phrase, "the X", for an X the
 * previous sentence mentions and this one does not introduce: it then points back at that sentence.
 * Words of the topic itself ("the force" in a lesson on forces) do not count.
 */
export function refersBack(text: string, previous: string, topicStems: Set<string>): boolean {
  if (!previous) return false;
  const before = stemTokens(previous);
  const head = text.split(/\s+/).slice(0, 8).join(' ');
  for (const m of head.matchAll(/\bthe\s+([\p{L}'’-]+)/giu)) {
    const word = m[1].toLowerCase().replace(/['’]s$/, '');
    const st = stem(word);
    if (NOT_ANAPHORIC.has(word) || topicStems.has(st) || !before.has(st)) continue;
    const introduced = new RegExp(`\\b(?:a|an)\\s+(?:\\S+\\s+)?${escapeRegExp(word)}`, 'i').test(text.slice(0, m.index));
    if (!introduced) return true;
  }
  return false;
}

/** Split, clean and score the passages (already in reading order). */
export function candidatesOf(passages: Passage[], ctx: ScoringContext): Candidate[][] {
  const limit = longSentenceLimit(ctx.band);
  const terms = ctx.definitionTerms ?? [];
  const topicStems = stemTokens([...ctx.topicTokens].join(' '));
  return passages.map((p, passageRank) =>
    usableSentences(p.text).map((text, index, all) => {
      const leans = leansOnPrevious(text);
      return {
        text,
        words: countWords(text),
        passageId: p.id,
        passageRank,
        index,
        dependent: index > 0 && leans,
        leans,
        definition: definitionStrength(text, terms),
        procedural: isProcedural(text),
        formula: isSpokenFormula(text),
        refersBack: index > 0 && refersBack(text, all[index - 1], topicStems),
        long: countWords(text) > limit,
        score: scoreSentence(text, index, ctx),
      };
    }),
  );
}

/** A bullet that is a whole sentence or clause (not cut mid-clause with an ellipsis). */
export function isCleanBullet(bullet: string): boolean {
  return bullet.length > 0 && !bullet.endsWith('\u2026');
}

export const LEADING_CONNECTIVE =
  /^(?:for (?:example|instance)|in fact|however|finally|first|second|third|fourth|also|instead|in other words|as a result|even so|in practice|in reality|in general|in words|so|but|yet|then|of course|similarly|likewise|moreover|furthermore|in addition|additionally|indeed|as we (?:know|have seen|saw)|as you (?:know|may know|might expect|can see)|recall that|remember that|note that|notice that)\s*,?\s+/i;
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
      // ", which states that if a, then b": the clause goes on past the comma, so it is no aside.
      if (/^(?:then|and then|so|or)\b/i.test(rest.slice(end + 2))) continue;
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
      // A place name, another opening phrase, or the rest of the same one ("When A, or B, ...").
      const more = rest.match(/^[^\s,]+,\s+/) ?? rest.match(INTRO_PHRASE) ?? rest.match(/^(?:or|and|nor)\b[^,]{0,70},\s+/i);
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

/** A light stem for matching word forms ("balanced", "balancing", "balance" -> "balanc"). */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['wards', 'ward', 'ing', 'ed', 'es', 's', 'e']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

/** Content words of a text, stemmed (see stem). */
export function stemTokens(text: string): Set<string> {
  return new Set([...contentTokens(text)].map(stem));
}

/**
 * A takeaway from a sentence: the whole sentence without its leading connectives when it fits in
 * `maxChars`, else a clean shortening (see toBullet) that still names its subject; null when the
 * sentence cannot be shortened without cutting it mid-clause.
 */
export function toTakeaway(sentence: string, maxChars: number): string | null {
  const whole = withoutLeadingConnectives(sentence).replace(/\s+/g, ' ').trim();
  const ended = /[.!?]["'\u2019\u201D)]?$/.test(whole) ? whole : `${whole}.`;
  if (ended.length <= maxChars) return ended;
  const b = toBullet(sentence, maxChars - 1);
  if (!isCleanBullet(b) || leansOnPrevious(b) || /^(?:it|its|they|their|them|he|she|his|her|we|you)\b/i.test(b)) return null;
  if (countWords(b) < 6) return null;
  return `${b}.`;
}
