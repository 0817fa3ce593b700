/**
 * In-memory lexical index over topics (sections) for `resolve`, and passage ranking for `retrieve`.
 *
 * Resolution (TopicIndex.query) reads the question as concepts (search-text.ts: stop words, student
 * shorthand, spelling corrected against the library's own vocabulary, abbreviations the books
 * define, typed formulas) and scores every section that shares a term with it (BM25F over title,
 * key terms, objectives, chapter, body and worked examples) or has an equation like a typed formula
 * (formula-index.ts). The best sections by that score are then weighed by *coverage*: how much of
 * what the question asks the section teaches (see coverage()). Ranking and confidence both rest on
 * coverage; BM25 separates sections that cover a question equally.
 *
 * Passage ranking (rankPassages) is MiniSearch (BM25+) over one topic's passages.
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { Passage } from '../domain/library.js';
import { FormulaIndex, type Atom, type MathSource } from './formula-index.js';
import { analyzeQuestion, indexTerms, stem, STOP_WORDS, tokenize, type AnalyzedQuestion, type QueryConcept, type QueryLexicon } from './search-text.js';
import { findAbbreviations, Vocabulary } from './spelling.js';

/** What the index needs to know about one topic. */
export interface TopicText {
  topicId: string;
  bookId: string;
  moduleId: string | null;
  title: string;
  chapter: string;
  keyTerms: string[];
  objectives: string[];
  /** Passages in reading order. */
  passages: { heading: string; text: string }[];
  /** Ranking prior (default 1): a fallback source such as the starter library ranks with less weight. */
  weight?: number;
  /** Place of the section in its book (where the book first writes an equation defines it). */
  ordinal?: number;
  /** The book's subject (physics, chemistry, ...): questions that name a subject prefer it. */
  subject?: string;
  /** Terms the section's glossary defines, with their definitions. */
  glossary?: { term: string; definition: string }[];
  /** The section's display equations, with the name the book gives them. */
  equations?: { math: MathSource; label?: string }[];
  /** Worked examples: their titles (often an everyday situation) and problems. */
  examples?: { title: string; problem: string }[];
  /** Review questions and exercises of the section (the questions, not the answers). */
  exercises?: string[];
}

/** A typed formula's credit per section (index document id), and the sections that name it (see TopicIndex.matchFormula). */
export interface FormulaMatch {
  credits: Map<number, number>;
  named: Set<number>;
}

/** The parts of a coverage (see TopicIndex.coverageDetail). */
export interface CoverageDetail {
  coverage: number;
  /** Σ w over the question's main (not situational) concepts. */
  main: number;
  /** Σ w · credit over them. */
  mainCovered: number;
  /** Σ w over those the section teaches (credit 1). */
  taught: number;
  /** Σ w over those the library never uses. */
  unknown: number;
  /** The IDF of a word no section uses (the largest weight). */
  maxIdf: number;
  /** The credit of a typed formula here when the section names it (see namingSections), else 0. */
  formulaNamed: number;
}

/** What the confidence of a hit is computed from (see confidenceOf; runnerUp and taught are diagnostics the model does not use). */
export interface ConfidenceFeatures {
  coverage: number;
  /** Coverage of the runner-up. */
  runnerUp: number;
  /** Rank-score margin over the runner-up, 0..1. */
  margin: number;
  /** Best phrase match with the section's title or a key term. */
  phrase: number;
  /** Share of the question's weight the section teaches (title, key terms, glossary, objectives). */
  taught: number;
  /** Weight matched, in units of the largest IDF: how specific the evidence is. */
  specificity: number;
  /** Share of the question's weight in words the library never uses. */
  unknown: number;
  /** A typed formula is part of the question. */
  formula: number;
  /** The question names a school subject outside the library ("in economics"): 1, else 0. */
  otherSubject: number;
  /** BM25F score relative to the best section's in the pool (1: the plain lexical score agrees with coverage). */
  plain: number;
}

/**
 * Confidence of a hit from its features: a logistic model,
 *
 *   confidence = 1 / (1 + e^−z),   z = bias + Σ_f weight_f · feature_f + coverageMargin · coverage · margin
 *
 * Its weights were fitted (logistic regression, "is the best hit an accepted topic", off-library
 * questions as negatives) on one half of the public evaluation set (test/eval/resolve, `--split a`)
 * and checked on the other half; then the bias was lowered by 1.47 so that the refusal threshold
 * (VIVIDLY_MIN_CONFIDENCE, default 0.35) falls where the fitted model gives 0.7: a wrong lesson is
 * worse than a refusal with alternatives. So a confidence is a score, not a probability: of the
 * answers at 0.35 or more about nineteen in twenty are right on the evaluation set (`npm run
 * eval:resolve` prints the calibration table; README). The margin weighs most, the more so the more
 * the best hit covers (a best hit far ahead of every other lesson is rarely wrong, unless all of them
 * cover little of the question); `plain` says whether the plain BM25F score agrees.
 */
export function confidenceOf(f: ConfidenceFeatures): number {
  const w = RESOLVE.confidence;
  const z =
    w.bias +
    w.coverage * f.coverage +
    w.margin * f.margin +
    w.coverageMargin * f.coverage * f.margin +
    w.phrase * f.phrase +
    w.specificity * f.specificity +
    w.unknown * f.unknown +
    w.formula * f.formula +
    w.otherSubject * f.otherSubject +
    w.plain * f.plain;
  // never surer than the share of the question the hit covers (a lesson far ahead of poor rivals still teaches little of it)
  return Math.min(1 / (1 + Math.exp(-z)), f.coverage);
}

export interface TopicHit {
  /** Every topic with this exact content (a module shared by several books), best representative first. */
  topicIds: string[];
  score: number;
  confidence: number;
  /** Diagnostics: coverage and margin that produced the confidence. */
  coverage: number;
  margin: number;
  features: ConfidenceFeatures;
}

