/**
 * Embed every passage of the library (RETRIEVAL_DOCUMENT) and upsert the vectors into the passage
 * index, book by book in reading order. Safe to run again: vectors are keyed by passage id, so a
 * second run replaces them (and is billed again: `characters` in the summary is what to price).
 */
import type { Book, Passage, Topic } from '../domain/library.js';
import type { Embedder, PassageVector, PassageVectorIndex } from '../ports/embeddings.port.js';
import type { SqliteContentLibrary } from './sqlite-content-library.js';

/** What embedding needs from a library: its books, their topics, and each topic's passages in reading order. */
export interface PassageCatalog {
  listBooks(): Book[] | Promise<Book[]>;
  listTopics(bookId: string): Topic[] | Promise<Topic[]>;
  listPassages(topicId: string): Passage[] | Promise<Passage[]>;
}

export interface EmbedLibraryProgress {
  bookId: string;
  /** Passages embedded so far, in all books. */
  passages: number;
}

export interface EmbedLibrarySummary {
  books: number;
  topics: number;
  passages: number;
  /** Characters sent to the embedding model (what the cost is estimated from). */
  characters: number;
  ms: number;
}

export interface EmbedLibraryOptions {
  onProgress?: (p: EmbedLibraryProgress) => void;
  /** Passages per embed() call and index upsert (the embedder splits further to Vertex AI's limits). Default 250. */
  batchSize?: number;
  /** Only these books (default: all). */
  bookIds?: string[];
}

/** The text embedded for a passage: topic title and heading give a chunk the context it lacks alone. */
export function passageDocument(topic: Topic, passage: Passage): string {
  const heading = passage.heading && passage.heading !== topic.title ? ` \u2014 ${passage.heading}` : '';
  return `${topic.title}${heading}\n\n${passage.text}`;
}

export async function embedLibrary(
  library: PassageCatalog,
  embedder: Embedder,
  index: PassageVectorIndex,
  opts: EmbedLibraryOptions = {},
): Promise<EmbedLibrarySummary> {
  const started = performance.now();
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 250));
  const summary: EmbedLibrarySummary = { books: 0, topics: 0, passages: 0, characters: 0, ms: 0 };
  let pending: { vector: Omit<PassageVector, 'vector'>; text: string }[] = [];

  const flush = async (bookId: string): Promise<void> => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    const vectors = await embedder.embed(
      batch.map((b) => b.text),
      'RETRIEVAL_DOCUMENT',
    );
    await index.upsert(batch.map((b, i) => ({ ...b.vector, vector: vectors[i] })));
    summary.passages += batch.length;
    summary.characters += batch.reduce((n, b) => n + b.text.length, 0);
    opts.onProgress?.({ bookId, passages: summary.passages });
  };

  const wanted = opts.bookIds ? new Set(opts.bookIds) : null;
  for (const book of await library.listBooks()) {
    if (wanted && !wanted.has(book.id)) continue;
    summary.books++;
    for (const topic of await library.listTopics(book.id)) {
      summary.topics++;
      for (const passage of await library.listPassages(topic.id)) {
        if (!passage.text.trim()) continue;
        pending.push({ vector: { passageId: passage.id, topicId: topic.id, bookId: book.id }, text: passageDocument(topic, passage) });
        if (pending.length >= batchSize) await flush(book.id);
      }
    }
    await flush(book.id);
  }
  summary.ms = performance.now() - started;
  return summary;
}

/**
 * SqliteContentLibrary as a PassageCatalog. It has listBooks and listTopics but no listPassages yet;
 * until it does, a topic's passages come from retrieve() with a limit above their number, which
 * returns them all in reading order (see rankPassages).
 */
export function sqlitePassageCatalog(library: SqliteContentLibrary): PassageCatalog {
  const withList = library as SqliteContentLibrary & { listPassages?: (topicId: string) => Passage[] | Promise<Passage[]> };
  return {
    listBooks: () => library.listBooks(),
    listTopics: (bookId) => library.listTopics(bookId),
    listPassages: async (topicId) =>
      typeof withList.listPassages === 'function' ? withList.listPassages(topicId) : (await library.retrieve(topicId, '', Number.MAX_SAFE_INTEGER)).passages,
  };
}
