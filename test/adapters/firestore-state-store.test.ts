import assert from 'node:assert/strict';
import { Timestamp } from '@google-cloud/firestore';
import { FirestoreStateStore, firestoreDocId } from '../../shared/adapters/firestore-state-store.js';
import { newGeneration, stateStoreContract } from '../contract/state-store.contract.js';
import { useFirestoreEmulator } from '../helpers/firestore-emulator.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('firestoreDocId', () => {
  const keys = [
    'gen_0123abcdef',
    'rq_4f2a',
    'physics/m42130#p3',
    'physics%2Fm42130%23p3',
    '.',
    '..',
    '../../etc/passwd',
    '__name__',
    '___',
    '%5F_name__',
    '',
    '%',
    '~abc',
    'a b\u0000c',
    'Schrödinger’s <cat> & "box"',
    '🙂/🙃',
    'x'.repeat(1401),
    'x'.repeat(1500) + '/',
    '/'.repeat(600),
  ];

  it('keeps plain ids readable', () => {
    assert.equal(firestoreDocId('gen_0123abcdef'), 'gen_0123abcdef');
    assert.equal(firestoreDocId('physics/m42130#p3'), 'physics%2Fm42130%23p3');
  });

  it('gives every key a valid document id (no "/", not "." or "..", not __x__, at most 1500 bytes)', () => {
    for (const key of keys) {
      const id = firestoreDocId(key);
      assert.ok(id.length > 0 && Buffer.byteLength(id) <= 1500, JSON.stringify(key));
      assert.ok(!id.includes('/') && id !== '.' && id !== '..' && !/^__.*__$/s.test(id), `${JSON.stringify(key)} -> ${id}`);
    }
  });

  it('never gives two keys the same id', () => {
    const ids = keys.map(firestoreDocId);
    assert.equal(new Set(ids).size, keys.length, ids.join('\n'));
  });
});

