import assert from 'node:assert/strict';
import type { Generation } from '../../shared/domain/generation.js';
import type { StateStore } from '../../shared/ports/state-store.port.js';

/** Waits until `ready()` holds, checking every 10 ms; fails after `ms` (a watch that never delivers). */
export async function until(ready: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let n = 0;
export function newGeneration(overrides: Partial<Generation> = {}): Generation {
  const now = new Date().toISOString();
  n++;
  return {
    id: `gen_contract${String(n).padStart(8, '0')}${Math.random().toString(36).slice(2, 8)}`,
    owner: 'anonymous',
    request: { question: 'Explain <Newton> & "third" law', grade: 10, interest: 'basketball', voice: 'female_professional' },
    requestKey: `rq_${n}_${Math.random()}`,
    status: 'requested',
    createdAt: now,
    updatedAt: now,
    stages: {},
    ...overrides,
  };
}

/**
 * The behaviour every StateStore adapter must have. Run against the embedded SQLite store here;
 * the same suite runs against other adapters with their own factory.
 */
export function stateStoreContract(name: string, make: () => Promise<StateStore>): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await make();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates once; a second create with the same id keeps the first document', async () => {
      const g = newGeneration();
      assert.equal((await store.createGeneration(g)).created, true);
      const again = await store.createGeneration({ ...g, owner: 'someone-else' });
      assert.equal(again.created, false);
      assert.equal(again.generation.owner, 'anonymous');
      assert.deepEqual((await store.getGeneration(g.id))?.request, g.request);
    });

    it('returns null for an unknown id', async () => {
      assert.equal(await store.getGeneration('gen_doesnotexist000'), null);
    });

    it('transitions only from the expected status, and only forward', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      const topic = { id: 't', title: 'T', subject: 'physics', book: 'B', moduleId: null, confidence: 0.9 };
      const moved = await store.transition(g.id, 'requested', 'topic_resolved', { topic });
      assert.equal(moved?.status, 'topic_resolved');
      assert.deepEqual(moved?.topic, topic);
      assert.equal(await store.transition(g.id, 'requested', 'topic_resolved'), null, 'a stale from-status must not win');
      await assert.rejects(() => store.transition(g.id, 'topic_resolved', 'requested'), RangeError);
      assert.equal((await store.getGeneration(g.id))?.status, 'topic_resolved');
    });

    it('lets exactly one of many concurrent transitions win', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      const results = await Promise.all(Array.from({ length: 8 }, () => store.transition(g.id, 'requested', 'topic_resolved')));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('merges stage progress given with a transition, keeping the attempts counted before', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      await store.updateStage(g.id, 'understand', { state: 'running', progress: 0 }, { incrementAttempts: true });
      await store.updateStage(g.id, 'understand', { lastError: { code: 'BUSY', message: 'x' } }, { incrementAttempts: true });
      const moved = await store.transition(g.id, 'requested', 'topic_resolved', { stages: { understand: { state: 'done', progress: 1, lastError: undefined } } });
      assert.equal(moved?.stages.understand.attempts, 2);
      assert.equal(moved?.stages.understand.state, 'done');
      assert.equal((await store.getGeneration(g.id))?.stages.understand.lastError, undefined);
    });

    it('records stage progress and attempts without changing status', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      await store.updateStage(g.id, 'understand', { state: 'running', progress: 0 }, { incrementAttempts: true });
      await store.updateStage(g.id, 'understand', { progress: 0.5 }, { incrementAttempts: true });
      const got = await store.getGeneration(g.id);
      assert.equal(got?.status, 'requested');
      assert.deepEqual({ ...got?.stages.understand }, { state: 'running', progress: 0.5, attempts: 2 });
    });

    it('fails a live generation once; terminal generations stay as they are', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      const failed = await store.fail(g.id, { stage: 'narrate', code: 'SPEECH_FAILED', message: 'x' });
      assert.equal(failed?.status, 'failed');
      assert.equal(await store.fail(g.id, { stage: 'render', code: 'OTHER', message: 'y' }), null);
      assert.equal((await store.getGeneration(g.id))?.error?.code, 'SPEECH_FAILED');
      assert.equal(await store.transition(g.id, 'requested', 'topic_resolved'), null);
      await store.updateStage(g.id, 'understand', { progress: 1 });
      assert.equal((await store.getGeneration(g.id))?.stages.understand, undefined, 'no stage writes after the end');
    });

    it('lists stalled non-terminal generations', async () => {
      const old = newGeneration({ updatedAt: '2000-01-01T00:00:00.000Z' });
      const done = newGeneration({ updatedAt: '2000-01-01T00:00:00.000Z', status: 'completed' });
      const fresh = newGeneration();
      for (const g of [old, done, fresh]) await store.createGeneration(g);
      const stalled = await store.listStalled('2001-01-01T00:00:00.000Z', 10);
      assert.deepEqual(stalled.map((g) => g.id), [old.id]);
    });

    it('keeps request and content caches apart and overwrites an entry', async () => {
      await store.putCache('request', 'k', 'gen_a0000000');
      await store.putCache('content', 'k', 'gen_b0000000');
      assert.equal((await store.getCache('request', 'k'))?.generationId, 'gen_a0000000');
      assert.equal((await store.getCache('content', 'k'))?.generationId, 'gen_b0000000');
      await store.putCache('request', 'k', 'gen_c0000000');
      assert.equal((await store.getCache('request', 'k'))?.generationId, 'gen_c0000000');
      assert.equal(await store.getCache('request', 'missing'), null);
    });

    it('keeps the not-covered cache apart from the others', async () => {
      await store.putCache('request', 'nc', 'gen_a0000000');
      await store.putCache('content', 'nc', 'gen_b0000000');
      await store.putCache('notCovered', 'nc', 'gen_n0000000');
      assert.equal((await store.getCache('notCovered', 'nc'))?.generationId, 'gen_n0000000');
      assert.equal((await store.getCache('request', 'nc'))?.generationId, 'gen_a0000000');
      assert.equal((await store.getCache('content', 'nc'))?.generationId, 'gen_b0000000');
      // Filled again by a redelivery: overwritten, not duplicated.
      await store.putCache('notCovered', 'nc', 'gen_n0000000');
      const entry = await store.getCache('notCovered', 'nc');
      assert.deepEqual({ key: entry?.key, generationId: entry?.generationId }, { key: 'nc', generationId: 'gen_n0000000' });
      assert.equal(await store.getCache('notCovered', 'missing'), null);
    });

    it('coalesces identical in-flight requests onto the live generation', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      assert.equal(await store.claimInflight('key1', g.id), g.id);
      assert.equal(await store.claimInflight('key1', 'gen_other0000'), g.id, 'the second request joins the first');
      await store.fail(g.id, { stage: 'write', code: 'X', message: 'x' });
      assert.equal(await store.claimInflight('key1', 'gen_other0000'), 'gen_other0000', 'a failed generation is not joined');
      await store.releaseInflight('key1', 'gen_other0000');
      assert.equal(await store.claimInflight('key1', 'gen_third0000'), 'gen_third0000');
    });

    it('creates once when the same id is created concurrently', async () => {
      const g = newGeneration();
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.createGeneration({ ...g, owner: `owner${i}` })));
      assert.equal(results.filter((r) => r.created).length, 1);
      const stored = (await store.getGeneration(g.id))?.owner;
      assert.ok(results.every((r) => r.generation.owner === stored), 'every caller sees the stored document');
    });

    it('lists stalled generations oldest first, up to the limit', async () => {
      const at = (d: number) => `2000-01-0${d}T00:00:00.000Z`;
      for (const d of [3, 1, 2, 4]) await store.createGeneration(newGeneration({ updatedAt: at(d), status: d === 4 ? 'failed' : 'narrated' }));
      const stalled = await store.listStalled('2001-01-01T00:00:00.000Z', 2);
      assert.deepEqual(stalled.map((g) => g.updatedAt), [at(1), at(2)]);
      assert.deepEqual(await store.listStalled('2001-01-01T00:00:00.000Z', 0), []);
    });

    it('releases an in-flight claim only for the generation that holds it', async () => {
      const a = newGeneration();
      await store.createGeneration(a);
      assert.equal(await store.claimInflight('key2', a.id), a.id);
      await store.releaseInflight('key2', 'gen_other0000');
      assert.equal(await store.claimInflight('key2', 'gen_other0000'), a.id, 'another generation cannot release the claim');
      await store.releaseInflight('key2', a.id);
      assert.equal(await store.claimInflight('key2', 'gen_other0000'), 'gen_other0000');
    });

    it('watches a generation: the stored document first, then each change in order, until stopped', async () => {
      const g = newGeneration();
      await store.createGeneration(g);
      const seen: (Generation | null)[] = [];
      const errors: Error[] = [];
      const stop = store.watchGeneration(g.id, (d) => seen.push(d), (e) => errors.push(e));
      try {
        await until(() => seen.length >= 1);
        assert.equal(seen[0]?.status, 'requested');
        await store.updateStage(g.id, 'understand', { state: 'running', progress: 0 }, { incrementAttempts: true });
        await store.transition(g.id, 'requested', 'topic_resolved', { stages: { understand: { state: 'done', progress: 1 } } });
        await store.updateStage(g.id, 'retrieve', { state: 'running', progress: 0.5 }, { incrementAttempts: true });
        await until(() => seen.at(-1)?.stages.retrieve?.progress === 0.5);
      } finally {
        stop();
      }
      // In order (never an older document after a newer one), and no document reported twice in a row.
      const times = seen.map((d) => d!.updatedAt);
      assert.deepEqual(times, [...times].sort(), 'updatedAt never goes back');
      for (let i = 1; i < seen.length; i++) assert.notDeepEqual(seen[i], seen[i - 1], `change ${i} repeats the one before`);
      assert.ok(seen.some((d) => d?.status === 'topic_resolved' && !d.stages.retrieve), 'the transition itself was reported');
      assert.deepEqual(errors, []);

      // Stopped: a later write reaches a new watch but not the stopped one.
      const count = seen.length;
      const after: (Generation | null)[] = [];
      const stop2 = store.watchGeneration(g.id, (d) => after.push(d));
      try {
        await until(() => after.length >= 1);
        await store.fail(g.id, { stage: 'retrieve', code: 'X', message: 'x' });
        await until(() => after.at(-1)?.status === 'failed');
      } finally {
        stop2();
      }
      assert.equal(seen.length, count, 'nothing after stop');
    });

    it('watches a generation that does not exist yet: null, then the document once created', async () => {
      const g = newGeneration();
      const seen: (Generation | null)[] = [];
      const stop = store.watchGeneration(g.id, (d) => seen.push(d));
      try {
        await until(() => seen.length >= 1);
        assert.equal(seen[0], null);
        await store.createGeneration(g);
        await until(() => seen.at(-1)?.id === g.id);
      } finally {
        stop();
      }
      assert.equal(seen.filter((d) => d === null).length, 1, 'missing is reported once');
    });

    it('keeps hostile cache keys and generation ids apart', async () => {
      const keys = ['a/b', 'a%2Fb', '..', '.', '__name__', '../../generations/x', '<x>&"\'', '🙂', '', 'k'.repeat(3000)];
      for (const [i, key] of keys.entries()) await store.putCache('content', key, `gen_${i}`);
      for (const [i, key] of keys.entries()) assert.equal((await store.getCache('content', key))?.generationId, `gen_${i}`, key.slice(0, 40));
      const g = newGeneration({ id: 'gen/../../requestCache/x' });
      assert.equal((await store.createGeneration(g)).created, true);
      assert.equal((await store.transition(g.id, 'requested', 'topic_resolved'))?.id, g.id);
      assert.equal((await store.getGeneration(g.id))?.status, 'topic_resolved');
      assert.equal(await store.getGeneration('gen'), null);
      assert.equal(await store.getGeneration('requestCache/x'), null);
    });
  });
}
