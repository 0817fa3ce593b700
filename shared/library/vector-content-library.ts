/**
 * Retrieval by meaning: the passages of a topic nearest to the question's embedding (Vertex AI
 * embeddings, Firestore vector search in the cloud), over a base library that keeps everything else
 * (topic resolution, passages, figures) and answers by lexical ranking whenever the vector path
 * fails or finds nothing.
 */
import type { Book, Passage, Topic, TopicCandidate } from '../domain/library.js';
import { codeOf } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { ContentLibrary, RetrievedSources } from '../ports/content-library.port.js';
import type { Embedder, PassageVectorIndex } from '../ports/embeddings.port.js';
import { DEFAULT_RETRIEVE_LIMIT } from './sqlite-content-library.js';

/**
 * A summary passage ("Section Summary", "Key Concepts and Summary"): the base ranking always keeps
 * one when the limit is at least 3 (the writer takes its takeaways from it); so does this one.
 * Same pattern as rankPassages in topic-index.ts.
 */
const SUMMARY_HEADING = /\b(?:summary|key concepts|key takeaways|key points)\b/i;

export const VECTOR_EMPTY = 'VECTOR_EMPTY';

export interface VectorContentLibraryOptions {
  /** The lexical library (SqliteContentLibrary): topics, passages, figures, and the fallback ranking. */
  base: ContentLibrary;
  embedder: Embedder;
  index: PassageVectorIndex;
  log?: Logger;
}

export class VectorContentLibrary implements ContentLibrary {
  private readonly base: ContentLibrary;
  private readonly embedder: Embedder;
  private readonly index: PassageVectorIndex;
  private readonly log?: Logger;

  constructor(opts: VectorContentLibraryOptions) {
    this.base = opts.base;
    this.embedder = opts.embedder;
    this.index = opts.index;
    this.log = opts.log;
  }

  resolve(question: string, limit?: number): Promise<TopicCandidate[]> {
    return this.base.resolve(question, limit);
  }

  /** The base library's: the vectors are derived from its passages. */
  version(): Promise<string> {
    return this.base.version();
  }

  /**
   * The `limit` passages of the topic nearest to the question, in reading order, always including
   * the summary the base ranking keeps; the base ranking's answer on any error or empty result.
   */
  async retrieve(topicId: string, question: string, limit = DEFAULT_RETRIEVE_LIMIT): Promise<RetrievedSources> {
    const max = Math.max(1, Math.floor(limit));
    // The lexical answer is cheap (one local query): it gives the essential passages and the fallback.
    const lexical = await this.base.retrieve(topicId, question, max);
    if (!lexical.passages.length) return lexical;
    try {
      const found = await this.base.getTopic(topicId);
      if (!found) return lexical;
      const passages = await this.nearestPassages(found.topic, question, max, lexical.passages);
      if (!passages.length) {
        this.log?.warn('vector retrieval found nothing; lexical ranking used', { code: VECTOR_EMPTY, topicId });
        return lexical;
      }
      const figureIds = [...new Set(passages.flatMap((p) => p.figureIds))];
      return { passages, figures: await this.base.getFigures(figureIds) };
    } catch (err) {
      this.log?.warn('vector retrieval failed; lexical ranking used', { code: codeOf(err), topicId });
      return lexical;
    }
  }

  private async nearestPassages(topic: Topic, question: string, limit: number, lexical: Passage[]): Promise<Passage[]> {
    // The topic title gives a vague question ("explain this") something to point at, as in the lexical ranking.
    const [vector] = await this.embedder.embed([`${topic.title}: ${question}`.slice(0, 2000)], 'RETRIEVAL_QUERY');
    const essential = limit >= 3 ? lexical.filter((p) => SUMMARY_HEADING.test(p.heading)).slice(0, 1) : [];
    // A few extra neighbours, so that the essential passage and stale index entries do not leave slots empty.
    const nearest = await this.index.nearest(vector, { topicId: topic.id, limit: limit + essential.length + 2 });
    const ids = [...new Set(nearest.filter((n) => n.topicId === topic.id).sort((a, b) => a.distance - b.distance).map((n) => n.passageId))];
    if (!ids.length) return [];
    // Passages the index knows but the library no longer has (a re-ingested book) are left out.
    const rank = new Map(ids.map((id, i) => [id, i]));
    const loaded = (await this.base.getPassages(ids)).filter((p) => p.topicId === topic.id && rank.has(p.id));
    if (!loaded.length) return [];
    loaded.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
    const chosen = new Map<string, Passage>(essential.map((p) => [p.id, p]));
    for (const p of loaded) {
      if (chosen.size >= limit) break;
      chosen.set(p.id, p);
    }
    return [...chosen.values()].sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  getTopic(id: string): Promise<{ topic: Topic; book: Book } | null> {
    return this.base.getTopic(id);
  }
  getPassages(ids: string[]) {
    return this.base.getPassages(ids);
  }
  getFigures(ids: string[]) {
    return this.base.getFigures(ids);
  }
  getMaterials(topicId: string) {
    return this.base.getMaterials(topicId);
  }
  stats() {
    return this.base.stats();
  }
}
