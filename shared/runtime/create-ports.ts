import { mkdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signingKeyFor, type Config } from '../config.js';
import { PipelineError } from '../errors.js';
import { SqliteContentLibrary } from '../library/sqlite-content-library.js';
import { Logger, type LogSink } from '../observability/logger.js';
import type { ContentLibrary } from '../ports/content-library.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { StateStore } from '../ports/state-store.port.js';
import { languageModelFor } from '../writer/language-model.js';
import { createEmbeddedPorts, dataFiles } from './create-embedded-ports.js';
import type { Ports } from './ports.js';

export interface ClosablePorts extends Ports {
  close(): Promise<void>;
}

/**
 * True when state, events, objects and retrieval are the embedded ones (the one-machine, offline
 * composition; it honours VIVIDLY_SPEECH and VIVIDLY_LANGUAGE_MODEL itself).
 */
export function isEmbedded(config: Config): boolean {
  return config.stateStore === 'sqlite' && config.eventBus === 'local' && config.objectStore === 'file' && config.retrieval === 'lexical';
}

/**
 * The composition root of a deployed function: one adapter per port, chosen by configuration
 * (VIVIDLY_STATE_STORE, VIVIDLY_EVENT_BUS, ...). Cloud SDKs are imported only when chosen, so the
 * embedded path never loads them. Clients are created once per process and shared by adapters.
 */
