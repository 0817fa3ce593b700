/**
 * The embedded composition root (not a deployed function): every stage in one process, wired to
 * the in-process router exactly as Pub/Sub subscriptions and Eventarc triggers wire them in the cloud.
 */
import { TOPICS } from '../../events/schemas.js';
import type { Config } from '../../shared/config.js';
import { PIPELINE, subscribedTopic, type FunctionName, type TriggerBucket } from '../../shared/domain/pipeline.js';
import type { LogSink } from '../../shared/observability/logger.js';
import { liveFigures } from '../../shared/observability/ops-stats.js';
import type { CloudEventHandler } from '../../shared/adapters/in-process-event-router.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { deadLetter } from '../dead-letter/index.js';
import { narrate } from '../narrate/index.js';
import { publish } from '../publish/index.js';
import { render } from '../render/index.js';
import { retrieve } from '../retrieve/index.js';
import { sweep } from '../sweep/index.js';
import { sweepStalled, type SweepSummary } from '../sweep/sweep.js';
import { understand } from '../understand/index.js';
import { write } from '../write/index.js';

/** Each event-driven function's handler (the api is served by the local HTTP server). */
const HANDLERS: Record<Exclude<FunctionName, 'api'>, CloudEventHandler> = {
  understand,
  retrieve,
  write,
  narrate,
  render,
  publish,
  'dead-letter': deadLetter,
  sweep,
};

export function startEmbeddedPipeline(config: Config, opts: { logSink?: LogSink } = {}): EmbeddedPorts {
  const ports = createEmbeddedPorts(config, opts);
  usePorts(ports);
  const { router } = ports;
  const buckets: Record<TriggerBucket, string> = { narration: config.narrationBucket, video: config.videoBucket };
  // Every function of the pipeline table, wired as its trigger says.
  for (const row of PIPELINE) {
    if (row.function === 'api') continue;
    const handler = HANDLERS[row.function];
    // Media stages are CPU-bound: queue them like a function's maximum instances would.
    const options = 'media' in row && row.media ? { maxConcurrent: config.mediaConcurrency } : {};
    const topic = subscribedTopic(row);
    if (topic) router.subscribe(topic, row.function, handler, options);
    else if ('bucket' in row.trigger) router.onObjectFinalized(buckets[row.trigger.bucket], row.function, handler, options);
  }
  // /metrics reads the queues and the open and stuck generations when it is scraped.
  ports.metrics.useLiveSource(() => liveFigures({ state: ports.state, router, stallSeconds: config.stallSeconds, now: ports.now }));
  return ports;
}

/** Cloud Scheduler's job, locally: a sweep tick every `intervalMs`. Returns a stop function. */
export function startSweepTicker(ports: EmbeddedPorts, intervalMs = 60_000): () => void {
  const timer = setInterval(() => {
    void ports.bus.publish(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() }, { eventType: TOPICS.sweepTick, schemaVersion: '1' });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The embedded server's sweep at start. It owns all the work, and the in-process queues that
 * carried its generations died with the previous process (a crash, `kill -9`), so every generation
 * still open from before `startedAt` is re-driven now (or failed as STALLED past the give-up age)
 * instead of after VIVIDLY_STALL_SECONDS and a sweep tick. Only for a process that owns all the work:
 * in the cloud, or beside a running server on the same data directory, open generations are in
 * someone's hands and the ordinary sweep is the one to run.
 */
export async function sweepAtStart(ports: EmbeddedPorts, startedAt: Date): Promise<SweepSummary> {
  const total: SweepSummary = { examined: 0, redriven: [], failed: [] };
  const seen = new Set<string>();
  const pageSize = 100;
  for (;;) {
    // A generation swept is touched (updated now), so the next page holds the ones not seen yet.
    const page = await sweepStalled(ports, { stalledBefore: startedAt, limit: pageSize });
    const fresh = [...page.redriven, ...page.failed].filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
    total.examined += page.examined;
    total.redriven.push(...page.redriven);
    total.failed.push(...page.failed);
    if (page.examined < pageSize || fresh.length === 0) break;
  }
  if (total.examined) {
    ports.log.info('start-up sweep: generations open before the start re-driven', { stage: 'sweep', examined: total.examined, redriven: total.redriven.length, failed: total.failed.length });
  }
  return total;
}
