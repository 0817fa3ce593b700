import assert from 'node:assert/strict';
import { FIRESTORE_LAYOUT } from '../../cdktf/firestore-layout.js';
import { PASSAGE_VECTORS_COLLECTION, PASSAGE_VECTOR_FIELD } from '../../shared/adapters/firestore-passage-index.js';
import { FIRESTORE_COLLECTIONS, FIRESTORE_TTL_FIELD } from '../../shared/adapters/firestore-state-store.js';

/** The stack declares indexes and TTL policies for the collections the adapters really use. */
describe('infrastructure: Firestore layout matches the Firestore adapters', () => {
  it('has a TTL policy on every collection the state store writes, on the field it writes', () => {
    const ttl = FIRESTORE_LAYOUT.ttlFields.map((t) => `${t.collection}.${t.field}`).sort();
    assert.deepEqual(ttl, Object.values(FIRESTORE_COLLECTIONS).map((c) => `${c}.${FIRESTORE_TTL_FIELD}`).sort());
  });
  it('indexes the stalled-generations query on the fields it filters and orders by', () => {
    const idx = FIRESTORE_LAYOUT.compositeIndexes.find((i) => i.collection === FIRESTORE_COLLECTIONS.generations);
    assert.deepEqual(idx?.fields.map((f) => f.path), ['terminal', 'updatedAt']);
  });
  it('has the vector index the passage index queries (topic prefilter, 768 dimensions)', () => {
    const v = FIRESTORE_LAYOUT.vectorIndexes[0]!;
    assert.equal(v.collection, PASSAGE_VECTORS_COLLECTION);
    assert.equal(v.vectorField, PASSAGE_VECTOR_FIELD);
    assert.deepEqual(v.prefilter, ['topicId']);
    assert.equal(v.dimension, 768);
  });
});
