/**
 * Embedded ContentLibrary: books, topics, passages, figures and each topic's materials (equations,
 * worked examples, review questions, glossary: one JSON document per topic) in one SQLite file
 * (better-sqlite3), lexical search (MiniSearch BM25+, see topic-index.ts) built lazily in memory from
 * the database and dropped whenever a bundle is upserted. Nothing but the five tables is persisted.
 *
 * The file's schema version is SQLite's `user_version` (LIBRARY_SCHEMA_VERSION). Opening an older
 * file migrates it in place: version 0 → 2 adds `topic_materials`; its books then have no materials
 * (getMaterials answers EMPTY_MATERIALS) until they are ingested again (`vividly ingest` re-upserts
 * every book; the starter books are re-seeded because their content changed).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  BookSchema,
  EMPTY_MATERIALS,
  FigureSchema,
  PassageSchema,
  TopicMaterialsSchema,
  TopicSchema,
  type Book,
  type Figure,
  type LibraryBundle,
  type Passage,
  type Topic,
  type TopicCandidate,
  type TopicMaterials,
} from '../domain/library.js';
import { PipelineError } from '../errors.js';
import type { ContentLibrary, RetrievedSources } from '../ports/content-library.port.js';
import { isBookFolder, readOpenStaxBookFolder, type SkippedModule } from './read-openstax-collection.js';
import type { ParsedModule } from './parse-cnxml-module.js';
import { rankPassages, TopicIndex, type TopicText } from './topic-index.js';

export const DEFAULT_RETRIEVE_LIMIT = 6;
export const DEFAULT_RESOLVE_LIMIT = 5;
/**
 * Schema version of library files (SQLite `user_version`). 0: books, topics, passages, figures (files
 * written before versioning); 2: plus topic_materials. (1 was never written.)
 */
export const LIBRARY_SCHEMA_VERSION = 2;

export interface SqliteContentLibraryOptions {
  /**
   * Books that only stand in when nothing better is ingested. Their topics rank with
   * `fallbackWeight` times their score, so a textbook section that covers a question about as well
   * wins, while a question only they cover still resolves to them. Default: the starter library
   * (book ids `vividly-starter-*`).
   */
  isFallbackBook?: (book: Book) => boolean;
  /** Default 0.5. */
  fallbackWeight?: number;
}

const isStarterBook = (book: Book): boolean => book.id.startsWith('vividly-starter-');

/** How many materials a library or an ingest holds: topics with any, and items of each kind. */
export interface MaterialsCounts {
  topics: number;
  equations: number;
  examples: number;
  reviewQuestions: number;
  glossary: number;
}

const noMaterials = (): MaterialsCounts => ({ topics: 0, equations: 0, examples: 0, reviewQuestions: 0, glossary: 0 });

function addMaterials(into: MaterialsCounts, materials: Record<string, TopicMaterials> | undefined): MaterialsCounts {
  for (const m of Object.values(materials ?? {})) countMaterials(into, m);
  return into;
}

/** Adds one topic's materials to the counts. */
function countMaterials(into: MaterialsCounts, m: TopicMaterials): void {
  into.topics++;
  into.equations += m.equations.length;
  into.examples += m.examples.length;
  into.reviewQuestions += m.reviewQuestions.length;
  into.glossary += m.glossary.length;
}

export interface IngestSummary {
  books: number;
  topics: number;
  passages: number;
  figures: number;
  /** Materials stored, over all books ingested. */
  materials: MaterialsCounts;
  /** Modules that were not ingested, with the reason. */
  skipped: SkippedModule[];
  /** Book folders read. */
  folders: string[];
  ms: number;
}

export type IngestProgress =
  | { kind: 'folder'; folder: string }
  | { kind: 'book'; bookId: string; title: string; topics: number; passages: number; figures: number; materials: MaterialsCounts };

