/**
 * Text analysis for lexical search: tokenising, stop words, English stemming (Porter, `stemmer`),
 * and a small query-normalisation layer for student phrasing (question-word removal, a compact
 * everyday-language-to-textbook synonym map, and recognition of situational "when I ..." clauses).
 */
import { stemmer } from 'stemmer';

/**
 * Stop words: common English function words plus the words students wrap questions in
 * ("why", "how", "explain", "does", "happen", ...). Matched on lower-case tokens before stemming.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by
  can cannot could couldn't did didn't do does doesn't doing don't down during each either else even ever every few for from further
  get gets getting got had hadn't has hasn't have haven't having he her here hers herself him himself his how however i i'd i'll i'm i've
  if in into is isn't it it's its itself just let let's like many may me might more most much must my myself no nor not now of off on once
  only or other ought our ours ourselves out over own per please quite rather really same shall she should so some such than that that's
  the their theirs them themselves then there there's these they they'd they'll they're they've this those though through thus to too
  under until up upon us very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's whether which while
  who who's whom whose why why's will with won't would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
  explain explains explained describe describes tell show help understand learn know meaning mean means happen happens happened happening
  someone something somebody anything thing things stuff kind sort type way ways actually basically exactly simply simple example examples
  question questions answer teach teacher please thanks okay ok hey hi does did done make makes made go goes going went come comes came
  give gives gave put puts take takes took see seen look looks looking want wants need needs`
    .split(/\s+/)
    .filter(Boolean),
);

/** Multi-word question framings that carry no subject matter ("what is the difference between A and B"). */
const STOP_PHRASES: readonly string[] = ['difference between', 'the difference', 'how come', 'what kind of', 'what type of', 'in simple terms', 'for dummies'];

/**
 * Everyday phrasing -> textbook vocabulary. Keys are matched on stemmed token sequences (so "pushed
 * back", "pushes back" and "push back" all match "push back"); each value lists textbook phrases
 * that are added to the question as alternatives. Kept short and general on purpose.
 */
export const SYNONYMS: ReadonlyArray<{ when: string[]; add: string[] }> = [
  { when: ['push back', 'pushed back', 'recoil', 'kick back', 'kickback', 'equal and opposite'], add: ['reaction force', 'third law'] },
  { when: ['speed up', 'speeding up', 'slow down', 'slowing down', 'get faster', 'gets faster'], add: ['acceleration'] },
  { when: ['fast', 'faster', 'how quickly', 'quickly'], add: ['speed', 'velocity'] },
  { when: ['heavy', 'heavier', 'heaviness', 'how much something weighs', 'weigh'], add: ['mass', 'weight'] },
  { when: ['fall', 'falls', 'falling', 'drop', 'dropped'], add: ['gravity', 'free fall'] },
  { when: ['smallest particle', 'smallest piece', 'tiny particle', 'tiny particles', 'building block'], add: ['atom'] },
  { when: ['hot', 'cold', 'warm', 'heat up', 'cool down'], add: ['temperature', 'heat'] },
  { when: ['electricity'], add: ['electric current', 'charge'] },
  { when: ['bounce', 'crash', 'bump into', 'hit'], add: ['collision', 'momentum'] },
  { when: ['spin', 'spinning'], add: ['rotation', 'angular'] },
  { when: ['loud', 'loudness'], add: ['sound intensity'] },
  { when: ['pitch'], add: ['frequency'] },
  { when: ['rust', 'rusting'], add: ['oxidation', 'corrosion'] },
  { when: ['burn', 'burning', 'fire'], add: ['combustion'] },
  { when: ['dissolve', 'dissolving', 'mix'], add: ['solution', 'solubility'] },
  { when: ['freed the slaves', 'free the slaves', 'ending slavery', 'end slavery'], add: ['emancipation', 'abolition'] },
  { when: ['war between the states'], add: ['civil war'] },
  { when: ['x squared', 'squared equation'], add: ['quadratic'] },
];

/** Words that open a clause describing the student's situation rather than the subject. */
const CONTEXT_OPENERS: ReadonlySet<string> = new Set(['when', 'whenever', 'while', 'if', 'during', 'like']);

/** Final verbs of "how does X work?" questions. */
const FRAMING_VERBS: ReadonlySet<string> = new Set(['work', 'works', 'function', 'functions', 'operate', 'operates']);

const stemCache = new Map<string, string>();

/** Porter stem of one lower-case token (memoised). */
export function stem(token: string): string {
  let s = stemCache.get(token);
  if (s === undefined) {
    s = stemmer(token);
    if (stemCache.size < 200_000) stemCache.set(token, s);
  }
  return s;
}

