import type { Book, Figure, Passage, Topic, TopicCandidate, TopicMaterials } from '../domain/library.js';

export interface RetrievedSources {
  passages: Passage[];
  figures: Figure[];
}

/** The open-textbook library: topics (sections), passages and figures, with lexical search. */
export interface ContentLibrary {
  /** Rank topics for a student question, best first. */
  resolve(question: string, limit?: number): Promise<TopicCandidate[]>;
  /** The best passages of one topic for the question (in reading order), and the figures they reference. */
  retrieve(topicId: string, question: string, limit?: number): Promise<RetrievedSources>;
  getTopic(id: string): Promise<{ topic: Topic; book: Book } | null>;
  getPassages(ids: string[]): Promise<Passage[]>;
  getFigures(ids: string[]): Promise<Figure[]>;
  /** The topic's equations, worked examples, review questions and glossary (empty when it has none). */
  getMaterials(topicId: string): Promise<TopicMaterials>;
  stats(): Promise<{ books: number; topics: number; passages: number; figures: number }>;
  /**
   * A stable id of the library's contents: the same books give the same version, and it changes
   * whenever a book is ingested with other contents, added or removed. Caches of answers that
   * depend on the library (the not-covered cache) carry it in their keys.
   */
  version(): Promise<string>;
}
