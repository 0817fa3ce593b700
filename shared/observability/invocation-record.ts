/**
 * The contract between the functions and operations: one structured record per invocation
 * (written by shared/runtime/invoke.ts and the API), the Cloud log-based metrics built from it
 * (cdktf/), and the local Prometheus metrics fed from the very same records (`/metrics`,
 * `vividly stats`, `/ops`). Renaming a field here must break the tests that tie them together.
 */

export const FUNCTIONS = ['api', 'understand', 'retrieve', 'write', 'narrate', 'render', 'publish', 'dead-letter', 'sweep'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export const OUTCOMES = ['ok', 'duplicate', 'retry', 'failed', 'dead-lettered', 'ignored'] as const;
export type InvocationOutcome = (typeof OUTCOMES)[number];

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
  /** Media stages: seconds of audio (narrate) or video (render) produced. */
  mediaSeconds?: number;
  /** publish: request to completed video, end to end. */
  generationLatencyMs?: number;
  /** sweep: generations found stalled past their stage deadline in this run. */
  stalledGenerations?: number;
}

/** Metric names, identical in Cloud Monitoring (logging.googleapis.com/user/<name>) and in Prometheus. */
export const METRIC_NAMES = {
  invocations: 'vividly_invocations',
  latencyMs: 'vividly_invocation_latency_ms',
  generationLatencyMs: 'vividly_generation_latency_ms',
  mediaSeconds: 'vividly_media_seconds',
  deadLettered: 'vividly_dead_lettered',
  stalledGenerations: 'vividly_stalled_generations',
} as const;

/** Metric label names, identical in both places. */
export const METRIC_LABELS = { stage: 'stage', outcome: 'outcome', errorCode: 'error_code' } as const;