interface BookRow {
  id: string;
  title: string;
  subject: string;
  publisher: string;
  license: string;
  license_url: string;
  url: string;
}
interface TopicRow {
  id: string;
  book_id: string;
  ordinal: number;
  title: string;
  subject: string;
  chapter: string;
  module_id: string | null;
  objectives: string;
  key_terms: string;
}
interface PassageRow {
  id: string;
  topic_id: string;
  ordinal: number;
  heading: string;
  text: string;
  figure_ids: string;
}
interface FigureRow {
  id: string;
  topic_id: string;
  alt: string;
  caption: string;
  path: string | null;
  mime_type: string;
}

const toBook = (r: BookRow): Book =>
  BookSchema.parse({ id: r.id, title: r.title, subject: r.subject, publisher: r.publisher, license: r.license, licenseUrl: r.license_url, url: r.url });
const toTopic = (r: TopicRow): Topic => ({
  id: r.id,
  bookId: r.book_id,
  title: r.title,
  subject: r.subject as Topic['subject'],
  chapter: r.chapter,
  moduleId: r.module_id,
  objectives: JSON.parse(r.objectives) as string[],
  keyTerms: JSON.parse(r.key_terms) as string[],
  ordinal: r.ordinal,
});
const toPassage = (r: PassageRow): Passage => ({
  id: r.id,
  topicId: r.topic_id,
  ordinal: r.ordinal,
  heading: r.heading,
  text: r.text,
  figureIds: JSON.parse(r.figure_ids) as string[],
});
const toFigure = (r: FigureRow): Figure => ({ id: r.id, topicId: r.topic_id, alt: r.alt, caption: r.caption, path: r.path, mimeType: r.mime_type });

/** Find OpenStax book folders: `dir` itself when it has `collections/`, else its direct children that do. */
export async function findBookFolders(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  if (isBookFolder(root)) return [root];
  const entries = await readdir(root, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && isBookFolder(path.join(root, e.name)))
    .map((e) => path.join(root, e.name))
    .sort();
}

export class SqliteContentLibrary implements ContentLibrary {
  private readonly db: Database.Database;
  private index: TopicIndex | null = null;
  private catalog: { topics: Map<string, Topic>; books: Map<string, Book> } | null = null;
  /** Milliseconds the last search-index build took (null until built). */
  lastIndexBuildMs: number | null = null;
  /** The schema version the file had when opened, when it was older and has been migrated (else null). */
  readonly migratedFrom: number | null;

  private readonly isFallbackBook: (book: Book) => boolean;
  private readonly fallbackWeight: number;

