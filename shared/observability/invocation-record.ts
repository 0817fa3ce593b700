/**
 * The contract between the functions and operations: one structured record per invocation
 * (written by shared/runtime/invoke.ts and the API), the Cloud log-based metrics built from it
 * (cdktf/monitoring.ts), and the local Prometheus metrics fed from the very same records
 * (`/metrics`, `vividly stats`, `/ops`). Renaming a field here must break the tests that tie them
 * together (test/infra/log-metrics.test.ts).
 */
import { z } from 'zod';
import { FUNCTION_NAMES, type FunctionName } from '../domain/pipeline.js';

/** Every function (the pipeline table's, in its order): the `stage` of a record. */
export const FUNCTIONS: readonly FunctionName[] = FUNCTION_NAMES;
export type { FunctionName };

/**
 * ok: did its work. duplicate: the work was already done (at-least-once delivery). retry: failed
 * for now, the delivery is nacked. failed: failed for good (the generation is failed, or the request
 * answered 5xx). dead-lettered: the dead-letter function recorded a message that exhausted its
 * retries. ignored: not ours (a stray upload, a message without a generation).
 */
export const OUTCOMES = ['ok', 'duplicate', 'retry', 'failed', 'dead-lettered', 'ignored'] as const;
export type InvocationOutcome = (typeof OUTCOMES)[number];

/** Outcomes that count as errors in error ratios (local error counts and the Cloud alert). */
export const ERROR_OUTCOMES: readonly InvocationOutcome[] = ['failed', 'retry'];

/** `kind` of an invocation record: what log-based metric filters select on. */
export const INVOCATION_KIND = 'invocation';

/** The JSON fields of one invocation record (besides Cloud Logging's severity, message, time, trace, labels). */
export interface InvocationRecord {
  kind: typeof INVOCATION_KIND;
  stage: FunctionName;
  /** Event id (CloudEvent id) or, for the API, the request id. */
  eventId: string;
  /** Delivery attempt (Pub/Sub deliveryAttempt), 1-based, when known. */
  attempt?: number;
  generationId?: string;
  outcome: InvocationOutcome;
  durationMs: number;
  /** Stable error code (never a stack trace, never student text). */
  errorCode?: string;
  /** api: the HTTP status answered. */
  httpStatus?: number;
  /** Media stages: seconds of audio (narrate) or video (render) produced. */
  mediaSeconds?: number;
  /** publish: request to completed video, end to end. */
  generationLatencyMs?: number;
  /** sweep: generations found stalled past their stage deadline in this run. */
  stalledGenerations?: number;
  /** dead-letter: the stage whose subscription gave up on the message. */
  sourceStage?: string;
}

/**
 * The same contract as a parser, for whoever reads records back (tests, local metrics). Strict:
 * an unknown or renamed field is an error, not a silently missing metric.
 */
export const InvocationRecordSchema = z.strictObject({
  kind: z.literal(INVOCATION_KIND),
  stage: z.enum(FUNCTIONS),
  eventId: z.string().min(1),
  attempt: z.number().int().min(1).optional(),
  generationId: z.string().min(1).optional(),
  outcome: z.enum(OUTCOMES),
  durationMs: z.number().int().min(0),
  errorCode: z.string().regex(/^[A-Z][A-Z0-9_]+$/).optional(),
  httpStatus: z.number().int().min(100).max(599).optional(),
  mediaSeconds: z.number().min(0).optional(),
  generationLatencyMs: z.number().int().min(0).optional(),
  stalledGenerations: z.number().int().min(0).optional(),
  sourceStage: z.string().min(1).optional(),
}) satisfies z.ZodType<InvocationRecord>;

/** Metric names, identical in Cloud Monitoring (logging.googleapis.com/user/<prefix>/<name>) and in Prometheus. */
export const METRIC_NAMES = {
  invocations: 'vividly_invocations',
  latencyMs: 'vividly_invocation_latency_ms',
  generationLatencyMs: 'vividly_generation_latency_ms',
  mediaSeconds: 'vividly_media_seconds',
  deadLettered: 'vividly_dead_lettered',
  stalledGenerations: 'vividly_stalled_generations',
} as const;

/** Metric label names, identical in both places. */
export const METRIC_LABELS = { stage: 'stage', outcome: 'outcome', errorCode: 'error_code', sourceStage: 'source_stage' } as const;

/**
 * Which labels each metric carries, and from which record field. The Cloud log-based metrics are
 * built from this table (cdktf/monitoring.ts); the local metrics should use it too.
 */
export const METRIC_LABEL_FIELDS = {
  invocations: { stage: 'stage', outcome: 'outcome', error_code: 'errorCode' },
  latencyMs: { stage: 'stage', outcome: 'outcome' },
  generationLatencyMs: { stage: 'stage' },
  mediaSeconds: { stage: 'stage' },
  deadLettered: { source_stage: 'sourceStage', error_code: 'errorCode' },
  stalledGenerations: {},
} as const satisfies Record<keyof typeof METRIC_NAMES, Partial<Record<(typeof METRIC_LABELS)[keyof typeof METRIC_LABELS], keyof InvocationRecord>>>;
