import type { Generation, GenerationError, GenerationPatch, Stage, StageProgress, Status } from '../domain/generation.js';

/**
 * `request`: a finished generation for the same request; `content`: a finished video for the same
 * topic, grade band, interest and voice; `notCovered`: a generation that failed with
 * TOPIC_NOT_COVERED for the same normalised question and library version (its error holds the
 * answer and the alternatives).
 */
export type CacheKind = 'request' | 'content' | 'notCovered';

export interface CacheEntry {
  key: string;
  generationId: string;
  createdAt: string;
}

/** Generation state: one document per generation; status moves forward only by conditional writes. */
export interface StateStore {
  /** Insert if absent; returns the stored document and whether this call created it. */
  createGeneration(generation: Generation): Promise<{ generation: Generation; created: boolean }>;
  getGeneration(id: string): Promise<Generation | null>;
  /**
   * Conditional transition: applies only when the current status is `from`.
   * Returns the updated document, or null when another writer got there first.
   */
  transition(id: string, from: Status, to: Status, patch?: GenerationPatch): Promise<Generation | null>;
  /** Per-stage progress; never changes status. Ignored on terminal generations. */
  updateStage(id: string, stage: Stage, patch: Partial<StageProgress>, opts?: { incrementAttempts?: boolean }): Promise<void>;
  /** Mark failed unless already terminal. Returns the updated document or null when it was terminal. */
  fail(id: string, error: GenerationError): Promise<Generation | null>;
  /** Non-terminal generations not updated since `before` (ISO time). */
  listStalled(before: string, limit: number): Promise<Generation[]>;

  getCache(kind: CacheKind, key: string): Promise<CacheEntry | null>;
  putCache(kind: CacheKind, key: string, generationId: string): Promise<void>;
  /**
   * Coalesce identical in-flight requests: atomically returns the id of a live (non-terminal)
   * generation already registered for `requestKey`, or registers `generationId` and returns it.
   */
  claimInflight(requestKey: string, generationId: string): Promise<string>;
  releaseInflight(requestKey: string, generationId: string): Promise<void>;
  /**
   * Follow one generation: `onChange` gets the stored document soon after the call (null while it
   * does not exist), then again after each change, in the order they were written. Changes that
   * come in quick succession may be delivered as one (the latest document): a watcher never sees
   * an older document after a newer one, and always ends up with the latest. `onError` is called
   * when the watch cannot go on (it has then stopped). Returns the function that stops it.
   *
   * Firestore: a snapshot listener. SQLite: the store's own writes are announced in-process at
   * once; writes by another process on the same file (only tests do that) are found by a poll
   * of the document every `watchPollMs` (1 s by default).
   */
  watchGeneration(id: string, onChange: (generation: Generation | null) => void, onError?: (err: Error) => void): () => void;
  close(): Promise<void>;
}
