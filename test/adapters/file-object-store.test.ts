import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileObjectStore } from '../../shared/adapters/file-object-store.js';
import type { ObjectInfo } from '../../shared/ports/object-store.port.js';
import { objectStoreContract } from '../contract/object-store.contract.js';

function makeStore() {
  const root = mkdtempSync(path.join(tmpdir(), 'vividly-objects-'));
  return { root, store: new FileObjectStore(path.join(root, 'objects'), { key: 'test-key', baseUrl: 'http://localhost:9' }) };
}

describe('FileObjectStore', () => {
  it('stores bytes and files with metadata and emits one finalize per write', async () => {
    const { root, store } = makeStore();
    const finalized: ObjectInfo[] = [];
    store.onFinalize((i) => finalized.push(i));
    const a = await store.put('bucket-a', 'x/y.txt', Buffer.from('hello'), { contentType: 'text/plain', metadata: { generationId: 'gen_1' } });
    const src = path.join(root, 'src.bin');
    writeFileSync(src, Buffer.alloc(1000, 7));
    await store.put('bucket-a', 'x/z.bin', { path: src }, { contentType: 'application/octet-stream' });
    assert.equal(finalized.length, 2);
    assert.equal(a.size, 5);
    assert.equal((await store.get('bucket-a', 'x/y.txt')).toString(), 'hello');
    assert.deepEqual((await store.stat('bucket-a', 'x/y.txt'))?.metadata, { generationId: 'gen_1' });
    assert.equal((await store.stat('bucket-a', 'x/z.bin'))?.size, 1000);
    assert.equal(await store.stat('bucket-a', 'missing'), null);
    await assert.rejects(() => store.get('bucket-a', 'missing'), { code: 'OBJECT_NOT_FOUND' });
  });

  it('gives a rewritten object a new generation', async () => {
    const { store } = makeStore();
    const first = await store.put('bucket-a', 'o', Buffer.from('1'), { contentType: 'text/plain' });
    const second = await store.put('bucket-a', 'o', Buffer.from('2'), { contentType: 'text/plain' });
    assert.notEqual(first.generation, second.generation);
  });

  const hostile = ['../escape', 'a/../../etc/passwd', '/abs', 'a//b', 'x y', "it's", 'a\\b', 'a/.', '', 'ok/%2e%2e'];
  for (const name of hostile) {
    it(`rejects the hostile object name ${JSON.stringify(name)}`, async () => {
      const { store } = makeStore();
      await assert.rejects(() => store.put('bucket-a', name, Buffer.from('x'), { contentType: 'text/plain' }), { code: 'INVALID_OBJECT_NAME' });
    });
  }

  it('signs URLs that verify, and rejects tampered, expired or foreign ones', async () => {
    const { store } = makeStore();
    await store.put('bucket-a', 'v/video.mp4', Buffer.from('x'), { contentType: 'video/mp4' });
    const url = new URL(await store.signedUrl('bucket-a', 'v/video.mp4', 60));
    const expires = url.searchParams.get('expires')!;
    const signature = url.searchParams.get('signature')!;
    assert.equal(url.pathname, '/v1/objects/bucket-a/v/video.mp4');
    assert.ok(store.resolveSigned('bucket-a', 'v/video.mp4', expires, signature).endsWith(path.join('bucket-a', 'v', 'video.mp4')));
    assert.throws(() => store.resolveSigned('bucket-a', 'v/other.mp4', expires, signature), { code: 'URL_SIGNATURE_INVALID' });
    assert.throws(() => store.resolveSigned('bucket-a', 'v/video.mp4', String(Number(expires) + 1), signature), { code: 'URL_SIGNATURE_INVALID' });
    assert.throws(() => store.resolveSigned('bucket-a', 'v/video.mp4', expires, signature, Number(expires) + 1), { code: 'URL_EXPIRED' });
    const other = new FileObjectStore('/nonexistent', { key: 'another-key', baseUrl: 'http://x' });
    assert.throws(() => other.resolveSigned('bucket-a', 'v/video.mp4', expires, signature), { code: 'URL_SIGNATURE_INVALID' });
  });
});

describe('FileObjectStore meets the ObjectStore contract', () => {
  objectStoreContract('FileObjectStore', async () => {
    const { store } = makeStore();
    const finalized: Array<{ bucket: string; name: string; generation: string }> = [];
    store.onFinalize((i) => finalized.push({ bucket: i.bucket, name: i.name, generation: i.generation }));
    // Served as the API serves it: the store checks the signature, then the file is read.
    const fetchSigned = async (url: string) => {
      const u = new URL(url);
      const [, , , bucket, ...rest] = u.pathname.split('/');
      try {
        const file = store.resolveSigned(bucket, rest.join('/'), u.searchParams.get('expires') ?? '', u.searchParams.get('signature') ?? '');
        return { status: 200, body: readFileSync(file) };
      } catch (err) {
        return { status: (err as { httpStatus?: number }).httpStatus ?? 500, body: Buffer.alloc(0) };
      }
    };
    return { store, names: 'pipeline-safe' as const, finalized, fetchSigned, close: async () => {} };
  });
});