export async function createPorts(config: Config, opts: { logSink?: LogSink } = {}): Promise<ClosablePorts> {
  if (isEmbedded(config)) return createEmbeddedPorts(config, opts);

  const log = new Logger(config.logLevel, opts.logSink);
  const closers: (() => Promise<void> | void)[] = [];
  const projectId = config.project || undefined;

  let firestore: import('@google-cloud/firestore').Firestore | undefined;
  const getFirestore = async () => {
    if (!firestore) {
      const { Firestore } = await import('@google-cloud/firestore');
      firestore = new Firestore({ projectId, databaseId: config.firestoreDatabase, ignoreUndefinedProperties: true });
      const client = firestore;
      closers.push(() => client.terminate());
    }
    return firestore;
  };
  let storage: import('@google-cloud/storage').Storage | undefined;
  const getStorage = async () => {
    if (!storage) {
      const { Storage } = await import('@google-cloud/storage');
      storage = new Storage(storageOptions(config));
    }
    return storage;
  };
  let genai: import('@google/genai').GoogleGenAI | undefined;
  const getGenAI = async () => {
    if (!genai) {
      if (!config.project) throw new PipelineError('CONFIG_INVALID', 'GOOGLE_CLOUD_PROJECT must be set to use Vertex AI', { retryable: false });
      const { GoogleGenAI } = await import('@google/genai');
      genai = new GoogleGenAI({ vertexai: true, project: config.project, location: config.location });
    }
    return genai;
  };

  let state: StateStore;
  if (config.stateStore === 'firestore') {
    const { FirestoreStateStore } = await import('../adapters/firestore-state-store.js');
    state = new FirestoreStateStore(await getFirestore(), { generationTtlDays: config.generationTtlDays });
  } else {
    const { SqliteStateStore } = await import('../adapters/sqlite-state-store.js');
    const sqlite = new SqliteStateStore(dataFiles(config.dataDir).state);
    state = sqlite;
    closers.push(() => sqlite.close());
  }

  let objects: ObjectStore;
  if (config.objectStore === 'gcs') {
    const { GcsObjectStore } = await import('../adapters/gcs-object-store.js');
    objects = new GcsObjectStore(await getStorage(), { timeoutMs: Math.max(config.modelTimeoutMs, 120_000) });
  } else {
    const { FileObjectStore } = await import('../adapters/file-object-store.js');
    objects = new FileObjectStore(dataFiles(config.dataDir).objects, { key: signingKeyFor(config), baseUrl: config.publicUrl || `http://localhost:${config.port}` });
  }

  let bus: EventBus;
  if (config.eventBus === 'pubsub') {
    const { PubSub } = await import('@google-cloud/pubsub');
    const { PubSubEventBus } = await import('../adapters/pubsub-event-bus.js');
    const pubsub = new PubSub({ projectId });
    bus = new PubSubEventBus(pubsub, { topicPrefix: config.topicPrefix });
    closers.push(() => pubsub.close());
  } else {
    // A function alone with the local bus publishes into its own process: only useful in tests.
    const { InProcessEventRouter } = await import('../adapters/in-process-event-router.js');
    const router = new InProcessEventRouter({ maxAttempts: config.maxAttempts, minBackoffMs: config.minBackoffMs, maxBackoffMs: config.maxBackoffMs, log });
    bus = router;
    closers.push(() => router.close());
  }

  // Opened on first use: only api (the library's version and topic ids), understand, retrieve and
  // write read the library (and only they may read the content bucket), so the other functions
  // never copy it at cold start.
  const library = new LazyContentLibrary(async () => {
    const lexical = new SqliteContentLibrary(await materialiseLibrary(config, objects));
    closers.push(() => lexical.close());
    if (config.retrieval !== 'vector') return lexical;
    const { VectorContentLibrary } = await import('../library/vector-content-library.js');
    const { VertexEmbedder } = await import('../library/vertex-embedder.js');
    const { FirestorePassageIndex } = await import('../adapters/firestore-passage-index.js');
    const embedder = new VertexEmbedder({ ai: await getGenAI(), model: config.embeddingModel, maxAttempts: config.modelMaxAttempts, timeoutMs: config.modelTimeoutMs, log });
    return new VectorContentLibrary({ base: lexical, embedder, index: new FirestorePassageIndex(await getFirestore()), log });
  });

  const { chooser, writer } = languageModelFor(config, log);

  const { createSpeechChain } = await import('../speech/speech-chain.js');
  const speech = createSpeechChain(config, { log });

  return {
    config,
    state,
    bus,
    objects,
    library,
    speech,
    chooser,
    writer,
    log,
    now: () => new Date(),
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}

/** A content library opened on first use (once; a failed open is retried on the next call). */
export class LazyContentLibrary implements ContentLibrary {
  private opening?: Promise<ContentLibrary>;
  constructor(private readonly open: () => Promise<ContentLibrary>) {}

  private lib(): Promise<ContentLibrary> {
    this.opening ??= this.open().catch((err) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }
  async resolve(...args: Parameters<ContentLibrary['resolve']>) {
    return (await this.lib()).resolve(...args);
  }
  async retrieve(...args: Parameters<ContentLibrary['retrieve']>) {
    return (await this.lib()).retrieve(...args);
  }
  async getTopic(...args: Parameters<ContentLibrary['getTopic']>) {
    return (await this.lib()).getTopic(...args);
  }
  async getPassages(...args: Parameters<ContentLibrary['getPassages']>) {
    return (await this.lib()).getPassages(...args);
  }
  async getFigures(...args: Parameters<ContentLibrary['getFigures']>) {
    return (await this.lib()).getFigures(...args);
  }
  async getMaterials(...args: Parameters<ContentLibrary['getMaterials']>) {
    return (await this.lib()).getMaterials(...args);
  }
  async stats() {
    return (await this.lib()).stats();
  }
  async version() {
    return (await this.lib()).version();
  }
}

/** Options of the Cloud Storage client: Google's endpoint, or a storage emulator's. */
export function storageOptions(config: Config): import('@google-cloud/storage').StorageOptions {
  const projectId = config.project || undefined;
  if (!config.storageEndpoint) return { projectId };
  return { projectId, apiEndpoint: config.storageEndpoint, useAuthWithCustomEndpoint: false };
}

/**
 * The library is a SQLite file built by `vividly ingest`. In the cloud it lives in the content
 * bucket (`gs://bucket/library.sqlite`) and is copied once per instance to local disk (/tmp is
 * memory-backed on Cloud Functions, so its size counts against the function's memory), through
 * the object-store port: `gs://bucket/object` names an object of the configured object store.
 */
async function materialiseLibrary(config: Config, objects: ObjectStore): Promise<string> {
  const source = config.libraryPath || dataFiles(config.dataDir).library;
  const gs = /^gs:\/\/([^/]+)\/(.+)$/.exec(source);
  if (!gs) {
    try {
      await stat(source);
    } catch {
      throw new PipelineError('LIBRARY_MISSING', `the content library ${source} does not exist: build it with \`vividly ingest\``, { retryable: false });
    }
    return source;
  }
  const [, bucket, object] = gs;
  const dir = path.join(tmpdir(), 'vividly-library');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, path.basename(object!).replace(/[^A-Za-z0-9._-]/g, '_'));
  try {
    await stat(file);
    return file;
  } catch {
    // not copied yet in this instance
  }
  const partial = `${file}.${process.pid}.part`;
  try {
    await objects.download(bucket!, object!, partial);
  } catch (err) {
    throw new PipelineError('LIBRARY_MISSING', `could not read the content library ${source}: ${(err as Error).message}`, { retryable: true });
  }
  await rename(partial, file);
  return file;
}
