import assert from 'node:assert/strict';
import { createHash, createSign, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Storage, type StorageOptions } from '@google-cloud/storage';
import { buildStorageEvent, parseStorageEvent } from '../../events/cloud-events.js';
import { crc32cBase64, StorageEmulator, type StorageEmulatorOptions, type StorageObjectResource } from '../../functions/local/emulators/storage-emulator.js';
import { GcsObjectStore, type GcsObjectStoreOptions } from '../../shared/adapters/gcs-object-store.js';
import { objectStoreContract } from '../contract/object-store.contract.js';

const MiB = 1024 * 1024;
// The client's own retries: 2 after the first try, 1 s apart (its backoff floor is 1 s).
const RETRIES = { maxRetries: 2, maxRetryDelay: 1 };

interface Harness {
  emulator: StorageEmulator;
  storage: Storage;
  store: GcsObjectStore;
  finalized: StorageObjectResource[];
}

const running: StorageEmulator[] = [];

/**
 * `new Storage(...)`, without google-auth-library's deprecation notice for `credentials` (printed
 * once per client; its replacement, an auth client, cannot tell the URL signer which account signs).
 */
function newStorage(options: StorageOptions): Storage {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('The `credentials` option is deprecated')) warn(...args);
  };
  try {
    return new Storage(options);
  } finally {
    console.warn = warn;
  }
}

async function harness(opts: { emulator?: StorageEmulatorOptions; storage?: StorageOptions; store?: GcsObjectStoreOptions } = {}): Promise<Harness> {
  const emulator = await new StorageEmulator({ projectId: 'vividly-test', ...opts.emulator }).start();
  running.push(emulator);
  const storage = newStorage({ ...emulator.clientOptions(), retryOptions: RETRIES, ...opts.storage });
  const store = new GcsObjectStore(storage, { chunkBytes: MiB, timeoutMs: 20_000, ...opts.store });
  const finalized: StorageObjectResource[] = [];
  emulator.onFinalize((o) => {
    finalized.push(o);
  });
  return { emulator, storage, store, finalized };
}

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'vividly-gcs-'));
}

function requestsOf(emulator: StorageEmulator, kind: string) {
  return emulator.requests.filter((r) => r.kind === kind);
}

