/**
 * The pipeline on the emulators: the production adapters and wiring, on one machine.
 *
 *   - state in the official Firestore emulator, events through the official Pub/Sub emulator;
 *   - every function in its own Functions Framework process, exactly as deployed;
 *   - Pub/Sub push subscriptions (retry and dead-letter policies) deliver through a relay that
 *     turns pushes into the CloudEvents Eventarc sends;
 *   - objects in the local Cloud Storage emulator (the JSON API wire protocol), whose finalize
 *     events go to render (narration bucket) and publish (video bucket) as Eventarc's storage
 *     triggers would, retried on failure;
 *   - Cloud Scheduler's sweep tick published on an interval.
 *
 * Model and speech stay local (extractive writer, espeak-ng): Vertex AI and Text-to-Speech have
 * no emulator; their adapters are tested against wire-protocol doubles instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildStorageEvent, toBinaryHttp } from '../../../events/cloud-events.js';
import { TOPICS, type TopicName } from '../../../events/schemas.js';
import type { Config } from '../../../shared/config.js';
import { BUCKET_CONSUMERS, TOPIC_NAMES, type TriggerBucket } from '../../../shared/domain/pipeline.js';
import { SqliteContentLibrary } from '../../../shared/library/sqlite-content-library.js';
import { dataFiles, seedStarterLibrary } from '../../../shared/runtime/create-embedded-ports.js';
import { retry, type RetryPolicy } from '../../../shared/runtime/retry-policy.js';
import { startEmulator, type RunningEmulator } from './emulators.js';
import { PIPELINE_FUNCTIONS, startFunctionServers, type FunctionServers } from './function-servers.js';
import { createTopology, pubsubForEmulator, TOPIC_CONSUMERS } from './pubsub-topology.js';
import { startStorageEmulator, type StorageEmulator, type StorageObjectResource } from './storage-emulator.js';

export interface EmulatedPipelineOptions {
  /** The local configuration this run starts from (data dir, buckets, limits). */
  config: Config;
  projectId?: string;
  /** Extra environment for every function process. */
  env?: Record<string, string>;
  /** Every line the emulators and functions print (default: dropped). */
  onOutput?: (line: string) => void;
  /** Sweep tick interval in ms (default 60 s; 0: none). */
  sweepIntervalMs?: number;
}

