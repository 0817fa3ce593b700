import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signingKeyFor, type Config } from '../config.js';
import { FileObjectStore } from '../adapters/file-object-store.js';
import { InProcessEventRouter } from '../adapters/in-process-event-router.js';
import { SqliteStateStore } from '../adapters/sqlite-state-store.js';
import { STARTER_LIBRARY } from '../library/starter/index.js';
import { SqliteContentLibrary } from '../library/sqlite-content-library.js';
import { Logger, type LogSink } from '../observability/logger.js';
import { InvocationMetrics, meteredSink, stdoutSink } from '../observability/metrics.js';
import { createSpeechChain } from '../speech/speech-chain.js';
import { languageModelFor } from '../writer/language-model.js';
import type { Ports } from './ports.js';

export interface EmbeddedPorts extends Ports {
  router: InProcessEventRouter;
  objects: FileObjectStore;
  library: SqliteContentLibrary;
  /** Prometheus metrics fed from the invocation records the log writes (/metrics, /ops). */
  metrics: InvocationMetrics;
  close(): Promise<void>;
}

export const dataFiles = (dataDir: string) => ({
  state: path.join(dataDir, 'state.sqlite'),
  library: path.join(dataDir, 'library.sqlite'),
  objects: path.join(dataDir, 'objects'),
  starterMarker: path.join(dataDir, 'starter-library.sha256'),
});

/** The embedded default: SQLite, files on disk, the in-process router, espeak-ng (the speech chain of VIVIDLY_SPEECH). Everything under `config.dataDir`. */
export function createEmbeddedPorts(config: Config, opts: { logSink?: LogSink } = {}): EmbeddedPorts {
  const files = dataFiles(config.dataDir);
  // The log is teed into the metrics before the level filter, so they count every invocation.
  const metrics = new InvocationMetrics();
  const log = new Logger('debug', meteredSink(metrics, config.logLevel, opts.logSink ?? stdoutSink));
  const state = new SqliteStateStore(files.state);
  const library = new SqliteContentLibrary(files.library);
  seedStarterLibrary(library, files.starterMarker);
  const baseUrl = config.publicUrl || `http://localhost:${config.port}`;
  const objects = new FileObjectStore(files.objects, { key: signingKeyFor(config), baseUrl });
  const router = new InProcessEventRouter({ maxAttempts: config.maxAttempts, minBackoffMs: config.minBackoffMs, maxBackoffMs: config.maxBackoffMs, log });
  objects.onFinalize((info) => router.objectFinalized(info));
  return {
    config,
    state,
    bus: router,
    router,
    objects,
    library,
    metrics,
    // VIVIDLY_SPEECH, default `espeak`: espeak-ng alone (cloud providers only when configured).
    speech: createSpeechChain(config, { log }),
    // VIVIDLY_LANGUAGE_MODEL, default `extractive`: Gemini only when configured.
    ...languageModelFor(config, log),
    log,
    now: () => new Date(),
    async close() {
      router.close();
      await state.close();
      library.close();
    },
  };
}

/** The starter library is always there; re-seeded only when its content changes. */
export function seedStarterLibrary(library: SqliteContentLibrary, marker: string): void {
  const digest = createHash('sha256').update(JSON.stringify(STARTER_LIBRARY)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === digest) return;
  for (const bundle of STARTER_LIBRARY) library.upsertBundle(bundle);
  writeFileSync(marker, digest);
}
