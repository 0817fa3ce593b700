import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LibraryBundle } from '../../shared/domain/library.js';
import { starterBundle } from '../../shared/library/starter/index.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';

function tempFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'vividly-libver-')), 'library.sqlite');
}

/** A one-topic book that covers a question the starter library does not. */
function kiteBundle(text = 'A kite flies because the wind pushes on its sail and the string holds it at an angle, so lift balances the weight of the kite.'): LibraryBundle {
  const bookId = 'test-kites';
  const topicId = `${bookId}/kites`;
  return {
    book: { id: bookId, title: 'Kites', subject: 'physics', publisher: 'Vividly tests', license: 'CC BY 4.0', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/', url: 'https://example.org/kites' },
    topics: [{ id: topicId, bookId, title: 'How Kites Fly', subject: 'physics', chapter: 'Kites', moduleId: null, objectives: ['Explain how a kite flies'], keyTerms: ['kite', 'lift'], ordinal: 0 }],
    passages: [{ id: `${topicId}#p1`, topicId, ordinal: 0, heading: 'Flying a kite', text, figureIds: [] }],
    figures: [],
  };
}

describe('content library version', () => {
  it('is a stable id of the contents: the same books give the same version, other contents another', async () => {
    const a = new SqliteContentLibrary(':memory:');
    const b = new SqliteContentLibrary(':memory:');
    try {
      const empty = await a.version();
      assert.match(empty, /^lib_[0-9a-f]{32}$/);
      a.upsertBundle(starterBundle('physics'));
      const one = await a.version();
      assert.notEqual(one, empty, 'a book ingested');
      a.upsertBundle(starterBundle('physics'));
      assert.equal(await a.version(), one, 'the same book ingested again');
      a.upsertBundle(kiteBundle());
      const two = await a.version();
      assert.notEqual(two, one, 'another book');
      a.upsertBundle(kiteBundle('A kite is lifted by the wind.'));
      const edited = await a.version();
      assert.notEqual(edited, two, 'a book ingested with other contents');
      assert.equal(a.removeBook('test-kites'), true);
      assert.equal(await a.version(), one, 'a book removed');
      // Built elsewhere, in another order: the same books, the same version.
      b.upsertBundle(kiteBundle('A kite is lifted by the wind.'));
      b.upsertBundle(starterBundle('physics'));
      assert.equal(await b.version(), edited);
    } finally {
      a.close();
      b.close();
    }
  });

  it('is seen by another instance on the same file, whose search index is then rebuilt', async () => {
    const file = tempFile();
    const server = new SqliteContentLibrary(file);
    const ingest = new SqliteContentLibrary(file);
    try {
      server.upsertBundle(starterBundle('physics'));
      const before = await server.version();
      const question = 'how does a kite fly in the wind';
      assert.ok(!(await server.resolve(question, 5)).some((c) => c.topic.id === 'test-kites/kites'));
      // `vividly ingest` in another process while `npm start` runs.
      ingest.upsertBundle(kiteBundle());
      const after = await server.version();
      assert.notEqual(after, before);
      assert.equal(after, await ingest.version());
      assert.equal((await server.resolve(question, 5))[0]?.topic.id, 'test-kites/kites', 'the index was rebuilt for the new version');
    } finally {
      server.close();
      ingest.close();
    }
  });

  it('a library file written before versions gets its version on first call, the same as if recorded at ingest', async () => {
    const file = tempFile();
    const lib = new SqliteContentLibrary(file);
    lib.upsertBundle(starterBundle('math'));
    lib.upsertBundle(kiteBundle());
    const recorded = await lib.version();
    lib.close();
    const db = new Database(file);
    db.exec('DROP TABLE library_meta; DROP TABLE book_digests;');
    db.close();
    const old = new SqliteContentLibrary(file);
    try {
      assert.equal(await old.version(), recorded);
      const db2 = new Database(file, { readonly: true });
      assert.equal((db2.prepare("SELECT value FROM library_meta WHERE key = 'version'").get() as { value: string }).value, recorded, 'and records it');
      db2.close();
    } finally {
      old.close();
    }
  });
});
