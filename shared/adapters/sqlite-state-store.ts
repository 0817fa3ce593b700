import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  GenerationSchema,
  isTerminal,
  applyTransition,
  statusRank,
  type Generation,
  type GenerationError,
  type GenerationPatch,
  type Stage,
  type StageProgress,
  type Status,
} from '../domain/generation.js';
import type { CacheEntry, CacheKind, StateStore } from '../ports/state-store.port.js';

/**
 * Embedded state store: one SQLite file, one JSON document per generation, conditional writes in
 * IMMEDIATE transactions. Every cache kind (request, content, notCovered) is a row of `caches`,
 * apart by `kind`; entries do not expire here (the data directory is the user's, and a not-covered
 * entry of an older library version is simply never looked up again).
 */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  /** Live watches by generation id (watchGeneration). */
  private readonly watches = new Map<string, Set<GenerationWatch>>();
  private readonly watchPollMs: number;

  /**
   * `opts.watchPollMs`: how often a watch re-reads its document to see writes made by another
   * process on the same file (0: never; this process's own writes are announced at once).
   */
  constructor(file: string, private readonly now: () => Date = () => new Date(), opts: { watchPollMs?: number } = {}) {
    this.watchPollMs = opts.watchPollMs ?? 1000;
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS generations (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS generations_open ON generations (status, updated_at);
      CREATE TABLE IF NOT EXISTS caches (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        generation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, key)
      );
      CREATE TABLE IF NOT EXISTS inflight (
        request_key TEXT PRIMARY KEY,
        generation_id TEXT NOT NULL
      );
    `);
  }

  async createGeneration(generation: Generation): Promise<{ generation: Generation; created: boolean }> {
    const doc = GenerationSchema.parse(generation);
    const info = this.db
      .prepare('INSERT OR IGNORE INTO generations (id, status, updated_at, doc) VALUES (?, ?, ?, ?)')
      .run(doc.id, doc.status, doc.updatedAt, JSON.stringify(doc));
    if (info.changes === 1) {
      this.changed(doc.id);
      return { generation: doc, created: true };
    }
    return { generation: (await this.getGeneration(doc.id))!, created: false };
  }

  async getGeneration(id: string): Promise<Generation | null> {
    return this.read(id);
  }

  async transition(id: string, from: Status, to: Status, patch: GenerationPatch = {}): Promise<Generation | null> {
    if (statusRank(to) <= statusRank(from)) throw new RangeError(`status may only move forward (${from} -> ${to})`);
    return this.db
      .transaction((): Generation | null => {
        const current = this.read(id);
        if (!current || current.status !== from) return null;
        const next = applyTransition(current, to, patch, this.now().toISOString());
        this.write(next);
        return next;
      })
      .immediate();
  }

  async updateStage(id: string, stage: Stage, patch: Partial<StageProgress>, opts: { incrementAttempts?: boolean } = {}): Promise<void> {
    this.db
      .transaction(() => {
        const current = this.read(id);
        if (!current || isTerminal(current.status)) return;
        const before = current.stages[stage] ?? { state: 'pending', attempts: 0, progress: 0 };
        const after: StageProgress = { ...before, ...patch, attempts: before.attempts + (opts.incrementAttempts ? 1 : 0) };
        this.write({ ...current, stages: { ...current.stages, [stage]: after }, updatedAt: this.now().toISOString() });
      })
      .immediate();
  }

  async fail(id: string, error: GenerationError): Promise<Generation | null> {
    return this.db
      .transaction((): Generation | null => {
        const current = this.read(id);
        if (!current || isTerminal(current.status)) return null;
        const stages = { ...current.stages };
        const s = stages[error.stage];
        if (s) stages[error.stage] = { ...s, state: 'failed', finishedAt: this.now().toISOString() };
        const next: Generation = { ...current, status: 'failed', error, stages, updatedAt: this.now().toISOString() };
        this.write(next);
        this.db.prepare('DELETE FROM inflight WHERE generation_id = ?').run(id);
        return next;
      })
      .immediate();
  }

  async listStalled(before: string, limit: number): Promise<Generation[]> {
    const rows = this.db
      .prepare("SELECT doc FROM generations WHERE status NOT IN ('completed', 'failed') AND updated_at < ? ORDER BY updated_at LIMIT ?")
      .all(before, limit) as { doc: string }[];
    return rows.map((r) => GenerationSchema.parse(JSON.parse(r.doc)));
  }

  async getCache(kind: CacheKind, key: string): Promise<CacheEntry | null> {
    const row = this.db.prepare('SELECT key, generation_id, created_at FROM caches WHERE kind = ? AND key = ?').get(kind, key) as
      | { key: string; generation_id: string; created_at: string }
      | undefined;
    return row ? { key: row.key, generationId: row.generation_id, createdAt: row.created_at } : null;
  }

  async putCache(kind: CacheKind, key: string, generationId: string): Promise<void> {
    this.db
      .prepare('INSERT INTO caches (kind, key, generation_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET generation_id = excluded.generation_id, created_at = excluded.created_at')
      .run(kind, key, generationId, this.now().toISOString());
  }

  async claimInflight(requestKey: string, generationId: string): Promise<string> {
    return this.db
      .transaction((): string => {
        const row = this.db.prepare('SELECT generation_id FROM inflight WHERE request_key = ?').get(requestKey) as { generation_id: string } | undefined;
        if (row) {
          const live = this.read(row.generation_id);
          if (live && !isTerminal(live.status)) return row.generation_id;
        }
        this.db.prepare('INSERT INTO inflight (request_key, generation_id) VALUES (?, ?) ON CONFLICT (request_key) DO UPDATE SET generation_id = excluded.generation_id').run(requestKey, generationId);
        return generationId;
      })
      .immediate();
  }

  async releaseInflight(requestKey: string, generationId: string): Promise<void> {
    this.db.prepare('DELETE FROM inflight WHERE request_key = ? AND generation_id = ?').run(requestKey, generationId);
  }

  /**
   * In-process change notifications: every write of this store announces the generation's id, and
   * each watch of it re-reads the stored document in a microtask (after the write's transaction
   * has committed) and reports it when it differs from the last one it reported. Another process
   * writing to the same file (only tests do that) is seen by the poll every `watchPollMs`.
   */
  watchGeneration(id: string, onChange: (generation: Generation | null) => void, onError?: (err: Error) => void): () => void {
    const watch: GenerationWatch = { onChange, onError, last: undefined, stopped: false };
    let set = this.watches.get(id);
    if (!set) this.watches.set(id, (set = new Set()));
    set.add(watch);
    if (this.watchPollMs > 0) {
      watch.timer = setInterval(() => this.deliver(id, watch), this.watchPollMs);
      watch.timer.unref();
    }
    queueMicrotask(() => this.deliver(id, watch));
    return () => this.unwatch(id, watch);
  }

  async close(): Promise<void> {
    for (const [id, set] of this.watches) for (const watch of set) this.unwatch(id, watch);
    this.db.close();
  }

  private changed(id: string): void {
    const set = this.watches.get(id);
    if (!set) return;
    queueMicrotask(() => {
      for (const watch of set) this.deliver(id, watch);
    });
  }

  private deliver(id: string, watch: GenerationWatch): void {
    if (watch.stopped || !this.db.open) return;
    let generation: Generation | null;
    let raw: string | null;
    try {
      raw = (this.db.prepare('SELECT doc FROM generations WHERE id = ?').get(id) as { doc: string } | undefined)?.doc ?? null;
      if (raw === watch.last) return;
      generation = raw === null ? null : GenerationSchema.parse(JSON.parse(raw));
    } catch (err) {
      this.unwatch(id, watch);
      watch.onError?.(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    watch.last = raw;
    watch.onChange(generation);
  }

  private unwatch(id: string, watch: GenerationWatch): void {
    watch.stopped = true;
    if (watch.timer) clearInterval(watch.timer);
    const set = this.watches.get(id);
    set?.delete(watch);
    if (set?.size === 0) this.watches.delete(id);
  }

  private read(id: string): Generation | null {
    const row = this.db.prepare('SELECT doc FROM generations WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? GenerationSchema.parse(JSON.parse(row.doc)) : null;
  }

  private write(doc: Generation): void {
    this.db.prepare('UPDATE generations SET status = ?, updated_at = ?, doc = ? WHERE id = ?').run(doc.status, doc.updatedAt, JSON.stringify(doc), doc.id);
    this.changed(doc.id);
  }
}

interface GenerationWatch {
  onChange: (generation: Generation | null) => void;
  onError?: (err: Error) => void;
  /** The stored JSON last reported (undefined: nothing reported yet; null: reported missing). */
  last: string | null | undefined;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}