describe('Cloud Storage adapter and emulator @slow', () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  objectStoreContract('GcsObjectStore on the storage emulator', async () => {
    const { emulator, store, finalized } = await harness();
    return {
      store,
      names: 'any',
      get finalized() {
        return finalized.map((o) => ({ bucket: o.bucket, name: o.name, generation: o.generation }));
      },
      fetchSigned: async (url: string) => {
        const res = await fetch(url);
        return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
      },
      close: () => emulator.stop(),
    };
  });

  describe('GcsObjectStore uploads', () => {
    it('sends media above 5 MiB as a chunked resumable upload that arrives intact', async () => {
      const { emulator, store } = await harness();
      const src = path.join(scratchDir(), 'video.mp4');
      const data = randomBytes(6 * MiB + 4321);
      writeFileSync(src, data);
      const info = await store.put('vividly-video', 'gen_big/video.mp4', { path: src }, { contentType: 'video/mp4', metadata: { generationId: 'gen_big', kind: 'video' } });

      assert.equal(info.size, data.length);
      assert.equal(info.md5Hash, md5(data));
      const starts = requestsOf(emulator, 'upload-start');
      assert.equal(starts.length, 1);
      assert.equal(starts[0].query.uploadType, 'resumable');
      assert.equal(starts[0].query.ifGenerationMatch, '0', 'a first write is conditional on the object not existing');
      const chunks = requestsOf(emulator, 'upload-chunk');
      assert.deepEqual(
        chunks.map((c) => c.contentRange),
        [0, 1, 2, 3, 4, 5].map((i) => `bytes ${i * MiB}-${(i + 1) * MiB - 1}/*`).concat(`bytes ${6 * MiB}-${data.length - 1}/${data.length}`),
      );
      assert.deepEqual(
        chunks.map((c) => c.status),
        [308, 308, 308, 308, 308, 308, 200],
      );
      assert.equal(requestsOf(emulator, 'upload-simple').length, 0);
      const stored = emulator.readObject('vividly-video', 'gen_big/video.mp4')!;
      assert.ok(stored.data.equals(data), 'the stored bytes are the file');
      assert.equal(stored.resource.md5Hash, md5(data));
      assert.equal(stored.resource.crc32c, crc32cBase64(data));
      assert.deepEqual(stored.resource.metadata, { generationId: 'gen_big', kind: 'video' });
      assert.equal(stored.resource.contentType, 'video/mp4');
      assert.ok((await store.get('vividly-video', 'gen_big/video.mp4')).equals(data));
    });

    it('sends media up to the threshold as one multipart request, and a larger buffer as resumable', async () => {
      const { emulator, store } = await harness({ store: { resumableThresholdBytes: 64 * 1024, chunkBytes: 256 * 1024 } });
      await store.put('vividly-video', 'small.vtt', Buffer.alloc(64 * 1024, 'x'), { contentType: 'text/vtt' });
      assert.deepEqual(
        emulator.requests.filter((r) => r.kind.startsWith('upload')).map((r) => [r.kind, r.query.uploadType]),
        [['upload-simple', 'multipart']],
      );
      const larger = randomBytes(64 * 1024 + 1);
      const info = await store.put('vividly-video', 'larger.bin', larger, { contentType: 'application/octet-stream' });
      assert.equal(requestsOf(emulator, 'upload-start').length, 1);
      assert.equal(info.md5Hash, md5(larger));
    });

    it('makes a re-put conditional on the generation it replaces', async () => {
      const { emulator, store } = await harness();
      const first = await store.put('vividly-narration', 'gen_a/narration.mp3', Buffer.from('one'), { contentType: 'audio/mpeg' });
      await store.put('vividly-narration', 'gen_a/narration.mp3', Buffer.from('two'), { contentType: 'audio/mpeg' });
      const uploads = requestsOf(emulator, 'upload-simple');
      assert.deepEqual(
        uploads.map((u) => u.query.ifGenerationMatch),
        ['0', first.generation],
      );
    });

    it('reports each completed upload once to the finalize listeners, as storage event data', async () => {
      const { emulator, store, finalized } = await harness({ store: { resumableThresholdBytes: 300 * 1024, chunkBytes: 256 * 1024 } });
      const a = await store.put('vividly-narration', 'gen_f/narration.mp3', Buffer.from('mp3 bytes'), { contentType: 'audio/mpeg', metadata: { generationId: 'gen_f' } });
      const big = randomBytes(700 * 1024);
      const b = await store.put('vividly-narration', 'gen_g/narration.mp3', big, { contentType: 'audio/mpeg', metadata: { generationId: 'gen_g' } });
      emulator.failNext(3, { status: 503 }, 'upload-simple');
      await assert.rejects(() => store.put('vividly-narration', 'gen_h/narration.mp3', Buffer.from('x'), { contentType: 'audio/mpeg' }), { code: 'OBJECT_STORE_UNAVAILABLE' });

      assert.equal(finalized.length, 2, 'two completed uploads, one failed: two notifications');
      for (const [event, info, data] of [
        [finalized[0], a, Buffer.from('mp3 bytes')],
        [finalized[1], b, big],
      ] as const) {
        assert.equal(event.bucket, 'vividly-narration');
        assert.equal(event.name, info.name);
        assert.equal(event.generation, info.generation);
        assert.equal(event.size, String(data.length));
        assert.equal(event.contentType, 'audio/mpeg');
        assert.equal(event.md5Hash, md5(data));
        assert.deepEqual(event.metadata, info.metadata);
        assert.equal(event.timeCreated, info.timeCreated);
        assert.equal(event.updated, info.timeCreated);
        // The same data makes a valid object-finalized CloudEvent for render and publish.
        const parsed = parseStorageEvent(JSON.parse(JSON.stringify(buildStorageEvent(event))));
        assert.equal(parsed.name, info.name);
        assert.equal(parsed.metadata?.generationId, info.metadata.generationId);
      }
    });

    it('resumes a resumable upload from the offset the server reports after a 503 on a chunk', async () => {
      const { emulator, store, finalized } = await harness();
      const data = randomBytes(5 * MiB + 100);
      emulator.failNext(1, { status: 503 }, (r) => r.kind === 'upload-chunk' && r.contentRange === `bytes ${2 * MiB}-${3 * MiB - 1}/*`);
      const info = await store.put('vividly-video', 'gen_r/video.mp4', data, { contentType: 'video/mp4' });

      const ranges = requestsOf(emulator, 'upload-chunk').map((c) => `${c.contentRange} ${c.status}`);
      assert.deepEqual(ranges, [
        `bytes 0-${MiB - 1}/* 308`,
        `bytes ${MiB}-${2 * MiB - 1}/* 308`,
        `bytes ${2 * MiB}-${3 * MiB - 1}/* 503`,
        'bytes */* 308', // where are we? the server has 2 MiB
        `bytes ${2 * MiB}-${3 * MiB - 1}/* 308`, // so the upload goes on from there, not from zero
        `bytes ${3 * MiB}-${4 * MiB - 1}/* 308`,
        `bytes ${4 * MiB}-${5 * MiB - 1}/* 308`,
        `bytes ${5 * MiB}-${5 * MiB + 99}/${5 * MiB + 100} 200`,
      ]);
      assert.equal(info.md5Hash, md5(data));
      assert.ok(emulator.readObject('vividly-video', 'gen_r/video.mp4')!.data.equals(data));
      assert.equal(finalized.length, 1);
    });

    for (const kind of ['upload-simple', 'upload-chunk'] as const) {
      it(`recognises its own write when the response to it was lost (${kind}): no duplicate, one finalize`, async () => {
        const { emulator, store, finalized } = await harness({ store: { resumableThresholdBytes: 300 * 1024, chunkBytes: 256 * 1024 } });
        const data = kind === 'upload-simple' ? Buffer.from('narration') : randomBytes(300 * 1024 + 7);
        // The last request of the upload takes effect, then the connection closes without an answer.
        emulator.failNext(1, { dropResponse: true }, (r) => r.kind === kind && (kind === 'upload-simple' || r.contentRange?.endsWith(`/${data.length}`) === true));
        const info = await store.put('vividly-narration', 'gen_l/narration.mp3', data, { contentType: 'audio/mpeg', metadata: { generationId: 'gen_l' } });

        assert.equal(finalized.length, 1, 'the object was written once');
        assert.equal(info.generation, finalized[0].generation);
        assert.equal(info.md5Hash, md5(data));
        assert.ok(emulator.requests.some((r) => r.status === 412 || (r.kind === 'upload-chunk' && r.contentRange === 'bytes */*')), 'the retry found the write already done');
      });
    }

    it('gives up with OBJECT_STORE_CONFLICT when a 412 is not its own write and the object keeps changing', async () => {
      const { emulator, store } = await harness();
      await store.put('vividly-video', 'contested.mp4', Buffer.from('theirs'), { contentType: 'video/mp4' });
      emulator.failNext(10, { status: 412 }, 'upload-simple');
      await assert.rejects(() => store.put('vividly-video', 'contested.mp4', Buffer.from('ours'), { contentType: 'video/mp4' }), { code: 'OBJECT_STORE_CONFLICT', retryable: true });
      assert.equal(requestsOf(emulator, 'upload-simple').length, 1 + 4, 'one write before, then four conditional attempts');
    });

    it('fails with OBJECT_SOURCE_UNREADABLE when the file to upload is missing, before any request', async () => {
      const { emulator, store } = await harness();
      await assert.rejects(() => store.put('vividly-video', 'x.mp4', { path: path.join(scratchDir(), 'nope.mp4') }, { contentType: 'video/mp4' }), { code: 'OBJECT_SOURCE_UNREADABLE' });
      assert.equal(emulator.requests.length, 0);
    });
  });

  describe('GcsObjectStore error paths', () => {
    type Op = 'stat' | 'get' | 'download' | 'put' | 'put-resumable';
    const run = async (h: Harness, op: Op): Promise<unknown> => {
      switch (op) {
        case 'stat':
          return h.store.stat('vividly-video', 'gen_e/video.mp4');
        case 'get':
          return h.store.get('vividly-video', 'gen_e/video.mp4');
        case 'download':
          return h.store.download('vividly-video', 'gen_e/video.mp4', path.join(scratchDir(), 'out.mp4'));
        case 'put':
          return h.store.put('vividly-video', 'gen_e/video.mp4', Buffer.from('new'), { contentType: 'video/mp4' });
        case 'put-resumable':
          return h.store.put('vividly-video', 'gen_e/video.mp4', Buffer.alloc(RESUMABLE_SIZE, 1), { contentType: 'video/mp4' });
      }
    };
    // Above the threshold these tests use (1 MiB): two chunks, 1 MiB and 512 KiB.
    const RESUMABLE_SIZE = 1.5 * MiB;
    // The request kind each operation's faults are aimed at.
    const target = { stat: 'metadata', get: 'media', download: 'media', put: 'upload-simple', 'put-resumable': 'upload-chunk' } as const;

    async function seeded(opts: Parameters<typeof harness>[0] = {}): Promise<Harness> {
      const h = await harness({ ...opts, store: { resumableThresholdBytes: MiB, ...opts.store } });
      await h.store.put('vividly-video', 'gen_e/video.mp4', Buffer.from('existing video'), { contentType: 'video/mp4' });
      h.emulator.requests.length = 0;
      return h;
    }

    for (const status of [429, 500]) {
      for (const op of ['stat', 'get', 'put'] as const) {
        it(`${op}: retries a ${status} itself and succeeds`, async () => {
          const h = await seeded();
          h.emulator.failNext(2, { status }, target[op]);
          await run(h, op);
          const tries = requestsOf(h.emulator, target[op]);
          assert.deepEqual(
            tries.map((r) => r.status),
            [status, status, 200],
          );
        });
      }
    }

    for (const [status, op] of [
      [429, 'stat'],
      [500, 'get'],
      [503, 'download'],
      [500, 'put'],
      [503, 'put-resumable'],
    ] as const) {
      it(`${op}: after its own retries of ${status}, fails with a retryable OBJECT_STORE_UNAVAILABLE`, async () => {
        const h = await seeded();
        h.emulator.failNext(20, { status }, target[op]);
        await assert.rejects(() => run(h, op), { code: 'OBJECT_STORE_UNAVAILABLE', retryable: true });
        const failed = requestsOf(h.emulator, target[op]).filter((r) => r.status === status);
        // The client retried before giving up (storage 7.x gives resumable chunks one retry fewer).
        assert.ok(failed.length >= 2, `tried ${failed.length} times (up to 1 + ${RETRIES.maxRetries} retries)`);
        h.emulator.clearFaults();
        assert.equal((await h.store.get('vividly-video', 'gen_e/video.mp4')).toString(), 'existing video', 'the object is untouched');
      });
    }

    for (const op of ['stat', 'get', 'put', 'put-resumable'] as const) {
      it(`${op}: a request that never answers ends at the adapter's deadline with a retryable OBJECT_STORE_UNAVAILABLE`, async () => {
        // The client's own `timeout` is longer (and not honoured by every storage version): the adapter's deadline ends it.
        const h = await seeded({ storage: { timeout: 5000 }, store: { timeoutMs: 400 } });
        h.emulator.failNext(50, { hang: true }, target[op]);
        await assert.rejects(() => run(h, op), (err: { code?: string; retryable?: boolean; opts?: { details?: { timeoutMs?: number } } }) => {
          assert.equal(err.code, 'OBJECT_STORE_UNAVAILABLE');
          assert.equal(err.retryable, true);
          assert.ok((err.opts?.details?.timeoutMs ?? 0) >= 400);
          return true;
        });
      });
    }

    it('stat: a malformed JSON answer is OBJECT_STORE_BAD_RESPONSE, retryable', async () => {
      const h = await seeded();
      h.emulator.failNext(3, { malformed: true }, 'metadata');
      await assert.rejects(() => h.store.stat('vividly-video', 'gen_e/video.mp4'), { code: 'OBJECT_STORE_BAD_RESPONSE', retryable: true });
      const tries = requestsOf(h.emulator, 'metadata').length;
      assert.ok(tries >= 1 && tries <= 3, `${tries} requests`);
    });

    for (const op of ['put', 'put-resumable'] as const) {
      it(`${op}: a malformed JSON answer to the upload is a retryable OBJECT_STORE_BAD_RESPONSE (or a checksum mismatch)`, async () => {
        const h = await seeded();
        h.emulator.failNext(1, { malformed: true }, op === 'put' ? 'upload-simple' : (r) => r.kind === 'upload-chunk' && r.contentRange?.endsWith(`/${RESUMABLE_SIZE}`) === true);
        // storage 7.x checks the answer's hashes before parsing the rest, so it reports the garbage as a mismatch.
        await assert.rejects(() => run(h, op), (err: { code?: string; retryable?: boolean }) => {
          assert.ok(err.code === 'OBJECT_STORE_BAD_RESPONSE' || err.code === 'OBJECT_STORE_CHECKSUM_MISMATCH', err.code);
          assert.equal(err.retryable, true);
          return true;
        });
      });
    }

    for (const op of ['get', 'download'] as const) {
      it(`${op}: bytes damaged in transit fail the checksum: OBJECT_STORE_CHECKSUM_MISMATCH, no file left`, async () => {
        const h = await seeded();
        h.emulator.failNext(1, { malformed: true }, 'media');
        const dest = path.join(scratchDir(), 'out.mp4');
        const attempt = op === 'get' ? h.store.get('vividly-video', 'gen_e/video.mp4') : h.store.download('vividly-video', 'gen_e/video.mp4', dest);
        await assert.rejects(() => attempt, { code: 'OBJECT_STORE_CHECKSUM_MISMATCH', retryable: true });
        assert.equal(existsSync(dest), false);
      });
    }

    it('get and download of an object in a bucket that does not exist: OBJECT_NOT_FOUND; stat: null', async () => {
      const { store } = await harness({ emulator: { autoCreateBuckets: false } });
      await assert.rejects(() => store.get('no-such-bucket', 'x.mp4'), { code: 'OBJECT_NOT_FOUND', retryable: false });
      await assert.rejects(() => store.download('no-such-bucket', 'x.mp4', path.join(scratchDir(), 'x.mp4')), { code: 'OBJECT_NOT_FOUND' });
      assert.equal(await store.stat('no-such-bucket', 'x.mp4'), null);
    });

    it('put into a bucket that does not exist: OBJECT_STORE_FAILED, not retryable', async () => {
      const { store } = await harness({ emulator: { autoCreateBuckets: false } });
      await assert.rejects(() => store.put('no-such-bucket', 'x.mp4', Buffer.from('x'), { contentType: 'video/mp4' }), { code: 'OBJECT_STORE_FAILED', retryable: false });
    });

    it('a 403 is OBJECT_STORE_FAILED, not retryable, and is not retried by the client', async () => {
      const h = await seeded();
      h.emulator.failNext(1, { status: 403 }, 'metadata');
      await assert.rejects(() => h.store.stat('vividly-video', 'gen_e/video.mp4'), { code: 'OBJECT_STORE_FAILED', retryable: false });
      assert.equal(requestsOf(h.emulator, 'metadata').length, 1);
    });
  });

  describe('GcsObjectStore V4 signed URLs', () => {
    const EMAIL = 'vividly-api@vividly-test.iam.gserviceaccount.com';
    let keys: { publicKey: KeyObject; privateKey: KeyObject };
    before(() => {
      keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    });

    async function signingHarness(emulatorOpts: StorageEmulatorOptions = {}) {
      const emulator = await new StorageEmulator({ projectId: 'vividly-test', ...emulatorOpts }).start();
      running.push(emulator);
      const credentials = { client_email: EMAIL, private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
      const storage = newStorage({ apiEndpoint: emulator.endpoint, projectId: 'vividly-test', credentials });
      const store = new GcsObjectStore(storage);
      await store.put('vividly-video', 'gen_s/video file ü.mp4', Buffer.from('the video'), { contentType: 'video/mp4' });
      return { emulator, store };
    }

    /** RFC 3986 percent-encoding, as V4 canonical requests use it. */
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

    it('signs with GOOG4-RSA-SHA256 for exactly the requested lifetime, and the signature verifies with the public key', async () => {
      const { store } = await signingHarness();
      const url = new URL(await store.signedUrl('vividly-video', 'gen_s/video file ü.mp4', 900));
      const q = url.searchParams;
      assert.equal(q.get('X-Goog-Algorithm'), 'GOOG4-RSA-SHA256');
      assert.equal(q.get('X-Goog-Expires'), '900');
      assert.equal(q.get('X-Goog-SignedHeaders'), 'host');
      const date = q.get('X-Goog-Date')!;
      assert.match(date, /^\d{8}T\d{6}Z$/);
      assert.equal(q.get('X-Goog-Credential'), `${EMAIL}/${date.slice(0, 8)}/auto/storage/goog4_request`);
      assert.equal(url.pathname, '/vividly-video/gen_s/video%20file%20%C3%BC.mp4');

      // Rebuild the canonical request from the documented V4 rules, independently of the client.
      const canonicalQuery = [...q.entries()]
        .filter(([k]) => k !== 'X-Goog-Signature')
        .map(([k, v]) => `${enc(k)}=${enc(v)}`)
        .sort()
        .join('&');
      const canonicalPath = '/vividly-video/' + 'gen_s/video file ü.mp4'.split('/').map(enc).join('/');
      const canonicalRequest = ['GET', canonicalPath, canonicalQuery, `host:${url.hostname}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
      const stringToSign = ['GOOG4-RSA-SHA256', date, `${date.slice(0, 8)}/auto/storage/goog4_request`, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
      const signature = Buffer.from(q.get('X-Goog-Signature')!, 'hex');
      assert.equal(signature.length, 256, 'an RSA-2048 signature');
      assert.equal(verify('sha256', Buffer.from(stringToSign), keys.publicKey, signature), true);
      // And it is a signature over this request, not any: another object's canonical request fails.
      const otherRequest = canonicalRequest.replace(canonicalPath, '/vividly-video/gen_s/other.mp4');
      const otherString = stringToSign.replace(/[0-9a-f]{64}$/, createHash('sha256').update(otherRequest).digest('hex'));
      assert.equal(verify('sha256', Buffer.from(otherString), keys.publicKey, signature), false);
      // Same key, same algorithm: signing our own string gives the same bytes (RSA PKCS#1 v1.5 is deterministic).
      assert.deepEqual(createSign('sha256').update(stringToSign).sign(keys.privateKey), signature);
    });

    it('is served by the emulator until it expires, and refused after or when tampered with', async () => {
      let skewMs = 0;
      const { emulator, store } = await signingHarness({ now: () => Date.now() + skewMs });
      emulator.trustSigner(EMAIL, keys.publicKey);
      const url = await store.signedUrl('vividly-video', 'gen_s/video file ü.mp4', 60);

      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), 'the video');
      const partial = await fetch(url, { headers: { range: 'bytes=4-8' } });
      assert.equal(partial.status, 206);
      assert.equal(await partial.text(), 'video');

      const tampered = url.replace('X-Goog-Expires=60', 'X-Goog-Expires=600');
      assert.equal((await fetch(tampered)).status, 403);

      skewMs = 61_000;
      const expired = await fetch(url);
      assert.equal(expired.status, 400);
      assert.match(await expired.text(), /<Code>ExpiredToken<\/Code>/);
    });

    it('refuses lifetimes outside 1 s to 7 days with INVALID_REQUEST', async () => {
      const { store } = await signingHarness();
      for (const seconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
        await assert.rejects(() => store.signedUrl('vividly-video', 'gen_s/video file ü.mp4', seconds), { code: 'INVALID_REQUEST' }, String(seconds));
      }
    });
  });

  describe('StorageEmulator wire protocol', () => {
    it('computes CRC32C (Castagnoli) as Cloud Storage does', () => {
      // The standard check value of CRC-32C over "123456789" is 0xE3069283.
      assert.equal(crc32cBase64(Buffer.from('123456789')), Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
    });

    it('serves byte ranges of alt=media downloads, and 416 outside the object', async () => {
      const { emulator, storage, store } = await harness();
      await store.put('vividly-video', 'r.txt', Buffer.from('0123456789'), { contentType: 'text/plain' });
      const [part] = await storage.bucket('vividly-video').file('r.txt').download({ start: 2, end: 5 });
      assert.equal(part.toString(), '2345');
      const base = `${emulator.endpoint}/storage/v1/b/vividly-video/o/r.txt?alt=media`;
      const tail = await fetch(base, { headers: { range: 'bytes=-3' } });
      assert.equal(tail.status, 206);
      assert.equal(tail.headers.get('content-range'), 'bytes 7-9/10');
      assert.equal(await tail.text(), '789');
      const beyond = await fetch(base, { headers: { range: 'bytes=10-' } });
      assert.equal(beyond.status, 416);
    });

    it('lists by prefix and delimiter, and deletes', async () => {
      const { storage, store } = await harness();
      for (const name of ['gen_1/a.mp3', 'gen_1/b.mp3', 'gen_1/sub/c.mp3', 'gen_2/a.mp3']) {
        await store.put('vividly-narration', name, Buffer.from(name), { contentType: 'audio/mpeg' });
      }
      const bucket = storage.bucket('vividly-narration');
      const [all] = await bucket.getFiles({ prefix: 'gen_1/' });
      assert.deepEqual(
        all.map((f) => f.name),
        ['gen_1/a.mp3', 'gen_1/b.mp3', 'gen_1/sub/c.mp3'],
      );
      const [top, , response] = await bucket.getFiles({ prefix: 'gen_1/', delimiter: '/', autoPaginate: false });
      assert.deepEqual(
        top.map((f) => f.name),
        ['gen_1/a.mp3', 'gen_1/b.mp3'],
      );
      assert.deepEqual((response as { prefixes?: string[] }).prefixes, ['gen_1/sub/']);
      await store.delete('vividly-narration', 'gen_1/a.mp3');
      await store.delete('vividly-narration', 'gen_1/a.mp3'); // absent: nothing to do
      assert.equal(await store.stat('vividly-narration', 'gen_1/a.mp3'), null);
    });

    it('enforces ifGenerationMatch with 412 and leaves the object as it was', async () => {
      const { emulator, storage, store } = await harness();
      const info = await store.put('vividly-video', 'p.txt', Buffer.from('kept'), { contentType: 'text/plain' });
      const file = storage.bucket('vividly-video').file('p.txt');
      await assert.rejects(() => file.save(Buffer.from('lost'), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }), { code: 412 });
      await assert.rejects(() => file.save(Buffer.from('lost'), { resumable: false, preconditionOpts: { ifGenerationMatch: String(BigInt(info.generation) + 1n) } }), { code: 412 });
      assert.equal(emulator.readObject('vividly-video', 'p.txt')!.data.toString(), 'kept');
      await file.save(Buffer.from('new'), { resumable: false, preconditionOpts: { ifGenerationMatch: info.generation } });
      assert.equal(emulator.readObject('vividly-video', 'p.txt')!.data.toString(), 'new');
    });

    it('takes uploadType=media uploads and creates buckets through the API', async () => {
      const { emulator, storage, finalized } = await harness({ emulator: { autoCreateBuckets: false } });
      await storage.createBucket('vividly-content');
      assert.deepEqual(await storage.bucket('vividly-content').exists(), [true]);
      const res = await fetch(`${emulator.endpoint}/upload/storage/v1/b/vividly-content/o?uploadType=media&name=${encodeURIComponent('books/physics.xml')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<document/>',
      });
      assert.equal(res.status, 200);
      const resource = (await res.json()) as StorageObjectResource;
      assert.equal(resource.name, 'books/physics.xml');
      assert.equal(resource.size, '11');
      assert.equal(resource.contentType, 'application/xml');
      assert.equal(finalized.length, 1);
    });

    it('refuses a non-final resumable chunk that is not a multiple of 256 KiB, and unsigned object GETs', async () => {
      const { emulator } = await harness();
      const start = await fetch(`${emulator.endpoint}/upload/storage/v1/b/vividly-video/o?uploadType=resumable&name=x.bin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const session = start.headers.get('location')!;
      const chunk = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes 0-999/*' }, body: Buffer.alloc(1000) });
      assert.equal(chunk.status, 400);
      const status = await fetch(session, { method: 'PUT', headers: { 'content-range': 'bytes */*' } });
      assert.equal(status.status, 308);
      assert.equal(status.headers.get('range'), null, 'nothing was received');
      assert.equal((await fetch(`${emulator.endpoint}/vividly-video/x.bin`)).status, 403);
    });
  });

  describe('StorageEmulator as the source of object-finalized events', () => {
    it('keeps working when a finalize listener throws', async () => {
      const errors: unknown[] = [];
      const { store, emulator, finalized } = await harness({ emulator: { onListenerError: (err) => errors.push(err) } });
      emulator.onFinalize(() => {
        throw new Error('listener bug');
      });
      await store.put('vividly-video', 'ok.mp4', Buffer.from('x'), { contentType: 'video/mp4' });
      assert.equal(finalized.length, 1);
      assert.equal(errors.length, 1);
    });
  });
});
