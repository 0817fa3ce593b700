import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore } from '../../shared/adapters/sqlite-state-store.js';
import type { Generation } from '../../shared/domain/generation.js';
import { newGeneration, stateStoreContract, until } from '../contract/state-store.contract.js';

stateStoreContract('SQLite (embedded)', async () => new SqliteStateStore(path.join(mkdtempSync(path.join(tmpdir(), 'vividly-state-')), 'state.sqlite')));

describe('SqliteStateStore watch across processes', () => {
  it('sees a write made through another connection to the same file by polling', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vividly-state-')), 'state.sqlite');
    // Two stores on one file stand for two processes: the second one's writes are not announced in-process.
    const watcher = new SqliteStateStore(file, undefined, { watchPollMs: 50 });
    const writer = new SqliteStateStore(file, undefined, { watchPollMs: 0 });
    const g = newGeneration();
    await writer.createGeneration(g);
    const seen: (Generation | null)[] = [];
    const stop = watcher.watchGeneration(g.id, (d) => seen.push(d));
    try {
      await until(() => seen.length === 1);
      await writer.transition(g.id, 'requested', 'topic_resolved');
      await until(() => seen.at(-1)?.status === 'topic_resolved');
      assert.equal(seen.length, 2);
    } finally {
      stop();
      await watcher.close();
      await writer.close();
    }
  });

  it('without polling, announces only its own writes', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vividly-state-')), 'state.sqlite');
    const store = new SqliteStateStore(file, undefined, { watchPollMs: 0 });
    const other = new SqliteStateStore(file, undefined, { watchPollMs: 0 });
    const g = newGeneration();
    await store.createGeneration(g);
    const seen: (Generation | null)[] = [];
    const stop = store.watchGeneration(g.id, (d) => seen.push(d));
    try {
      await until(() => seen.length === 1);
      await other.transition(g.id, 'requested', 'topic_resolved');
      await store.updateStage(g.id, 'retrieve', { progress: 0.25 });
      await until(() => seen.at(-1)?.stages.retrieve?.progress === 0.25);
      // The other connection's transition shows up inside the next document this store announces.
      assert.equal(seen.at(-1)?.status, 'topic_resolved');
      assert.equal(seen.length, 2);
    } finally {
      stop();
      await store.close();
      await other.close();
    }
  });
});
