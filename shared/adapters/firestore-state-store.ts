import { createHash } from 'node:crypto';
import { FieldPath, FieldValue, Timestamp, type DocumentData, type DocumentReference, type DocumentSnapshot, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import { z } from 'zod';
import {
  GenerationSchema,
  StageProgressSchema,
  applyTransition,
  isTerminal,
  statusRank,
  type Generation,
  type GenerationError,
  type GenerationPatch,
  type Stage,
  type StageProgress,
  type Status,
} from '../domain/generation.js';
import { PipelineError } from '../errors.js';
import type { CacheEntry, CacheKind, StateStore } from '../ports/state-store.port.js';

/**
 * Cloud state store on Firestore, with the SQLite store's semantics. Every conditional write is
 * optimistic: read the document, decide, then write with a precondition (`create()` for
 * insert-if-absent, the read's update time otherwise); when another writer got in between, the
 * write is refused and we read and decide again. So two deliveries of one event cannot both win,
 * and, unlike lock-based transactions, a loser never waits on a lock (the emulator resolves a
 * transaction deadlock only after a 2 s lock timeout).
 *
 * Layout (document ids are the keys, made safe by `firestoreDocId`):
 *   generations/{id}      the Generation's fields at top level, plus
 *                         `terminal` (status is completed|failed) and `expireAt` (TTL: createdAt + ttl days)
 *   requestCache/{key}    { key, generationId, createdAt, expireAt }
 *   contentCache/{key}    { key, generationId, createdAt, expireAt }
 *   notCoveredCache/{key} { key, generationId, createdAt, expireAt }  (the failed generation holds the answer)
 *   inflight/{requestKey} { key, generationId, createdAt, expireAt }
 *
 * The cloud database needs:
 *   - composite index on generations: terminal ASC, updatedAt ASC (listStalled);
 *   - TTL policies on the `expireAt` field of generations, requestCache, contentCache, notCoveredCache and inflight.
 */
export const FIRESTORE_COLLECTIONS = {
  generations: 'generations',
  requestCache: 'requestCache',
  contentCache: 'contentCache',
  notCoveredCache: 'notCoveredCache',
  inflight: 'inflight',
} as const;

/** The collection of each cache kind. */
const CACHE_COLLECTIONS: Record<CacheKind, keyof typeof FIRESTORE_COLLECTIONS> = {
  request: 'requestCache',
  content: 'contentCache',
  notCovered: 'notCoveredCache',
};

/** The TTL field of every collection above. */
export const FIRESTORE_TTL_FIELD = 'expireAt';

export const STATE_CORRUPT = 'STATE_CORRUPT';

const DAY_MS = 24 * 60 * 60 * 1000;

const KeyedEntrySchema = z.object({ key: z.string(), generationId: z.string(), createdAt: z.string() });

export interface FirestoreStateStoreOptions {
  now?: () => Date;
  /** Days after creation (generations) or last write (cache and in-flight entries) when the TTL policy may delete a document. */
  generationTtlDays?: number;
}

export class FirestoreStateStore implements StateStore {
  private readonly now: () => Date;
  private readonly ttlMs: number;

  /** The client belongs to the caller (it may be shared with other adapters): close() leaves it open. */
  constructor(
    private readonly firestore: Firestore,
    opts: FirestoreStateStoreOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    const days = opts.generationTtlDays ?? 30;
    if (!(days > 0)) throw new RangeError(`generationTtlDays must be positive (got ${days})`);
    this.ttlMs = days * DAY_MS;
  }

  async createGeneration(generation: Generation): Promise<{ generation: Generation; created: boolean }> {
    const doc = GenerationSchema.parse(generation);
    const ref = this.generationRef(doc.id);
    // create() fails with ALREADY_EXISTS when the document exists: insert-if-absent without a transaction.
    // The loop covers the rare case of the existing document being deleted (TTL) between create and read.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await ref.create(this.toStored(doc));
        return { generation: doc, created: true };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const existing = await this.getGeneration(doc.id);
      if (existing) return { generation: existing, created: false };
    }
    throw new PipelineError('STATE_CONFLICT', `generation ${doc.id} was created and removed repeatedly`, { retryable: true });
  }

  async getGeneration(id: string): Promise<Generation | null> {
    const snap = await this.generationRef(id).get();
    return snap.exists ? readGeneration(id, snap.data()!) : null;
  }

  async transition(id: string, from: Status, to: Status, patch: GenerationPatch = {}): Promise<Generation | null> {
    if (statusRank(to) <= statusRank(from)) throw new RangeError(`status may only move forward (${from} -> ${to})`);
    return this.modifyGeneration(id, (current) => {
      if (!current || current.status !== from) return { result: null };
      const next = applyTransition(current, to, patch, this.now().toISOString());
      return { next, result: next };
    });
  }

  async updateStage(id: string, stage: Stage, patch: Partial<StageProgress>, opts: { incrementAttempts?: boolean } = {}): Promise<void> {
    await this.modifyGeneration(id, (current) => {
      if (!current || isTerminal(current.status)) return { result: undefined };
      const before = current.stages[stage] ?? { state: 'pending', attempts: 0, progress: 0 };
      // Checked before writing: an out-of-range value would otherwise make the document unreadable.
      const after: StageProgress = StageProgressSchema.parse({ ...before, ...patch, attempts: before.attempts + (opts.incrementAttempts ? 1 : 0) });
      return { next: { ...current, stages: { ...current.stages, [stage]: after }, updatedAt: this.now().toISOString() }, result: undefined };
    });
  }

  async fail(id: string, error: GenerationError): Promise<Generation | null> {
    const claims = this.collection('inflight').where('generationId', '==', id);
    return this.modifyGeneration(
      id,
      (current) => {
        if (!current || isTerminal(current.status)) return { result: null };
        const nowIso = this.now().toISOString();
        const stages = { ...current.stages };
        const s = stages[error.stage];
        if (s) stages[error.stage] = { ...s, state: 'failed', finishedAt: nowIso };
        const next: Generation = { ...current, status: 'failed', error, stages, updatedAt: nowIso };
        return { next, result: next };
      },
      // The claims go in the same atomic batch: refused together with the status write.
      async (batch) => {
        for (const claim of (await claims.get()).docs) batch.delete(claim.ref, { lastUpdateTime: claim.updateTime });
      },
    );
  }

  async listStalled(before: string, limit: number): Promise<Generation[]> {
    if (!(limit >= 1)) return [];
    const snap = await this.collection('generations')
      .where('terminal', '==', false)
      .where('updatedAt', '<', before)
      .orderBy('updatedAt')
      .limit(Math.floor(limit))
      .get();
    return snap.docs.map((d) => readGeneration(d.id, d.data()));
  }

  async getCache(kind: CacheKind, key: string): Promise<CacheEntry | null> {
    const snap = await this.cacheRef(kind, key).get();
    return snap.exists ? readKeyedEntry(snap.ref.path, key, snap.data()!) : null;
  }

  async putCache(kind: CacheKind, key: string, generationId: string): Promise<void> {
    // A plain overwrite: the last writer's entry is as good as any (both point at finished results,
    // or for notCovered at failed generations holding the same answer).
    await this.cacheRef(kind, key).set(this.keyedEntry(key, generationId));
  }

  async claimInflight(requestKey: string, generationId: string): Promise<string> {
    const ref = this.docRef('inflight', requestKey);
    for (let attempt = 1; ; attempt++) {
      const snap = await ref.get();
      if (snap.exists) {
        const claim = readKeyedEntry(ref.path, requestKey, snap.data()!);
        // Not guarded by the write below: a holder ending just now only means a request joins a
        // generation that has already finished, and the caller reads its final state.
        const live = await this.getGeneration(claim.generationId);
        if (live && !isTerminal(live.status)) return claim.generationId;
      }
      // Written only if the claim we judged is still the one stored (or still absent).
      const entry = this.keyedEntry(requestKey, generationId);
      const claimed = await refusedAsNull(snap.exists ? ref.update(...replacement(snap, entry)) : ref.create(entry));
      if (claimed !== null) return generationId;
      await contentionPause(attempt, `in-flight claim ${requestKey}`);
    }
  }

  async releaseInflight(requestKey: string, generationId: string): Promise<void> {
    const ref = this.docRef('inflight', requestKey);
    for (let attempt = 1; ; attempt++) {
      const snap = await ref.get();
      // Only the claim of this generation: a newer request may have claimed the key since.
      if (!snap.exists || snap.get('generationId') !== generationId) return;
      if ((await refusedAsNull(ref.delete({ lastUpdateTime: snap.updateTime }))) !== null) return;
      await contentionPause(attempt, `in-flight claim ${requestKey}`);
    }
  }

  /** A snapshot listener on the generation's document: one per call (the API shares one per generation among its clients). */
  watchGeneration(id: string, onChange: (generation: Generation | null) => void, onError?: (err: Error) => void): () => void {
    let stopped = false;
    const stop = this.generationRef(id).onSnapshot(
      (snap) => {
        if (stopped) return;
        let generation: Generation | null;
        try {
          generation = snap.exists ? readGeneration(id, snap.data()!) : null;
        } catch (err) {
          stopped = true;
          stop();
          onError?.(err as Error);
          return;
        }
        onChange(generation);
      },
      (err) => {
        // The listener has ended (permission, network gone for good); the caller may watch again.
        stopped = true;
        onError?.(err);
      },
    );
    return () => {
      stopped = true;
      stop();
    };
  }

  async close(): Promise<void> {
    // Nothing of our own to release; whoever created the Firestore client terminates it.
  }

  private collection(name: keyof typeof FIRESTORE_COLLECTIONS) {
    return this.firestore.collection(FIRESTORE_COLLECTIONS[name]);
  }

  private docRef(name: keyof typeof FIRESTORE_COLLECTIONS, key: string): DocumentReference {
    return this.collection(name).doc(firestoreDocId(key));
  }

  private generationRef(id: string): DocumentReference {
    return this.docRef('generations', id);
  }

  private cacheRef(kind: CacheKind, key: string): DocumentReference {
    return this.docRef(CACHE_COLLECTIONS[kind], key);
  }

  /**
   * Read the generation, let `decide` compute the next document (or nothing to write), and write
   * it only if the document is unchanged since the read; otherwise read and decide again.
   * `alsoInBatch` adds writes that must commit or be refused together with the generation's.
   */
  private async modifyGeneration<T>(
    id: string,
    decide: (current: Generation | null) => { next?: Generation; result: T },
    alsoInBatch?: (batch: WriteBatch) => Promise<void>,
  ): Promise<T> {
    const ref = this.generationRef(id);
    for (let attempt = 1; ; attempt++) {
      const snap = await ref.get();
      const { next, result } = decide(snap.exists ? readGeneration(id, snap.data()!) : null);
      if (!next || !snap.exists) return result; // only existing generations are modified
      const batch = this.firestore.batch();
      batch.update(snap.ref, ...replacement(snap, this.toStored(next)));
      if (alsoInBatch) await alsoInBatch(batch);
      if ((await refusedAsNull(batch.commit())) !== null) return result;
      await contentionPause(attempt, `generation ${id}`);
    }
  }

  /** The stored form: the generation as JSON would keep it (no undefined values), plus the query and TTL fields. */
  private toStored(generation: Generation): DocumentData {
    const plain = JSON.parse(JSON.stringify(generation)) as DocumentData;
    const created = Date.parse(generation.createdAt);
    const base = Number.isFinite(created) ? created : this.now().getTime();
    return { ...plain, terminal: isTerminal(generation.status), expireAt: Timestamp.fromMillis(base + this.ttlMs) };
  }

  private keyedEntry(key: string, generationId: string): DocumentData {
    const now = this.now();
    return { key, generationId, createdAt: now.toISOString(), expireAt: Timestamp.fromMillis(now.getTime() + this.ttlMs) };
  }
}

