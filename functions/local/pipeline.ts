/**
 * The embedded composition root (not a deployed function): every stage in one process, wired to
 * the in-process router exactly as Pub/Sub subscriptions and Eventarc triggers wire them in the cloud.
 */
import { TOPICS } from '../../events/schemas.js';
import type { Config } from '../../shared/config.js';
import type { LogSink } from '../../shared/observability/logger.js';
import { liveFigures } from '../../shared/observability/ops-stats.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { deadLetter } from '../dead-letter/index.js';
import { narrate } from '../narrate/index.js';
import { publish } from '../publish/index.js';
import { render } from '../render/index.js';
import { retrieve } from '../retrieve/index.js';
import { sweep } from '../sweep/index.js';
import { understand } from '../understand/index.js';
import { write } from '../write/index.js';

export function startEmbeddedPipeline(config: Config, opts: { logSink?: LogSink } = {}): EmbeddedPorts {
  const ports = createEmbeddedPorts(config, opts);
  usePorts(ports);
  const { router } = ports;
  router.subscribe(TOPICS.generationRequested, 'understand', understand);
  router.subscribe(TOPICS.topicResolved, 'retrieve', retrieve);
  router.subscribe(TOPICS.sourcesRetrieved, 'write', write);
  // Media stages are CPU-bound: queue them like a function's maximum instances would.
  router.subscribe(TOPICS.scriptWritten, 'narrate', narrate, { maxConcurrent: config.mediaConcurrency });
  router.onObjectFinalized(config.narrationBucket, 'render', render, { maxConcurrent: config.mediaConcurrency });
  router.onObjectFinalized(config.videoBucket, 'publish', publish);
  router.subscribe(TOPICS.deadLetter, 'dead-letter', deadLetter);
  router.subscribe(TOPICS.sweepTick, 'sweep', sweep);
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
