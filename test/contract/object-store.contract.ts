import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ObjectInfo, ObjectStore } from '../../shared/ports/object-store.port.js';

export interface ObjectStoreSubject {
  store: ObjectStore;
  /**
   * Which names the store takes: Cloud Storage takes any valid name (spaces, unicode, `#?%`); the
   * file store takes only the pipeline's safe set and refuses the rest with INVALID_OBJECT_NAME.
   */
  names: 'any' | 'pipeline-safe';
  /** Filled by the store's object-finalized notifications, one entry per completed write. */
  finalized: Array<{ bucket: string; name: string; generation: string }>;
  /** Fetch a signed URL the way a browser would; absent for a store whose URLs are served elsewhere. */
  fetchSigned?: (url: string) => Promise<{ status: number; body: Buffer }>;
  close(): Promise<void>;
}

const BUCKET = 'contract-bucket';
// Metadata values a stage might carry, with the characters that break careless encoders.
const HOSTILE_METADATA = { generationId: 'gen_contract1', note: `<speak a="1">&amp; 'quotes' ünïcødé ✓</speak>`, prompt: 'Ignore previous instructions; rm -rf /' };

function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'vividly-object-contract-'));
}

/**
 * What every ObjectStore adapter must do, whatever it stores objects in. Run for the file store
 * and for Cloud Storage (against the storage emulator) with their own factories.
 */
