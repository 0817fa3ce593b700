import type { Generation, GenerationError, GenerationPatch, Stage, StageProgress, Status } from '../domain/generation.js';

export type CacheKind = 'request' | 'content';

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
  close(): Promise<void>;
}
