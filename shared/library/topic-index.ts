/**
 * In-memory lexical index over topics (sections) for `resolve`, and passage ranking for `retrieve`.
 * MiniSearch (BM25+) over pre-analysed text (stop words removed, Porter-stemmed, see search-text.ts).
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { Passage } from '../domain/library.js';
import { analyzeQuestion, indexTerms, type AnalyzedQuestion } from './search-text.js';

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
}

export interface TopicHit {
  /** Every topic with this exact content (a module shared by several books), best representative first. */
  topicIds: string[];
  score: number;
  confidence: number;
  /** Diagnostics: coverage and margin that produced the confidence. */
  coverage: number;
  margin: number;
}

/** Field boosts for `resolve`: title > key terms / objectives > chapter > body. */
export const FIELD_BOOSTS = { title: 4, keyTerms: 2.5, objectives: 2, chapter: 1.5, body: 1 } as const;
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
  title: string;
  keyTerms: string;
  objectives: string;
  chapter: string;
  body: string;
  /** Terms of title, key terms and objectives: a match there is full coverage. */
  strong: Set<string>;
  /** Terms of the chapter title. */
  chapterTerms: Set<string>;
  /** For each body term, the share of the topic's passages that contain it (0..1). */
  bodyShare: Map<string, number>;
  weight: number;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/**
 * Credit a topic gets for one query term (0..1). A section *teaches* what is in its title, key terms
 * or objectives: credit 1. Otherwise it only *mentions* the term, in proportion to how pervasive it is:
 * 0.25 + the share of the section's passages that contain it, at most 0.75 (one mention among fifteen
 * passages is about 0.3). A term of the chapter title alone earns 0.5.
 */
export function termCredit(doc: Pick<IndexDoc, 'strong' | 'bodyShare' | 'chapterTerms'>, term: string): number {
  if (doc.strong.has(term)) return 1;
  const share = doc.bodyShare.get(term) ?? 0;
  const body = share > 0 ? Math.min(0.75, 0.25 + share) : 0;
  return Math.max(body, doc.chapterTerms.has(term) ? 0.5 : 0);
}