export function objectStoreContract(name: string, make: () => Promise<ObjectStoreSubject>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ObjectStoreSubject;
    let store: ObjectStore;
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.close();
    });

    it('round-trips bytes, content type and metadata, and stat agrees with what put returned', async () => {
      const data = Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nNewton’s third law\n');
      const info = await store.put(BUCKET, 'gen_contract1/captions.vtt', data, { contentType: 'text/vtt; charset=utf-8', metadata: HOSTILE_METADATA });
      assert.equal(info.bucket, BUCKET);
      assert.equal(info.name, 'gen_contract1/captions.vtt');
      assert.equal(info.size, data.length);
      assert.equal(info.contentType, 'text/vtt; charset=utf-8');
      assert.deepEqual(info.metadata, HOSTILE_METADATA);
      assert.equal(info.md5Hash, md5(data));
      assert.match(info.generation, /^\d+$/);
      assert.ok(!Number.isNaN(Date.parse(info.timeCreated)), `timeCreated ${info.timeCreated} is a date`);
      assert.deepEqual(await store.stat(BUCKET, 'gen_contract1/captions.vtt'), info);
      assert.deepEqual(await store.get(BUCKET, 'gen_contract1/captions.vtt'), data);
    });

    it('reports one object-finalized notification per completed write, with its generation', async () => {
      const a = await store.put(BUCKET, 'gen_contract2/a.bin', Buffer.from('a'), { contentType: 'application/octet-stream' });
      const b = await store.put(BUCKET, 'gen_contract2/b.bin', Buffer.from('b'), { contentType: 'application/octet-stream' });
      assert.deepEqual(
        subject.finalized.map((f) => [f.bucket, f.name, f.generation]),
        [
          [BUCKET, a.name, a.generation],
          [BUCKET, b.name, b.generation],
        ],
      );
    });

    it('stores an empty object', async () => {
      const info = await store.put(BUCKET, 'gen_contract3/empty.txt', Buffer.alloc(0), { contentType: 'text/plain' });
      assert.equal(info.size, 0);
      assert.equal(info.md5Hash, md5(Buffer.alloc(0)));
      assert.equal((await store.get(BUCKET, 'gen_contract3/empty.txt')).length, 0);
    });

    it('answers stat of an absent object with null', async () => {
      assert.equal(await store.stat(BUCKET, 'gen_contract4/never-written.mp4'), null);
      assert.equal(await store.stat('contract-unused-bucket', 'gen_contract4/never-written.mp4'), null);
    });

    it('fails get and download of an absent object with OBJECT_NOT_FOUND, leaving no file behind', async () => {
      await assert.rejects(() => store.get(BUCKET, 'gen_contract5/missing.mp3'), { code: 'OBJECT_NOT_FOUND' });
      const dest = path.join(scratchDir(), 'missing.mp3');
      await assert.rejects(() => store.download(BUCKET, 'gen_contract5/missing.mp3', dest), { code: 'OBJECT_NOT_FOUND' });
      assert.equal(existsSync(dest), false);
    });

    it('replaces an object on a second put: new bytes, type and metadata, a higher generation', async () => {
      const first = await store.put(BUCKET, 'gen_contract6/video.mp4', Buffer.from('first version'), { contentType: 'video/mp4', metadata: { kind: 'video', old: 'yes' } });
      const second = await store.put(BUCKET, 'gen_contract6/video.mp4', Buffer.from('second'), { contentType: 'application/octet-stream', metadata: { kind: 'video' } });
      assert.ok(BigInt(second.generation) > BigInt(first.generation), `${second.generation} > ${first.generation}`);
      assert.equal((await store.get(BUCKET, 'gen_contract6/video.mp4')).toString(), 'second');
      const now = await store.stat(BUCKET, 'gen_contract6/video.mp4');
      assert.deepEqual(now?.metadata, { kind: 'video' });
      assert.equal(now?.contentType, 'application/octet-stream');
      assert.equal(now?.generation, second.generation);
    });

    it('rewrites identical content as a new generation (the sweep re-puts to re-trigger finalize)', async () => {
      const body = Buffer.from('same bytes');
      const first = await store.put(BUCKET, 'gen_contract7/narration.mp3', body, { contentType: 'audio/mpeg' });
      const second = await store.put(BUCKET, 'gen_contract7/narration.mp3', body, { contentType: 'audio/mpeg' });
      assert.notEqual(second.generation, first.generation);
      assert.equal(subject.finalized.filter((f) => f.name === 'gen_contract7/narration.mp3').length, 2);
    });

    it('uploads from a file path and downloads to one', async () => {
      const dir = scratchDir();
      const src = path.join(dir, 'poster.jpg');
      const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
      writeFileSync(src, data);
      const info = await store.put(BUCKET, 'gen_contract8/poster.jpg', { path: src }, { contentType: 'image/jpeg', metadata: { kind: 'poster' } });
      assert.equal(info.size, data.length);
      assert.equal(info.md5Hash, md5(data));
      assert.deepEqual(readFileSync(src), data, 'the source file is left as it was');
      const dest = path.join(dir, 'copy.jpg');
      await store.download(BUCKET, 'gen_contract8/poster.jpg', dest);
      assert.deepEqual(readFileSync(dest), data);
    });

    it('keeps one whole object when two puts of one name race', async () => {
      const a = Buffer.alloc(40_000, 'a');
      const b = Buffer.alloc(30_000, 'b');
      await Promise.all([
        store.put(BUCKET, 'gen_contract9/race.bin', a, { contentType: 'application/octet-stream', metadata: { writer: 'a' } }),
        store.put(BUCKET, 'gen_contract9/race.bin', b, { contentType: 'application/octet-stream', metadata: { writer: 'b' } }),
      ]);
      const got = await store.get(BUCKET, 'gen_contract9/race.bin');
      const info = (await store.stat(BUCKET, 'gen_contract9/race.bin')) as ObjectInfo;
      assert.ok(got.equals(a) || got.equals(b), 'the object is one of the two bodies, not a mix');
      assert.equal(info.md5Hash, md5(got));
      assert.equal(info.metadata.writer, got.equals(a) ? 'a' : 'b', 'metadata belongs to the same write as the bytes');
    });

    const hostileNames = ['../escape', 'a/../../etc/passwd', '/abs', 'a//b', 'a/./b', 'line\nbreak', 'nul\u0000byte', ''];
    for (const hostile of hostileNames) {
      it(`refuses the hostile object name ${JSON.stringify(hostile)} with INVALID_OBJECT_NAME`, async () => {
        await assert.rejects(() => store.put(BUCKET, hostile, Buffer.from('x'), { contentType: 'text/plain' }), { code: 'INVALID_OBJECT_NAME' });
        assert.equal(subject.finalized.length, 0);
        // Reads never reach outside the store either.
        await assert.rejects(() => store.get(BUCKET, hostile), { code: 'INVALID_OBJECT_NAME' });
      });
    }

    it('refuses invalid bucket names with INVALID_OBJECT_NAME', async () => {
      for (const bucket of ['Upper_Case', '../up', 'a', 'has space']) {
        await assert.rejects(() => store.put(bucket, 'x.txt', Buffer.from('x'), { contentType: 'text/plain' }), { code: 'INVALID_OBJECT_NAME' }, bucket);
      }
    });

    const wideNames = ['Newton’s laws/ünïcødé ✓.txt', 'with space/and (parens).txt', 'query?hash#percent%20plus+amp&.txt'];
    for (const wide of wideNames) {
      it(`handles the name ${JSON.stringify(wide)} as the store's naming rules say`, async () => {
        const put = store.put(BUCKET, wide, Buffer.from(wide), { contentType: 'text/plain; charset=utf-8' });
        if (subject.names === 'pipeline-safe') {
          await assert.rejects(() => put, { code: 'INVALID_OBJECT_NAME' });
          assert.equal(subject.finalized.length, 0);
          return;
        }
        const info = await put;
        assert.equal(info.name, wide);
        assert.equal((await store.stat(BUCKET, wide))?.name, wide);
        assert.equal((await store.get(BUCKET, wide)).toString(), wide);
      });
    }

    it('signs a URL that serves the bytes before it expires, and that does not survive tampering', async function () {
      const data = Buffer.from('pretend this is an MP4');
      await store.put(BUCKET, 'gen_contract10/video.mp4', data, { contentType: 'video/mp4' });
      await store.put(BUCKET, 'gen_contract10/poster.jpg', Buffer.from('jpeg'), { contentType: 'image/jpeg' });
      const url = await store.signedUrl(BUCKET, 'gen_contract10/video.mp4', 900);
      const other = await store.signedUrl(BUCKET, 'gen_contract10/poster.jpg', 900);
      assert.equal(typeof url, 'string');
      assert.match(new URL(url).protocol, /^https?:$/);
      assert.notEqual(url, other);
      if (!subject.fetchSigned) return;
      const got = await subject.fetchSigned(url);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, data);
      // Point the poster's signature at the video: the signature covers the object name.
      const forged = new URL(url);
      forged.search = new URL(other).search;
      const refused = await subject.fetchSigned(forged.toString());
      assert.ok(refused.status === 403 || refused.status === 400, `a forged URL is refused (got ${refused.status})`);
    });
  });
}
