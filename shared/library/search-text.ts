/**
 * Text analysis for lexical search: tokenising, stop words, English stemming (Porter, `stemmer`),
 * and a small query-normalisation layer for student phrasing (question-word removal, a compact
 * everyday-language-to-textbook synonym map, and recognition of situational "when I ..." clauses).
 */
import { stemmer } from 'stemmer';
import { findFormulas, type Atom } from './formula-index.js';
import { mathKinds } from './math-kinds.js';

/**
 * Stop words: common English function words plus the words students wrap questions in
 * ("why", "how", "explain", "does", "happen", ...). Matched on lower-case tokens before stemming.
 */
/** Contractions that spell a content word without their apostrophe ("she'll" -> shell). */
const APOSTROPHE_FREE_WORDS: ReadonlySet<string> = new Set(['shell', 'ill', 'hell', 'wed', 'id', 'hed', 'shed', 'well', 'were', 'its', 'lets']);

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
  give gives gave put puts take takes took see seen look looks looking want wants need needs
  shouldn't mightn't mustn't needn't ain't y'all gonna wanna gotta kinda sorta lol lmao rofl omg pls plz thx ty bro dude idk tbh imo btw ngl
  fr u ur ya yo um uh hmm huh oh ah yeah yep nope super totally honestly seriously literally definitely probably maybe
  define defined defining definition definitions meant vs versus homework hw quiz quizzes exam exams midterm test tests worksheet assignment
  stuck confused confusing confuse understanding remember forget forgot figure figured wondering wonder curious
  can't one ones another always never sometimes usually often anyway bunch lot lots`
    .split(/\s+/)
    .filter(Boolean)
    // the same words typed without the apostrophe ("dont", "whats"), unless that spells a content word
    .flatMap((w) => (w.includes("'") && !APOSTROPHE_FREE_WORDS.has(w.replace(/'/g, '')) ? [w, w.replace(/'/g, '')] : [w])),
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
  { when: ['cause', 'caused', 'causes', 'led to'], add: ['origins', 'roots'] },
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
  /** A formula the student typed ("F = ma"), matched against the library's equations instead of words. */
  formula?: Atom[];
  /** Edit distance when the student's word was corrected to a library word ("frist" -> first: 1). */
  corrected?: number;
}

export interface AnalyzedQuestion {
  concepts: QueryConcept[];
  /** Search terms with a weight (own words 1, synonym expansions 0.7, situational words 0.5). */
  terms: Map<string, number>;
  /** Subjects the question names ("in chemistry", "my bio quiz"): a hint, not content. */
  subjects: string[];
  /** A school subject no book of the library is about, named as the question's subject ("in economics", "my spanish homework"). */
  otherSubject?: string;
}

/** What the question analysis may ask of the library's vocabulary (see spelling.ts). */
export interface QueryLexicon {
  /** Whether any section uses this stemmed term. */
  hasTerm(stem: string): boolean;
  /** Whether the library uses this word (lower case, as written). */
  hasWord(word: string): boolean;
  /** The closest library word to an unknown word, or null. */
  correct(word: string): { word: string; distance: number } | null;
  /** Expansions of an abbreviation the books define ("gcf" -> "greatest common factor"). */
  abbreviation(word: string): string | undefined;
  /** Whether two stemmed terms stand together in a section's title, key terms or objectives ("cold war"). */
  hasPhrase?(first: string, second: string): boolean;
}

/**
 * Student shorthand -> what it stands for (clipped words and abbreviations common in any subject;
 * abbreviations the books define themselves come from the lexicon).
 */
export const SHORTHAND: Readonly<Record<string, string>> = {
  ww1: 'world war i', wwi: 'world war i', ww2: 'world war ii', wwii: 'world war ii',
  sig: 'significant', figs: 'figures', eqn: 'equation', eqns: 'equations', eq: 'equation', rxn: 'reaction', rxns: 'reactions',
  temp: 'temperature', temps: 'temperatures', thermo: 'thermodynamics', trig: 'trigonometry', govt: 'government', gov: 'government',
  prez: 'president', pres: 'president', amendmt: 'amendment', approx: 'approximately', avg: 'average', prob: 'probability', stats: 'statistics',
  info: 'information', sin: 'sine', cos: 'cosine', tan: 'tangent', sec: 'secant', csc: 'cosecant', cot: 'cotangent', ln: 'natural logarithm',
  log: 'logarithm', logs: 'logarithms', sqrt: 'square root', vol: 'volume', mol: 'mole', mols: 'moles',
};

/** Subject names: a hint of where to look, removed from the content when something else is asked. */
export const SUBJECT_WORDS: Readonly<Record<string, string>> = {
  physics: 'physics', phys: 'physics', chemistry: 'chemistry', chem: 'chemistry', biology: 'biology', bio: 'biology',
  math: 'math', maths: 'math', algebra: 'math', precalc: 'math', precalculus: 'math', history: 'history', apush: 'history',
  literature: 'literature', lit: 'literature', science: '', subject: '',
};

