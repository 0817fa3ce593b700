import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { PipelineError } from '../errors.js';
import type { NearestPassage, PassageVector, PassageVectorIndex } from '../ports/embeddings.port.js';
import { firestoreDocId } from './firestore-state-store.js';

/**
 * Passage embeddings in Firestore, searched with `findNearest` (cosine distance).
 *
 * Layout: passageVectors/{passageId} = { passageId, topicId, bookId, embedding: Vector }
 * (the id made safe by `firestoreDocId`: passage ids contain `/` and `#`).
 *
 * The cloud database needs two vector indexes on this collection (flat, dimension = the embedder's, 768):
 *   - topicId ASC, embedding (vector)   for `nearest(v, { topicId })`
 *   - embedding (vector)                for `nearest(v)` over the whole library
 */
export const PASSAGE_VECTORS_COLLECTION = 'passageVectors';
export const PASSAGE_VECTOR_FIELD = 'embedding';

/** Firestore's limits: 500 writes per batch, 2048 dimensions per vector, 1000 results per vector query. */
const MAX_BATCH_WRITES = 500;
const MAX_DIMENSIONS = 2048;
const MAX_LIMIT = 1000;

export class FirestorePassageIndex implements PassageVectorIndex {
  private readonly collection: string;

  constructor(
    private readonly firestore: Firestore,
    opts: { collection?: string } = {},
  ) {
    this.collection = opts.collection ?? PASSAGE_VECTORS_COLLECTION;
  }

  async upsert(items: PassageVector[]): Promise<void> {
    for (const item of items) checkVector(item.vector, `passage ${item.passageId}`);
    const col = this.firestore.collection(this.collection);
    // Each batch is atomic and every write a full overwrite, so a retried upsert converges.
    for (let i = 0; i < items.length; i += MAX_BATCH_WRITES) {
      const batch = this.firestore.batch();
      for (const item of items.slice(i, i + MAX_BATCH_WRITES)) {
        batch.set(col.doc(firestoreDocId(item.passageId)), {
          passageId: item.passageId,
          topicId: item.topicId,
          bookId: item.bookId,
          [PASSAGE_VECTOR_FIELD]: FieldValue.vector(item.vector),
        });
      }
      await batch.commit();
    }
  }

  async nearest(vector: number[], opts: { topicId?: string; limit: number }): Promise<NearestPassage[]> {
    checkVector(vector, 'query vector');
    if (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > MAX_LIMIT) {
      throw new PipelineError('INVALID_REQUEST', `limit must be an integer from 1 to ${MAX_LIMIT} (got ${opts.limit})`, { httpStatus: 400 });
    }
    const col = this.firestore.collection(this.collection);
    const scope = opts.topicId === undefined ? col : col.where('topicId', '==', opts.topicId);
    const snap = await scope
      .findNearest({ vectorField: PASSAGE_VECTOR_FIELD, queryVector: vector, limit: opts.limit, distanceMeasure: 'COSINE', distanceResultField: 'distance' })
      .get();
    return snap.docs.map((d) => ({ passageId: String(d.get('passageId')), topicId: String(d.get('topicId')), distance: Number(d.get('distance')) }));
  }
}

function checkVector(vector: number[], what: string): void {
  if (!Array.isArray(vector) || vector.length === 0 || vector.length > MAX_DIMENSIONS || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new PipelineError('EMBEDDING_INVALID', `${what}: a vector must have 1 to ${MAX_DIMENSIONS} finite numbers`, { retryable: false });
  }
}