export interface EmulatedPipeline {
  /** Base URL of the api function. */
  apiUrl: string;
  projectId: string;
  firestore: RunningEmulator;
  pubsub: RunningEmulator;
  storage: StorageEmulator;
  servers: FunctionServers;
  /** Environment that points a process (e.g. the CLI or a test) at the same services. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startEmulatedPipeline(opts: EmulatedPipelineOptions): Promise<EmulatedPipeline> {
  const { config } = opts;
  const projectId = opts.projectId ?? 'demo-vividly';
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const library = await ensureLibrary(config);
    const [firestore, pubsub] = await Promise.all([
      startEmulator('firestore', { projectId, onOutput: opts.onOutput }),
      startEmulator('pubsub', { onOutput: opts.onOutput }),
    ]);
    stops.push(() => firestore.stop(), () => pubsub.stop());
    const storage = await startStorageEmulator({ projectId });
    stops.push(() => storage.stop());
    for (const bucket of [config.narrationBucket, config.videoBucket, config.contentBucket]) storage.createBucket(bucket);

    // The key the functions sign URLs with (as a service account would); the storage emulator trusts it.
    const keyFile = path.join(config.dataDir, 'emulator-signing-key.json');
    const signer = storage.signingCredentials();
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(keyFile, JSON.stringify({ type: 'service_account', project_id: projectId, ...signer }), { mode: 0o600 });

    const env: Record<string, string> = {
      GOOGLE_CLOUD_PROJECT: projectId,
      VIVIDLY_STATE_STORE: 'firestore',
      FIRESTORE_EMULATOR_HOST: firestore.host,
      VIVIDLY_EVENT_BUS: 'pubsub',
      PUBSUB_EMULATOR_HOST: pubsub.host,
      VIVIDLY_OBJECT_STORE: 'gcs',
      VIVIDLY_STORAGE_ENDPOINT: storage.endpoint,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      VIVIDLY_LIBRARY: library,
      VIVIDLY_DATA_DIR: config.dataDir,
      VIVIDLY_NARRATION_BUCKET: config.narrationBucket,
      VIVIDLY_VIDEO_BUCKET: config.videoBucket,
      VIVIDLY_CONTENT_BUCKET: config.contentBucket,
      VIVIDLY_MAX_ATTEMPTS: String(Math.max(5, config.maxAttempts)),
      VIVIDLY_MIN_CONFIDENCE: String(config.minConfidence),
      VIVIDLY_RENDER_PRESET: config.renderPreset,
      VIVIDLY_LOG_LEVEL: config.logLevel,
      ...opts.env,
    };

    // Function servers report (target, line): each line goes out prefixed with the function's name.
    const onFunctionOutput = opts.onOutput && ((target: string, line: string) => opts.onOutput!(`${target}: ${line}`));
    const servers = await startFunctionServers(PIPELINE_FUNCTIONS, { projectId, env, onOutput: onFunctionOutput });
    stops.push(() => servers.stop());

    const client = pubsubForEmulator(pubsub.host, projectId);
    stops.push(() => client.close());
    const pushEndpoints: Partial<Record<TopicName, string>> = {};
    for (const topic of TOPIC_NAMES) {
      if (topic === TOPICS.deadLetter) continue;
      pushEndpoints[topic] = servers.pushEndpoint(TOPIC_CONSUMERS[topic], topic);
    }
    await createTopology(client, {
      pushEndpoints: pushEndpoints as Record<TopicName, string>,
      deadLetter: { pushEndpoint: servers.pushEndpoint(TOPIC_CONSUMERS[TOPICS.deadLetter], TOPICS.deadLetter) },
      maxDeliveryAttempts: Math.max(5, config.maxAttempts),
      minBackoffSeconds: 0,
      maxBackoffSeconds: 1,
    });

    // Eventarc's storage triggers: one per trigger bucket of the pipeline table, retried until the function acknowledges.
    const bucketNames: Record<TriggerBucket, string> = { narration: config.narrationBucket, video: config.videoBucket };
    const triggers = new Map(Object.entries(BUCKET_CONSUMERS).map(([bucket, target]) => [bucketNames[bucket as TriggerBucket], servers.functions[target]!.url]));
    const deliveries = new Set<Promise<void>>();
    const stopping = new AbortController();
    storage.onFinalize((object) => {
      const url = triggers.get(object.bucket);
      if (!url) return;
      const d = deliverStorageEvent(url, object, stopping.signal, opts.onOutput).finally(() => deliveries.delete(d));
      deliveries.add(d);
    });
    stops.push(async () => {
      stopping.abort();
      await Promise.allSettled([...deliveries]);
    });

    if ((opts.sweepIntervalMs ?? 60_000) > 0) {
      const timer = setInterval(() => {
        void client
          .topic(TOPICS.sweepTick)
          .publishMessage({ json: { v: 1, at: new Date().toISOString() }, attributes: { eventType: TOPICS.sweepTick, schemaVersion: '1' } })
          .catch(() => {});
      }, opts.sweepIntervalMs ?? 60_000);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }

    return {
      apiUrl: servers.functions.api!.url.replace(/\/+$/, ''),
      projectId,
      firestore,
      pubsub,
      storage,
      servers,
      env,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The library the functions read: the data dir's (built by `vividly ingest`), seeded with the starter books. */
async function ensureLibrary(config: Config): Promise<string> {
  if (config.libraryPath && !config.libraryPath.startsWith('gs://')) return config.libraryPath;
  const files = dataFiles(config.dataDir);
  await mkdir(config.dataDir, { recursive: true });
  const library = new SqliteContentLibrary(files.library);
  try {
    seedStarterLibrary(library, files.starterMarker);
  } finally {
    library.close();
  }
  return files.library;
}

/** Eventarc's delivery of a storage event, as run here: 10 attempts, waits doubling from 0.5 s to 10 s, no jitter, every failure retried. */
export const EVENTARC_RETRY: RetryPolicy = { attempts: 10, minDelayMs: 500, maxDelayMs: 10_000, factor: 2, jitter: [1, 1] };

/** POST the object-finalized CloudEvent (binary mode), retrying with backoff on failure, like Eventarc. Gives up quietly at the end or when `signal` aborts. */
async function deliverStorageEvent(url: string, object: StorageObjectResource, signal: AbortSignal, onOutput?: (line: string) => void): Promise<void> {
  const event = buildStorageEvent({
    bucket: object.bucket,
    name: object.name,
    generation: object.generation,
    size: object.size,
    contentType: object.contentType,
    metadata: object.metadata ?? {},
    md5Hash: object.md5Hash,
    timeCreated: object.timeCreated,
    updated: object.updated,
  });
  const { headers, body } = toBinaryHttp(event);
  if (signal.aborted) return;
  await retry(
    EVENTARC_RETRY,
    async (attempt) => {
      let res: globalThis.Response;
      try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(600_000) });
        await res.arrayBuffer();
      } catch (err) {
        onOutput?.(`eventarc: ${object.bucket}/${object.name} -> ${(err as Error).message}, attempt ${attempt}`);
        throw err;
      }
      if (!res.ok) {
        onOutput?.(`eventarc: ${object.bucket}/${object.name} -> ${res.status}, attempt ${attempt}`);
        throw new Error(`HTTP ${res.status}`);
      }
    },
    { signal },
  ).catch(() => {});
}
