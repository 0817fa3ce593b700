import { deliveryAttemptOf, MalformedEventError, parsePubSubEvent, parseStorageEvent, type CloudEventLike } from '../../events/cloud-events.js';
import type { PayloadOf, StorageObjectData, TopicName } from '../../events/schemas.js';
import { isStage } from '../domain/pipeline.js';
import { codeOf, ErrorCodes } from '../errors.js';
import { INVOCATION_KIND, type FunctionName, type InvocationRecord } from '../observability/invocation-record.js';
import { parseTraceparent, type TraceContext } from '../observability/logger.js';
import { runInInvocation } from './invocation-context.js';
import { getPorts, type Ports } from './ports.js';
import { handleStageFailure, type StageResult } from './run-stage.js';

export type CloudEventFunction = (event: CloudEventLike) => Promise<void>;

/** The event-driven functions (the API writes its own record per request). */
export type EventFunctionName = Exclude<FunctionName, 'api'>;

/**
 * The one wrapper every event-driven function uses: parse the event at the boundary, run the
 * stage, write one structured record per invocation, and turn failures into either a terminal
 * generation error or a retry (by rethrowing, which nacks the delivery).
 */
export function pubsubFunction<T extends TopicName>(
  stage: EventFunctionName,
  topic: T,
  run: (payload: PayloadOf<T>, ports: Ports, event: CloudEventLike) => Promise<StageResult>,
): CloudEventFunction {
  return (event) => invoke(stage, event, (e) => parsePubSubEvent(topic, e), run);
}

/**
 * An object-finalized function. `identify` names the generation an object belongs to, or returns
 * a reason to ignore it (a stray or hostile upload, or a sibling artefact): ignored objects are
 * logged and acknowledged, never retried, and never touch a generation.
 */
export function storageFunction(
  stage: EventFunctionName,
  identify: (object: StorageObjectData, ports: Ports) => { generationId: string } | { ignore: string },
  run: (object: StorageObjectData & { generationId: string }, ports: Ports, event: CloudEventLike) => Promise<StageResult>,
): CloudEventFunction {
  const parse = (e: CloudEventLike, ports: Ports) => {
    const object = parseStorageEvent(e);
    return { object, who: identify(object, ports) };
  };
  return (event) =>
    invoke(stage, event, parse, async ({ object, who }, ports, e) => {
      if ('ignore' in who) {
        ports.log.info(`${stage} ignored object`, { stage, bucket: object.bucket, object: object.name.slice(0, 200), reason: who.ignore });
        return { outcome: 'ignored', generationId: '' };
      }
      return run({ ...object, generationId: who.generationId }, ports, e);
    });
}

async function invoke<P>(
  stage: EventFunctionName,
  event: CloudEventLike,
  parse: (e: CloudEventLike, ports: Ports) => P,
  run: (payload: P, ports: Ports, event: CloudEventLike) => Promise<StageResult>,
): Promise<void> {
  const ports = await getPorts();
  const started = performance.now();
  const record: InvocationRecord = { kind: INVOCATION_KIND, stage, eventId: String(event?.id ?? '') || 'unknown', attempt: deliveryAttemptOf(event), outcome: 'ok', durationMs: 0 };
  let rethrow: unknown;
  await runInInvocation(record, async () => {
    try {
      const payload = parse(event, ports);
      record.generationId = generationIdOf(payload);
      const result = await run(payload, ports, event);
      record.outcome = result.outcome;
      record.generationId = result.generationId || undefined;
      if (result.mediaSeconds !== undefined) record.mediaSeconds = result.mediaSeconds;
    } catch (err) {
      // The code, never the message: messages may quote student text or a provider's response.
      // The human-readable reason is kept on the generation (stage lastError / error).
      record.errorCode = codeOf(err);
      // A stage's failure is recorded on its generation; the sweep and dead-letter functions have no stage of their own.
      const stageName = isStage(stage) ? stage : undefined;
      try {
        record.outcome = stageName ? await handleStageFailure(err, stageName, record.generationId, ports) : err instanceof MalformedEventError ? 'failed' : 'retry';
      } catch (recordErr) {
        record.outcome = 'retry';
        ports.log.error('could not record a stage failure', { stage, eventId: record.eventId, errorCode: codeOf(recordErr) });
      }
      if (record.outcome === 'retry') rethrow = err;
      if (record.errorCode === ErrorCodes.internal) logUnexpected(ports, record, err);
    }
  });
  record.durationMs = Math.round(performance.now() - started);
  ports.log.invocation(record, { trace: traceOfEvent(event), project: ports.config.project });
  if (rethrow) throw rethrow;
}

/** A bug or an SDK failure without a code: where it happened (stack frames), not what it said. */
function logUnexpected(ports: Ports, record: InvocationRecord, err: unknown): void {
  const frames = err instanceof Error ? (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 12).map((l) => l.trim()) : [];
  ports.log.error('unexpected error', { stage: record.stage, eventId: record.eventId, generationId: record.generationId, errorName: err instanceof Error ? err.name : typeof err, frames });
}

/**
 * The trace a CloudEvent carries: the Distributed Tracing extension `traceparent` (Functions
 * Framework sets it from the `ce-traceparent` or `traceparent` header), else the
 * `googclient_traceparent` attribute that Pub/Sub's OpenTelemetry integration puts on messages.
 */
export function traceOfEvent(event: CloudEventLike): TraceContext | undefined {
  const extension = (event as { traceparent?: unknown } | undefined)?.traceparent;
  if (typeof extension === 'string') {
    const trace = parseTraceparent(extension);
    if (trace) return trace;
  }
  const attributes = (event?.data as { message?: { attributes?: Record<string, unknown> } } | undefined)?.message?.attributes;
  const attribute = attributes?.googclient_traceparent;
  return typeof attribute === 'string' ? parseTraceparent(attribute) : undefined;
}

function generationIdOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as { generationId?: unknown; who?: { generationId?: unknown } };
  if (typeof p.generationId === 'string') return p.generationId;
  return typeof p.who?.generationId === 'string' ? p.who.generationId : undefined;
}