/** Field boosts of the BM25F score: title > key terms / objectives > chapter, definitions > examples > body. */
export const FIELD_BOOSTS = { title: 4, keyTerms: 2.5, objectives: 2, chapter: 1.5, definitions: 1.5, examples: 1.2, body: 1 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

interface IndexDoc {
  id: number;
  key: string;
  /**
   * Keys naming the section independently of the book: its module ids and its title + chapter. Two
   * index documents sharing a key are the same section (a corequisite variant, or a sibling edition
   * such as Chemistry 2e / Chemistry: Atoms First 2e with slightly edited text).
   */
  sectionKeys: string[];
  topicIds: string[];
  /** The books the section is in, its copies under the same module id or title and chapter included. */
  books: Set<string>;
  subjects: Set<string>;
  /** Term frequencies per field (dropped once the postings are built). */
  tf: Record<Field, Map<string, number>> | null;
  /** Length (terms) per field. */
  len: Record<Field, number>;
  /** Terms of title, key terms, glossary and equation names: a match there is full coverage. */
  strong: Set<string>;
  /** Terms of the learning objectives (what the section teaches, in longer sentences). */
  objectiveTerms: Set<string>;
  /** Adjacent term pairs of those ("second law", "ideal gas"): a phrase of the question found whole. */
  strongPairs: Set<string>;
  /** Terms of the chapter title. */
  chapterTerms: Set<string>;
  /** Terms of worked examples' titles and problems. */
  exampleTerms: Set<string>;
  /** Terms of the glossary's definitions. */
  definitionTerms: Set<string>;
  /** Terms the section's text names as it defines them ("... is simply called the potential or voltage"). */
  namedTerms?: Set<string>;
  /** Title terms (unique), for the phrase match. */
  titlePhrase: string[];
  /** Key-term phrases (unique terms each), for the phrase match. */
  phrases: string[][];
  /** A chapter's introduction (an overview, not a lesson). */
  intro: boolean;
  /** Place in each book it is in (book id -> ordinal): which of two sections of a book comes first. */
  ordinals: Map<string, number>;
  /** For each body term, the share of the topic's passages that contain it (0..1). */
  bodyShare: Map<string, number>;
  weight: number;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/**
 * Credit a topic gets for one query term (0..1). A section *teaches* what is in its title, key terms,
 * glossary terms or equation names: credit 1; its learning objectives: RESOLVE.objectiveCredit (they
 * are sentences full of general words). Otherwise it only *mentions* the term, in
 * proportion to how pervasive it is: 0.25 + the share of the section's passages that contain it, at
 * most 0.75 (one mention among fifteen passages is about 0.3). A term of the chapter title alone
 * earns 0.5, of a worked example 0.6 (the book's own everyday situation), of a glossary definition
 * 0.7 (the words the book explains its terms with).
 */
export function termCredit(
  doc: Pick<IndexDoc, 'strong' | 'bodyShare' | 'chapterTerms'> & Partial<Pick<IndexDoc, 'exampleTerms' | 'definitionTerms' | 'objectiveTerms' | 'namedTerms'>>,
  term: string,
): number {
  if (doc.strong.has(term)) return 1;
  const share = doc.bodyShare.get(term) ?? 0;
  const body = share > 0 ? Math.min(0.75, 0.25 + share) : 0;
  return Math.max(
    body,
    doc.objectiveTerms?.has(term) ? RESOLVE.objectiveCredit : 0,
    doc.chapterTerms.has(term) ? 0.5 : 0,
    doc.exampleTerms?.has(term) ? 0.6 : 0,
    doc.definitionTerms?.has(term) ? 0.7 : 0,
    doc.namedTerms?.has(term) ? RESOLVE.namedCredit : 0,
  );
}

/** Tunable constants of resolution (see query()). */
export const RESOLVE = {
  /** Sections whose coverage is computed (the best by BM25F, plus formula matches). */
  pool: 60,
  /** Credit of a corrected word, per edit. */
  correctedCredit: [1, 0.9, 0.8] as const,
  /** Rank score = coverage + bm25Weight × (BM25F / best BM25F). */
  bm25Weight: 0.25,
  /** Bonus to a section of a subject the question names (on the rank score). */
  subjectBonus: 0.05,
  /** Bonus per phrase of the question found whole in a section's title or key terms (on coverage), at most 2. */
  phraseBonus: 0.05,
  /** Rank score weight of the best phrase match (IDF-weighted Dice of the question and a title or key term). */
  diceWeight: 0.3,
  /** Rank score taken from a chapter introduction (an overview, not a lesson). */
  introPenalty: 0.15,
  /** Rank score taken from a fallback (starter) section: a book section covering the question as well wins. */
  fallbackPenalty: 0.1,
  /** Credit of a related word form ("catalyst" for "catalysis"). */
  relatedCredit: 0.85,
  /** Phrase match of a textbook phrasing of the student's words, relative to their own words. */
  alternativePhrase: 0.9,
  /** Weight of a textbook phrasing: this times the sum of its words' IDF (a phrase is rarer than its words). */
  alternativeWeight: 1,
  /** Smallest weight of a word (see weightOf). */
  idfFloor: 1.5,
  /** Phrase match with a key term, relative to the same match with the title. */
  keyTermPhrase: 0.7,
  /** Credit of a textbook phrasing of the student's words (a synonym, an abbreviation's expansion). */
  alternativeCredit: 0.85,
  /** Smallest credit of a typed formula in an equation the book names after the section for that section to name it. */
  namedFormula: 0.9,
  /** Two sections of different books whose teaching vocabularies are this similar (cosine) teach the same lesson. */
  sameLessonSimilarity: 0.25,
  /** Credit of a word the section's text names as it defines it ("is called", "is known as"). */
  namedCredit: 1,
  /** Credit of a word of the learning objectives (they teach it, in sentences full of general words). */
  objectiveCredit: 0.9,
  /** Weights of the confidence model (see confidenceOf). */
  confidence: { bias: -11.19, coverage: 3.02, margin: 2.97, coverageMargin: 5.9, phrase: 0.55, specificity: 1.77, unknown: -1.54, formula: -0.5, otherSubject: -3.47, plain: 5.87 },
} as const;

/**
 * Two stems are forms of one word when they share at least 6 leading letters and each has at most
 * two more ("catalyst" / "catalysi", "photosynthesi" / "photosynthet"), or one is the other plus a
 * single letter ("gravit" / "graviti"); a longer extension is usually another word ("electr" /
 * "electron").
 */
export function relatedStems(a: string, b: string): boolean {
  if (a === b || a.length < 6 || b.length < 6) return false;
  let cp = 0;
  while (cp < a.length && cp < b.length && a[cp] === b[cp]) cp++;
  if (cp < 6) return false;
  // one the other plus a letter ("gravit" / "graviti": gravitation / gravity)
  if (cp === Math.min(a.length, b.length)) return Math.abs(a.length - b.length) === 1;
  return a.length - cp <= 2 && b.length - cp <= 2;
}

/** "X is called Y", "Y is known as", "is referred to as Y": the name a sentence gives (Y). */
const NAMING = /\b(?:is|are)\s+(?:also\s+|simply\s+|often\s+|sometimes\s+|usually\s+|commonly\s+|then\s+)?(?:called|known as|termed|referred to as|named)\s+(?:the\s+|a\s+|an\s+)?([^.,;:()"“”]{2,80})/gi;
/** Words that end a name in a naming sentence. */
const NAME_ENDS: ReadonlySet<string> = new Set('because if when since by is are was were that which where can could will would to from for as this it'.split(' '));
/** Words a name does not end with ("index of the radical", not "index of the"). */
const NAME_TAIL = /(?:\s+(?:of|the|a|an|in))+$/i;
/** "Y is defined as ...": the defined thing (Y) at the start of a sentence. */
const DEFINING = /(?:^|[.!?]\s+)(?:the\s+|a\s+|an\s+)?([A-Za-z][A-Za-z\- ]{1,40}?)\s+(?:is|are)\s+defined\s+(?:as|to be)\b/gi;

/**
 * Phrases a passage names as it defines them: "the electric potential is simply called the potential
 * or voltage" names "potential" and "voltage"; "Power is defined as the rate..." names "power". At
 * most four words each.
 */
export function definedPhrases(text: string): string[] {
  const out: string[] = [];
  if (!/\b(?:called|known as|termed|referred to as|named|defined)\b/i.test(text)) return out;
  for (const m of text.matchAll(NAMING)) {
    for (const part of m[1].split(/\s+(?:or|and)\s+(?:the\s+|a\s+|an\s+)?/)) {
      // the name ends where the sentence goes on ("... is called a leading term because it ...")
      const words = part.trim().split(/\s+/);
      const end = words.findIndex((w) => NAME_ENDS.has(w.toLowerCase()));
      const name = words.slice(0, Math.min(4, end < 0 ? words.length : end)).join(' ').replace(NAME_TAIL, '');
      if (name) out.push(name);
    }
  }
  for (const m of text.matchAll(DEFINING)) out.push(m[1].trim().split(/\s+/).slice(-4).join(' '));
  return out;
}

/** Sections looked at for the best hit's rival (another lesson), independently of how many are asked for. */
const RIVAL_DEPTH = 10;

/** A pair key for strongPairs. */
const pair = (a: string, b: string): string => `${a} ${b}`;

export class TopicIndex {
  private readonly docs: IndexDoc[];
  private readonly df = new Map<string, number>();
  /** Term -> the sections using it, with the term's field-weighted, length-normalised frequency (BM25F). */
  private readonly postings = new Map<string, { docs: Int32Array; tf: Float32Array }>();
  private readonly avgLen: Record<Field, number>;
  private readonly formulas = new FormulaIndex();
  private readonly vocabulary: Vocabulary;
  private readonly abbreviations = new Map<string, string>();
  /** Stems by their first six letters (for relatedStems). */
  private readonly stemBuckets = new Map<string, string[]>();
  private readonly relatedCache = new Map<string, string[]>();
  /** Adjacent term pairs of every section's title, key terms and objectives (see IndexDoc.strongPairs). */
  private readonly libraryPairs = new Set<string>();
  /** Per document: its teaching vocabulary (title, key and glossary terms, objectives) as an IDF-weighted unit vector. */
  private readonly teaching = new Map<number, Map<string, number>>();

  readonly lexicon: QueryLexicon;
  readonly buildMs: number;

  private constructor(topics: TopicText[]) {
    const started = performance.now();
    // Topics with identical content (one module in several books, or the same section copied under a
    // new module id in another edition) share one index document, so a shared section neither crowds
    // the results nor skews document frequencies.
    const groups = new Map<string, TopicText[]>();
    for (const t of [...topics].sort((a, b) => a.bookId.localeCompare(b.bookId) || a.topicId.localeCompare(b.topicId))) {
      const hash = createHash('sha1').update(t.title);
      for (const p of t.passages) hash.update('\u0000').update(p.heading).update('\u0000').update(p.text);
      const key = t.passages.length ? hash.digest('hex') : t.topicId;
      const g = groups.get(key);
      if (g) g.push(t);
      else groups.set(key, [t]);
    }
    const words = new Map<string, number>();
    const abbreviations = new Map<string, Map<string, number>>();
    this.docs = [...groups.entries()].map(([key, members], id) => {
      const first = members[0];
      const uniq = (xs: string[]): string[] => [...new Set(xs)];
      const chapters = uniq(members.map((m) => m.chapter));
      const glossary = uniq(members.flatMap((m) => (m.glossary ?? []).map((g) => g.term)));
      const definitions = uniq(members.flatMap((m) => (m.glossary ?? []).map((g) => g.definition)));
      const labels = uniq((first.equations ?? []).flatMap((e) => (e.label ? [e.label] : [])));
      const keyTermTexts = uniq([...members.flatMap((m) => m.keyTerms), ...glossary, ...labels]);
      const objectives = uniq(members.flatMap((m) => m.objectives));
      const examples = first.examples ?? [];
      const docWords = new Set<string>();
      const analyse = (text: string): string[] => {
        const out: string[] = [];
        for (const t of tokenize(text)) {
          docWords.add(t);
          if (!STOP_WORDS.has(t)) out.push(stem(t));
        }
        return out;
      };
      const phrases = (texts: string[]): string[][] => texts.map(analyse);
      const titleTerms = analyse(first.title);
      const keyTerms = phrases(keyTermTexts);
      const objectiveTerms = phrases(objectives);
      const chapterTerms = analyse(chapters.join(' . '));
      const exampleTerms = [...examples.flatMap((x) => [...analyse(x.title), ...analyse(x.problem)]), ...(first.exercises ?? []).flatMap(analyse)];
      const definitionTerms = definitions.flatMap(analyse);
      // body: each heading once, then every passage's text
      const body = analyse(uniq(first.passages.map((p) => p.heading)).join(' . '));
      const bodyShare = new Map<string, number>();
      const headingTerms = new Map<string, string[]>();
      for (const p of first.passages) {
        let ht = headingTerms.get(p.heading);
        if (!ht) headingTerms.set(p.heading, (ht = indexTerms(p.heading)));
        const terms = analyse(p.text);
        for (const t of terms) body.push(t);
        for (const t of new Set([...ht, ...terms])) bodyShare.set(t, (bodyShare.get(t) ?? 0) + 1);
        findAbbreviations(p.text, abbreviations);
      }
      for (const [t, n] of bodyShare) bodyShare.set(t, n / Math.max(1, first.passages.length));
      const fieldTerms: Record<Field, string[]> = {
        title: titleTerms,
        keyTerms: keyTerms.flat(),
        objectives: objectiveTerms.flat(),
        chapter: chapterTerms,
        definitions: definitionTerms,
        examples: exampleTerms,
        body,
      };
      const tf = {} as Record<Field, Map<string, number>>;
      const len = {} as Record<Field, number>;
      for (const f of FIELDS) {
        const m = new Map<string, number>();
        for (const t of fieldTerms[f]) m.set(t, (m.get(t) ?? 0) + 1);
        tf[f] = m;
        len[f] = fieldTerms[f].length;
      }
      const strongPhrases = [titleTerms, ...keyTerms, ...objectiveTerms];
      const strongPairs = new Set<string>();
      for (const ph of strongPhrases) for (let i = 0; i + 1 < ph.length; i++) strongPairs.add(pair(ph[i], ph[i + 1]));
      for (const p of strongPairs) this.libraryPairs.add(p);
      const doc: IndexDoc = {
        id,
        key,
        sectionKeys: uniq([
          ...members.flatMap((m) => (m.moduleId ? [`m:${m.moduleId}`] : [])),
          ...members.map((m) => `t:${m.title.toLowerCase()}|${m.chapter.toLowerCase()}`),
        ]),
        topicIds: members.map((m) => m.topicId),
        books: new Set(members.map((m) => m.bookId)),
        subjects: new Set(members.flatMap((m) => (m.subject ? [m.subject] : []))),
        tf,
        len,
        strong: new Set([...titleTerms, ...keyTerms.flat()]),
        objectiveTerms: new Set(objectiveTerms.flat()),
        strongPairs,
        chapterTerms: new Set(chapterTerms),
        exampleTerms: new Set(exampleTerms),
        definitionTerms: new Set(definitionTerms),
        namedTerms: new Set(first.passages.flatMap((p) => definedPhrases(p.text)).flatMap((ph) => indexTerms(ph))),
        titlePhrase: uniq(titleTerms),
        phrases: keyTerms.map((p) => uniq(p)).filter((p) => p.length),
        intro: /^introduction\b/i.test(first.title),
        ordinals: new Map(members.map((m) => [m.bookId, m.ordinal ?? 0])),
        bodyShare,
        weight: Math.max(...members.map((m) => m.weight ?? 1)),
      };
      const all = new Set<string>();
      for (const f of FIELDS) for (const t of tf[f].keys()) all.add(t);
      for (const t of all) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      for (const w of docWords) words.set(w, (words.get(w) ?? 0) + 1);
      // equations: the one named after the section's subject is its defining equation
      const named = new Set([...titleTerms, ...indexTerms([...members.flatMap((m) => m.keyTerms), ...glossary].join(' . '))]);
      const places = members.map((m) => ({ book: m.bookId, ordinal: m.ordinal ?? 0 }));
      for (const e of first.equations ?? []) {
        const labelTerms = e.label ? indexTerms(e.label) : [];
        const defining = labelTerms.length > 0 && labelTerms.filter((t) => named.has(t)).length / labelTerms.length >= 0.5;
        this.formulas.add(id, e.math, defining, places);
      }
      return doc;
    });
    // a section's books include those of its copies (another document under the same section key)
    const booksByKey = new Map<string, Set<string>>();
    for (const d of this.docs) for (const k of d.sectionKeys) booksByKey.set(k, new Set([...(booksByKey.get(k) ?? []), ...d.books]));
    for (const d of this.docs) for (const k of d.sectionKeys) for (const b of booksByKey.get(k)!) d.books.add(b);
    // and its places in them
    const ordinalsByKey = new Map<string, Map<string, number>>();
    for (const d of this.docs) for (const k of d.sectionKeys) ordinalsByKey.set(k, new Map([...(ordinalsByKey.get(k) ?? []), ...d.ordinals]));
    for (const d of this.docs) for (const k of d.sectionKeys) for (const [b, o] of ordinalsByKey.get(k)!) if (!d.ordinals.has(b)) d.ordinals.set(b, o);
    for (const d of this.docs) {
      const v = new Map<string, number>();
      for (const t of [...d.strong, ...d.objectiveTerms]) v.set(t, this.idf(t));
      const norm = Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0)) || 1;
      for (const [t, x] of v) v.set(t, x / norm);
      this.teaching.set(d.id, v);
    }
    this.formulas.finish();
    this.avgLen = Object.fromEntries(FIELDS.map((f) => [f, this.docs.reduce((s, d) => s + d.len[f], 0) / Math.max(1, this.docs.length)])) as Record<Field, number>;
    // postings with BM25F's pseudo-frequency: Σ_f boost_f · tf_f / (1 − b + b · len_f / avglen_f)
    const lists = new Map<string, { docs: number[]; tf: number[] }>();
    for (const d of this.docs) {
      const pseudo = new Map<string, number>();
      for (const f of FIELDS) {
        const norm = 1 - BM25.b + (BM25.b * d.len[f]) / Math.max(1, this.avgLen[f]);
        for (const [t, n] of d.tf![f]) pseudo.set(t, (pseudo.get(t) ?? 0) + (FIELD_BOOSTS[f] * n) / norm);
      }
      for (const [t, v] of pseudo) {
        let l = lists.get(t);
        if (!l) lists.set(t, (l = { docs: [], tf: [] }));
        l.docs.push(d.id);
        l.tf.push(v);
      }
      d.tf = null;
    }
    for (const [t, l] of lists) this.postings.set(t, { docs: Int32Array.from(l.docs), tf: Float32Array.from(l.tf) });
    this.vocabulary = new Vocabulary(words);
    for (const t of this.df.keys()) {
      if (t.length < 6) continue;
      const k = t.slice(0, 6);
      const b = this.stemBuckets.get(k);
      if (b) b.push(t);
      else this.stemBuckets.set(k, [t]);
    }
    // an abbreviation the books spell out the same way most often, and that is not itself a word they use
    for (const [abbr, forms] of abbreviations) {
      if (words.has(abbr)) continue;
      const [best] = [...forms.entries()].sort((a, b) => b[1] - a[1]);
      if (best) this.abbreviations.set(abbr, best[0]);
    }
    this.lexicon = {
      hasTerm: (t) => this.df.has(t),
      hasWord: (w) => this.vocabulary.has(w),
      correct: (w) => this.vocabulary.correct(w),
      abbreviation: (w) => this.abbreviations.get(w),
      hasPhrase: (a, b) => this.libraryPairs.has(pair(a, b)),
    };
    this.buildMs = performance.now() - started;
  }

  static build(topics: TopicText[]): TopicIndex {
    return new TopicIndex(topics);
  }

  get size(): number {
    return this.docs.length;
  }

  /** Inverse document frequency (BM25 form); a term the library never uses gets the maximum. */
  idf(term: string): number {
    return this.idfOfCount(this.df.get(term) ?? 0);
  }

  /**
   * Weight of a word in coverage and phrase matches: its IDF, at least RESOLVE.idfFloor (a common word
   * such as "first" in "Newton's first law" still tells two titles apart).
   */
  private weightOf(term: string): number {
    return Math.max(this.idf(term), RESOLVE.idfFloor);
  }

  private idfOfCount(df: number): number {
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Cosine of two sections' teaching vocabularies (see teaching), 0..1. */
  teachingSimilarity(a: IndexDoc, b: IndexDoc): number {
    const va = this.teaching.get(a.id);
    const vb = this.teaching.get(b.id);
    if (!va || !vb) return 0;
    let dot = 0;
    for (const [t, x] of va) dot += x * (vb.get(t) ?? 0);
    return dot;
  }

  /** Other forms of a stem that the library uses (see relatedStems). */
  related(term: string): string[] {
    let r = this.relatedCache.get(term);
    if (!r) {
      r = (this.stemBuckets.get(term.slice(0, 6)) ?? []).filter((t) => relatedStems(term, t));
      if (this.relatedCache.size < 50_000) this.relatedCache.set(term, r);
    }
    return r;
  }

  /** Credit of a term, or of its best related form at RESOLVE.relatedCredit. */
  private credit(doc: IndexDoc, term: string): number {
    let c = termCredit(doc, term);
    if (c < 1) for (const r of this.related(term)) c = Math.max(c, RESOLVE.relatedCredit * termCredit(doc, r));
    return c;
  }

  /**
   * The best phrase match of the question's words with the section's title or one of its key terms:
   * IDF-weighted Dice, 2·Σ_{shared} idf / (Σ_question idf + Σ_phrase idf), related word forms counting
   * as shared, a textbook phrasing of a concept (a synonym, an abbreviation's expansion) at
   * RESOLVE.alternativePhrase. When every concept's textbook phrasing is found whole in the phrase
   * ("pushed back" -> "third law" in "Newton's Third Law of Motion"), the student named it in other
   * words: RESOLVE.alternativePhrase. A key term counts RESOLVE.keyTermPhrase of a title.
   */
  phraseMatch(question: AnalyzedQuestion, doc: IndexDoc): number {
    const concepts = question.concepts.filter((c) => !c.context && !c.formula && c.alternatives.some((a) => a.length));
    if (!concepts.length) return 0;
    let best = 0;
    for (const [k, ph] of [doc.titlePhrase, ...doc.phrases].entries()) {
      if (!ph.length) continue;
      // a key term (a word the section defines or uses) names it a little less than its title
      const named = k === 0 ? 1 : RESOLVE.keyTermPhrase;
      let phIdf = 0;
      for (const t of ph) phIdf += this.weightOf(t);
      let shared = 0;
      let qIdf = 0;
      // every concept named by a textbook phrasing found whole in this phrase: the student named it in other words
      let namedByPhrasing = true;
      for (const c of concepts) {
        // the student's words, or a textbook phrasing of them (a synonym, an abbreviation's expansion) at less
        let pick = { shared: 0, idf: 0, score: -Infinity };
        let whole = false;
        c.alternatives.forEach((alt, k) => {
          if (!alt.length) return;
          const own = k === 0 && c.terms.length > 0;
          let got = 0;
          let all = 0;
          for (const t of alt) {
            const w = this.weightOf(t);
            all += w;
            if (ph.includes(t)) got += w;
            else if (this.related(t).some((x) => ph.includes(x))) got += RESOLVE.relatedCredit * w;
          }
          if (!own && alt.every((t) => ph.includes(t))) whole = true;
          if (!own) got *= RESOLVE.alternativePhrase;
          const score = got - 0.5 * (all - got);
          if (score > pick.score) pick = { shared: got, idf: all, score };
        });
        shared += pick.shared;
        qIdf += pick.idf;
        if (!whole) namedByPhrasing = false;
      }
      best = Math.max(best, qIdf + phIdf > 0 ? (named * 2 * shared) / (qIdf + phIdf) : 0, namedByPhrasing ? named * RESOLVE.alternativePhrase : 0);
    }
    return best;
  }

  /**
   * Credit of a word concept: an alternative's credit is the smallest credit of its terms; the
   * student's own words count fully, a textbook phrasing of them (a synonym, an abbreviation's
   * expansion) at RESOLVE.alternativeCredit, and several alternatives found add up as independent
   * evidence, 1 − Π(1 − credit): a section with both "reaction force" and "third law" is more surely
   * about being "pushed back" than one with "third law" alone.
   */
  private conceptCredit(doc: IndexDoc, c: QueryConcept): number {
    let miss = 1;
    c.alternatives.forEach((alt, k) => {
      if (!alt.length) return;
      const own = k === 0 && c.terms.length > 0;
      let credit = Infinity;
      for (const t of alt) credit = Math.min(credit, this.credit(doc, t));
      miss *= 1 - (own ? 1 : RESOLVE.alternativeCredit) * credit;
    });
    return 1 - miss;
  }

  /** Analyse a question against this index's vocabulary (spelling, abbreviations, formulas). */
  analyze(question: string): AnalyzedQuestion {
    return analyzeQuestion(question, this.lexicon);
  }

  /** BM25F score of every section sharing a term with the question. */
  private bm25(weights: Map<string, number>): Map<number, number> {
    const scores = new Map<number, number>();
    const { k } = BM25;
    for (const [term, w] of weights) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = this.idf(term);
      for (let i = 0; i < p.docs.length; i++) {
        const tf = p.tf[i];
        const id = p.docs[i];
        scores.set(id, (scores.get(id) ?? 0) + w * idf * ((tf * (k + 1)) / (tf + k)));
      }
    }
    return scores;
  }

  /**
   * A typed formula's credit per section, and the sections that *name* it: those whose matching
   * equation the book names after the section's subject ("Newton's second law of motion" in Newton's
   * Second Law of Motion) at RESOLVE.namedFormula or more; when no section does, those that define or
   * first write it (credit 0.95 or more). A section that wrote "F = ma" earlier in the book (The
   * Scientific Methods, as an example) does not name it when the book names it after another section.
   */
  matchFormula(atoms: Atom[]): FormulaMatch {
    const defining = new Set<number>();
    const credits = this.formulas.match(atoms, defining);
    let named = new Set([...defining].filter((id) => (credits.get(id) ?? 0) >= RESOLVE.namedFormula));
    if (!named.size) named = new Set([...credits].filter(([, c]) => c >= 0.95).map(([id]) => id));
    return { credits, named };
  }

  /**
   * Coverage of an analysed question by one index document, 0..1:
   *
   *   coverage = Σ_c w_c · credit_c / (Σ_{c main} w_c + Σ_{c context} w_c · credit_c)  (+ phrase bonus)
   *
   * over the question's concepts c (content words, synonym phrases with their textbook
   * alternatives, typed formulas). w_c is the weight of the student's own word(s) (the largest IDF,
   * at least RESOLVE.idfFloor; a word the library never uses has the maximal IDF, so unknown content
   * pulls coverage down), or of a textbook phrasing of them if larger (the sum of its words' IDF), or
   * for a formula the IDF of the number of sections with an equation like it. credit_c is
   * conceptCredit (related word forms count at RESOLVE.relatedCredit; a corrected word's credit is
   * reduced per edit); for a formula, the formula index's credit.
   * Concepts in a situational clause ("when I jump off a skateboard") only count when covered: they
   * describe the student's situation, not the subject, so they may add evidence but not remove it.
   * Each pair of adjacent question words found as a phrase in the section's title or key terms adds
   * RESOLVE.phraseBonus (at most two).
   */
  coverage(question: AnalyzedQuestion, doc: IndexDoc, formulaMatches: FormulaMatch[] = []): number {
    return this.coverageDetail(question, doc, formulaMatches).coverage;
  }

  /** coverage() with its parts: weights matched, taught (credit 1) and unknown to the library. */
  coverageDetail(question: AnalyzedQuestion, doc: IndexDoc, formulaMatches: FormulaMatch[] = []): CoverageDetail {
    let covered = 0;
    let total = 0;
    let main = 0;
    let mainCovered = 0;
    let taught = 0;
    let unknown = 0;
    let formulaNamed = 0;
    const maxIdf = this.idf('\u0000');
    let f = 0;
    for (const c of question.concepts) {
      let w: number;
      let credit = 0;
      if (c.formula) {
        const match = formulaMatches[f++];
        const credits = match?.credits ?? new Map<number, number>();
        let n = 0;
        for (const v of credits.values()) if (v >= 0.75) n++;
        w = Math.min(this.idfOfCount(n), maxIdf);
        credit = credits.get(doc.id) ?? 0;
        if (match?.named.has(doc.id)) formulaNamed = Math.max(formulaNamed, credit);
      } else {
        // the student's words weigh by their rarest word; a textbook phrasing by its words together ("third law")
        const own = c.terms.length ? Math.max(...c.terms.map((t) => this.weightOf(t))) : 0;
        let phrasing = 0;
        c.alternatives.forEach((alt, k) => {
          if (k > 0 || !c.terms.length) phrasing = Math.max(phrasing, RESOLVE.alternativeWeight * alt.reduce((sum, t) => sum + this.weightOf(t), 0));
        });
        w = Math.min(Math.max(own, phrasing), maxIdf);
        credit = this.conceptCredit(doc, c);
        if (c.corrected) credit *= RESOLVE.correctedCredit[Math.min(c.corrected, 2)];
        if (!c.context && c.alternatives.every((alt) => alt.some((t) => !this.df.has(t)))) unknown += w;
      }
      covered += w * credit;
      total += c.context ? w * credit : w;
      if (!c.context) {
        main += w;
        mainCovered += w * credit;
        if (credit >= 0.99) taught += w;
      }
    }
    let cov = total > 0 ? covered / total : 0;
    // phrases of the question found whole in the section's title or key terms
    const single = question.concepts.filter((c) => !c.context && !c.formula && c.terms.length === 1);
    let phrases = 0;
    for (let i = 0; i + 1 < single.length; i++) if (doc.strongPairs.has(pair(single[i].terms[0], single[i + 1].terms[0]))) phrases++;
    cov += RESOLVE.phraseBonus * Math.min(2, phrases);
    return { coverage: Math.min(1, cov), main, mainCovered, taught, unknown, maxIdf, formulaNamed };
  }

  /**
   * The top hits that form a series (see query): sections of the top hit's book whose titles hold
   * every concept of the question, each covering all of it and ranked within 10 % of the top.
   * Empty unless the top hit is one of them.
   */
  private series<T extends { doc: IndexDoc; coverage: number; rank: number }>(analyzed: AnalyzedQuestion, unique: T[]): T[] {
    const top = unique[0];
    const concepts = analyzed.concepts.filter((c) => !c.context && !c.formula && c.terms.length > 0);
    if (!top || concepts.length === 0 || top.rank <= 0) return [];
    const titled = (d: IndexDoc) => !d.intro && concepts.every((c) => c.alternatives.some((alt) => alt.length > 0 && alt.every((t) => d.titlePhrase.includes(t))));
    const sameBook = (d: IndexDoc) => [...d.books].some((b) => top.doc.books.has(b));
    const members = unique.filter((u) => u.coverage >= 0.99 && (top.rank - u.rank) / top.rank <= 0.1 && titled(u.doc) && sameBook(u.doc));
    // (one book holds them all, so which comes first is known)
    const shared = [...top.doc.ordinals.keys()].some((b) => members.every((u) => u.doc.ordinals.has(b)));
    return members.length >= 2 && members.includes(top) && shared ? members : [];
  }

  /**
   * Rank topics for a question. Every section sharing a term with the question (or a related form
   * of one) gets a BM25F score, plus, for a typed formula, its formula credit (scaled like a key-term
   * match). The best RESOLVE.pool of those by that plain score are ranked by
   *
   *   rank = coverage + RESOLVE.bm25Weight × s / s_best + RESOLVE.diceWeight × phrase
   *          (+ RESOLVE.subjectBonus for a subject the question names, − RESOLVE.introPenalty for a
   *          chapter introduction, − RESOLVE.fallbackPenalty for a fallback (starter) section)
   *
   * (coverage: see coverage(); phrase: see phraseMatch(), or the credit of a typed formula that is the
   * section's own equation). One hit per section (its variants in sibling books share module ids or
   * title and chapter). The confidence of a hit is confidenceOf its features, among them
   *
   *   margin = (r − r_rival) / max(r, r_rival)
   *
   * where r is the rank score and r_rival that of the best other lesson (for the top hit: the best hit
   * that is not the same lesson in another book, so margin is in 0..1; for lower hits: the top, so
   * margin is in -1..0). `score` is the BM25F score times the section's weight (the starter library
   * weighs half): a diagnostic, not the order.
   */
  query(question: string, limit = 5): { hits: TopicHit[]; analyzed: AnalyzedQuestion } {
    const analyzed = this.analyze(question);
    if (!analyzed.concepts.length) return { hits: [], analyzed };
    // related word forms are searched too, with less weight
    const weights = new Map(analyzed.terms);
    for (const [t, w] of analyzed.terms) for (const r of this.related(t)) if (!weights.has(r)) weights.set(r, w * 0.6);
    const scores = this.bm25(weights);
    const formulaMatches = analyzed.concepts.filter((c) => c.formula).map((c) => this.matchFormula(c.formula!));
    for (const { credits } of formulaMatches) {
      for (const [id, credit] of credits) if (credit >= 0.3) scores.set(id, (scores.get(id) ?? 0) + credit * 10);
    }
    // the pool by the plain score: a fallback section gets its chance, and ranks by what it covers
    const pool = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, RESOLVE.pool);
    if (!pool.length) return { hits: [], analyzed };
    const bestPlain = pool[0][1];
    const subjects = new Set(analyzed.subjects);
    const ranked = pool
      .map(([id, plain]) => {
        const doc = this.docs[id];
        const score = plain * doc.weight;
        const detail = this.coverageDetail(analyzed, doc, formulaMatches);
        const coverage = detail.coverage;
        // a typed formula that is the section's own equation names the section as its title would
        const phrase = Math.max(this.phraseMatch(analyzed, doc), detail.formulaNamed);
        const subject = subjects.size && [...doc.subjects].some((s) => subjects.has(s)) ? RESOLVE.subjectBonus : 0;
        const rank =
          coverage +
          RESOLVE.bm25Weight * (bestPlain > 0 ? plain / bestPlain : 0) +
          RESOLVE.diceWeight * phrase +
          subject -
          (doc.intro ? RESOLVE.introPenalty : 0) -
          (doc.weight < 1 ? RESOLVE.fallbackPenalty : 0);
        return { doc, score, coverage, rank, detail, phrase, plainShare: bestPlain > 0 ? plain / bestPlain : 0 };
      })
      .sort((a, b) => b.rank - a.rank || b.score - a.score || a.doc.id - b.doc.id);
    // one hit per section: the best-ranked variant
    const seen = new Set<string>();
    const unique: typeof ranked = [];
    for (const r of ranked) {
      if (r.doc.sectionKeys.some((k) => seen.has(k))) continue;
      for (const k of r.doc.sectionKeys) seen.add(k);
      unique.push(r);
      // enough sections to find the best hit's rival whatever the limit (see the margin below)
      if (unique.length >= Math.max(limit, RIVAL_DEPTH)) break;
    }
    // the margin is over the best other lesson: a section of another book whose title has the same
    // words, or contains the other's ("Unit Circle", "Unit Circle: Sine and Cosine Functions"), is the
    // same lesson; two sections of one book never are ("Inverse Functions", "Inverses and Radical
    // Functions"), nor their copies in other books
    const sameLesson = (a: IndexDoc, b: IndexDoc): boolean => {
      const [x, y] = a.titlePhrase.length <= b.titlePhrase.length ? [a.titlePhrase, b.titlePhrase] : [b.titlePhrase, a.titlePhrase];
      if (a.intro || b.intro || [...a.books].some((book) => b.books.has(book))) return false;
      return (x.length > 0 && x.every((t) => y.includes(t))) || this.teachingSimilarity(a, b) >= RESOLVE.sameLessonSimilarity;
    };
    // A question whose every concept is in the titles of sections of one book, all of which it covers
    // about as well ("the New Deal": The First New Deal, The Second New Deal), asks about what the
    // series teaches: the first of them in the book answers, and the others are not its rivals.
    const series = this.series(analyzed, unique);
    if (series.length >= 2) {
      // (first in a book they share)
      const book = [...series[0]!.doc.ordinals.keys()].find((b) => series.every((u) => u.doc.ordinals.has(b)))!;
      const at = (u: (typeof series)[number]) => u.doc.ordinals.get(book)!;
      const first = series.reduce((a, b) => (at(b) < at(a) ? b : a));
      unique.splice(unique.indexOf(first), 1);
      unique.unshift(first);
    }
    const inSeries = new Set(series.map((u) => u.doc));
    const hits = unique.slice(0, limit).map(({ doc, score, coverage, rank, detail, phrase, plainShare }, i) => {
      const rival = i === 0 ? unique.find((u) => u !== unique[0] && !sameLesson(u.doc, doc) && !inSeries.has(u.doc)) : unique[0];
      const other = rival?.rank ?? 0;
      const margin = rank > 0 || other > 0 ? (rank - other) / Math.max(rank, other) : 0;
      const features: ConfidenceFeatures = {
        coverage,
        runnerUp: i === 0 ? (unique[1]?.coverage ?? 0) : unique[0].coverage,
        margin,
        phrase,
        taught: detail.main > 0 ? detail.taught / detail.main : 0,
        specificity: detail.mainCovered / detail.maxIdf,
        unknown: detail.main > 0 ? detail.unknown / detail.main : 0,
        formula: analyzed.concepts.some((c) => c.formula) ? 1 : 0,
        otherSubject: analyzed.otherSubject ? 1 : 0,
        plain: plainShare,
      };
      const confidence = confidenceOf(features);
      return { topicIds: doc.topicIds, score, confidence, coverage, margin, features };
    });
    // an alternative is never shown as surer than the best hit
    for (const h of hits.slice(1)) h.confidence = Math.min(h.confidence, hits[0].confidence);
    return { hits: hits.slice(0, limit), analyzed };
  }
}

/** A passage that summarises the section ("Section Summary", "Key Concepts and Summary"). */
const SUMMARY_HEADING = /\b(?:summary|key concepts|key takeaways|key points)\b/i;
/** Cues of a sentence that defines or states something ("X states that", "is called", "is defined as"). */
const DEFINITION_CUE =
  /\b(?:states? that|is defined as|are defined as|is called|are called|is known as|are known as|refers? to|meaning that|is the term|is the name)\b/i;
/** Bonus (on a 0..1 relevance scale) per title or question term named by a defining sentence, and at most. */
const DEFINITION_BONUS = { perTerm: 0.12, max: 0.36 } as const;

/**
 * Bonus of a passage that defines or states something the topic title or the question names: its
 * best sentence with a definition cue (not one that leans on the sentence before it, "This ... is
 * called ..."), by the number of distinct such terms in it.
 */
function definitionBonus(text: string, terms: Set<string>): number {
  if (!terms.size || !DEFINITION_CUE.test(text)) return 0;
  let best = 0;
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    if (!DEFINITION_CUE.test(sentence) || /^(?:this|these|that|those|it|they|such)\b/i.test(sentence)) continue;
    const named = new Set(indexTerms(sentence).filter((t) => terms.has(t))).size;
    best = Math.max(best, Math.min(DEFINITION_BONUS.max, DEFINITION_BONUS.perTerm * named));
  }
  return best;
}