/**
 * School subjects outside the library's (physics, chemistry, biology, math, history, literature).
 * Named as the subject of a question ("in psychology", "for my spanish class") they say the library
 * does not cover it, whatever words it shares with the books.
 */
export const OTHER_SUBJECTS: ReadonlySet<string> = new Set(
  `economics psychology sociology philosophy geography geology astronomy anatomy statistics programming coding python javascript java
  spanish french german japanese chinese latin italian music drama theology nursing accounting marketing`.split(/\s+/),
);
/** Words around a subject name that make it the question's subject: "in X", "for X", "X class". */
const SUBJECT_BEFORE: ReadonlySet<string> = new Set(['in', 'for', 'my']);
const SUBJECT_AFTER: ReadonlySet<string> = new Set(['class', 'classes', 'homework', 'hw', 'test', 'quiz', 'exam', 'teacher', 'course', 'assignment']);

/** Words that introduce the answer a student expects ("how far" = a distance or range). */
const QUESTION_PHRASES: ReadonlyArray<{ when: string[]; add: string[] }> = [
  { when: ['how far'], add: ['distance', 'range'] },
  { when: ['how high', 'how tall'], add: ['height', 'maximum height'] },
  { when: ['how long does it take', 'how long'], add: ['time'] },
  { when: ['how many different ways', 'how many ways'], add: ['counting', 'permutations', 'combinations'] },
];

const SYNONYM_INDEX: { key: string[]; add: string[][] }[] = [...SYNONYMS, ...QUESTION_PHRASES]
  .flatMap(({ when, add }) => when.map((w) => ({ key: tokenize(w).map(stem), add: add.map((a) => indexTerms(a)) })))
  .sort((a, b) => b.key.length - a.key.length);

const STOP_PHRASE_INDEX: string[][] = STOP_PHRASES.map((p) => tokenize(p).map(stem)).sort((a, b) => b.length - a.length);

function matchesAt(stems: string[], i: number, key: string[]): boolean {
  if (i + key.length > stems.length) return false;
  for (let k = 0; k < key.length; k++) if (stems[i + k] !== key[k]) return false;
  return true;
}

/** Whether the words at i..i+n, with the word before or after them, are a phrase of the library's titles, key terms or objectives. */
function partOfLibraryPhrase(stems: string[], i: number, n: number, lexicon: QueryLexicon | undefined): boolean {
  if (!lexicon?.hasPhrase) return false;
  return (i > 0 && lexicon.hasPhrase(stems[i - 1], stems[i])) || (i + n < stems.length && lexicon.hasPhrase(stems[i + n - 1], stems[i + n]));
}

/** A word of the question after normalisation, with what was done to it. */
interface QuestionToken {
  word: string;
  stem: string;
  /** Edit distance of a spelling correction. */
  corrected?: number;
  /** An abbreviation: the expansion's stemmed terms. */
  expansion?: string[];
  /** Counts only where the library has it (numbers, chemical formulas, words the library never uses that look like names of things). */
  optional?: boolean;
}

/** Whether a word is two words the library uses, of four letters or more each ("side" + "ways"; "rebel" + "ion" is a misspelt "rebellion"). */
function isCompound(word: string, lexicon: QueryLexicon): boolean {
  for (let i = 4; i <= word.length - 4; i++) if (lexicon.hasWord(word.slice(0, i)) && lexicon.hasWord(word.slice(i))) return true;
  return false;
}

/** A token that is a chemical formula written inline ("co2", "ch2cl2", "nh4cl"): letters and digits mixed. */
const CHEMICAL_TOKEN = /^(?:[a-z]{1,2}\d*)+$/;

/** Question-words that start the question itself, not a situation ("how does it work when ..." keeps "when" as framing only mid-question). */
function questionTokens(question: string, lexicon: QueryLexicon | undefined): QuestionToken[] {
  const out: QuestionToken[] = [];
  const push = (word: string, extra: Partial<QuestionToken> = {}): void => {
    out.push({ word, stem: stem(word), ...extra });
  };
  for (const raw of tokenize(question)) {
    const short = SHORTHAND[raw];
    if (short) {
      // a word the library uses too ("log", "temp") stays, with what it stands for as an alternative
      if (lexicon?.hasTerm(stem(raw))) push(raw, { expansion: indexTerms(short) });
      else for (const w of tokenize(short)) push(w);
      continue;
    }
    if (!lexicon || STOP_WORDS.has(raw) || raw in SUBJECT_WORDS || lexicon.hasTerm(stem(raw))) {
      push(raw);
      continue;
    }
    // the library never uses this word: an abbreviation it defines, a misspelling, a number, or unknown
    const abbr = lexicon.abbreviation(raw);
    if (abbr) {
      push(raw, { expansion: indexTerms(abbr) });
      continue;
    }
    if (/^\d/.test(raw)) {
      push(raw, { optional: true });
      continue;
    }
    // two words the library uses, written together, are an English word, not a misspelling ("sideways", "overdose")
    const fix = isCompound(raw, lexicon) ? null : lexicon.correct(raw);
    if (fix) {
      out.push({ word: fix.word, stem: stem(fix.word), corrected: fix.distance });
      continue;
    }
    if (/\d/.test(raw) && CHEMICAL_TOKEN.test(raw)) {
      push(raw, { optional: true });
      continue;
    }
    push(raw);
  }
  return out;
}