  constructor(file: string, options: SqliteContentLibraryOptions = {}) {
    this.isFallbackBook = options.isFallbackBook ?? isStarterBook;
    this.fallbackWeight = options.fallbackWeight ?? 0.5;
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS books (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        subject TEXT NOT NULL,
        publisher TEXT NOT NULL,
        license TEXT NOT NULL,
        license_url TEXT NOT NULL,
        url TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS topics (
        id TEXT PRIMARY KEY,
        book_id TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        title TEXT NOT NULL,
        subject TEXT NOT NULL,
        chapter TEXT NOT NULL,
        module_id TEXT,
        objectives TEXT NOT NULL,
        key_terms TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS topics_book ON topics (book_id, ordinal);
      CREATE TABLE IF NOT EXISTS passages (
        id TEXT PRIMARY KEY,
        topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        heading TEXT NOT NULL,
        text TEXT NOT NULL,
        figure_ids TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS passages_topic ON passages (topic_id, ordinal);
      CREATE TABLE IF NOT EXISTS figures (
        id TEXT PRIMARY KEY,
        topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        alt TEXT NOT NULL,
        caption TEXT NOT NULL,
        path TEXT,
        mime_type TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS figures_topic ON figures (topic_id);
    `);
    this.migratedFrom = this.migrate();
    this.ensureVersionTables();
    this.versionSeen = this.storedVersion();
  }

  /** Bring the file to LIBRARY_SCHEMA_VERSION; returns the version it had when it was older, else null. */
  private migrate(): number | null {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version >= LIBRARY_SCHEMA_VERSION) return null;
    this.db.transaction(() => {
      // 0 → 2: materials, one validated JSON document (TopicMaterialsSchema) per topic that has any
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS topic_materials (
          topic_id TEXT PRIMARY KEY REFERENCES topics(id) ON DELETE CASCADE,
          json TEXT NOT NULL
        );
      `);
      this.db.pragma(`user_version = ${LIBRARY_SCHEMA_VERSION}`);
    })();
    const hadBooks = (this.db.prepare('SELECT COUNT(*) AS n FROM books').get() as { n: number }).n > 0;
    return hadBooks ? version : null;
  }

  close(): void {
    this.db.close();
  }

  /**
   * Replace one book's rows with the bundle, in one transaction. Idempotent: ingesting the same book
   * again leaves the same rows. Throws (and changes nothing) when the bundle is inconsistent.
   */
  upsertBundle(bundle: LibraryBundle): void {
    const book = BookSchema.parse(bundle.book);
    const topics = bundle.topics.map((t) => TopicSchema.parse(t));
    const passages = bundle.passages.map((p) => PassageSchema.parse(p));
    const figures = bundle.figures.map((f) => FigureSchema.parse(f));
    const materials = Object.entries(bundle.materials ?? {}).map(([topicId, m]) => [topicId, TopicMaterialsSchema.parse(m)] as const);
    const topicIds = new Set<string>();
    for (const t of topics) {
      if (t.bookId !== book.id) throw new Error(`bundle ${book.id}: topic ${t.id} belongs to book ${t.bookId}`);
      if (topicIds.has(t.id)) throw new Error(`bundle ${book.id}: duplicate topic id ${t.id}`);
      topicIds.add(t.id);
    }
    const figureIds = new Set<string>();
    for (const f of figures) {
      if (!topicIds.has(f.topicId)) throw new Error(`bundle ${book.id}: figure ${f.id} refers to unknown topic ${f.topicId}`);
      if (figureIds.has(f.id)) throw new Error(`bundle ${book.id}: duplicate figure id ${f.id}`);
      figureIds.add(f.id);
    }
    const passageIds = new Set<string>();
    for (const p of passages) {
      if (!topicIds.has(p.topicId)) throw new Error(`bundle ${book.id}: passage ${p.id} refers to unknown topic ${p.topicId}`);
      if (passageIds.has(p.id)) throw new Error(`bundle ${book.id}: duplicate passage id ${p.id}`);
      passageIds.add(p.id);
      for (const f of p.figureIds) if (!figureIds.has(f)) throw new Error(`bundle ${book.id}: passage ${p.id} refers to unknown figure ${f}`);
    }
    for (const [topicId, m] of materials) {
      if (!topicIds.has(topicId)) throw new Error(`bundle ${book.id}: materials of unknown topic ${topicId}`);
      for (const item of [...m.equations, ...m.examples, ...m.reviewQuestions]) {
        if (item.topicId !== topicId) throw new Error(`bundle ${book.id}: material ${item.id} of topic ${item.topicId} filed under ${topicId}`);
      }
    }

    const insertBook = this.db.prepare('INSERT INTO books (id, title, subject, publisher, license, license_url, url) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertTopic = this.db.prepare(
      'INSERT INTO topics (id, book_id, ordinal, title, subject, chapter, module_id, objectives, key_terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertPassage = this.db.prepare('INSERT INTO passages (id, topic_id, ordinal, heading, text, figure_ids) VALUES (?, ?, ?, ?, ?, ?)');
    const insertFigure = this.db.prepare('INSERT INTO figures (id, topic_id, alt, caption, path, mime_type) VALUES (?, ?, ?, ?, ?, ?)');
    const insertMaterials = this.db.prepare('INSERT INTO topic_materials (topic_id, json) VALUES (?, ?)');
    const run = this.db.transaction(() => {
      const old = 'SELECT id FROM topics WHERE book_id = ?';
      this.db.prepare(`DELETE FROM topic_materials WHERE topic_id IN (${old})`).run(book.id);
      this.db.prepare(`DELETE FROM passages WHERE topic_id IN (${old})`).run(book.id);
      this.db.prepare(`DELETE FROM figures WHERE topic_id IN (${old})`).run(book.id);
      this.db.prepare('DELETE FROM topics WHERE book_id = ?').run(book.id);
      this.db.prepare('DELETE FROM books WHERE id = ?').run(book.id);
      insertBook.run(book.id, book.title, book.subject, book.publisher, book.license, book.licenseUrl, book.url);
      for (const t of topics) {
        insertTopic.run(t.id, t.bookId, t.ordinal, t.title, t.subject, t.chapter, t.moduleId, JSON.stringify(t.objectives), JSON.stringify(t.keyTerms));
      }
      for (const f of figures) insertFigure.run(f.id, f.topicId, f.alt, f.caption, f.path, f.mimeType);
      for (const p of passages) insertPassage.run(p.id, p.topicId, p.ordinal, p.heading, p.text, JSON.stringify(p.figureIds));
      for (const [topicId, m] of materials) insertMaterials.run(topicId, JSON.stringify(m));
      this.recordVersion(book.id, true);
    });
    run.immediate();
    this.invalidate();
  }

  /** Remove one book and everything in it. Returns whether it existed. */
  removeBook(bookId: string): boolean {
    const info = this.db.transaction(() => {
      this.db.prepare('DELETE FROM topic_materials WHERE topic_id IN (SELECT id FROM topics WHERE book_id = ?)').run(bookId);
      this.db.prepare('DELETE FROM passages WHERE topic_id IN (SELECT id FROM topics WHERE book_id = ?)').run(bookId);
      this.db.prepare('DELETE FROM figures WHERE topic_id IN (SELECT id FROM topics WHERE book_id = ?)').run(bookId);
      this.db.prepare('DELETE FROM topics WHERE book_id = ?').run(bookId);
      const removed = this.db.prepare('DELETE FROM books WHERE id = ?').run(bookId);
      this.recordVersion(bookId, false);
      return removed;
    })();
    this.invalidate();
    return info.changes > 0;
  }

  /**
   * Ingest OpenStax book folders: `dir` is a book folder (has `collections/`) or a folder of them.
   * Every collection becomes one book (upserted). Modules shared between collections of a folder are
   * parsed once.
   */
  async ingestOpenStax(dir: string, onProgress?: (p: IngestProgress) => void): Promise<IngestSummary> {
    const started = performance.now();
    const folders = await findBookFolders(dir);
    if (!folders.length) throw new Error(`${path.resolve(dir)}: no OpenStax book folders (a folder with collections/, or whose subfolders have one)`);
    const summary: IngestSummary = { books: 0, topics: 0, passages: 0, figures: 0, materials: noMaterials(), skipped: [], folders, ms: 0 };
    for (const folder of folders) {
      onProgress?.({ kind: 'folder', folder });
      const cache = new Map<string, Promise<ParsedModule>>();
      const { bundles, skipped } = await readOpenStaxBookFolder(folder, { cache });
      for (const bundle of bundles) {
        this.upsertBundle(bundle);
        summary.books++;
        summary.topics += bundle.topics.length;
        summary.passages += bundle.passages.length;
        summary.figures += bundle.figures.length;
        addMaterials(summary.materials, bundle.materials);
        onProgress?.({
          kind: 'book',
          bookId: bundle.book.id,
          title: bundle.book.title,
          topics: bundle.topics.length,
          passages: bundle.passages.length,
          figures: bundle.figures.length,
          materials: addMaterials(noMaterials(), bundle.materials),
        });
      }
      summary.skipped.push(...skipped);
    }
    summary.ms = performance.now() - started;
    return summary;
  }

  // ----- search index -----

  private invalidate(): void {
    this.index = null;
    this.catalog = null;
  }

  /** Build (or return) the in-memory search index. Exposed so callers can warm it up and time it. */
  ensureIndex(): TopicIndex {
    if (this.index) return this.index;
    const started = performance.now();
    const books = new Map(
      (this.db.prepare('SELECT * FROM books').all() as BookRow[]).map((r) => {
        const b = toBook(r);
        return [b.id, b] as const;
      }),
    );
    const topics = new Map((this.db.prepare('SELECT * FROM topics ORDER BY book_id, ordinal').all() as TopicRow[]).map((r) => [r.id, toTopic(r)] as const));
    const bodies = new Map<string, { heading: string; text: string }[]>();
    for (const r of this.db.prepare('SELECT topic_id, heading, text FROM passages ORDER BY topic_id, ordinal').iterate() as IterableIterator<
      Pick<PassageRow, 'topic_id' | 'heading' | 'text'>
    >) {
      let b = bodies.get(r.topic_id);
      if (!b) bodies.set(r.topic_id, (b = []));
      b.push({ heading: r.heading, text: r.text });
    }
    // what the index takes from the materials: glossary terms, equations with their names, worked examples
    const materials = new Map<string, Pick<TopicText, 'glossary' | 'equations' | 'examples' | 'exercises'>>();
    for (const r of this.db.prepare('SELECT topic_id, json FROM topic_materials').iterate() as IterableIterator<{ topic_id: string; json: string }>) {
      let m: Partial<TopicMaterials>;
      try {
        m = JSON.parse(r.json) as Partial<TopicMaterials>;
      } catch {
        continue; // getMaterials reports it (LIBRARY_INVALID); the index does without
      }
      materials.set(r.topic_id, {
        glossary: (m.glossary ?? []).flatMap((g) => (typeof g?.term === 'string' ? [{ term: g.term, definition: typeof g.definition === 'string' ? g.definition : '' }] : [])),
        equations: (m.equations ?? []).flatMap((e) => (e?.math && typeof e.math.source === 'string' ? [{ math: e.math, ...(e.label ? { label: e.label } : {}) }] : [])),
        examples: (m.examples ?? []).flatMap((x) => (typeof x?.title === 'string' ? [{ title: x.title, problem: typeof x.problem === 'string' ? x.problem : '' }] : [])),
        exercises: (m.reviewQuestions ?? []).flatMap((q) => (typeof q?.question === 'string' ? [q.question] : [])),
      });
    }
    const texts: TopicText[] = [...topics.values()].map((t) => ({
      topicId: t.id,
      bookId: t.bookId,
      moduleId: t.moduleId,
      title: t.title,
      chapter: t.chapter,
      keyTerms: t.keyTerms,
      objectives: t.objectives,
      passages: bodies.get(t.id) ?? [],
      weight: books.has(t.bookId) && this.isFallbackBook(books.get(t.bookId)!) ? this.fallbackWeight : 1,
      subject: t.subject,
      ordinal: t.ordinal,
      ...materials.get(t.id),
    }));
    this.index = TopicIndex.build(texts);
    this.catalog = { topics, books };
    this.lastIndexBuildMs = performance.now() - started;
    return this.index;
  }

  // ----- ContentLibrary -----

  async resolve(question: string, limit = DEFAULT_RESOLVE_LIMIT): Promise<TopicCandidate[]> {
    const index = this.ensureIndex();
    const { topics, books } = this.catalog!;
    const { hits } = index.query(question, limit);
    const out: TopicCandidate[] = [];
    for (const h of hits) {
      const topic = topics.get(h.topicIds[0]);
      const book = topic && books.get(topic.bookId);
      if (!topic || !book) continue;
      out.push({ topic, book, score: h.score, confidence: h.confidence });
    }
    return out;
  }

  async retrieve(topicId: string, question: string, limit = DEFAULT_RETRIEVE_LIMIT): Promise<RetrievedSources> {
    const topicRow = this.db.prepare('SELECT title FROM topics WHERE id = ?').get(topicId) as { title: string } | undefined;
    if (!topicRow) return { passages: [], figures: [] };
    const all = (this.db.prepare('SELECT * FROM passages WHERE topic_id = ? ORDER BY ordinal').all(topicId) as PassageRow[]).map(toPassage);
    const passages = rankPassages(all, question, topicRow.title, Math.max(1, limit));
    const figureIds = [...new Set(passages.flatMap((p) => p.figureIds))];
    return { passages, figures: await this.getFigures(figureIds) };
  }

  async getTopic(id: string): Promise<{ topic: Topic; book: Book } | null> {
    const row = this.db.prepare('SELECT * FROM topics WHERE id = ?').get(id) as TopicRow | undefined;
    if (!row) return null;
    const bookRow = this.db.prepare('SELECT * FROM books WHERE id = ?').get(row.book_id) as BookRow | undefined;
    if (!bookRow) return null;
    return { topic: toTopic(row), book: toBook(bookRow) };
  }

  /** Passages by id, in the order asked for (unknown ids are left out). */
  async getPassages(ids: string[]): Promise<Passage[]> {
    return this.byIds<PassageRow, Passage>('passages', ids, toPassage);
  }

  /** Figures by id, in the order asked for (unknown ids are left out). */
  async getFigures(ids: string[]): Promise<Figure[]> {
    return this.byIds<FigureRow, Figure>('figures', ids, toFigure);
  }

  /**
   * The topic's equations, worked examples, review questions and glossary, validated on read;
   * EMPTY_MATERIALS (a fresh copy) for a topic without any, or unknown. A stored document that does not
   * match the schema is an error (LIBRARY_INVALID: ingest the book again).
   */
  async getMaterials(topicId: string): Promise<TopicMaterials> {
    const row = this.db.prepare('SELECT json FROM topic_materials WHERE topic_id = ?').get(topicId) as { json: string } | undefined;
    if (!row) return structuredClone(EMPTY_MATERIALS);
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.json);
    } catch (err) {
      throw new PipelineError('LIBRARY_INVALID', `materials of ${topicId} are not JSON: ingest the book again`, { retryable: false, cause: err });
    }
    const result = TopicMaterialsSchema.safeParse(parsed);
    if (!result.success) {
      throw new PipelineError('LIBRARY_INVALID', `materials of ${topicId} do not match the schema (${result.error.issues[0]?.message ?? 'invalid'}): ingest the book again`, {
        retryable: false,
      });
    }
    return result.data;
  }