/**
 * Rank the passages of one topic for a question (plus the topic title), return the best `limit` in
 * reading order. A small per-topic BM25 index is built on the fly (a topic has tens of passages).
 *
 * Relevance of a passage = its BM25 score relative to the best one (0..1), plus a bonus when it
 * defines or states something the title or the question names ("Newton's third law of motion states
 * that ...", "... is called a quadratic equation"): the statement of the idea is what a lesson must
 * not miss (see definitionBonus).
 * When the topic has a summary passage and `limit` is at least 3, one slot goes to the summary (the
 * most relevant one, if several): it is the best source for takeaways. Ties, and passages that match
 * nothing, go to the earliest passages (the opening of a section usually introduces it).
 */
export function rankPassages(passages: Passage[], question: string, topicTitle: string, limit: number): Passage[] {
  if (passages.length <= limit) return [...passages].sort((a, b) => a.ordinal - b.ordinal);
  const analyzed = analyzeQuestion(`${question} ${topicTitle}`);
  const mini = new MiniSearch<{ id: number; heading: string; text: string }>({
    idField: 'id',
    fields: ['heading', 'text'],
    tokenize: (text) => (text ? text.split(' ') : []),
    processTerm: (term) => term || null,
    searchOptions: { boost: { heading: 1.5, text: 1 }, bm25: BM25 },
  });
  mini.addAll(passages.map((p, id) => ({ id, heading: indexTerms(p.heading).join(' '), text: indexTerms(p.text).join(' ') })));
  const weights = analyzed.terms;
  const results = weights.size ? mini.search([...weights.keys()].join(' '), { boostTerm: (t) => weights.get(t) ?? 1 }) : [];
  const bm25 = new Map<number, number>(results.map((r) => [r.id as number, r.score]));
  const best = Math.max(0, ...bm25.values());
  const terms = new Set([...indexTerms(topicTitle), ...weights.keys()]);
  const relevance = passages.map((p, i) => (best > 0 ? (bm25.get(i) ?? 0) / best : 0) + definitionBonus(p.text, terms));
  const byRelevance = (a: number, b: number): number => relevance[b] - relevance[a] || passages[a].ordinal - passages[b].ordinal || a - b;

  const chosen = new Set<number>();
  const summaries = passages.map((_, i) => i).filter((i) => SUMMARY_HEADING.test(passages[i].heading));
  if (limit >= 3 && summaries.length > 0) chosen.add([...summaries].sort(byRelevance)[0]);
  for (const i of passages.map((_, i) => i).sort(byRelevance)) {
    if (chosen.size >= limit) break;
    chosen.add(i);
  }
  return [...chosen].map((i) => passages[i]).sort((a, b) => a.ordinal - b.ordinal);
}
