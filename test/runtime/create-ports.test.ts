import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStorageEmulator, type StorageEmulator } from '../../functions/local/emulators/storage-emulator.js';
import { parseConfig } from '../../shared/config.js';
import { PipelineError } from '../../shared/errors.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { createPorts, type ClosablePorts } from '../../shared/runtime/create-ports.js';

/**
 * The cloud composition root copies the content library (`gs://bucket/object`) to local disk
 * through the object-store port, not a storage SDK of its own: here the GCS adapter, pointed at
 * the local Cloud Storage emulator, with every request it makes recorded there.
 */
describe('createPorts: the content library from the object store', () => {
  let emulator: StorageEmulator;
  let dir: string;
  const opened: ClosablePorts[] = [];

  before(async () => {
    emulator = await startStorageEmulator({ projectId: 'vividly-test' });
    emulator.createBucket('content');
    dir = mkdtempSync(path.join(tmpdir(), 'vividly-create-ports-'));
  });
  after(async () => {
    for (const p of opened) await p.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function portsFor(library: string): Promise<ClosablePorts> {
    const config = parseConfig(
      {
        VIVIDLY_DATA_DIR: dir,
        VIVIDLY_LOG_LEVEL: 'silent',
        GOOGLE_CLOUD_PROJECT: 'vividly-test',
        VIVIDLY_OBJECT_STORE: 'gcs',
        VIVIDLY_STORAGE_ENDPOINT: emulator.endpoint,
        VIVIDLY_LIBRARY: library,
      },
      '/',
    );
    const ports = await createPorts(config);
    opened.push(ports);
    return ports;
  }

  it('downloads gs://bucket/object with the object store, once per process, and opens it', async () => {
    // A library with a unique name: the copy lands in the machine's temporary folder under that name.
    const name = `library-${randomUUID()}.sqlite`;
    const built = path.join(dir, 'built.sqlite');
    const lib = new SqliteContentLibrary(built);
    const stats = await lib.stats();
    lib.close();
    const ports = await portsFor(`gs://content/${name}`);
    await ports.objects.put('content', name, { path: built }, { contentType: 'application/vnd.sqlite3' });

    const before = emulator.requests.length;
    assert.deepEqual(await ports.library.stats(), stats);
    const reads = emulator.requests.slice(before).filter((r) => r.bucket === 'content' && r.name === name);
    assert.ok(reads.length >= 1, 'the object was read from the storage emulator');
    assert.deepEqual(await ports.library.stats(), stats);
    assert.equal(emulator.requests.length - before, reads.length, 'opened once: no second download');
    rmSync(path.join(tmpdir(), 'vividly-library', name), { force: true });
  });

  it('reads it from whichever object store is configured (here the file store: no Cloud Storage at all)', async () => {
    const name = `library-${randomUUID()}.sqlite`;
    const built = path.join(dir, 'built-file.sqlite');
    const lib = new SqliteContentLibrary(built);
    const stats = await lib.stats();
    lib.close();
    // Not the embedded composition (the Pub/Sub bus is never used here), so the library comes through materialisation.
    const config = parseConfig(
      { VIVIDLY_DATA_DIR: path.join(dir, 'file-store'), VIVIDLY_LOG_LEVEL: 'silent', GOOGLE_CLOUD_PROJECT: 'vividly-test', VIVIDLY_EVENT_BUS: 'pubsub', VIVIDLY_OBJECT_STORE: 'file', VIVIDLY_LIBRARY: `gs://content/${name}` },
      '/',
    );
    const ports = await createPorts(config);
    opened.push(ports);
    await ports.objects.put('content', name, { path: built }, { contentType: 'application/vnd.sqlite3' });
    assert.deepEqual(await ports.library.stats(), stats);
    rmSync(path.join(tmpdir(), 'vividly-library', name), { force: true });
  });

  it('a library object that is missing is LIBRARY_MISSING, retryable', async () => {
    const ports = await portsFor(`gs://content/absent-${randomUUID()}.sqlite`);
    await assert.rejects(ports.library.stats(), (err: unknown) => err instanceof PipelineError && err.code === 'LIBRARY_MISSING' && err.retryable);
  });
});
