/** Text embeddings (Vertex AI in the cloud). */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, in order. `task` selects the embedding task type. */
  embed(texts: string[], task: 'RETRIEVAL_DOCUMENT' | 'RETRIEVAL_QUERY'): Promise<number[][]>;
}

export interface PassageVector {
  passageId: string;
  topicId: string;
  bookId: string;
  vector: number[];
}

export interface NearestPassage {
  passageId: string;
  topicId: string;
  /** Cosine distance (0 = same direction). */
  distance: number;
}

/** Vector search over passage embeddings (Firestore `findNearest` in the cloud). */
export interface PassageVectorIndex {
  upsert(items: PassageVector[]): Promise<void>;
  /** Nearest passages to `vector`, optionally only of one topic. */
  nearest(vector: number[], opts: { topicId?: string; limit: number }): Promise<NearestPassage[]>;
}