/**
 * Lower-case word tokens: diacritics folded, curly apostrophes straightened, possessive "'s" removed,
 * hyphenated words split. Single characters and short numbers (1-2 digits) are dropped; longer numbers
 * (years such as 1863) stay.
 */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  const folded = /[^\x00-\x7f]/.test(lower)
    ? lower
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[’‘`´]/g, "'")
    : lower;
  const out: string[] = [];
  for (const raw of folded.split(/[^a-z0-9']+/)) {
    if (raw.length < 2) continue;
    let t = raw;
    if (t.includes("'")) t = t.replace(/^'+|'+$/g, '').replace(/'s$/, '').replace(/'/g, '');
    if (t.length < 2) continue;
    if (t.length < 3 && t.charCodeAt(0) <= 57 && /^\d+$/.test(t)) continue;
    out.push(t);
  }
  return out;
}

/** Index terms of a text: tokens without stop words, stemmed. */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (!STOP_WORDS.has(t)) out.push(stem(t));
  return out;
}

/** One unit of meaning in a question: what it says, and the textbook phrasings that would cover it. */
export interface QueryConcept {
  /** The words as the student wrote them (for diagnostics). */
  text: string;
  /** Stemmed content terms of the student's own words (may be empty for a phrase of stop words). */
  terms: string[];
  /** Alternatives: each is a phrase (stemmed terms, all required) that covers the concept. */
  alternatives: string[][];
  /** True when the concept sits in a situational clause ("when I jump off a skateboard"). */
  context: boolean;
}

export interface AnalyzedQuestion {
  concepts: QueryConcept[];
  /** Search terms with a weight (own words 1, synonym expansions 0.7, situational words 0.5). */
  terms: Map<string, number>;
}

const SYNONYM_INDEX: { key: string[]; add: string[][] }[] = SYNONYMS.flatMap(({ when, add }) =>
  when.map((w) => ({ key: tokenize(w).map(stem), add: add.map((a) => indexTerms(a)) })),
).sort((a, b) => b.key.length - a.key.length);

const STOP_PHRASE_INDEX: string[][] = STOP_PHRASES.map((p) => tokenize(p).map(stem)).sort((a, b) => b.length - a.length);

function matchesAt(stems: string[], i: number, key: string[]): boolean {
  if (i + key.length > stems.length) return false;
  for (let k = 0; k < key.length; k++) if (stems[i + k] !== key[k]) return false;
  return true;
}

/**
 * Normalise a student question into concepts. Stop words and stop phrases are removed, synonym
 * phrases become one concept with textbook alternatives, every other content word is its own concept.
 * Words after a situational opener ("when", "while", "if", ...) are marked as context, unless that
 * would leave no subject at all.
 */
export function analyzeQuestion(question: string): AnalyzedQuestion {
  const tokens = tokenize(question);
  // "how does X work" / "how do X function": the verb frames the question, it is not the physics of work
  if (tokens.length > 2 && tokens[0] === 'how' && FRAMING_VERBS.has(tokens[tokens.length - 1])) tokens.pop();
  const stems = tokens.map(stem);
  const concepts: QueryConcept[] = [];
  let context = false;
  for (let i = 0; i < tokens.length; ) {
    if (i > 0 && CONTEXT_OPENERS.has(tokens[i])) context = true;
    const stop = STOP_PHRASE_INDEX.find((key) => matchesAt(stems, i, key));
    if (stop) {
      i += stop.length;
      continue;
    }
    const syn = SYNONYM_INDEX.find((s) => matchesAt(stems, i, s.key));
    if (syn) {
      const words = tokens.slice(i, i + syn.key.length);
      const own = words.filter((w) => !STOP_WORDS.has(w)).map(stem);
      concepts.push({ text: words.join(' '), terms: own, alternatives: [...(own.length ? [own] : []), ...syn.add.filter((a) => a.length)], context });
      i += syn.key.length;
      continue;
    }
    const t = tokens[i];
    if (!STOP_WORDS.has(t)) concepts.push({ text: t, terms: [stems[i]], alternatives: [[stems[i]]], context });
    i++;
  }
  if (concepts.length && concepts.every((c) => c.context)) for (const c of concepts) c.context = false;

  // merge repeated concepts
  const merged: QueryConcept[] = [];
  const seen = new Map<string, QueryConcept>();
  for (const c of concepts) {
    const key = c.alternatives.map((a) => a.join(' ')).join('|');
    const prev = seen.get(key);
    if (prev) prev.context &&= c.context;
    else {
      seen.set(key, c);
      merged.push(c);
    }
  }

  const terms = new Map<string, number>();
  const add = (term: string, weight: number): void => {
    terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  };
  for (const c of merged) {
    const scale = c.context ? 0.5 : 1;
    for (const t of c.terms) add(t, scale);
    for (const alt of c.alternatives) for (const t of alt) if (!c.terms.includes(t)) add(t, 0.7 * scale);
  }
  return { concepts: merged, terms };
}
