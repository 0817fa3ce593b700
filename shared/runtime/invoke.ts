import { deliveryAttemptOf, MalformedEventError, parsePubSubEvent, parseStorageEvent, type CloudEventLike } from '../../events/cloud-events.js';
import type { PayloadOf, StorageObjectData, TopicName } from '../../events/schemas.js';
import type { Stage } from '../domain/generation.js';
import { codeOf } from '../errors.js';
import { getPorts, type Ports } from './ports.js';
import { handleStageFailure, type Outcome, type StageResult } from './run-stage.js';

export type CloudEventFunction = (event: CloudEventLike) => Promise<void>;

interface InvocationRecord {
  stage: Stage | 'dead-letter' | 'sweep';
  eventId: string;
  attempt?: number;
  generationId?: string;
  outcome: Outcome;
  durationMs: number;
  errorCode?: string;
  errorMessage?: string;
  mediaSeconds?: number;
}

/**
 * The one wrapper every event-driven function uses: parse the event at the boundary, run the
 * stage, write one structured record per invocation, and turn failures into either a terminal
 * generation error or a retry (by rethrowing, which nacks the delivery).
 */
export function pubsubFunction<T extends TopicName>(
  stage: InvocationRecord['stage'],
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
  stage: InvocationRecord['stage'],
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
  stage: InvocationRecord['stage'],
  event: CloudEventLike,
  parse: (e: CloudEventLike, ports: Ports) => P,
  run: (payload: P, ports: Ports, event: CloudEventLike) => Promise<StageResult>,
): Promise<void> {
  const ports = await getPorts();
  const started = performance.now();
  const record: InvocationRecord = { stage, eventId: String(event?.id ?? ''), attempt: deliveryAttemptOf(event), outcome: 'ok', durationMs: 0 };
  let rethrow: unknown;
  try {
    const payload = parse(event, ports);
    record.generationId = generationIdOf(payload);
    const result = await run(payload, ports, event);
    record.outcome = result.outcome;
    record.generationId = result.generationId || undefined;
    if (result.mediaSeconds !== undefined) record.mediaSeconds = result.mediaSeconds;
  } catch (err) {
    record.errorCode = codeOf(err);
    const stageName = stage === 'dead-letter' || stage === 'sweep' ? undefined : stage;
    try {
      record.outcome = stageName ? await handleStageFailure(err, stageName, record.generationId, ports) : err instanceof MalformedEventError ? 'failed' : 'retry';
    } catch (recordErr) {
      record.outcome = 'retry';
      ports.log.error('could not record a stage failure', { stage, errorCode: codeOf(recordErr) });
    }
    if (record.outcome === 'retry') rethrow = err;
    record.errorMessage = err instanceof Error ? err.message : String(err);
  }
  record.durationMs = Math.round(performance.now() - started);
  const write = record.outcome === 'failed' ? ports.log.error : record.outcome === 'retry' ? ports.log.warn : ports.log.info;
  write.call(ports.log, `${stage} ${record.outcome}`, { ...record });
  if (rethrow) throw rethrow;
}

function generationIdOf(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as { generationId?: unknown; who?: { generationId?: unknown } };
  if (typeof p.generationId === 'string') return p.generationId;
  return typeof p.who?.generationId === 'string' ? p.who.generationId : undefined;
}
