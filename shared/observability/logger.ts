import { InvocationRecordSchema, type InvocationOutcome, type InvocationRecord } from './invocation-record.js';

/** Severity names of Cloud Logging's structured JSON format. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const LEVEL_TO_RANK = { debug: 0, info: 1, warn: 2, error: 3, silent: 99 } as const;
export type LogLevel = keyof typeof LEVEL_TO_RANK;

export type LogSink = (line: string) => void;

/** The fields Cloud Logging's agent lifts out of a JSON line into the LogEntry (the rest is `jsonPayload`). */
export const LOG_ENTRY_FIELDS = {
  severity: 'severity',
  message: 'message',
  time: 'time',
  labels: 'logging.googleapis.com/labels',
  trace: 'logging.googleapis.com/trace',
  spanId: 'logging.googleapis.com/spanId',
  traceSampled: 'logging.googleapis.com/trace_sampled',
} as const;

/** A W3C / Cloud Trace context: 32 hex digits of trace id, 16 of span id. */
export interface TraceContext {
  traceId: string;
  spanId?: string;
  sampled?: boolean;
}

const SEVERITY_OF: Record<InvocationOutcome, Severity> = {
  ok: 'INFO',
  duplicate: 'INFO',
  ignored: 'INFO',
  retry: 'WARNING',
  failed: 'ERROR',
  'dead-lettered': 'ERROR',
};

/**
 * One JSON object per line on stdout, in Cloud Logging's structured format, so the same records
 * are read by Cloud Logging in the cloud and by `jq` locally.
 */
export class Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
    private readonly base: Record<string, unknown> = {},
  ) {}

  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.level, this.sink, { ...this.base, ...fields });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('DEBUG', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('INFO', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('WARNING', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('ERROR', message, fields);
  }

  /**
   * The one record of an invocation. Records are what the metrics are built from, so they are
   * written at every log level except `silent`, and carry exactly the contract's fields (no
   * `child()` fields), plus Cloud Logging's labels and trace correlation.
   */
  invocation(record: InvocationRecord, opts: { trace?: TraceContext; project?: string } = {}): void {
    if (this.level === 'silent') return;
    const entry: Record<string, unknown> = {
      severity: SEVERITY_OF[record.outcome],
      message: `${record.stage} ${record.outcome}`,
      time: new Date().toISOString(),
      ...withoutUndefined(record),
      [LOG_ENTRY_FIELDS.labels]: { stage: record.stage, outcome: record.outcome },
    };
    if (opts.trace) {
      entry[LOG_ENTRY_FIELDS.trace] = `projects/${opts.project || DEFAULT_TRACE_PROJECT}/traces/${opts.trace.traceId}`;
      if (opts.trace.spanId) entry[LOG_ENTRY_FIELDS.spanId] = opts.trace.spanId;
      if (opts.trace.sampled !== undefined) entry[LOG_ENTRY_FIELDS.traceSampled] = opts.trace.sampled;
    }
    this.sink(JSON.stringify(entry));
  }

  private write(severity: Severity, message: string, fields?: Record<string, unknown>): void {
    if (RANK[severity] < LEVEL_TO_RANK[this.level]) return;
    this.sink(JSON.stringify({ severity, message, time: new Date().toISOString(), ...this.base, ...fields }));
  }
}

/** Locally there is no project; the same id the embedded router puts in its CloudEvent sources. */
const DEFAULT_TRACE_PROJECT = 'vividly-local';

/**
 * The invocation record in a parsed log line, or null when the line is not one. A line that says
 * it is a record but does not match the contract throws (a renamed field must not pass unseen).
 */
export function readInvocationRecord(line: Record<string, unknown>): InvocationRecord | null {
  if (line.kind !== 'invocation') return null;
  const fields = Object.fromEntries(Object.entries(line).filter(([k]) => !(Object.values(LOG_ENTRY_FIELDS) as string[]).includes(k)));
  return InvocationRecordSchema.parse(fields);
}

/** W3C Trace Context `traceparent`: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec((value ?? '').trim().toLowerCase());
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return { traceId: m[2], spanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 };
}

/** Google's `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=OPTIONS`, where SPAN_ID is decimal. */
export function parseCloudTraceContext(value: string | undefined): TraceContext | undefined {
  const m = /^([0-9a-f]{32})(?:\/(\d{1,20}))?(?:;o=([01]))?$/.exec((value ?? '').trim().toLowerCase());
  if (!m || /^0+$/.test(m[1])) return undefined;
  const trace: TraceContext = { traceId: m[1] };
  if (m[2]) {
    // Cloud Logging wants the span id as 16 hex digits; the header carries it as an unsigned 64-bit decimal.
    const span = BigInt(m[2]);
    if (span > 0n && span < 2n ** 64n) trace.spanId = span.toString(16).padStart(16, '0');
  }
  if (m[3] !== undefined) trace.sampled = m[3] === '1';
  return trace;
}

/** The trace of an HTTP request: W3C `traceparent` first, then Google's `X-Cloud-Trace-Context`. */
export function traceOfHttpRequest(header: (name: string) => string | undefined): TraceContext | undefined {
  return parseTraceparent(header('traceparent')) ?? parseCloudTraceContext(header('x-cloud-trace-context'));
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