describe('FirestoreStateStore on the Firestore emulator @slow', function () {
  const fs = useFirestoreEmulator();

  describe('contract', () => {
    let started = 0;
    before(() => {
      started = Date.now();
      console.log(`      Firestore emulator: ${fs.emulator.version} on ${fs.emulator.host}`);
    });
    after(() => {
      if (started) console.log(`      contract suite on the emulator: ${Date.now() - started} ms`);
    });
    stateStoreContract('Firestore (emulator)', async () => new FirestoreStateStore(fs.firestore()));
  });

  describe('Firestore specifics', () => {
    it('lets exactly one of two concurrent transitions win, ten times over', async () => {
      const store = new FirestoreStateStore(fs.firestore());
      for (let pair = 0; pair < 10; pair++) {
        const g = newGeneration();
        await store.createGeneration(g);
        const topic = (n: number) => ({ id: `t${n}`, title: `T${n}`, subject: 'physics', book: 'B', moduleId: null, confidence: 0.5 });
        const results = await Promise.all([
          store.transition(g.id, 'requested', 'topic_resolved', { topic: topic(1) }),
          store.transition(g.id, 'requested', 'topic_resolved', { topic: topic(2) }),
        ]);
        const winners = results.filter((r) => r !== null);
        assert.equal(winners.length, 1, `pair ${pair}: ${winners.length} winners`);
        // The stored document is the winner's, not a mix of both.
        assert.deepEqual((await store.getGeneration(g.id))?.topic, winners[0]!.topic);
      }
    });

    it('gives one concurrent in-flight claim the key; the others join it', async () => {
      const store = new FirestoreStateStore(fs.firestore());
      const gens = Array.from({ length: 6 }, () => newGeneration());
      for (const g of gens) await store.createGeneration(g);
      const claimed = await Promise.all(gens.map((g) => store.claimInflight('rq_same', g.id)));
      assert.equal(new Set(claimed).size, 1, `claims returned ${[...new Set(claimed)].join(', ')}`);
      assert.ok(gens.some((g) => g.id === claimed[0]));
      assert.equal(await store.claimInflight('rq_same', 'gen_late000000'), claimed[0]);
    });

    it('gives one concurrent claim a key whose holder has finished', async () => {
      const store = new FirestoreStateStore(fs.firestore());
      const done = newGeneration();
      await store.createGeneration(done);
      await store.claimInflight('rq_stale', done.id);
      await store.transition(done.id, 'requested', 'completed');
      const gens = Array.from({ length: 6 }, () => newGeneration());
      for (const g of gens) await store.createGeneration(g);
      const claimed = await Promise.all(gens.map((g) => store.claimInflight('rq_stale', g.id)));
      assert.equal(new Set(claimed).size, 1, `claims returned ${[...new Set(claimed)].join(', ')}`);
      assert.notEqual(claimed[0], done.id);
    });

    it('ends failed when a failure races a transition', async () => {
      const store = new FirestoreStateStore(fs.firestore());
      for (let i = 0; i < 5; i++) {
        const g = newGeneration();
        await store.createGeneration(g);
        const [moved, failed] = await Promise.all([
          store.transition(g.id, 'requested', 'topic_resolved'),
          store.fail(g.id, { stage: 'understand', code: 'X', message: 'x' }),
        ]);
        assert.equal(failed?.status, 'failed', 'fail always wins over a live generation');
        const stored = await store.getGeneration(g.id);
        assert.equal(stored?.status, 'failed');
        assert.equal(stored?.topic, undefined);
        if (moved) assert.equal(moved.status, 'topic_resolved');
      }
    });

    it('stores the TTL field and the stalled-query flag at top level', async () => {
      const client = fs.firestore();
      const now = new Date('2030-05-01T12:00:00.000Z');
      const store = new FirestoreStateStore(client, { now: () => now, generationTtlDays: 7 });
      const g = newGeneration({ createdAt: '2030-04-30T00:00:00.000Z', updatedAt: '2030-04-30T00:00:00.000Z' });
      await store.createGeneration(g);
      const raw = async () => (await client.collection('generations').doc(g.id).get()).data()!;
      const expected = Date.parse(g.createdAt) + 7 * DAY_MS;

      let doc = await raw();
      assert.ok(doc.expireAt instanceof Timestamp, 'expireAt is a Firestore Timestamp (what a TTL policy needs)');
      assert.equal(doc.expireAt.toMillis(), expected);
      assert.equal(doc.terminal, false);
      assert.equal(doc.status, 'requested');
      assert.equal(doc.updatedAt, g.updatedAt);

      await store.transition(g.id, 'requested', 'completed');
      doc = await raw();
      assert.equal(doc.terminal, true);
      assert.equal(doc.updatedAt, now.toISOString());
      assert.equal(doc.expireAt.toMillis(), expected, 'the TTL counts from creation, not from the last write');

      await store.putCache('request', 'rq/1', g.id);
      await store.putCache('content', 'ct/1', g.id);
      await store.putCache('notCovered', 'nc/1', g.id);
      await store.claimInflight('rq/2', g.id);
      for (const path of [`requestCache/${firestoreDocId('rq/1')}`, `contentCache/${firestoreDocId('ct/1')}`, `notCoveredCache/${firestoreDocId('nc/1')}`, `inflight/${firestoreDocId('rq/2')}`]) {
        const entry = (await client.doc(path).get()).data();
        assert.ok(entry?.expireAt instanceof Timestamp, path);
        assert.equal(entry.expireAt.toMillis(), now.getTime() + 7 * DAY_MS, path);
        assert.equal(entry.generationId, g.id, path);
      }
      assert.deepEqual(await store.getCache('request', 'rq/1'), { key: 'rq/1', generationId: g.id, createdAt: now.toISOString() });
    });

    it('reports a malformed stored generation with the code STATE_CORRUPT', async () => {
      const client = fs.firestore();
      const store = new FirestoreStateStore(client);
      const g = newGeneration();
      await store.createGeneration(g);
      await client.collection('generations').doc(g.id).update({ status: 'exploded', 'request.grade': 'ten' });
      for (const call of [
        () => store.getGeneration(g.id),
        () => store.transition(g.id, 'requested', 'topic_resolved'),
        () => store.updateStage(g.id, 'understand', { progress: 0.5 }),
        () => store.fail(g.id, { stage: 'understand', code: 'X', message: 'x' }),
        () => store.listStalled('9999-01-01T00:00:00.000Z', 10),
      ]) {
        await assert.rejects(call, (err: Error & { code?: string; retryable?: boolean; opts?: { details?: unknown } }) => {
          assert.equal(err.code, 'STATE_CORRUPT');
          assert.equal(err.retryable, false);
          assert.match(err.message, new RegExp(`generation ${g.id} .*request\\.grade, status`));
          return true;
        });
      }
    });

    it('reports a document holding another generation, and a malformed cache entry, as STATE_CORRUPT', async () => {
      const client = fs.firestore();
      const store = new FirestoreStateStore(client);
      const g = newGeneration();
      await client.collection('generations').doc('gen_elsewhere0000').set(g);
      await assert.rejects(() => store.getGeneration('gen_elsewhere0000'), { code: 'STATE_CORRUPT' });
      await client.collection('requestCache').doc('rq_bad').set({ key: 'rq_bad', generationId: 42 });
      await assert.rejects(() => store.getCache('request', 'rq_bad'), { code: 'STATE_CORRUPT' });
    });

    it('rejects a stage patch that would make the document unreadable, and keeps the document', async () => {
      const store = new FirestoreStateStore(fs.firestore());
      const g = newGeneration();
      await store.createGeneration(g);
      await assert.rejects(() => store.updateStage(g.id, 'render', { progress: 1.5 }));
      assert.equal((await store.getGeneration(g.id))?.stages.render, undefined);
    });

    it('drops the in-flight claims of a failed generation in the same write', async () => {
      const client = fs.firestore();
      const store = new FirestoreStateStore(client);
      const a = newGeneration();
      const b = newGeneration();
      for (const g of [a, b]) await store.createGeneration(g);
      await store.claimInflight('rq_a', a.id);
      await store.claimInflight('rq_b', b.id);
      await store.fail(a.id, { stage: 'write', code: 'X', message: 'x' });
      assert.equal((await client.doc(`inflight/rq_a`).get()).exists, false, 'the failed generation no longer holds its key');
      assert.equal((await client.doc(`inflight/rq_b`).get()).get('generationId'), b.id, 'other claims stay');
    });
  });
});
