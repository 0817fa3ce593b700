import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type Config } from '../../shared/config.js';
import { VOICES, isTerminal, type Generation, type Stage, type TopicAlternative } from '../../shared/domain/generation.js';
import { DELIVERED_STAGES } from '../../shared/domain/pipeline.js';
import { codeOf, PipelineError } from '../../shared/errors.js';
import { SqliteStateStore } from '../../shared/adapters/sqlite-state-store.js';
import { openLogFile, type LogFile } from '../../shared/observability/log-file.js';
import { InvocationMetrics, stdoutSink } from '../../shared/observability/metrics.js';
import { buildOpsData, formatStatsTable, invocationLogFiles, readInvocationLogs, type OpsData } from '../../shared/observability/ops-stats.js';
import { dataFiles, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { createGeneration } from '../api/api.js';
import { generationView } from '../api/generation-view.js';
import { startEmbeddedPipeline, startSweepTicker, sweepAtStart } from './pipeline.js';
import { createLocalApp, listen } from './serve.js';

/** The progress bars: one per stage after the api, in the pipeline table's order. */
const STAGE_ORDER: readonly Stage[] = DELIVERED_STAGES;

/**
 * Stage logs of local commands go to a file so they do not break the progress bars: the data
 * directory's `logs/vividly.log`, rotated at VIVIDLY_LOG_FILE_SIZE, VIVIDLY_LOG_FILES kept.
 */
function logFileOf(config: Config): LogFile {
  return openLogFile(path.join(config.dataDir, 'logs'), {
    size: config.logFileSize,
    files: config.logFiles,
    onError: (err) => process.stderr.write(`vividly: cannot write the log file (${(err as NodeJS.ErrnoException).code ?? err.message}); logging to it stops\n`),
  });
}

function parseSweepSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400) throw new InvalidArgumentError('sweep seconds must be a whole number from 0 to 86400');
  return n;
}

function parseGrade(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new InvalidArgumentError('grade must be a whole number from 1 to 12');
  return n;
}

async function withPipeline<T>(fn: (ports: EmbeddedPorts, config: Config) => Promise<T>): Promise<T> {
  const config = parseConfig();
  const log = logFileOf(config);
  const ports = startEmbeddedPipeline(config, { logSink: log.sink });
  try {
    return await fn(ports, config);
  } finally {
    await ports.close();
    await log.close();
  }
}

export async function generate(
  question: string,
  opts: { grade: number; interest: string; voice: string; output: string; json?: boolean; topic?: string },
): Promise<number> {
  return withPipeline(async (ports) => {
    let answer: Awaited<ReturnType<typeof createGeneration>>;
    try {
      answer = await createGeneration({ question, grade: opts.grade, interest: opts.interest, voice: opts.voice, ...(opts.topic ? { topicId: opts.topic } : {}) }, 'cli', ports);
    } catch (err) {
      // Answered by the not-covered cache: no generation, the API's 422 answer.
      if (!(err instanceof PipelineError) || err.code !== 'TOPIC_NOT_COVERED') throw err;
      process.stderr.write(`not covered: ${err.message} (answered from the not-covered cache)\n`);
      const details = err.opts.details as { alternatives?: TopicAlternative[] } | undefined;
      if (opts.json) process.stdout.write(JSON.stringify({ error: err.toJSON() }) + '\n');
      else printAlternatives(question, details?.alternatives ?? []);
      return 2;
    }
    const id = (answer.body as { id: string }).id;
    const generation = await followProgress(id, ports, !opts.json && process.stderr.isTTY === true);
    await ports.router.idle();
    if (generation.status !== 'completed' || !generation.video) {
      const e = generation.error;
      process.stderr.write(`generation ${id} failed at ${e?.stage ?? '?'}: ${e?.code ?? 'UNKNOWN'}: ${e?.message ?? ''}\n`);
      if (opts.json) process.stdout.write(JSON.stringify(await generationView(generation, ports)) + '\n');
      else if (e?.code === 'TOPIC_NOT_COVERED') printAlternatives(question, e.details?.alternatives ?? []);
      return 2;
    }
    const out = path.resolve(opts.output);
    mkdirSync(path.dirname(out), { recursive: true });
    await ports.objects.download(generation.video.bucket, generation.video.object, out);
    const vtt = out.replace(/\.mp4$/i, '') + '.vtt';
    await ports.objects.download(generation.video.bucket, generation.video.captionsObject, vtt);
    if (opts.json) {
      process.stdout.write(JSON.stringify({ ...(await generationView(generation, ports)), files: { video: out, captions: vtt } }) + '\n');
    } else {
      const t = generation.topic!;
      process.stdout.write(
        `${generation.cacheHit ? 'From cache: ' : ''}${out} (${generation.video.durationSeconds.toFixed(1)} s, ${generation.video.width}x${generation.video.height})\n` +
          `captions: ${vtt}\ntopic: ${t.title} (${t.book}${t.moduleId ? `, ${t.moduleId}` : ''}), confidence ${t.confidence.toFixed(2)}\n` +
          `sources: ${generation.script!.attribution.map((a) => `${a.book}, ${a.publisher}, ${a.license}, ${a.url}`).join('; ')}\n`,
      );
    }
    return 0;
  });
}