  /** Materials per book: topics with any, and items of each kind. */
  materialsStats(bookId?: string): MaterialsCounts {
    const rows = (
      bookId
        ? this.db.prepare('SELECT m.json FROM topic_materials m JOIN topics t ON t.id = m.topic_id WHERE t.book_id = ?').all(bookId)
        : this.db.prepare('SELECT json FROM topic_materials').all()
    ) as { json: string }[];
    const counts = noMaterials();
    for (const r of rows) countMaterials(counts, JSON.parse(r.json) as TopicMaterials);
    return counts;
  }

  async stats(): Promise<{ books: number; topics: number; passages: number; figures: number }> {
    const count = (table: string): number => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { books: count('books'), topics: count('topics'), passages: count('passages'), figures: count('figures') };
  }

  // ----- version -----

  /**
   * The library's version: `lib_` and a hash of every book's digest (a hash of its stored rows:
   * book, topics, passages, figures, materials), recorded in `library_meta` by every upsert and
   * removal, in the same transaction. So it is a stable id of the contents: the same books give the
   * same version whoever built the file; any book ingested with other contents, added or removed
   * gives another. A file written before versions gets its digests computed on first call.
   *
   * Read from the file on every call (one row), so a library changed by another process (`vividly
   * ingest` while `npm start` runs) is seen at once; when it changed since this instance last
   * looked, its in-memory search index is dropped and rebuilt on the next resolve.
   */
  async version(): Promise<string> {
    let version = this.storedVersion();
    if (version === null) {
      try {
        version = this.db.transaction(() => this.writeVersion()).immediate();
      } catch {
        version = this.computeVersion().version; // a read-only file: computed, not recorded
      }
    }
    if (this.versionSeen !== null && version !== this.versionSeen) this.invalidate();
    this.versionSeen = version;
    return version;
  }

