/**
 * The invocation in progress, kept apart from the wrapper that starts it (invoke.ts) and the stage
 * runner that reports into it (run-stage.ts), so that neither imports the other: invoke.ts depends
 * on run-stage.ts, and both depend on this module (functions-framework-nodejs keeps its
 * AsyncLocalStorage in a module of its own for the same reason). It imports no runtime module.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationRecord } from '../observability/invocation-record.js';

/** What a stage may add to its invocation's record besides what its StageResult carries. */
export type RecordAddition = Partial<Pick<InvocationRecord, 'generationLatencyMs' | 'stalledGenerations' | 'sourceStage' | 'errorCode'>>;

const inProgress = new AsyncLocalStorage<InvocationRecord>();

/** Runs `fn` as the invocation whose record is `record` (only the invocation wrapper calls this). */
export function runInInvocation<T>(record: InvocationRecord, fn: () => Promise<T>): Promise<T> {
  return inProgress.run(record, fn);
}

/**
 * Adds measurements to the record of the invocation in progress (end-to-end latency in publish,
 * stalled generations in sweep, the dead-lettered stage and code). Outside an invocation (a test
 * calling a stage's logic directly) it does nothing.
 */
export function addToInvocationRecord(fields: RecordAddition): void {
  const record = inProgress.getStore();
  if (!record) return;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
}

/**
 * The delivery attempt as the state store counts it, for deliveries that do not carry Pub/Sub's
 * deliveryAttempt (the Functions Framework drops it when it converts a raw push request, and
 * storage triggers have none). The event's own count wins when present.
 */
export function noteAttempt(attempt: number): void {
  const record = inProgress.getStore();
  if (record && record.attempt === undefined && Number.isInteger(attempt) && attempt > 0) record.attempt = attempt;
}
