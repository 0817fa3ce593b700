import assert from 'node:assert/strict';
import { startStorageEmulator, type StorageEmulator, type StorageObjectResource } from '../../functions/local/emulators/storage-emulator.js';

/** The storage emulator's slow-response fault (used by `npm run chaos`): the request waits, then is carried out as usual. */
describe('StorageEmulator slow responses', () => {
  let emulator: StorageEmulator;
  beforeEach(async () => {
    emulator = await startStorageEmulator({ projectId: 'p' });
    emulator.createBucket('bkt');
  });
  afterEach(async () => emulator.stop());

  const upload = (name: string, body: string) => fetch(`${emulator.endpoint}/upload/storage/v1/b/bkt/o?uploadType=media&name=${name}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  const metadata = (name: string) => fetch(`${emulator.endpoint}/storage/v1/b/bkt/o/${name}`);

  it('answers the targeted requests late but correctly, and the next ones at once', async () => {
    const finalized: string[] = [];
    emulator.onFinalize((o) => void finalized.push(o.name));
    emulator.failNext(1, { delayMs: 400 }, 'upload-simple');
    let started = performance.now();
    const res = await upload('a.txt', 'hello');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as StorageObjectResource).size, '5');
    assert.ok(performance.now() - started >= 390, 'the upload waited');
    assert.deepEqual(finalized, ['a.txt']);

    emulator.failNext(2, { delayMs: 300 }, 'metadata');
    for (let i = 0; i < 2; i++) {
      started = performance.now();
      assert.equal((await metadata('a.txt')).status, 200);
      assert.ok(performance.now() - started >= 290);
    }
    started = performance.now();
    assert.equal((await metadata('a.txt')).status, 200);
    assert.ok(performance.now() - started < 250, 'the fault is used up');
    assert.deepEqual(
      emulator.requests.map((r) => [r.kind, r.status, r.fault ? 'slow' : '']),
      [['upload-simple', 200, 'slow'], ['metadata', 200, 'slow'], ['metadata', 200, 'slow'], ['metadata', 200, '']],
    );
  });

  it('still checks the request after the wait (a precondition that no longer holds is refused)', async () => {
    await upload('b.txt', 'one');
    emulator.failNext(1, { delayMs: 200 }, 'upload-simple');
    const late = fetch(`${emulator.endpoint}/upload/storage/v1/b/bkt/o?uploadType=media&name=b.txt&ifGenerationMatch=0`, { method: 'POST', body: 'two' });
    assert.equal((await late).status, 412);
    assert.equal(emulator.readObject('bkt', 'b.txt')!.data.toString(), 'one');
  });

  it('refuses a negative or non-finite delay', () => {
    assert.throws(() => emulator.failNext(1, { delayMs: -1 }), RangeError);
    assert.throws(() => emulator.failNext(1, { delayMs: Number.NaN }), RangeError);
  });
});
