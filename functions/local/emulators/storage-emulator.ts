import { createHash, createPublicKey, generateKeyPairSync, randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in of the Cloud Storage JSON API: the subset that @google-cloud/storage (7.x and 8.x) uses to
 * upload (media, multipart and resumable), read, list and delete objects, plus V4 signed-URL
 * downloads. Objects live in memory. Every completed upload is reported to the `onFinalize`
 * listeners with the object resource, which is also the data of a `google.cloud.storage.object.v1.finalized`
 * event: this is how the emulator pipeline delivers object-finalized events, as Eventarc does.
 *
 * Point the client at it with `new Storage(emulator.clientOptions())`. With a custom `apiEndpoint`
 * the client neither authenticates its requests nor looks up a project, so no credentials are
 * needed; the ones `clientOptions()` includes are only for signing URLs, and the emulator trusts them.
 *
 * Wire references: https://cloud.google.com/storage/docs/json_api (objects insert, get, list, delete),
 * https://cloud.google.com/storage/docs/performing-resumable-uploads, https://cloud.google.com/storage/docs/access-control/signing-urls-manually.
 */

/** An object as the JSON API returns it (`storage#object`), and the data of its finalize event. */
export interface StorageObjectResource {
  kind: 'storage#object';
  id: string;
  selfLink: string;
  mediaLink: string;
  name: string;
  bucket: string;
  /** int64 values travel as decimal strings in the JSON API. */
  generation: string;
  metageneration: string;
  contentType: string;
  storageClass: 'STANDARD';
  size: string;
  /** Base64 of the MD5 digest. */
  md5Hash: string;
  /** Base64 of the big-endian CRC32C. */
  crc32c: string;
  etag: string;
  timeCreated: string;
  updated: string;
  timeStorageClassUpdated: string;
  metadata?: Record<string, string>;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

export type FinalizeListener = (object: StorageObjectResource) => void | Promise<void>;

/** What a request is, for fault targeting and the request log. */
export type RequestKind =
  | 'bucket'
  | 'metadata'
  | 'list'
  | 'media'
  | 'delete'
  | 'upload-simple'
  | 'upload-start'
  | 'upload-chunk'
  | 'signed-download';

/**
 * Which requests a fault hits: a kind, `upload` (simple, session start and chunk), `any`, or a
 * predicate over the request as recorded so far (method, kind, bucket, name, query, Content-Range).
 */
export type FaultTarget = RequestKind | 'upload' | 'any' | ((request: RecordedRequest) => boolean);

/**
 * An injected failure. `status`, `hang` and `malformed` answer *instead of* carrying out the request
 * (nothing changes); `dropResponse` carries it out, then closes the connection without an answer,
 * as when a response is lost on the way back. `malformed` is a truncated JSON body with status 200,
 * except for downloads, where it is the object's headers over damaged bytes. (Aimed at `upload-start`,
 * whose answer is read only for its Location header, it makes @google-cloud/storage 8.x emit an
 * unhandled 'error' event that ends the process: do not.) `delayMs` is a slow backend: the request
 * waits that long, then is carried out and answered as usual.
 */
export type StorageFault =
  | { status: number; message?: string }
  | { hang: true }
  | { malformed: true }
  | { dropResponse: true }
  | { delayMs: number };

export interface RecordedRequest {
  method: string;
  kind: RequestKind | 'unknown';
  bucket?: string;
  name?: string;
  query: Record<string, string>;
  contentRange?: string;
  bodyBytes: number;
  /** The status answered; 0 while unanswered or when the fault was `hang` or `dropResponse`. */
  status: number;
  fault?: StorageFault;
}

export interface SigningCredentials {
  client_email: string;
  private_key: string;
}

export interface StorageEmulatorOptions {
  projectId?: string;
  /** Loopback by default. */
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Create a bucket on its first upload (default true); otherwise buckets come from createBucket() or objects insert. */
  autoCreateBuckets?: boolean;
  /** The clock, in epoch milliseconds (signed-URL expiry, timestamps, generations). */
  now?: () => number;
  /** Largest request body accepted (default 512 MiB). */
  maxBodyBytes?: number;
  /** How many requests `requests` keeps, oldest dropped first (default 10 000). */
  maxRecordedRequests?: number;
  /** Where a failing finalize listener is reported (default: one line on stderr). */
  onListenerError?: (err: unknown, object: StorageObjectResource) => void;
}

interface StoredObject {
  resource: StorageObjectResource;
  data: Buffer;
}

interface BucketState {
  name: string;
  timeCreated: string;
  objects: Map<string, StoredObject>;
}

/** Object fields a client may set on upload (from the JSON metadata or the headers). */
interface ObjectDraft {
  contentType?: string;
  metadata?: Record<string, string>;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

interface UploadSession {
  id: string;
  bucket: string;
  name: string;
  draft: ObjectDraft;
  preconditions: URLSearchParams;
  /** Total size announced at session start (X-Upload-Content-Length) or by a Content-Range. */
  totalSize?: number;
  chunks: Buffer[];
  received: number;
  completed?: StorageObjectResource;
}

interface Route {
  kind: RequestKind;
  bucket?: string;
  name?: string;
}

/** Non-final chunks of a resumable upload must be multiples of 256 KiB. */
const CHUNK_GRANULARITY = 256 * 1024;
const MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60;
const BUCKET_RE = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class StorageEmulator {
  readonly projectId: string;
  /** The requests received, in order (tests count retries and chunks with it); the latest 10 000 by default. */
  readonly requests: RecordedRequest[] = [];
  private readonly buckets = new Map<string, BucketState>();
  private readonly sessions = new Map<string, UploadSession>();
  private readonly listeners: FinalizeListener[] = [];
  private readonly faults: Array<{ remaining: number; fault: StorageFault; target: FaultTarget }> = [];
  private readonly signers = new Map<string, KeyObject>();
  private readonly now: () => number;
  private server: Server | null = null;
  private address: AddressInfo | null = null;
  private credentials: SigningCredentials | null = null;
  private lastGeneration = 0;

  constructor(private readonly opts: StorageEmulatorOptions = {}) {
    this.projectId = opts.projectId ?? 'vividly-local';
    this.now = opts.now ?? Date.now;
  }

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        // A bug in the emulator itself: answer 500 rather than leave the client waiting.
        if (!res.headersSent) sendJsonError(res, new HttpError(500, 'internalError', `storage emulator: ${(err as Error).message}`));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.address = server.address() as AddressInfo;
    return this;
  }

  /** Stops listening and drops every open connection (hanging requests included). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    if (!this.address) throw new Error('the storage emulator is not started');
    return this.address.port;
  }

  /** The `apiEndpoint` for the client, e.g. http://127.0.0.1:40123. */
  get endpoint(): string {
    if (!this.address) throw new Error('the storage emulator is not started');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `http://${host}:${this.address.port}`;
  }

  /**
   * The options of `new Storage(...)` for this emulator. With a custom `apiEndpoint` the client sends
   * no tokens, and with a `projectId` it looks nothing up, so no real credentials are needed; the
   * key given here only signs URLs, and the emulator trusts it. (google-auth-library 11 prints a
   * deprecation notice for `credentials`; its replacement, an auth client, cannot name the signer.)
   */
  clientOptions(): { apiEndpoint: string; projectId: string; credentials: SigningCredentials } {
    return { apiEndpoint: this.endpoint, projectId: this.projectId, credentials: this.signingCredentials() };
  }

  /** A service-account key made for this emulator (generated on first use) and trusted by it. */
  signingCredentials(): SigningCredentials {
    if (!this.credentials) {
      this.credentials = createSigningCredentials(`storage-emulator@${this.projectId}.iam.gserviceaccount.com`);
      this.trustSigner(this.credentials.client_email, this.credentials.private_key);
    }
    return this.credentials;
  }

  /** Accept V4 signed URLs signed by this account's key (a public key, or the private key it derives from). */
  trustSigner(clientEmail: string, key: KeyObject | string): void {
    this.signers.set(clientEmail, typeof key !== 'string' && key.type === 'public' ? key : createPublicKey(key));
  }

  createBucket(name: string): void {
    if (!BUCKET_RE.test(name)) throw new Error(`invalid bucket name ${JSON.stringify(name)}`);
    if (!this.buckets.has(name)) this.buckets.set(name, { name, timeCreated: new Date(this.now()).toISOString(), objects: new Map() });
  }

  /** Called with the object resource after each completed upload. Returns a function that unsubscribes. */
  onFinalize(listener: FinalizeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Make the next `count` requests of the given kind fail as described. */
  failNext(count: number, fault: StorageFault, target: FaultTarget = 'any'): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    if ('delayMs' in fault && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) throw new RangeError('delayMs must be a non-negative number of milliseconds');
    this.faults.push({ remaining: count, fault, target });
  }

  /** Drop faults not yet used. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The stored bytes and resource of an object, for tests. */
  readObject(bucket: string, name: string): { resource: StorageObjectResource; data: Buffer } | undefined {
    const stored = this.buckets.get(bucket)?.objects.get(name);
    return stored && { resource: structuredClone(stored.resource), data: Buffer.from(stored.data) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    // Split the raw path ourselves: object names arrive percent-encoded (`%2F` inside a name) and
    // must not be normalised the way a URL parser would treat `..` segments.
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const record: RecordedRequest = { method, kind: 'unknown', query: Object.fromEntries(query), bodyBytes: 0, status: 0 };
    const contentRange = header(req, 'content-range');
    if (contentRange) record.contentRange = contentRange;
    this.requests.push(record);
    if (this.requests.length > (this.opts.maxRecordedRequests ?? 10_000)) this.requests.shift();

    let route: Route | null;
    try {
      route = routeOf(method, rawPath, query);
    } catch (err) {
      await drain(req);
      return this.answerError(res, record, err);
    }
    if (!route) {
      await drain(req);
      return this.answerError(res, record, new HttpError(404, 'notFound', `no such endpoint: ${method} ${rawPath}`));
    }
    record.kind = route.kind;
    if (route.bucket !== undefined) record.bucket = route.bucket;
    if (route.name !== undefined) record.name = route.name;

    const fault = this.takeFault(record);
    if (fault) record.fault = fault;
    if (fault && 'hang' in fault) {
      req.resume(); // keep reading so the client's body does not stall; never answer
      return;
    }

    let body: Buffer;
    try {
      body = await readBody(req, this.opts.maxBodyBytes ?? 512 * 1024 * 1024);
    } catch (err) {
      return this.answerError(res, record, err);
    }
    record.bodyBytes = body.length;

    if (fault && 'delayMs' in fault) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      // Stopped while waiting: the connection is gone; carry out nothing.
      if (!this.server) return void res.destroy();
    }
    if (fault && 'status' in fault) {
      return this.answerError(res, record, new HttpError(fault.status, reasonOf(fault.status), fault.message ?? `injected failure ${fault.status}`));
    }
    if (fault && 'malformed' in fault && (route.kind === 'media' || route.kind === 'signed-download')) {
      // For a download, "malformed" means damaged bytes under the object's true hash headers.
      try {
        const answer = this.dispatch(route, method, query, req, body);
        record.status = answer.status;
        res.writeHead(answer.status, answer.headers);
        res.end(Buffer.from(answer.body.map((b) => b ^ 0xff)));
        return;
      } catch {
        // no such object: fall through to a malformed JSON answer
      }
    }
    if (fault && 'malformed' in fault) {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end('{"kind": "storage#object", "name": "trunc');
      return;
    }

    let answer: Answer;
    try {
      answer = this.dispatch(route, method, query, req, body);
    } catch (err) {
      if (fault && 'dropResponse' in fault) return void res.destroy();
      return this.answerError(res, record, err);
    }
    if (fault && 'dropResponse' in fault) {
      res.destroy();
      return;
    }
    record.status = answer.status;
    res.writeHead(answer.status, answer.headers);
    if (method === 'HEAD') res.end();
    else res.end(answer.body);
  }

  private dispatch(route: Route, method: string, query: URLSearchParams, req: IncomingMessage, body: Buffer): Answer {
    switch (route.kind) {
      case 'bucket':
        return this.bucketRequest(method, route.bucket, query, body);
      case 'list':
        return json(200, this.list(this.existingBucket(route.bucket!), query));
      case 'metadata': {
        const stored = this.readable(route.bucket!, route.name!, query);
        return json(200, stored.resource);
      }
      case 'media': {
        const stored = this.readable(route.bucket!, route.name!, query);
        return media(stored, header(req, 'range'));
      }
      case 'delete':
        this.deleteObject(route.bucket!, route.name!, query);
        return { status: 204, headers: {}, body: Buffer.alloc(0) };
      case 'upload-simple':
        return json(200, this.simpleUpload(route.bucket!, query, req, body));
      case 'upload-start':
        return this.startSession(route.bucket!, query, req, body);
      case 'upload-chunk':
        return this.sessionRequest(method, query, req, body);
      case 'signed-download':
        return this.signedDownload(method, route.bucket!, route.name!, query, req);
    }
  }

  // ---- buckets --------------------------------------------------------------------------------

  private bucketRequest(method: string, bucket: string | undefined, query: URLSearchParams, body: Buffer): Answer {
    if (bucket === undefined) {
      if (method === 'GET') return json(200, { kind: 'storage#buckets', items: [...this.buckets.values()].map((b) => this.bucketResource(b)) });
      const parsed = parseJsonObject(body);
      const name = typeof parsed.name === 'string' ? parsed.name : '';
      if (!BUCKET_RE.test(name)) throw new HttpError(400, 'invalid', `invalid bucket name ${JSON.stringify(name)}`);
      if (this.buckets.has(name)) throw new HttpError(409, 'conflict', 'Your previous request to create the named bucket succeeded and you already own it.');
      if (!query.get('project')) throw new HttpError(400, 'required', 'Required parameter: project');
      this.createBucket(name);
      return json(200, this.bucketResource(this.buckets.get(name)!));
    }
    const state = this.existingBucket(bucket);
    if (method === 'DELETE') {
      if (state.objects.size > 0) throw new HttpError(409, 'conflict', 'The bucket you tried to delete is not empty.');
      this.buckets.delete(bucket);
      return { status: 204, headers: {}, body: Buffer.alloc(0) };
    }
    return json(200, this.bucketResource(state));
  }

  private bucketResource(b: BucketState): Record<string, string> {
    return {
      kind: 'storage#bucket',
      id: b.name,
      selfLink: `${this.endpoint}/storage/v1/b/${b.name}`,
      projectNumber: '0',
      name: b.name,
      timeCreated: b.timeCreated,
      updated: b.timeCreated,
      metageneration: '1',
      location: 'US',
      storageClass: 'STANDARD',
      etag: 'CAE=',
    };
  }

  private existingBucket(name: string): BucketState {
    const b = this.buckets.get(name);
    if (!b) throw new HttpError(404, 'notFound', 'The specified bucket does not exist.');
    return b;
  }

  private bucketForUpload(name: string): BucketState {
    if (!this.buckets.has(name) && this.opts.autoCreateBuckets !== false) this.createBucket(name);
    return this.existingBucket(name);
  }

  // ---- objects --------------------------------------------------------------------------------

  private readable(bucket: string, name: string, query: URLSearchParams): StoredObject {
    const stored = this.buckets.get(bucket)?.objects.get(name);
    if (!stored || (query.has('generation') && query.get('generation') !== stored.resource.generation)) {
      throw new HttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
    }
    checkPreconditions(stored, query, 'read');
    return stored;
  }

  private list(bucket: BucketState, query: URLSearchParams): Record<string, unknown> {
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const max = Math.min(Math.max(Number(query.get('maxResults') ?? 1000) || 1000, 1), 1000);
    const after = query.get('pageToken') ? Buffer.from(query.get('pageToken')!, 'base64url').toString('utf8') : null;
    const names = [...bucket.objects.keys()].filter((n) => n.startsWith(prefix)).sort();
    const items: StorageObjectResource[] = [];
    const prefixes = new Set<string>();
    let nextPageToken: string | undefined;
    for (const name of names) {
      if (after !== null && name <= after) continue;
      if (items.length + prefixes.size >= max) {
        nextPageToken = Buffer.from(lastOf(items, prefixes), 'utf8').toString('base64url');
        break;
      }
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) prefixes.add(name.slice(0, cut + delimiter.length));
      else items.push(bucket.objects.get(name)!.resource);
    }
    return {
      kind: 'storage#objects',
      ...(items.length ? { items } : {}),
      ...(prefixes.size ? { prefixes: [...prefixes] } : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
    };
  }

  private deleteObject(bucket: string, name: string, query: URLSearchParams): void {
    const objects = this.buckets.get(bucket)?.objects;
    const stored = objects?.get(name);
    if (!objects || !stored) throw new HttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
    checkPreconditions(stored, query, 'write');
    objects.delete(name);
  }

  /** Store a complete object, if the preconditions still hold, and tell the finalize listeners. */
  private commit(bucket: string, name: string, data: Buffer, draft: ObjectDraft, preconditions: URLSearchParams, hashHeader: string | undefined): StorageObjectResource {
    const state = this.bucketForUpload(bucket);
    checkUploadHashes(data, hashHeader);
    checkPreconditions(state.objects.get(name), preconditions, 'write');
    const nowMs = this.now();
    // Generations are microsecond timestamps in Cloud Storage; keep them strictly increasing.
    this.lastGeneration = Math.max(nowMs * 1000, this.lastGeneration + 1);
    const generation = String(this.lastGeneration);
    const time = new Date(nowMs).toISOString();
    const encodedName = encodeURIComponent(name);
    const resource: StorageObjectResource = {
      kind: 'storage#object',
      id: `${bucket}/${name}/${generation}`,
      selfLink: `${this.endpoint}/storage/v1/b/${bucket}/o/${encodedName}`,
      mediaLink: `${this.endpoint}/download/storage/v1/b/${bucket}/o/${encodedName}?generation=${generation}&alt=media`,
      name,
      bucket,
      generation,
      metageneration: '1',
      contentType: draft.contentType || 'application/octet-stream',
      storageClass: 'STANDARD',
      size: String(data.length),
      md5Hash: createHash('md5').update(data).digest('base64'),
      crc32c: crc32cBase64(data),
      etag: Buffer.from(generation).toString('base64'),
      timeCreated: time,
      updated: time,
      timeStorageClassUpdated: time,
    };
    if (draft.metadata && Object.keys(draft.metadata).length) resource.metadata = { ...draft.metadata };
    for (const field of ['contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const) {
      if (draft[field]) resource[field] = draft[field];
    }
    state.objects.set(name, { resource, data });
    this.emitFinalize(resource);
    return resource;
  }

  private emitFinalize(resource: StorageObjectResource): void {
    for (const listener of [...this.listeners]) {
      const report = (err: unknown) =>
        this.opts.onListenerError ? this.opts.onListenerError(err, resource) : process.stderr.write(`storage emulator: finalize listener failed for ${resource.bucket}/${resource.name}: ${(err as Error)?.message ?? String(err)}\n`);
      try {
        const result = listener(structuredClone(resource));
        if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(report);
      } catch (err) {
        report(err);
      }
    }
  }

  // ---- uploads --------------------------------------------------------------------------------

  private simpleUpload(bucket: string, query: URLSearchParams, req: IncomingMessage, body: Buffer): StorageObjectResource {
    const uploadType = query.get('uploadType');
    if (uploadType === 'media') {
      const name = query.get('name');
      if (!name) throw new HttpError(400, 'required', 'Required parameter: name');
      assertObjectName(name);
      return this.commit(bucket, name, body, { contentType: header(req, 'content-type') }, query, header(req, 'x-goog-hash'));
    }
    if (uploadType === 'multipart') {
      const parts = parseMultipartRelated(header(req, 'content-type') ?? '', body);
      if (parts.length !== 2) throw new HttpError(400, 'invalid', 'a multipart upload has exactly two parts: metadata and media');
      const meta = parseJsonObject(parts[0].body);
      const name = query.get('name') ?? (typeof meta.name === 'string' ? meta.name : '');
      if (!name) throw new HttpError(400, 'required', 'Required parameter: name');
      assertObjectName(name);
      const draft = draftOf(meta);
      draft.contentType ??= parts[1].contentType;
      return this.commit(bucket, name, parts[1].body, draft, query, header(req, 'x-goog-hash'));
    }
    throw new HttpError(400, 'invalid', `unsupported uploadType ${JSON.stringify(uploadType)}`);
  }

  private startSession(bucket: string, query: URLSearchParams, req: IncomingMessage, body: Buffer): Answer {
    const meta = body.length ? parseJsonObject(body) : {};
    const name = query.get('name') ?? (typeof meta.name === 'string' ? meta.name : '');
    if (!name) throw new HttpError(400, 'required', 'Required parameter: name');
    assertObjectName(name);
    const state = this.bucketForUpload(bucket);
    // Cloud Storage checks preconditions when the upload completes; checking now as well fails fast.
    checkPreconditions(state.objects.get(name), query, 'write');
    const draft = draftOf(meta);
    const announcedType = header(req, 'x-upload-content-type');
    if (announcedType) draft.contentType = announcedType;
    const announcedLength = header(req, 'x-upload-content-length');
    const session: UploadSession = { id: randomUUID().replace(/-/g, ''), bucket, name, draft, preconditions: preconditionsOf(query), chunks: [], received: 0 };
    if (announcedLength !== undefined) session.totalSize = parseNonNegativeInt(announcedLength, 'X-Upload-Content-Length');
    this.sessions.set(session.id, session);
    const location = `${this.endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
    return { status: 200, headers: { location, 'content-length': '0', 'x-guploader-uploadid': session.id }, body: Buffer.alloc(0) };
  }

  private sessionRequest(method: string, query: URLSearchParams, req: IncomingMessage, body: Buffer): Answer {
    const session = this.sessions.get(query.get('upload_id') ?? '');
    if (!session) throw new HttpError(404, 'notFound', 'No such upload session');
    if (method === 'DELETE') {
      this.sessions.delete(session.id);
      return { status: 499, headers: { 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    // A finished session answers with its object again: a client that lost the final response can ask.
    if (session.completed) return json(200, session.completed);

    const range = parseContentRange(header(req, 'content-range'));
    if (range.total !== undefined) {
      if (session.totalSize !== undefined && session.totalSize !== range.total) throw new HttpError(400, 'invalid', `total size ${range.total} differs from ${session.totalSize} announced before`);
      session.totalSize = range.total;
    }
    if (range.kind === 'status') {
      if (body.length) throw new HttpError(400, 'invalid', 'a status request (bytes */...) has no body');
    } else {
      if (range.start > session.received) throw new HttpError(400, 'invalid', `chunk starts at ${range.start} but only ${session.received} bytes were received`);
      if (range.kind === 'chunk' && body.length !== range.end - range.start + 1) {
        throw new HttpError(400, 'invalid', `Content-Range covers ${range.end - range.start + 1} bytes but the body has ${body.length}`);
      }
      // Bytes the server already has (a client re-sending after a lost 308) are skipped.
      const fresh = body.subarray(Math.min(session.received - range.start, body.length));
      const isLast = range.kind === 'rest' ? true : session.totalSize !== undefined && range.start + body.length >= session.totalSize;
      if (!isLast && body.length % CHUNK_GRANULARITY !== 0) {
        throw new HttpError(400, 'invalid', `a chunk that is not the last must be a multiple of ${CHUNK_GRANULARITY} bytes (got ${body.length})`);
      }
      if (fresh.length) {
        session.chunks.push(Buffer.from(fresh));
        session.received += fresh.length;
      }
      if (range.kind === 'rest' && session.totalSize === undefined) session.totalSize = session.received;
    }
    if (session.totalSize !== undefined && session.received > session.totalSize) throw new HttpError(400, 'invalid', `received ${session.received} bytes, more than the total ${session.totalSize}`);
    if (session.totalSize === undefined || session.received < session.totalSize) {
      if (range.kind === 'rest') throw new HttpError(400, 'invalid', `the upload ended at ${session.received} of ${session.totalSize} bytes`);
      const headers: Record<string, string> = { 'content-length': '0' };
      if (session.received > 0) headers.range = `bytes=0-${session.received - 1}`;
      return { status: 308, headers, body: Buffer.alloc(0) };
    }
    const data = Buffer.concat(session.chunks);
    const resource = this.commit(session.bucket, session.name, data, session.draft, session.preconditions, header(req, 'x-goog-hash'));
    session.completed = resource;
    session.chunks = [];
    return json(200, resource);
  }

  // ---- signed URLs ----------------------------------------------------------------------------

  private signedDownload(method: string, bucket: string, name: string, query: URLSearchParams, req: IncomingMessage): Answer {
    this.verifySignature(method, bucket, name, query, req);
    const stored = this.buckets.get(bucket)?.objects.get(name);
    if (!stored) throw new HttpError(404, 'NoSuchKey', 'The specified key does not exist.');
    return media(stored, header(req, 'range'));
  }

  /** Checks a V4 signature the way Cloud Storage does: rebuild the canonical request, verify RSA-SHA256. */
  private verifySignature(method: string, bucket: string, name: string, query: URLSearchParams, req: IncomingMessage): void {
    const param = (key: string) => {
      const value = query.get(key);
      if (!value) throw new HttpError(400, 'AuthorizationQueryParametersError', `missing ${key}`);
      return value;
    };
    if (param('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256') throw new HttpError(400, 'AuthorizationQueryParametersError', 'X-Goog-Algorithm must be GOOG4-RSA-SHA256');
    const credential = param('X-Goog-Credential');
    const date = param('X-Goog-Date');
    const expires = Number(param('X-Goog-Expires'));
    const signedHeaders = param('X-Goog-SignedHeaders');
    const signature = param('X-Goog-Signature');
    const slash = credential.indexOf('/');
    const email = credential.slice(0, slash);
    const scope = credential.slice(slash + 1);
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (slash < 0 || !m || !scope.startsWith(`${date.slice(0, 8)}/`) || !scope.endsWith('/storage/goog4_request')) {
      throw new HttpError(400, 'AuthorizationQueryParametersError', 'malformed X-Goog-Credential or X-Goog-Date');
    }
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_SIGNED_URL_SECONDS) throw new HttpError(400, 'AuthorizationQueryParametersError', 'X-Goog-Expires must be 1..604800');
    const signedAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
    const now = this.now();
    if (now < signedAt - 60_000) throw new HttpError(400, 'RequestNotYetValid', 'the request is not valid yet');
    if (now > signedAt + expires * 1000) throw new HttpError(400, 'ExpiredToken', `Request has expired: ${date} + ${expires}s`);
    const key = this.signers.get(email);
    if (!key) throw new HttpError(403, 'AccessDenied', `unknown signer ${email}`);

    const headerNames = signedHeaders.split(';');
    if (!headerNames.includes('host')) throw new HttpError(400, 'AuthorizationQueryParametersError', 'the host header must be signed');
    const canonicalHeaders = headerNames
      .map((h) => {
        // The client library signs the host name without the port (it signs for storage.googleapis.com:443).
        const value = h === 'host' ? (header(req, 'host') ?? '').replace(/:\d+$/, '') : header(req, h) ?? '';
        return `${h}:${value.trim().replace(/\s+/g, ' ')}\n`;
      })
      .join('');
    const canonicalQuery = [...query.entries()]
      .filter(([k]) => k !== 'X-Goog-Signature')
      .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalPath = `/${bucket}/${name.split('/').map(encodeRfc3986).join('/')}`;
    const canonicalRequest = [method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
    const stringToSign = ['GOOG4-RSA-SHA256', date, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    if (!/^[0-9a-f]+$/i.test(signature) || !verify('sha256', Buffer.from(stringToSign), key, Buffer.from(signature, 'hex'))) {
      throw new HttpError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
  }

  // ---- faults and errors ----------------------------------------------------------------------

  private takeFault(request: RecordedRequest): StorageFault | undefined {
    const kind = request.kind;
    const hits = (t: FaultTarget) => (typeof t === 'function' ? t(request) : t === 'any' || t === kind || (t === 'upload' && kind.startsWith('upload-')));
    const i = this.faults.findIndex((f) => hits(f.target));
    if (i < 0) return undefined;
    const entry = this.faults[i];
    if (--entry.remaining <= 0) this.faults.splice(i, 1);
    return entry.fault;
  }

  private answerError(res: ServerResponse, record: RecordedRequest, err: unknown): void {
    const httpErr = err instanceof HttpError ? err : new HttpError(500, 'internalError', (err as Error)?.message ?? String(err));
    record.status = httpErr.status;
    if (httpErr.status === 304) {
      res.writeHead(304, httpErr.headers);
      res.end();
    } else if (record.kind === 'signed-download') sendXmlError(res, httpErr);
    else sendJsonError(res, httpErr);
  }
}

/** Start an emulator on a free loopback port. */
export async function startStorageEmulator(opts: StorageEmulatorOptions = {}): Promise<StorageEmulator> {
  return new StorageEmulator(opts).start();
}

/** A throwaway service-account key (RSA 2048) for signing URLs against the emulator. */
export function createSigningCredentials(clientEmail: string): SigningCredentials {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { client_email: clientEmail, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

// ---- wire helpers ---------------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function json(status: number, value: unknown): Answer {
  const body = Buffer.from(JSON.stringify(value));
  return { status, headers: { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(body.length) }, body };
}

function sendJsonError(res: ServerResponse, err: HttpError): void {
  const body = JSON.stringify({ error: { code: err.status, message: err.message, errors: [{ message: err.message, domain: 'global', reason: err.reason }] } });
  res.writeHead(err.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), ...err.headers });
  res.end(body);
}

function sendXmlError(res: ServerResponse, err: HttpError): void {
  const body = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${escapeXml(err.reason)}</Code><Message>${escapeXml(err.message)}</Message></Error>`;
  res.writeHead(err.status, { 'content-type': 'application/xml; charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), ...err.headers });
  res.end(body);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function reasonOf(status: number): string {
  if (status === 429) return 'rateLimitExceeded';
  if (status === 503) return 'backendError';
  if (status >= 500) return 'internalError';
  if (status === 403) return 'forbidden';
  if (status === 401) return 'required';
  if (status === 404) return 'notFound';
  return 'invalid';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      req.resume();
      throw new HttpError(413, 'uploadTooLarge', `request body larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'invalid', 'malformed percent-encoding in the path');
  }
}

/** Which operation a request is, from its method and raw path. */
function routeOf(method: string, rawPath: string, query: URLSearchParams): Route | null {
  const seg = rawPath.split('/').slice(1);
  // JSON API: /storage/v1/b[/{bucket}[/o[/{object}]]]
  if (seg[0] === 'storage' && seg[1] === 'v1' && seg[2] === 'b') {
    if (seg.length === 3 || (seg.length === 4 && seg[3] === '')) return method === 'GET' || method === 'POST' ? { kind: 'bucket' } : null;
    const bucket = decodeSegment(seg[3]);
    if (seg.length === 4) return ['GET', 'DELETE'].includes(method) ? { kind: 'bucket', bucket } : null;
    if (seg[4] !== 'o') return null;
    if (seg.length === 5 || (seg.length === 6 && seg[5] === '')) return method === 'GET' ? { kind: 'list', bucket } : null;
    if (seg.length !== 6) return null; // names arrive with '/' encoded as %2F
    const name = decodeSegment(seg[5]);
    if (method === 'GET' || method === 'HEAD') return { kind: query.get('alt') === 'media' ? 'media' : 'metadata', bucket, name };
    if (method === 'DELETE') return { kind: 'delete', bucket, name };
    return null;
  }
  // Media download endpoint (the objects' mediaLink): /download/storage/v1/b/{bucket}/o/{object}
  if (seg[0] === 'download' && seg[1] === 'storage' && seg[2] === 'v1' && seg[3] === 'b' && seg[5] === 'o' && seg.length === 7) {
    return method === 'GET' || method === 'HEAD' ? { kind: 'media', bucket: decodeSegment(seg[4]), name: decodeSegment(seg[6]) } : null;
  }
  // Uploads: /upload/storage/v1/b/{bucket}/o
  if (seg[0] === 'upload' && seg[1] === 'storage' && seg[2] === 'v1' && seg[3] === 'b' && seg[5] === 'o' && seg.length === 6) {
    const bucket = decodeSegment(seg[4]);
    if (query.has('upload_id')) return method === 'PUT' || method === 'POST' || method === 'DELETE' ? { kind: 'upload-chunk', bucket } : null;
    if (method !== 'POST') return null;
    return { kind: query.get('uploadType') === 'resumable' ? 'upload-start' : 'upload-simple', bucket };
  }
  // XML-API style path of a V4 signed URL: /{bucket}/{object...}
  if (query.has('X-Goog-Signature') && seg.length >= 2 && (method === 'GET' || method === 'HEAD')) {
    return { kind: 'signed-download', bucket: decodeSegment(seg[0]), name: seg.slice(1).map(decodeSegment).join('/') };
  }
  if (seg.length >= 2 && seg[0] !== 'storage' && seg[0] !== 'upload' && seg[0] !== 'download' && method === 'GET') {
    throw new HttpError(403, 'AccessDenied', 'Anonymous caller does not have storage.objects.get access (sign the URL).');
  }
  return null;
}

/** Cloud Storage's object naming rules. */
function assertObjectName(name: string): void {
  if (!name || Buffer.byteLength(name) > 1024) throw new HttpError(400, 'invalid', 'object names are 1 to 1024 bytes of UTF-8');
  if (/[\r\n]/.test(name) || name === '.' || name === '..' || name.startsWith('.well-known/acme-challenge/')) {
    throw new HttpError(400, 'invalid', `invalid object name ${JSON.stringify(name)}`);
  }
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'parseError', 'the metadata is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'invalid', 'the metadata is not a JSON object');
  return value as Record<string, unknown>;
}

/** The object fields an upload may set; custom metadata values become strings, null removes a key. */
function draftOf(meta: Record<string, unknown>): ObjectDraft {
  const draft: ObjectDraft = {};
  for (const field of ['contentType', 'contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const) {
    if (typeof meta[field] === 'string') draft[field] = meta[field] as string;
  }
  if (meta.metadata !== undefined && meta.metadata !== null) {
    if (typeof meta.metadata !== 'object' || Array.isArray(meta.metadata)) throw new HttpError(400, 'invalid', 'metadata must be an object of strings');
    draft.metadata = {};
    for (const [k, v] of Object.entries(meta.metadata as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      draft.metadata[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return draft;
}

const PRECONDITIONS = ['ifGenerationMatch', 'ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'] as const;

function preconditionsOf(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const p of PRECONDITIONS) if (query.has(p)) out.set(p, query.get(p)!);
  return out;
}

/** Generation preconditions; `ifGenerationMatch=0` means "only if the object does not exist". */
function checkPreconditions(current: StoredObject | undefined, query: URLSearchParams, op: 'read' | 'write'): void {
  const generation = current ? BigInt(current.resource.generation) : 0n;
  const metageneration = current ? BigInt(current.resource.metageneration) : null;
  const value = (p: (typeof PRECONDITIONS)[number]) => {
    const raw = query.get(p);
    if (raw === null) return null;
    if (!/^\d+$/.test(raw)) throw new HttpError(400, 'invalid', `${p} must be a non-negative integer`);
    return BigInt(raw);
  };
  const failed = () => new HttpError(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
  const genMatch = value('ifGenerationMatch');
  if (genMatch !== null && genMatch !== generation) throw failed();
  const genNotMatch = value('ifGenerationNotMatch');
  if (genNotMatch !== null && genNotMatch === generation) {
    throw op === 'read' ? new HttpError(304, 'notModified', 'Not Modified') : failed();
  }
  const metaMatch = value('ifMetagenerationMatch');
  if (metaMatch !== null && metaMatch !== metageneration) throw failed();
  const metaNotMatch = value('ifMetagenerationNotMatch');
  if (metaNotMatch !== null && metageneration !== null && metaNotMatch === metageneration) {
    throw op === 'read' ? new HttpError(304, 'notModified', 'Not Modified') : failed();
  }
}

/** `X-Goog-Hash: crc32c=...,md5=...` sent with the final bytes of an upload must match them. */
function checkUploadHashes(data: Buffer, hashHeader: string | undefined): void {
  if (!hashHeader) return;
  for (const pair of hashHeader.split(',')) {
    const eq = pair.indexOf('=');
    const type = pair.slice(0, eq).trim().toLowerCase();
    const value = pair.slice(eq + 1).trim();
    const actual = type === 'crc32c' ? crc32cBase64(data) : type === 'md5' ? createHash('md5').update(data).digest('base64') : null;
    if (actual !== null && actual !== value) throw new HttpError(400, 'invalid', `Provided ${type} hash ${value} doesn't match calculated hash ${actual}.`);
  }
}

type ContentRange = { kind: 'status'; total?: number } | { kind: 'chunk'; start: number; end: number; total?: number } | { kind: 'rest'; start: number; total?: number };

// Content-Range forms: 'bytes */N' and 'bytes */*' ask for the status, 'bytes a-b/N' (or /*) is a
// chunk, 'bytes a-*/N' (or /*) is the rest of the object streamed in one request.
function parseContentRange(value: string | undefined): ContentRange {
  if (value === undefined) return { kind: 'rest', start: 0 };
  const m = /^bytes (\*|(\d+)-(\d+|\*))\/(\*|\d+)$/.exec(value.trim());
  if (!m) throw new HttpError(400, 'invalid', `malformed Content-Range ${JSON.stringify(value)}`);
  const total = m[4] === '*' ? undefined : Number(m[4]);
  const withTotal = <T extends object>(r: T) => (total === undefined ? r : { ...r, total });
  if (m[1] === '*') return withTotal({ kind: 'status' as const });
  const start = Number(m[2]);
  if (m[3] === '*') return withTotal({ kind: 'rest' as const, start });
  const end = Number(m[3]);
  if (end < start) throw new HttpError(400, 'invalid', `malformed Content-Range ${JSON.stringify(value)}`);
  return withTotal({ kind: 'chunk' as const, start, end });
}

function parseNonNegativeInt(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw new HttpError(400, 'invalid', `${what} must be a non-negative integer`);
  return Number(value.trim());
}

/** `multipart/related` as the client sends it: a JSON part and a media part, each with its own headers. */
function parseMultipartRelated(contentType: string, body: Buffer): Array<{ contentType?: string; body: Buffer }> {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!/^multipart\/related/i.test(contentType) || !m) throw new HttpError(400, 'invalid', 'expected multipart/related with a boundary');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Array<{ contentType?: string; body: Buffer }> = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new HttpError(400, 'invalid', 'multipart body without its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), pos);
    if (next < 0) throw new HttpError(400, 'invalid', 'multipart body is not terminated');
    const part = body.subarray(pos, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new HttpError(400, 'invalid', 'multipart part without headers');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const ct = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
    parts.push({ ...(ct ? { contentType: ct } : {}), body: part.subarray(headerEnd + 4) });
    pos = next + 2;
  }
  return parts;
}

/** The bytes of an object, whole or a `Range: bytes=...` of it, with the hash headers the client validates. */
function media(stored: StoredObject, rangeHeader: string | undefined): Answer {
  const { resource, data } = stored;
  const headers: Record<string, string> = {
    'content-type': resource.contentType,
    'accept-ranges': 'bytes',
    etag: resource.etag,
    'last-modified': new Date(resource.updated).toUTCString(),
    'x-goog-generation': resource.generation,
    'x-goog-metageneration': resource.metageneration,
    'x-goog-hash': `crc32c=${resource.crc32c},md5=${resource.md5Hash}`,
    'x-goog-stored-content-encoding': 'identity',
    'x-goog-stored-content-length': resource.size,
  };
  const range = rangeHeader ? parseRange(rangeHeader, data.length) : null;
  if (range === 'unsatisfiable') throw new HttpError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.', { 'content-range': `bytes */${data.length}` });
  if (!range) return { status: 200, headers: { ...headers, 'content-length': String(data.length) }, body: data };
  const part = data.subarray(range.start, range.end + 1);
  return { status: 206, headers: { ...headers, 'content-length': String(part.length), 'content-range': `bytes ${range.start}-${range.end}/${data.length}` }, body: part };
}

function parseRange(value: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // not a single byte range: ignored, as HTTP allows
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function lastOf(items: StorageObjectResource[], prefixes: Set<string>): string {
  const lastItem = items.length ? items[items.length - 1].name : '';
  const lastPrefix = [...prefixes].pop() ?? '';
  // A page that ends in a prefix continues after every name under it.
  return lastPrefix > lastItem ? `${lastPrefix}\uffff` : lastItem;
}

/** Percent-encode every byte except RFC 3986 unreserved characters (what V4 signing canonicalises to). */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32C (Castagnoli), the checksum Cloud Storage keeps for every object. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base64 of the big-endian CRC32C, as in the `crc32c` field and the `X-Goog-Hash` header. */
export function crc32cBase64(data: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32c(data));
  return out.toString('base64');
}