  /** The version this instance last saw (its search index, when built, is of this version or newer). */
  private versionSeen: string | null = null;

  /** Tables of the version, apart from the content's schema (migrate()): adding them changes no content. */
  private ensureVersionTables(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS library_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS book_digests (book_id TEXT PRIMARY KEY, digest TEXT NOT NULL);
    `);
  }

  private storedVersion(): string | null {
    const row = this.db.prepare("SELECT value FROM library_meta WHERE key = 'version'").get() as { value: string } | undefined;
    return row?.value ?? null;
  }

  /** Inside the transaction that changed book `bookId`: its digest (or its removal), then the version. */
  private recordVersion(bookId: string, present: boolean): void {
    if (present) {
      this.db.prepare('INSERT INTO book_digests (book_id, digest) VALUES (?, ?) ON CONFLICT (book_id) DO UPDATE SET digest = excluded.digest').run(bookId, this.bookDigest(bookId));
    } else {
      this.db.prepare('DELETE FROM book_digests WHERE book_id = ?').run(bookId);
    }
    this.versionSeen = this.writeVersion();
  }

  /** Record the digests that are missing and the version they make; returns the version. */
  private writeVersion(): string {
    const { version, computed } = this.computeVersion();
    const insert = this.db.prepare('INSERT INTO book_digests (book_id, digest) VALUES (?, ?) ON CONFLICT (book_id) DO UPDATE SET digest = excluded.digest');
    for (const [bookId, digest] of computed) insert.run(bookId, digest);
    this.db.prepare('DELETE FROM book_digests WHERE book_id NOT IN (SELECT id FROM books)').run();
    this.db.prepare("INSERT INTO library_meta (key, value) VALUES ('version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(version);
    return version;
  }

  /** The version of the books stored now, from their recorded digests and, for books without one, computed ones. */
  private computeVersion(): { version: string; computed: Map<string, string> } {
    const recorded = new Map((this.db.prepare('SELECT book_id, digest FROM book_digests').all() as { book_id: string; digest: string }[]).map((r) => [r.book_id, r.digest]));
    const computed = new Map<string, string>();
    const hash = createHash('sha256');
    for (const { id } of this.db.prepare('SELECT id FROM books ORDER BY id').all() as { id: string }[]) {
      let digest = recorded.get(id);
      if (digest === undefined) computed.set(id, (digest = this.bookDigest(id)));
      hash.update(`${id}\t${digest}\n`);
    }
    return { version: `lib_${hash.digest('hex').slice(0, 32)}`, computed };
  }

  /** A hash of every stored row of one book, in a fixed order. */
  private bookDigest(bookId: string): string {
    const hash = createHash('sha256');
    const queries = [
      'SELECT * FROM books WHERE id = ?',
      'SELECT * FROM topics WHERE book_id = ? ORDER BY id',
      'SELECT p.* FROM passages p JOIN topics t ON t.id = p.topic_id WHERE t.book_id = ? ORDER BY p.id',
      'SELECT f.* FROM figures f JOIN topics t ON t.id = f.topic_id WHERE t.book_id = ? ORDER BY f.id',
      'SELECT m.* FROM topic_materials m JOIN topics t ON t.id = m.topic_id WHERE t.book_id = ? ORDER BY m.topic_id',
    ];
    for (const [i, sql] of queries.entries()) {
      hash.update(`\u0000${i}\u0000`);
      for (const row of this.db.prepare(sql).iterate(bookId)) hash.update(JSON.stringify(row) + '\n');
    }
    return hash.digest('hex');
  }

  /** Every book, by title. */
  listBooks(): Book[] {
    return (this.db.prepare('SELECT * FROM books ORDER BY title').all() as BookRow[]).map(toBook);
  }

  /** Topics of one book in reading order. */
  /** Passages of one topic in reading order (for embedding the library). */
  listPassages(topicId: string): Passage[] {
    return (this.db.prepare('SELECT * FROM passages WHERE topic_id = ? ORDER BY ordinal').all(topicId) as PassageRow[]).map(toPassage);
  }

  listTopics(bookId: string): Topic[] {
    return (this.db.prepare('SELECT * FROM topics WHERE book_id = ? ORDER BY ordinal').all(bookId) as TopicRow[]).map(toTopic);
  }

  private byIds<R, T>(table: 'passages' | 'figures', ids: string[], map: (r: R) => T): T[] {
    if (!ids.length) return [];
    const found = new Map<string, T>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT * FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as (R & { id: string })[];
      for (const r of rows) found.set(r.id, map(r));
    }
    return unique.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }
}