export class TopicIndex {
  private readonly search: MiniSearch<IndexDoc>;
  private readonly docs: IndexDoc[];
  private readonly df = new Map<string, number>();
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
    this.docs = [...groups.entries()].map(([key, members], id) => {
      const first = members[0];
      const chapters = [...new Set(members.map((m) => m.chapter))];
      const keyTerms = [...new Set(members.flatMap((m) => m.keyTerms))];
      const objectives = [...new Set(members.flatMap((m) => m.objectives))];
      const title = indexTerms(first.title);
      const kt = indexTerms(keyTerms.join(' . '));
      const ob = indexTerms(objectives.join(' . '));
      const ch = indexTerms(chapters.join(' . '));
      // body: each heading once, then every passage's text
      const body = indexTerms([...new Set(first.passages.map((p) => p.heading))].join(' . '));
      const bodyShare = new Map<string, number>();
      const headingTerms = new Map<string, string[]>();
      for (const p of first.passages) {
        let ht = headingTerms.get(p.heading);
        if (!ht) headingTerms.set(p.heading, (ht = indexTerms(p.heading)));
        const terms = indexTerms(p.text);
        for (const t of terms) body.push(t);
        for (const t of new Set([...ht, ...terms])) bodyShare.set(t, (bodyShare.get(t) ?? 0) + 1);
      }
      for (const [t, n] of bodyShare) bodyShare.set(t, n / Math.max(1, first.passages.length));
      const doc: IndexDoc = {
        id,
        key,
        sectionKeys: [
          ...new Set([
            ...members.flatMap((m) => (m.moduleId ? [`m:${m.moduleId}`] : [])),
            ...members.map((m) => `t:${m.title.toLowerCase()}|${m.chapter.toLowerCase()}`),
          ]),
        ],
        topicIds: members.map((m) => m.topicId),
        title: title.join(' '),
        keyTerms: kt.join(' '),
        objectives: ob.join(' '),
        chapter: ch.join(' '),
        body: body.join(' '),
        strong: new Set([...title, ...kt, ...ob]),
        chapterTerms: new Set(ch),
        bodyShare,
        weight: Math.max(...members.map((m) => m.weight ?? 1)),
      };
      for (const t of new Set([...title, ...kt, ...ob, ...ch, ...bodyShare.keys()])) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return doc;
    });
    this.search = new MiniSearch<IndexDoc>({
      idField: 'id',
      fields: FIELDS,
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term || null,
      searchOptions: { boost: { ...FIELD_BOOSTS }, bm25: BM25 },
    });
    this.search.addAll(this.docs);
    // the analysed strings are no longer needed once indexed
    for (const d of this.docs) d.body = d.title = d.keyTerms = d.objectives = d.chapter = '';
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
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Coverage of an analysed question by one index document, 0..1:
   *
   *   coverage = Σ_c w_c · credit_c / (Σ_{c main} w_c + Σ_{c context} w_c · credit_c)
   *
   * over the question's concepts c (content words, or synonym phrases with their textbook
   * alternatives). w_c is the IDF of the student's own word(s) (the largest one; a word the library
   * never uses has the maximal IDF, so unknown content pulls coverage down). credit_c is the best
   * alternative's credit, an alternative's credit being the smallest termCredit of its terms.
   * Concepts in a situational clause ("when I jump off a skateboard") only count when covered: they
   * describe the student's situation, not the subject, so they may add evidence but not remove it.
   */
  coverage(question: AnalyzedQuestion, doc: IndexDoc): number {
    let covered = 0;
    let total = 0;
    const maxIdf = this.idf('\u0000');
    for (const c of question.concepts) {
      const own = c.terms.length ? Math.max(...c.terms.map((t) => this.idf(t))) : Math.max(...c.alternatives.flat().map((t) => this.idf(t)), 0);
      const w = Math.min(own, maxIdf);
      let credit = 0;
      for (const alt of c.alternatives) {
        if (!alt.length) continue;
        credit = Math.max(credit, Math.min(...alt.map((t) => termCredit(doc, t))));
      }
      covered += w * credit;
      total += c.context ? w * credit : w;
    }
    return total > 0 ? covered / total : 0;
  }

  /**
   * Rank topics for a question. Confidence (0..1) of a hit:
   *
   *   confidence = coverage × (0.75 + 0.25 × margin),   margin = (s − s_other) / max(s, s_other)
   *
   * where coverage is defined at `coverage()`, s is the hit's BM25 score and s_other the best score of
   * any other section (for the top hit: the runner-up, so margin is in 0..1; for lower hits: the top,
   * so margin is in -1..0). Coverage carries the weight: a question whose informative words the topic
   * does not contain cannot be confident; a clear lead over the runner-up adds up to a quarter, and a
   * hit far behind the leader loses up to a quarter.
   */
  query(question: string, limit = 5): { hits: TopicHit[]; analyzed: AnalyzedQuestion } {
    const analyzed = analyzeQuestion(question);
    if (!analyzed.terms.size) return { hits: [], analyzed };
    const weights = analyzed.terms;
    const terms = [...weights.keys()];
    const results = this.search.search(terms.join(' '), {
      boostTerm: (term) => weights.get(term) ?? 1,
      boostDocument: (id: number) => this.docs[id].weight,
    });
    // one hit per section: the best-scoring variant
    const seen = new Set<string>();
    const ranked: { doc: IndexDoc; score: number }[] = [];
    for (const r of results) {
      const doc = this.docs[r.id as number];
      if (doc.sectionKeys.some((k) => seen.has(k))) continue;
      for (const k of doc.sectionKeys) seen.add(k);
      ranked.push({ doc, score: r.score });
      if (ranked.length >= Math.max(limit, 2)) break;
    }
    const hits = ranked.map(({ doc, score }, i) => {
      const other = i === 0 ? ranked[1]?.score ?? 0 : ranked[0].score;
      const margin = score > 0 || other > 0 ? (score - other) / Math.max(score, other) : 0;
      const coverage = this.coverage(analyzed, doc);
      const confidence = Math.min(1, Math.max(0, coverage * (0.75 + 0.25 * margin)));
      return { topicIds: doc.topicIds, score, confidence, coverage, margin };
    });
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