/**
 * Normalise a student question into concepts. Typed formulas become formula concepts (matched
 * against the library's equations, see formula-index.ts). Shorthand is expanded, and with a lexicon
 * (the index's vocabulary) abbreviations the books define are expanded and words the library does
 * not know are corrected to the closest library word. Stop words and stop phrases are removed,
 * subject names become a hint, synonym phrases become one concept with textbook alternatives, every
 * other content word is its own concept. Words after a situational opener ("when", "while", "if",
 * ...) are marked as context, unless that would leave no subject at all; so are numbers and chemical
 * formulas the library does not use (they may add evidence, never remove it).
 */
export function analyzeQuestion(question: string, lexicon?: QueryLexicon): AnalyzedQuestion {
  const concepts: QueryConcept[] = [];
  const words = tokenize(question);
  const otherSubject = words.find((w, i) => OTHER_SUBJECTS.has(w) && (SUBJECT_BEFORE.has(words[i - 1]) || SUBJECT_AFTER.has(words[i + 1])));
  let text = question;
  if (lexicon) {
    const formulas = findFormulas(question, (w) => STOP_WORDS.has(w) || lexicon.hasWord(w));
    for (const f of formulas) concepts.push({ text: f.text, terms: [], alternatives: [], context: false, formula: f.atoms });
    // the kind of mathematics typed, in the books' words ("3^x = 20": an exponential equation)
    for (const k of mathKinds(question, formulas.map((f) => f.text))) concepts.push({ text: k.from, terms: [], alternatives: [indexTerms(k.phrase)], context: false });
    // the formula's letters are not words
    for (const f of [...formulas].reverse()) text = `${text.slice(0, f.start)} . ${text.slice(f.end)}`;
  }
  const tokens = questionTokens(text, lexicon);
  // "how does X work" / "how do X function": the verb frames the question, it is not the physics of work
  if (tokens.length > 2 && tokens[0].word === 'how' && FRAMING_VERBS.has(tokens[tokens.length - 1].word)) tokens.pop();
  const stems = tokens.map((t) => t.stem);
  const subjects = new Set<string>();
  const subjectConcepts: QueryConcept[] = [];
  let context = false;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (i > 0 && CONTEXT_OPENERS.has(t.word)) context = true;
    const stop = STOP_PHRASE_INDEX.find((key) => matchesAt(stems, i, key));
    if (stop) {
      i += stop.length;
      continue;
    }
    // an everyday word that is part of a phrase the books name ("cold war", "hot spring") is not everyday here
    const syn = SYNONYM_INDEX.find((s) => matchesAt(stems, i, s.key) && !partOfLibraryPhrase(stems, i, s.key.length, lexicon));
    if (syn) {
      const words = tokens.slice(i, i + syn.key.length);
      const own = words.filter((w) => !STOP_WORDS.has(w.word)).map((w) => w.stem);
      concepts.push({ text: words.map((w) => w.word).join(' '), terms: own, alternatives: [...(own.length ? [own] : []), ...syn.add.filter((a) => a.length)], context });
      i += syn.key.length;
      continue;
    }
    i++;
    if (STOP_WORDS.has(t.word)) continue;
    if (t.word in SUBJECT_WORDS) {
      if (SUBJECT_WORDS[t.word]) subjects.add(SUBJECT_WORDS[t.word]);
      subjectConcepts.push({ text: t.word, terms: [t.stem], alternatives: [[t.stem]], context });
      continue;
    }
    const c: QueryConcept = { text: t.word, terms: [t.stem], alternatives: [[t.stem]], context: context || !!t.optional };
    if (t.expansion?.length) c.alternatives.push(t.expansion);
    if (t.corrected) c.corrected = t.corrected;
    concepts.push(c);
  }
  // a question about the subject itself ("what is chemistry") keeps it as content
  if (!concepts.length) concepts.push(...subjectConcepts);
  if (concepts.length && concepts.every((c) => c.context)) for (const c of concepts) c.context = false;

  // merge repeated concepts
  const merged: QueryConcept[] = [];
  const seen = new Map<string, QueryConcept>();
  for (const c of concepts) {
    const key = c.formula ? `formula:${c.text}` : c.alternatives.map((a) => a.join(' ')).join('|');
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
    for (const t of c.terms) add(t, scale * (c.corrected ? 0.85 : 1));
    for (const alt of c.alternatives) for (const t of alt) if (!c.terms.includes(t)) add(t, 0.7 * scale);
  }
  return { concepts: merged, terms, subjects: [...subjects], ...(otherSubject ? { otherSubject } : {}) };
}