/**
 * A Firestore document id for any key. Ids may not contain `/`, be `.` or `..`, match `__.*__`
 * or exceed 1500 bytes; passage ids (`book/module#p3`) and hostile keys break those rules.
 * Characters outside [A-Za-z0-9_-] are percent-encoded (readable and injective); a key whose
 * encoding is too long becomes `~` + its SHA-256 (plain encodings never contain `~`).
 */
export function firestoreDocId(key: string): string {
  let id = Array.from(key, (ch) => (/^[A-Za-z0-9_-]$/.test(ch) ? ch : percentEncode(ch))).join('');
  // `_` is never encoded above, so `%5F` here cannot collide with another key's plain encoding.
  if (/^__.*__$/s.test(id)) id = `%5F${id.slice(1)}`;
  if (id.length === 0) id = '%';
  if (id.length > 1400) id = `~${createHash('sha256').update(key, 'utf8').digest('hex')}`;
  return id;
}

function percentEncode(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function readGeneration(id: string, data: DocumentData): Generation {
  const { terminal: _terminal, expireAt: _expireAt, ...fields } = data;
  const parsed = GenerationSchema.safeParse(fields);
  if (!parsed.success) throw corrupt(`generation ${id}`, parsed.error.issues);
  if (parsed.data.id !== id) throw corrupt(`generation ${id}`, [{ path: ['id'], message: `holds generation ${parsed.data.id}` }]);
  return parsed.data;
}

function readKeyedEntry(path: string, key: string, data: DocumentData): CacheEntry {
  const parsed = KeyedEntrySchema.safeParse(data);
  if (!parsed.success) throw corrupt(path, parsed.error.issues);
  if (parsed.data.key !== key) throw corrupt(path, [{ path: ['key'], message: 'holds another key' }]);
  return parsed.data;
}

function corrupt(what: string, issues: { path: PropertyKey[]; message: string }[]): PipelineError {
  const details = issues.slice(0, 10).map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
  return new PipelineError(STATE_CORRUPT, `${what} is stored in a shape this version cannot read (${details.map((d) => d.field || '(root)').join(', ')})`, {
    retryable: false,
    details,
  });
}

/**
 * Arguments of update() that overwrite the document read as `snap` with `data`, on the condition
 * that nobody wrote it since. An update naming every top-level field (and deleting the ones
 * `data` lacks) is a full replacement that, unlike set(), takes an update-time precondition.
 * Field names go in as FieldPaths so a dotted name is never read as a path into a map.
 */
function replacement(snap: DocumentSnapshot, data: DocumentData): [FieldPath, unknown, ...unknown[]] {
  const args: unknown[] = [];
  for (const [field, value] of Object.entries(data)) args.push(new FieldPath(field), value);
  for (const field of Object.keys(snap.data() ?? {})) if (!(field in data)) args.push(new FieldPath(field), FieldValue.delete());
  args.push({ lastUpdateTime: snap.updateTime });
  return args as [FieldPath, unknown, ...unknown[]];
}

const MAX_ATTEMPTS = 20;

/** Between attempts of a refused conditional write: a short random pause, so racing writers spread out. */
async function contentionPause(attempt: number, what: string): Promise<void> {
  if (attempt >= MAX_ATTEMPTS) {
    throw new PipelineError('STATE_CONTENDED', `${what} kept changing under ${attempt} attempts to write it`, { retryable: true });
  }
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 10)));
}

// gRPC status codes of a refused conditional write.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

/** The write's result, or null when Firestore refused it because its precondition no longer held. */
async function refusedAsNull<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === FAILED_PRECONDITION || code === ALREADY_EXISTS || code === NOT_FOUND) return null;
    throw err;
  }
}

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === ALREADY_EXISTS;
}
