import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PipelineError } from '../errors.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../ports/object-store.port.js';

export type FinalizeListener = (object: ObjectInfo) => void;

const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
// Object names the pipeline writes: relative, '/'-separated segments of safe characters.
const SEGMENT_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** Rejects bucket or object names that could escape the data directory or confuse a shell or ffmpeg. */
export function assertSafeObjectName(bucket: string, name: string): void {
  if (!BUCKET_RE.test(bucket)) throw new PipelineError('INVALID_OBJECT_NAME', `invalid bucket name ${JSON.stringify(bucket)}`, { httpStatus: 400 });
  const segments = name.split('/');
  if (name.length > 512 || segments.some((s) => !SEGMENT_RE.test(s) || s === '.' || s === '..')) {
    throw new PipelineError('INVALID_OBJECT_NAME', `invalid object name ${JSON.stringify(name)}`, { httpStatus: 400 });
  }
}

/**
 * Embedded object store: one folder per bucket under the data directory, metadata in a sidecar
 * JSON file, atomic writes (temp file + rename), and an object-finalized notification per write.
 */
export class FileObjectStore implements ObjectStore {
  private readonly listeners: FinalizeListener[] = [];
  private counter = 0;

  constructor(
    private readonly root: string,
    private readonly signing: { key: string; baseUrl: string },
  ) {}

  onFinalize(listener: FinalizeListener): void {
    this.listeners.push(listener);
  }

  async put(bucket: string, name: string, body: Buffer | { path: string }, opts: PutOptions): Promise<ObjectInfo> {
    const file = this.fileOf(bucket, name);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${++this.counter}`;
    if (Buffer.isBuffer(body)) await writeFile(tmp, body);
    else await copyFile(body.path, tmp);
    const md5Hash = await md5Of(tmp);
    const st = await stat(tmp);
    const now = new Date();
    const info: ObjectInfo = {
      bucket,
      name,
      size: st.size,
      contentType: opts.contentType,
      metadata: { ...opts.metadata },
      generation: String(now.getTime() * 1000 + (this.counter % 1000)),
      timeCreated: now.toISOString(),
      md5Hash,
    };
    await writeFile(`${tmp}.meta`, JSON.stringify(info));
    await rename(`${tmp}.meta`, this.metaOf(file));
    await rename(tmp, file);
    for (const listener of this.listeners) listener(info);
    return info;
  }

  async get(bucket: string, name: string): Promise<Buffer> {
    const file = this.fileOf(bucket, name); // an invalid name is INVALID_OBJECT_NAME, not "not found"
    try {
      return await readFile(file);
    } catch (err) {
      throw notFound(bucket, name, err);
    }
  }

  async download(bucket: string, name: string, destPath: string): Promise<void> {
    const file = this.fileOf(bucket, name);
    try {
      await copyFile(file, destPath);
    } catch (err) {
      throw notFound(bucket, name, err);
    }
  }

  async stat(bucket: string, name: string): Promise<ObjectInfo | null> {
    const file = this.fileOf(bucket, name);
    try {
      await stat(file);
      return JSON.parse(await readFile(this.metaOf(file), 'utf8')) as ObjectInfo;
    } catch {
      return null;
    }
  }

  async delete(bucket: string, name: string): Promise<void> {
    const file = this.fileOf(bucket, name);
    await rm(file, { force: true });
    await rm(this.metaOf(file), { force: true });
  }

  async signedUrl(bucket: string, name: string, expiresInSeconds: number): Promise<string> {
    assertSafeObjectName(bucket, name);
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const signature = signObject(this.signing.key, bucket, name, expires);
    return `${this.signing.baseUrl}/v1/objects/${bucket}/${name}?expires=${expires}&signature=${signature}`;
  }

  /** Local path of a stored object, after checking a signed URL's parameters. */
  resolveSigned(bucket: string, name: string, expires: string, signature: string, nowSeconds = Date.now() / 1000): string {
    assertSafeObjectName(bucket, name);
    const exp = Number(expires);
    if (!Number.isInteger(exp) || exp < nowSeconds) throw new PipelineError('URL_EXPIRED', 'this link has expired; ask for the generation again', { httpStatus: 403 });
    const expected = Buffer.from(signObject(this.signing.key, bucket, name, exp));
    const given = Buffer.from(String(signature));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new PipelineError('URL_SIGNATURE_INVALID', 'invalid signature', { httpStatus: 403 });
    return this.fileOf(bucket, name);
  }

  fileOf(bucket: string, name: string): string {
    assertSafeObjectName(bucket, name);
    return path.join(this.root, bucket, ...name.split('/'));
  }

  private metaOf(file: string): string {
    return `${file}.vividly-meta.json`;
  }
}

export function signObject(key: string, bucket: string, name: string, expires: number): string {
  return createHmac('sha256', key).update(`${bucket}\n${name}\n${expires}`).digest('base64url');
}

async function md5Of(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

function notFound(bucket: string, name: string, cause: unknown): PipelineError {
  return new PipelineError('OBJECT_NOT_FOUND', `object ${bucket}/${name} not found`, { httpStatus: 404, cause });
}