/** The closest topics of a not-covered answer, and how to ask for one. */
function printAlternatives(question: string, alternatives: TopicAlternative[]): void {
  if (!alternatives.length) {
    process.stdout.write('The library has no topic close to this question.\n');
    return;
  }
  process.stdout.write('The library does not cover this question. The closest topics it has:\n');
  for (const [i, a] of alternatives.entries()) process.stdout.write(`  ${i + 1}. ${a.title} (${a.book})  --topic ${a.id}\n`);
  process.stdout.write(`For a lesson on one: vividly generate ${JSON.stringify(question)} --topic ${alternatives[0]!.id}\n`);
}

/** Poll the generation's state and draw one bar per stage until it is finished. */
async function followProgress(id: string, ports: EmbeddedPorts, tty: boolean): Promise<Generation> {
  const bars = tty ? new cliProgress.MultiBar({ format: ' {stage} |{bar}| {percentage}% {state}', hideCursor: true, clearOnComplete: false, stopOnComplete: false }, cliProgress.Presets.shades_classic) : null;
  const rows = new Map(STAGE_ORDER.map((s) => [s, bars?.create(100, 0, { stage: s.padEnd(10), state: 'pending' })]));
  const lastState = new Map<Stage, string>();
  try {
    for (;;) {
      const g = (await ports.state.getGeneration(id))!;
      for (const stage of STAGE_ORDER) {
        const s = g.stages[stage];
        const state = s?.state ?? (g.status === 'completed' ? 'skipped' : 'pending');
        const pct = Math.round(100 * (state === 'skipped' || state === 'done' ? 1 : (s?.progress ?? 0)));
        rows.get(stage)?.update(pct, { stage: stage.padEnd(10), state });
        if (!tty && lastState.get(stage) !== state && state !== 'pending') process.stderr.write(`${stage}: ${state}\n`);
        lastState.set(stage, state);
      }
      if (isTerminal(g.status)) return g;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    bars?.stop();
  }
}

export async function resolve(question: string, opts: { json?: boolean; limit: number }): Promise<number> {
  return withPipeline(async (ports) => {
    const candidates = await ports.library.resolve(question, opts.limit + 1);
    const view = (c: (typeof candidates)[number]) => ({
      topic: { id: c.topic.id, title: c.topic.title, subject: c.topic.subject, book: c.book.title, moduleId: c.topic.moduleId },
      confidence: Number(c.confidence.toFixed(4)),
    });
    const [best, ...rest] = candidates;
    const result = best
      ? { ...view(best), covered: best.confidence >= ports.config.minConfidence, alternatives: rest.slice(0, opts.limit).map(view) }
      : { topic: null, confidence: 0, covered: false, alternatives: [] };
    if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else if (!best) process.stdout.write('No topic in the library matches this question.\n');
    else {
      process.stdout.write(`${best.topic.title} — ${best.book.title}${best.topic.moduleId ? ` (${best.topic.moduleId})` : ''}, confidence ${best.confidence.toFixed(2)}${result.covered ? '' : ' (below the threshold: not covered)'}\n`);
      for (const alt of rest.slice(0, opts.limit)) process.stdout.write(`  also: ${alt.topic.title} — ${alt.book.title}, ${alt.confidence.toFixed(2)}\n`);
    }
    return result.covered ? 0 : 3;
  });
}

export async function ingest(dirs: string[]): Promise<number> {
  return withPipeline(async (ports) => {
    for (const dir of dirs) {
      const summary = await ports.library.ingestOpenStax(path.resolve(dir), (p) => {
        if (p.kind === 'folder') process.stderr.write(`reading ${p.folder}\n`);
        else process.stderr.write(`  ${p.title}: ${p.topics} topics, ${p.passages} passages, ${p.figures} figures\n`);
      });
      process.stdout.write(`${dir}: ${summary.books} books in ${(summary.ms / 1000).toFixed(1)} s${summary.skipped.length ? `, skipped ${summary.skipped.length}` : ''}\n`);
    }
    const stats = await ports.library.stats();
    process.stdout.write(`library: ${stats.books} books, ${stats.topics} topics, ${stats.passages} passages, ${stats.figures} figures\n`);
    return 0;
  });
}

export async function status(id: string): Promise<number> {
  return withPipeline(async (ports) => {
    const g = await ports.state.getGeneration(id);
    if (!g) {
      process.stderr.write(`no generation ${id}\n`);
      return 4;
    }
    process.stdout.write(JSON.stringify(await generationView(g, ports), null, 2) + '\n');
    return 0;
  });
}

/**
 * `vividly emulate`: the production wiring on this machine (Firestore and Pub/Sub emulators, the
 * Cloud Storage emulator, one Functions Framework process per function, push subscriptions),
 * serving the api function's URL until interrupted.
 */
export async function emulate(opts: { sweepSeconds: number }): Promise<number> {
  const { emulatorsUnavailable } = await import('./emulators/emulators.js');
  const why = await emulatorsUnavailable();
  if (why) {
    process.stderr.write(`vividly emulate: EMULATORS_UNAVAILABLE: ${why}\n`);
    return 5;
  }
  const { startEmulatedPipeline } = await import('./emulators/emulated-pipeline.js');
  const config = parseConfig();
  const log = logFileOf(config);
  const file = log.sink;
  process.stderr.write('starting the Firestore and Pub/Sub emulators, the storage emulator and 9 function servers...\n');
  const started = performance.now();
  const pipeline = await startEmulatedPipeline({ config, sweepIntervalMs: opts.sweepSeconds * 1000, onOutput: (line) => (process.stdout.write(line + '\n'), file(line)) });
  process.stderr.write(
    [
      `ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      `  api:                ${pipeline.apiUrl}  (POST /v1/generations, GET /v1/generations/{id})`,
      `  Firestore emulator: ${pipeline.firestore.host} (${pipeline.firestore.version}), project ${pipeline.projectId}`,
      `  Pub/Sub emulator:   ${pipeline.pubsub.host} (pubsub-emulator ${pipeline.pubsub.version})`,
      `  storage emulator:   ${pipeline.storage.endpoint}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await pipeline.stop();
  await log.close();
  return 0;
}

/**
 * `vividly embed`: embed every passage of the library with Vertex AI and store the vectors in
 * Firestore (`passageVectors`), for VIVIDLY_RETRIEVAL=vector. Re-running overwrites (and bills again).
 */
export async function embed(
  opts: { book?: string[] },
  clients: { ai?: import('@google/genai').GoogleGenAI; firestore?: import('@google-cloud/firestore').Firestore; config?: Config } = {},
): Promise<number> {
  const config = clients.config ?? parseConfig();
  if (!config.project && !(clients.ai && clients.firestore)) throw new PipelineError('CONFIG_INVALID', 'set GOOGLE_CLOUD_PROJECT (Vertex AI and Firestore project)', { retryable: false });
  const { FirestorePassageIndex } = await import('../../shared/adapters/firestore-passage-index.js');
  const { VertexEmbedder } = await import('../../shared/library/vertex-embedder.js');
  const { embedLibrary } = await import('../../shared/library/embed-library.js');
  const { SqliteContentLibrary } = await import('../../shared/library/sqlite-content-library.js');
  const ai = clients.ai ?? new (await import('@google/genai')).GoogleGenAI({ vertexai: true, project: config.project, location: config.location });
  const firestore = clients.firestore ?? new (await import('@google-cloud/firestore')).Firestore({ projectId: config.project, databaseId: config.firestoreDatabase });
  const library = new SqliteContentLibrary(config.libraryPath && !config.libraryPath.startsWith('gs://') ? config.libraryPath : dataFiles(config.dataDir).library);
  try {
    const total = (await library.stats()).passages;
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'embedding {bar} {value}/{total} passages', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(total, 0);
    const embedder = new VertexEmbedder({ ai, model: config.embeddingModel, maxAttempts: config.modelMaxAttempts, timeoutMs: config.modelTimeoutMs });
    const summary = await embedLibrary(library, embedder, new FirestorePassageIndex(firestore), {
      bookIds: opts.book,
      onProgress: (p) => (bar ? bar.update(p.passages) : process.stderr.write(`${p.bookId}: ${p.passages} passages\n`)),
    });
    bar?.stop();
    process.stdout.write(`embedded ${summary.passages} passages of ${summary.books} books (${summary.characters} characters) in ${(summary.ms / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    library.close();
    if (!clients.firestore) await firestore.terminate();
  }
}

export async function serve(): Promise<void> {
  const config = parseConfig();
  // stdout for people and Cloud-style collectors; the data directory's log for `vividly stats`.
  const log = logFileOf(config);
  const ports = startEmbeddedPipeline(config, { logSink: (line) => (stdoutSink(line), log.sink(line)) });
  const startedAt = ports.now();
  startSweepTicker(ports);
  // This server owns all the work in its data directory: what was open when the last one stopped
  // (or was killed) is re-driven now, not after the stall age and a tick.
  await sweepAtStart(ports, startedAt).catch((err) => ports.log.error('start-up sweep failed', { stage: 'sweep', errorCode: codeOf(err) }));
  // Build the search index before taking requests, so the first student does not wait for it.
  ports.library.ensureIndex();
  const server = await listen(createLocalApp(ports), config);
  const address = server.address();
  ports.log.info(`vividly listening on http://localhost:${typeof address === 'object' && address ? address.port : config.port}`, { stage: 'api' });
  const stop = () => server.close(() => void ports.close().then(() => log.close()).then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `vividly stats`: without --url, from the data directory: the invocation records that `generate`
 * and `serve` wrote to its logs, and the open and stuck generations of its SQLite state (queue depth
 * is unknown: the queues live in a running server). With --url, a running server's `/ops/data`
 * (its metrics since it started, and its live queues).
 */
export async function collectStats(config: Config, opts: { url?: string; key?: string } = {}): Promise<OpsData> {
  if (opts.url) {
    const url = new URL('/ops/data', opts.url);
    const key = opts.key ?? config.apiKeys.split(',').map((k) => k.trim()).find(Boolean);
    let res: globalThis.Response;
    try {
      res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    } catch (err) {
      throw new PipelineError('OPS_UNREACHABLE', `cannot reach ${url.origin}: ${(err as Error)?.message ?? err}`);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
      throw new PipelineError(body?.error?.code ?? 'OPS_UNAVAILABLE', `${url.href} answered ${res.status}${res.status === 401 ? ' (pass --key or set VIVIDLY_API_KEYS)' : ''}`);
    }
    return (await res.json()) as OpsData;
  }
  const metrics = new InvocationMetrics();
  await readInvocationLogs(invocationLogFiles(config.dataDir), metrics);
  const stateFile = dataFiles(config.dataDir).state;
  const state = config.stateStore === 'sqlite' && existsSync(stateFile) ? new SqliteStateStore(stateFile) : undefined;
  try {
    return await buildOpsData(metrics, { state, stallSeconds: config.stallSeconds }, 'logs');
  } finally {
    await state?.close();
  }
}

export async function stats(opts: { url?: string; key?: string; json?: boolean }): Promise<number> {
  const data = await collectStats(parseConfig(), opts);
  process.stdout.write(opts.json ? JSON.stringify(data, null, 2) + '\n' : formatStatsTable(data));
  return 0;
}

export function buildCli(): Command {
  const program = new Command('vividly').description('Turn a student question into a narrated teaching video, grounded in open textbooks.');
  program
    .command('generate')
    .argument('<question>', 'the student question')
    .option('-g, --grade <grade>', 'grade 1-12', parseGrade, 10)
    .option('-i, --interest <interest>', 'the student interest used to personalise examples', 'general')
    .option('-v, --voice <voice>', `narrator voice: ${VOICES.join(', ')}`, 'female_professional')
    .option('-o, --output <file>', 'where to write the MP4 (captions go beside it as .vtt)', 'vividly.mp4')
    .option('--topic <id>', 'teach this topic of the library (e.g. an alternative of a not-covered answer) instead of resolving the question')
    .option('--json', 'print the result as JSON (a not-covered answer: error.details.alternatives)')
    .action(async (question, opts) => {
      process.exitCode = await generate(question, opts);
    });
  program
    .command('resolve')
    .argument('<question>', 'the student question')
    .option('--json', 'print JSON')
    .option('-n, --limit <n>', 'alternatives to list', (v) => Number(v), 3)
    .action(async (question, opts) => {
      process.exitCode = await resolve(question, opts);
    });
  program
    .command('ingest')
    .argument('<dirs...>', 'OpenStax CNXML folders (a book folder with collections/ and modules/, or a folder of them)')
    .action(async (dirs) => {
      process.exitCode = await ingest(dirs);
    });
  program
    .command('status')
    .argument('<id>', 'generation id')
    .action(async (id) => {
      process.exitCode = await status(id);
    });
  program
    .command('stats')
    .description('per-function table: invocations, errors, p50/p95/p99, queue depth, stuck generations')
    .option('--url <url>', 'ask a running server (e.g. http://localhost:8080) instead of reading the data directory')
    .option('--key <key>', 'API key for --url (default: the first of VIVIDLY_API_KEYS)')
    .option('--json', 'print JSON (the shape of /ops/data)')
    .action(async (opts) => {
      process.exitCode = await stats(opts);
    });
  program
    .command('emulate')
    .description('run the production wiring locally: Firestore + Pub/Sub emulators, storage emulator, one Functions Framework process per function')
    .option('--sweep-seconds <n>', 'sweep tick interval (0: none)', parseSweepSeconds, 60)
    .action(async (opts) => {
      process.exitCode = await emulate(opts);
    });
  program
    .command('embed')
    .description('embed the library passages with Vertex AI into Firestore (for VIVIDLY_RETRIEVAL=vector)')
    .option('--book <id...>', 'only these books')
    .action(async (opts) => {
      process.exitCode = await embed(opts);
    });
  program.command('serve').description('serve the HTTP API and run the pipeline (what `npm start` does)').action(serve);
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    const code = err instanceof PipelineError || (err as { code?: string })?.code ? (err as { code: string }).code : 'INTERNAL';
    process.stderr.write(`vividly: ${code}: ${(err as Error)?.message ?? err}\n`);
    process.exitCode = 1;
  }
}
