import assert from 'node:assert/strict';
import { VectorValue } from '@google-cloud/firestore';
import { FirestorePassageIndex } from '../../shared/adapters/firestore-passage-index.js';
import { firestoreDocId } from '../../shared/adapters/firestore-state-store.js';
import type { PassageVector } from '../../shared/ports/embeddings.port.js';
import { useFirestoreEmulator } from '../helpers/firestore-emulator.js';

/** A unit vector at `degrees` in the x-y plane: cosine distance between two is 1 - cos(difference). */
function at(degrees: number, dims = 3): number[] {
  const r = (degrees * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r), ...new Array(dims - 2).fill(0)];
}

function passage(passageId: string, topicId: string, vector: number[]): PassageVector {
  return { passageId, topicId, bookId: topicId.split('/')[0]!, vector };
}

describe('FirestorePassageIndex on the Firestore emulator @slow', function () {
  const fs = useFirestoreEmulator();

  it('finds the nearest passages of one topic by cosine distance, nearest first', async () => {
    const index = new FirestorePassageIndex(fs.firestore());
    await index.upsert([
      passage('physics/m1#p1', 'physics/m1', at(0)),
      passage('physics/m1#p2', 'physics/m1', at(60)),
      passage('physics/m1#p3', 'physics/m1', at(90)),
      passage('physics/m1#p4', 'physics/m1', at(10)),
      passage('physics/m2#p1', 'physics/m2', at(1)),
    ]);
    const found = await index.nearest(at(0), { topicId: 'physics/m1', limit: 3 });
    assert.deepEqual(found.map((p) => p.passageId), ['physics/m1#p1', 'physics/m1#p4', 'physics/m1#p2']);
    assert.ok(found.every((p) => p.topicId === 'physics/m1'));
    const expected = [0, 1 - Math.cos((10 * Math.PI) / 180), 0.5];
    found.forEach((p, i) => assert.ok(Math.abs(p.distance - expected[i]!) < 1e-6, `${p.passageId}: ${p.distance} vs ${expected[i]}`));
  });

  it('searches the whole library when no topic is given', async () => {
    const index = new FirestorePassageIndex(fs.firestore());
    await index.upsert([passage('a/m#p1', 'a/m', at(50)), passage('b/m#p1', 'b/m', at(5)), passage('c/m#p1', 'c/m', at(179))]);
    const found = await index.nearest(at(0), { limit: 2 });
    assert.deepEqual(found.map((p) => [p.passageId, p.topicId]), [['b/m#p1', 'b/m'], ['a/m#p1', 'a/m']]);
    assert.deepEqual(await index.nearest(at(0), { topicId: 'nobody/m', limit: 5 }), []);
  });

  it('overwrites a passage on a second upsert (retries converge)', async () => {
    const index = new FirestorePassageIndex(fs.firestore());
    await index.upsert([passage('p/m#p1', 'p/m', at(0)), passage('p/m#p2', 'p/m', at(45))]);
    await index.upsert([passage('p/m#p1', 'p/m', at(90))]);
    await index.upsert([passage('p/m#p1', 'p/m', at(90))]);
    const found = await index.nearest(at(0), { topicId: 'p/m', limit: 10 });
    assert.deepEqual(found.map((p) => p.passageId), ['p/m#p2', 'p/m#p1']);
  });

  it('writes more than one batch and stores Firestore vectors under safe document ids', async () => {
    const client = fs.firestore();
    const index = new FirestorePassageIndex(client, { collection: 'vectorsUnderTest' });
    const items = Array.from({ length: 1234 }, (_, i) => passage(`big/m${i % 7}#p${i}`, `big/m${i % 7}`, at(i % 360, 8)));
    await index.upsert(items);
    const count = await client.collection('vectorsUnderTest').count().get();
    assert.equal(count.data().count, items.length);
    const doc = await client.collection('vectorsUnderTest').doc(firestoreDocId('big/m3#p10')).get();
    assert.equal(doc.get('passageId'), 'big/m3#p10');
    assert.equal(doc.get('topicId'), 'big/m3');
    assert.equal(doc.get('bookId'), 'big');
    const embedding = doc.get('embedding');
    assert.ok(embedding instanceof VectorValue, 'stored as a vector value, which findNearest requires');
    assert.deepEqual(embedding.toArray(), at(10, 8));
    assert.equal((await client.collection('passageVectors').count().get()).data().count, 0, 'the collection option is honoured');
  });

  it('rejects unusable vectors and limits with stable codes before touching Firestore', async () => {
    const index = new FirestorePassageIndex(fs.firestore());
    for (const vector of [[], [1, Number.NaN], [Infinity, 0], new Array(2049).fill(0.1)]) {
      await assert.rejects(() => index.upsert([passage('x/m#p1', 'x/m', vector)]), { code: 'EMBEDDING_INVALID' });
      await assert.rejects(() => index.nearest(vector, { limit: 3 }), { code: 'EMBEDDING_INVALID' });
    }
    for (const limit of [0, -1, 1.5, 1001]) await assert.rejects(() => index.nearest(at(0), { limit }), { code: 'INVALID_REQUEST' });
  });

  it('is a no-op for an empty upsert', async () => {
    const client = fs.firestore();
    await new FirestorePassageIndex(client).upsert([]);
    assert.equal((await client.collection('passageVectors').count().get()).data().count, 0);
  });

  it('finds nothing once the emulator has cleared the project (test helper)', async () => {
    const index = new FirestorePassageIndex(fs.firestore('cleared-project'));
    await index.upsert([passage('z/m#p1', 'z/m', at(0))]);
    assert.equal((await index.nearest(at(0), { topicId: 'z/m', limit: 1 })).length, 1);
    await fs.clear('cleared-project');
    assert.deepEqual(await index.nearest(at(0), { topicId: 'z/m', limit: 1 }), []);
  });
});
