/**
 * The Firestore collections the cloud adapters query, and the indexes and TTL policies those
 * queries need. This is the one place to edit when the Firestore adapter's queries change: the
 * stack declares exactly what is listed here.
 */

export interface CompositeIndex {
  collection: string;
  /** Field path and order, in the order the query uses them. */
  fields: { path: string; order: 'ASCENDING' | 'DESCENDING' }[];
  /** Why the index exists (which query). */
  query: string;
}

export interface VectorIndex {
  collection: string;
  /** Equality prefilter fields, in order. */
  prefilter: string[];
  vectorField: string;
  dimension: number;
}

export interface TtlField {
  collection: string;
  field: string;
}

export interface FirestoreLayout {
  compositeIndexes: CompositeIndex[];
  vectorIndexes: VectorIndex[];
  ttlFields: TtlField[];
}

export const FIRESTORE_LAYOUT: FirestoreLayout = {
  compositeIndexes: [
    {
      collection: 'generations',
      fields: [
        { path: 'terminal', order: 'ASCENDING' },
        { path: 'updatedAt', order: 'ASCENDING' },
      ],
      query: "listStalled: where('terminal','==',false).where('updatedAt','<',t).orderBy('updatedAt') (sweep)",
    },
  ],
  vectorIndexes: [
    {
      // Firestore findNearest over passage embeddings, optionally within one topic.
      collection: 'passageVectors',
      prefilter: ['topicId'],
      vectorField: 'embedding',
      // VIVIDLY_EMBEDDING_MODEL text-embedding-005 returns 768 dimensions.
      dimension: 768,
    },
  ],
  ttlFields: [
    // Each holds a Timestamp written by the Firestore adapter (created or written + generationTtlDays).
    { collection: 'generations', field: 'expireAt' },
    { collection: 'requestCache', field: 'expireAt' },
    { collection: 'contentCache', field: 'expireAt' },
    { collection: 'notCoveredCache', field: 'expireAt' },
    { collection: 'inflight', field: 'expireAt' },
  ],
};
