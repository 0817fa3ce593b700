import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { File, Storage, UploadOptions } from '@google-cloud/storage';
import { z } from 'zod';
import { PipelineError } from '../errors.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../ports/object-store.port.js';

export interface GcsObjectStoreOptions {
  /** Media larger than this goes up as a resumable upload, smaller as one multipart request (default 5 MiB). */
  resumableThresholdBytes?: number;
  /**
   * Bytes per request of a resumable upload, a multiple of 256 KiB (default 8 MiB, Google's
   * recommended minimum). The client keeps one chunk in memory, so a failed chunk is sent again
   * from the offset the server reports instead of failing the whole upload.
   */
  chunkBytes?: number;
  /**
   * Deadline of one operation, the client's own retries included (default 120 s; uploads get one
   * more second per MiB). Our own deadline, because the client's `timeout` option does not reach its
   * JSON API requests in every version (in 8.x teeny-request hands it to node-fetch 3, which ignores
   * it): a server that never answers would otherwise hold the stage until the function times out.
   */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;
const CHUNK_GRANULARITY = 256 * 1024;
/** Re-reads and re-tries when another writer changed the object between our read and our write. */
const MAX_PRECONDITION_ATTEMPTS = 4;
const MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60;

/** The fields of a Cloud Storage object resource the port needs, checked at the boundary. */
const ObjectResourceSchema = z.object({
  bucket: z.string().min(1),
  name: z.string().min(1),
  size: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  generation: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  contentType: z.string().optional(),
  md5Hash: z.string().optional(),
  timeCreated: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/**
 * Names this adapter writes or reads: Cloud Storage's rules (1..1024 bytes of UTF-8, no CR/LF), and
 * also no control characters, no empty, `.` or `..` segments and no leading `/`, so that a name
 * never means a different path when a stage maps it to a local file. Unicode, spaces and URL
 * metacharacters are fine: the client percent-encodes them.
 */
export function assertStorableObjectName(bucket: string, name: string): void {
  if (!BUCKET_RE.test(bucket) || bucket.split('.').some((part) => part.length > 63)) {
    throw new PipelineError('INVALID_OBJECT_NAME', `invalid bucket name ${JSON.stringify(bucket)}`, { httpStatus: 400 });
  }
  const bad = !name || Buffer.byteLength(name) > 1024 || CONTROL_RE.test(name) || name.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (bad || name.startsWith('.well-known/acme-challenge/')) {
    throw new PipelineError('INVALID_OBJECT_NAME', `invalid object name ${JSON.stringify(name)}`, { httpStatus: 400 });
  }
}

/**
 * Object store on Cloud Storage. Media above the threshold goes up as a chunked resumable upload;
 * custom metadata travels on the object; every write carries an `ifGenerationMatch` precondition,
 * which is what lets the client retry uploads safely (it never retries an unconditional one) and
 * lets us recognise our own earlier write when a response was lost. Read URLs are V4 signed: with
 * the key of the given credentials, or through IAM `signBlob` when the runtime has no key (Cloud
 * Functions), which needs `iam.serviceAccounts.signBlob` on the function's own service account.
 */
export class GcsObjectStore implements ObjectStore {
  private readonly resumableThreshold: number;
  private readonly chunkBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly storage: Storage,
    opts: GcsObjectStoreOptions = {},
  ) {
    this.resumableThreshold = opts.resumableThresholdBytes ?? 5 * MiB;
    this.chunkBytes = opts.chunkBytes ?? 8 * MiB;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    if (this.chunkBytes < CHUNK_GRANULARITY || this.chunkBytes % CHUNK_GRANULARITY !== 0) {
      throw new RangeError(`chunkBytes must be a positive multiple of ${CHUNK_GRANULARITY}`);
    }
  }

  async put(bucket: string, name: string, body: Buffer | { path: string }, opts: PutOptions): Promise<ObjectInfo> {
    assertStorableObjectName(bucket, name);
    const source = await describeSource(body);
    const metadata = { ...opts.metadata };
    return this.withDeadline('put', bucket, name, this.timeoutMs + Math.ceil(source.size / MiB) * 1000, async () => {
      for (let attempt = 1; ; attempt++) {
        const file = this.file(bucket, name);
        const current = await this.statResource(file, 'put');
        const ifGenerationMatch = current ? current.generation : '0';
        const options: UploadOptions = {
          resumable: source.size > this.resumableThreshold,
          contentType: opts.contentType,
          metadata: { metadata },
          // The write succeeds only over the generation we just read (0: only if absent).
          preconditionOpts: { ifGenerationMatch },
        };
        if (options.resumable) options.chunkSize = this.chunkBytes;
        try {
          if (Buffer.isBuffer(body)) await file.save(body, options);
          else await this.storage.bucket(bucket).upload(body.path, { ...options, destination: file });
          return toObjectInfo(file.metadata, bucket, name);
        } catch (err) {
          // An upload can fail after it took effect: its response lost and the client's retry then
          // refused by the precondition (412), or confused by a finished session. Look before failing.
          const landed = await this.ownWrite(bucket, name, ifGenerationMatch, source.md5, opts.contentType, metadata);
          if (landed) return landed;
          if (statusOf(err) !== 412) throw toPipelineError(err, 'put', bucket, name);
        }
        // Another writer got in between our read and our write: read again and write over theirs.
        if (attempt >= MAX_PRECONDITION_ATTEMPTS) {
          throw new PipelineError('OBJECT_STORE_CONFLICT', `gs://${bucket}/${name} kept changing while being written`, { retryable: true, httpStatus: 409 });
        }
      }
    });
  }

  /** The object, if it is now a newer generation than `replaced` with exactly our bytes, type and metadata. */
  private async ownWrite(bucket: string, name: string, replaced: string, md5: string, contentType: string, metadata: Record<string, string>): Promise<ObjectInfo | null> {
    let now: ObjectInfo | null;
    try {
      now = await this.statResource(this.file(bucket, name), 'put');
    } catch {
      return null; // cannot tell: report the upload's own error
    }
    const ours = now && now.generation !== replaced && now.md5Hash === md5 && now.contentType === contentType && sameRecord(now.metadata, metadata);
    return ours ? now : null;
  }

  async get(bucket: string, name: string): Promise<Buffer> {
    assertStorableObjectName(bucket, name);
    return this.withDeadline('get', bucket, name, this.timeoutMs, async () => {
      try {
        const [data] = await this.file(bucket, name).download();
        return data;
      } catch (err) {
        throw toPipelineError(err, 'get', bucket, name);
      }
    });
  }

  /** Downloads next to the destination and renames, so a failed download never leaves a partial file there. */
  async download(bucket: string, name: string, destPath: string): Promise<void> {
    assertStorableObjectName(bucket, name);
    const tmp = `${destPath}.part-${randomUUID()}`;
    try {
      await this.withDeadline('download', bucket, name, this.timeoutMs, async () => {
        try {
          await this.file(bucket, name).download({ destination: tmp });
        } catch (err) {
          throw toPipelineError(err, 'download', bucket, name);
        }
      });
      await rename(tmp, destPath);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async stat(bucket: string, name: string): Promise<ObjectInfo | null> {
    assertStorableObjectName(bucket, name);
    return this.withDeadline('stat', bucket, name, this.timeoutMs, () => this.statResource(this.file(bucket, name), 'stat'));
  }

  /** Deletes the object if present (not part of the port; for cleanup and tests). */
  async delete(bucket: string, name: string): Promise<void> {
    assertStorableObjectName(bucket, name);
    await this.withDeadline('delete', bucket, name, this.timeoutMs, async () => {
      for (let attempt = 1; attempt <= MAX_PRECONDITION_ATTEMPTS; attempt++) {
        const file = this.file(bucket, name);
        const current = await this.statResource(file, 'delete');
        if (!current) return;
        try {
          // Conditional, so the client may retry it (it does not retry an unconditional delete).
          await file.delete({ ifGenerationMatch: current.generation });
          return;
        } catch (err) {
          const status = statusOf(err);
          if (status === 404) return;
          if (status !== 412) throw toPipelineError(err, 'delete', bucket, name);
        }
      }
      throw new PipelineError('OBJECT_STORE_CONFLICT', `gs://${bucket}/${name} kept changing while being deleted`, { retryable: true, httpStatus: 409 });
    });
  }

  /** A V4 signed GET URL valid for exactly `expiresInSeconds` (1 s to 7 days). */
  async signedUrl(bucket: string, name: string, expiresInSeconds: number): Promise<string> {
    assertStorableObjectName(bucket, name);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_SIGNED_URL_SECONDS) {
      throw new PipelineError('INVALID_REQUEST', `a signed URL lives 1 to ${MAX_SIGNED_URL_SECONDS} seconds, not ${expiresInSeconds}`, { httpStatus: 400 });
    }
    // Whole seconds on both ends, so X-Goog-Expires is exactly the requested lifetime.
    const accessibleAt = Math.floor(Date.now() / 1000) * 1000;
    return this.withDeadline('sign', bucket, name, this.timeoutMs, async () => {
      try {
        const [url] = await this.file(bucket, name).getSignedUrl({ version: 'v4', action: 'read', accessibleAt, expires: accessibleAt + expiresInSeconds * 1000 });
        return url;
      } catch (err) {
        const mapped = toPipelineError(err, 'sign', bucket, name);
        if (mapped.retryable) throw mapped;
        throw new PipelineError('OBJECT_URL_SIGNING_FAILED', `could not sign a URL for gs://${bucket}/${name}: ${shortReason(err)}`, { httpStatus: 500, cause: err });
      }
    });
  }

  private file(bucket: string, name: string): File {
    return this.storage.bucket(bucket).file(name);
  }

  /** The object's current state, or null when there is none. */
  private async statResource(file: File, op: string): Promise<ObjectInfo | null> {
    try {
      const [resource] = await file.getMetadata();
      return toObjectInfo(resource, file.bucket.name, file.name);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw toPipelineError(err, op, file.bucket.name, file.name);
    }
  }

  private async withDeadline<T>(op: string, bucket: string, name: string, ms: number, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PipelineError('OBJECT_STORE_UNAVAILABLE', `Cloud Storage did not complete ${op} of gs://${bucket}/${name} within ${ms} ms`, { retryable: true, httpStatus: 503, details: { op, timeoutMs: ms } })),
        ms,
      );
    });
    try {
      return await Promise.race([work(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Maps a Cloud Storage object resource onto the port's ObjectInfo; a response that is not one is a bad response. */
export function toObjectInfo(resource: unknown, bucket: string, name: string): ObjectInfo {
  const parsed = ObjectResourceSchema.safeParse(resource);
  if (!parsed.success) {
    throw new PipelineError('OBJECT_STORE_BAD_RESPONSE', `Cloud Storage answered for gs://${bucket}/${name} with something that is not an object resource`, {
      retryable: true,
      httpStatus: 502,
      details: { issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  const r = parsed.data;
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.metadata ?? {})) {
    if (v !== null && v !== undefined) metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return {
    bucket: r.bucket,
    name: r.name,
    size: Number(r.size),
    contentType: r.contentType ?? 'application/octet-stream',
    metadata,
    generation: String(r.generation),
    timeCreated: r.timeCreated ?? '',
    // Composite objects have no MD5; the port's field is then empty.
    md5Hash: r.md5Hash ?? '',
  };
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * One stable code per kind of failure: OBJECT_NOT_FOUND (reads of an absent object),
 * OBJECT_STORE_UNAVAILABLE (429, 5xx, timeouts, dropped connections: retryable),
 * OBJECT_STORE_BAD_RESPONSE (an answer that is not what the API returns: retryable),
 * OBJECT_STORE_CHECKSUM_MISMATCH (bytes changed in transit: retryable), OBJECT_STORE_FAILED otherwise.
 */
export function toPipelineError(err: unknown, op: string, bucket: string, name: string): PipelineError {
  if (err instanceof PipelineError) return err;
  const status = statusOf(err);
  const where = `${op} of gs://${bucket}/${name}`;
  const details = { op, ...(status ? { status } : {}) };
  if (status === 404 && (op === 'get' || op === 'download')) {
    return new PipelineError('OBJECT_NOT_FOUND', `object ${bucket}/${name} not found`, { httpStatus: 404, cause: err, details });
  }
  if (isMalformedResponse(err)) {
    return new PipelineError('OBJECT_STORE_BAD_RESPONSE', `Cloud Storage sent an unreadable answer to ${where}`, { retryable: true, httpStatus: 502, cause: err, details });
  }
  if (isChecksumMismatch(err)) {
    return new PipelineError('OBJECT_STORE_CHECKSUM_MISMATCH', `the bytes of ${where} did not match their checksum`, { retryable: true, httpStatus: 502, cause: err, details });
  }
  if ((status !== undefined && RETRYABLE_STATUS.has(status)) || (status === undefined && (isNetworkFailure(err) || isBrokenUploadSession(err)))) {
    return new PipelineError('OBJECT_STORE_UNAVAILABLE', `Cloud Storage is unavailable for ${where}: ${shortReason(err)}`, { retryable: true, httpStatus: 503, cause: err, details });
  }
  return new PipelineError('OBJECT_STORE_FAILED', `Cloud Storage refused ${where}: ${shortReason(err)}`, { httpStatus: 500, cause: err, details });
}

/** The HTTP status of a client error, wherever this client puts it (ApiError.code, GaxiosError.status, retry messages). */
export function statusOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown; statusCode?: unknown }; message?: unknown };
  for (const v of [e.code, e.status, e.response?.status, e.response?.statusCode]) {
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
    if (typeof v === 'string' && /^[1-5]\d\d$/.test(v)) return Number(v);
  }
  // The resumable uploader gives up with `Retry limit exceeded - status: 503 ...`.
  const m = typeof e.message === 'string' ? /^Retry (?:total time )?limit exceeded - status: (\d{3})/.exec(e.message) : null;
  return m ? Number(m[1]) : undefined;
}

function isNetworkFailure(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; type?: unknown; message?: unknown; cause?: unknown };
  if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code.toUpperCase())) return true;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'request-timeout' || e?.type === 'system') return true;
  if (typeof e?.message === 'string' && /socket hang up|Retry (total time )?limit exceeded|other side closed|network timeout/i.test(e.message)) return true;
  return e?.cause !== undefined && e.cause !== err && isNetworkFailure(e.cause);
}

/** The resumable uploader stops when the server's offset is behind what it sent; a new upload (a retry of the put) is fine. */
function isBrokenUploadSession(err: unknown): boolean {
  return err instanceof RangeError && /offset is lower than the number of bytes written/.test(err.message);
}

function isMalformedResponse(err: unknown): boolean {
  const e = err as { name?: unknown; type?: unknown; message?: unknown };
  if (e?.name === 'SyntaxError' || e?.type === 'invalid-json') return true;
  if (typeof e?.message !== 'string') return false;
  // The resumable uploader sets `size` on the final answer's body; when that body is not JSON it
  // fails with this TypeError instead of a parse error.
  if (err instanceof TypeError && /^Cannot create property '\w+' on string/.test(e.message)) return true;
  return /invalid json response body|Unexpected token|Unexpected end of JSON/i.test(e.message);
}

function isChecksumMismatch(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'FILE_NO_UPLOAD' || e?.code === 'CONTENT_DOWNLOAD_MISMATCH' || (typeof e?.message === 'string' && /checksum mismatch|did not match the calculated/i.test(e.message));
}

function shortReason(err: unknown): string {
  const status = statusOf(err);
  const code = (err as { code?: unknown })?.code;
  const message = String((err as Error)?.message ?? err).split('\n')[0].slice(0, 160);
  return [status ? `HTTP ${status}` : typeof code === 'string' ? code : '', message].filter(Boolean).join(' ');
}

/** Size and MD5 of what is about to be written (the MD5 recognises our own write after a lost response). */
async function describeSource(body: Buffer | { path: string }): Promise<{ size: number; md5: string }> {
  if (Buffer.isBuffer(body)) return { size: body.length, md5: createHash('md5').update(body).digest('base64') };
  try {
    const st = await stat(body.path);
    if (!st.isFile()) throw new Error('not a regular file');
    const hash = createHash('md5');
    for await (const chunk of createReadStream(body.path)) hash.update(chunk as Buffer);
    return { size: st.size, md5: hash.digest('base64') };
  } catch (err) {
    throw new PipelineError('OBJECT_SOURCE_UNREADABLE', `cannot read the file to upload: ${(err as Error).message}`, { httpStatus: 500, cause: err });
  }
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
