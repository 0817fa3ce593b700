/**
 * `npm run chaos`: a fault storm on the emulated pipeline (the production wiring of `npm run
 * emulate`, started in-process). It submits generations and, while they run, kills function
 * processes with SIGKILL at chosen moments of their work and restarts them, and injects storage
 * 503s and slow responses; then it judges what is left (chaos-checks.ts) and prints one line.
 *
 * How it knows what a function is doing, without hooks in the functions: a Firestore listener on
 * `generations` sees a stage record a new attempt (`running`: it is mid-work) and record its result
 * (the status moves on: it is emitting); render's ffmpeg children in /proc say it is encoding; the
 * storage emulator's finalize events say which objects were written, and when.
 *
 * A killed function comes back as Cloud Run replaces a crashed instance: requests it was serving
 * fail (Pub/Sub and Eventarc deliver them again), and requests that arrive while the new process
 * starts wait for it instead of being refused. For that, the first kill of a function puts a
 * "front door" on its port (a TCP relay on 127.0.0.1, so the URLs the push subscriptions and the
 * storage triggers were given stay valid) in front of each new process.
 *
 * Every address is loopback. All random choices come from one seeded PRNG (chaos-plan.ts).
 */
import { randomInt } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Firestore, type DocumentData } from '@google-cloud/firestore';
import { parseConfig } from '../../../shared/config.js';
import { probeMedia } from '../../../shared/media/probe.js';
import { judgeChaos, stageStatuses, type FinalGeneration, type Kill, type ObjectWrite, type SeenRecord, type StatusChange, type SubmissionResult, type VideoProbe } from './chaos-checks.js';
import { CHAOS_STAGES, planChaos, type ChaosPlan, type KillIntent, type KillPhase, type PlannedSubmission } from './chaos-plan.js';
import { startEmulatedPipeline, type EmulatedPipeline } from './emulated-pipeline.js';
import { emulatorsUnavailable } from './emulators.js';
import { PIPELINE_FUNCTIONS, startFunctionServer } from './function-servers.js';

export interface ChaosOptions {
  /** The PRNG seed (default: a random one, printed). */
  seed?: number;
  /** Global deadline of the storm, from the start (default 15 min); whatever is not finished then is stuck. */
  deadlineMs?: number;
  /** Fewest kills that make a storm (default 15, at most the 20 a plan holds). */
  minKills?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
  /** Every line of the emulators, the functions and the storm goes to this file (default: <tmp>/vividly-chaos-<seed>.log). */
  logFile?: string;
  /** Keep the data directory (default: removed). */
  keep?: boolean;
  /** Ends the storm early (Ctrl-C): what is not finished is then reported as stuck. */
  signal?: AbortSignal;
}

export interface ChaosResult {
  /** 0: no breach; 1: a breach; 5: the emulators cannot run here. */
  exitCode: number;
  line: string;
  details: string[];
  logFile?: string;
}

const FUNCTION_NAMES = new Set(PIPELINE_FUNCTIONS.map((f) => f.target));

/** A function is not killed again until this long after it came back, so no delivery runs out of attempts to the storm alone. */
const COOLDOWN_MS = 12_000;
/** Once everything is terminal, keep watching this long for late redeliveries and their records. */
const SETTLE_MS = 10_000;

export async function runChaos(opts: ChaosOptions = {}): Promise<ChaosResult> {
  const seed = opts.seed ?? randomInt(1, 2 ** 31 - 1);
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const why = await emulatorsUnavailable();
  if (why) return { exitCode: 5, line: `chaos: EMULATORS_UNAVAILABLE: ${why}, seed=${seed}`, details: [] };

  const startedAt = Date.now();
  const deadline = startedAt + (opts.deadlineMs ?? 15 * 60_000);
  const minKills = opts.minKills ?? 15;
  const plan = planChaos(seed);
  const logFile = opts.logFile ?? path.join(tmpdir(), `vividly-chaos-${seed}.log`);
  const out = createWriteStream(logFile);
  const t = () => ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
  const note = (line: string) => {
    log(`${t()} s  ${line}`);
    out.write(`${new Date().toISOString()} chaos: ${line}\n`);
  };
  note(`seed=${seed}; ${plan.submissions.length} generations, ${plan.intents.length} kills planned, log: ${logFile}`);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'vividly-chaos-'));
  const storm = new Storm(plan, note, out, startedAt);
  let pipeline: EmulatedPipeline | undefined;
  try {
    const config = parseConfig({ ...process.env, VIVIDLY_DATA_DIR: dataDir, VIVIDLY_LOG_LEVEL: 'info' });
    note('starting the Firestore and Pub/Sub emulators, the storage emulator and the function servers...');
    pipeline = await startEmulatedPipeline({ config, sweepIntervalMs: 30_000, onOutput: (line) => storm.output(line) }).catch((err: Error) => {
      throw new Error(`the emulated pipeline did not start (its output is in ${logFile}): ${err.message}`);
    });
    for (const url of [pipeline.apiUrl, pipeline.storage.endpoint, `http://${pipeline.firestore.host}`, `http://${pipeline.pubsub.host}`]) {
      if (new URL(url).hostname !== '127.0.0.1') throw new Error(`not loopback: ${url}`);
    }
    note(`ready: api ${pipeline.apiUrl}, storage ${pipeline.storage.endpoint}, Firestore ${pipeline.firestore.host}, Pub/Sub ${pipeline.pubsub.host}`);
    const verdict = await storm.run(pipeline, deadline, minKills, opts.signal);
    return { exitCode: verdict.breaches.length ? 1 : 0, line: verdict.line, details: verdict.details, logFile };
  } finally {
    await storm.close();
    await pipeline?.stop();
    await storm.closeDoors();
    if (opts.keep) note(`data directory kept: ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
    await new Promise<void>((resolve) => out.end(resolve));
  }
}

interface FunctionState {
  door?: FrontDoor;
  /** A kill is scheduled or the function is coming back. */
  busy: boolean;
  cooldownUntil: number;
}

class Storm {
  private pipeline!: EmulatedPipeline;
  private firestore?: Firestore;
  private unsubscribe?: () => void;
  private stormStart = 0;
  private over = false;
  private readonly pending: KillIntent[];
  private readonly fns = new Map<string, FunctionState>();
  private readonly latest = new Map<string, DocumentData>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly restarts = new Set<Promise<void>>();
  private coldStart = 0;
  readonly kills: Kill[] = [];
  readonly records: SeenRecord[] = [];
  readonly writes: ObjectWrite[] = [];
  readonly changes: StatusChange[] = [];
  readonly submissions: SubmissionResult[];
  private readonly partial = new Map<string, string>();
  private faultsInjected = { status: 0, slow: 0 };

  constructor(
    private readonly plan: ChaosPlan,
    private readonly note: (line: string) => void,
    private readonly out: WriteStream,
    /** Epoch ms the run started (progress lines count from it). */
    private readonly startedAt: number,
  ) {
    this.pending = [...plan.intents];
    this.submissions = plan.submissions.map((s) => ({ index: s.index, question: s.question, expect: s.expect }));
  }

  /** A line of an emulator or a function (`<function>: <line>`): kept in the log; invocation records are collected. */
  output(text: string): void {
    this.out.write(`${text}\n`);
    const m = /^([a-z-]+): (.*)$/s.exec(text);
    const source = m && FUNCTION_NAMES.has(m[1]!) ? m[1]! : '';
    if (!source) return;
    let line = m![2]!;
    // A record split across two reads of the pipe arrives as two lines: join them back.
    const held = this.partial.get(source);
    if (held !== undefined) {
      this.partial.delete(source);
      if (!line.startsWith('{')) line = held + line;
    }
    const i = line.indexOf('{');
    if (i < 0) return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line.slice(i)) as Record<string, unknown>;
    } catch {
      this.partial.set(source, line);
      return;
    }
    if (value.kind !== 'invocation' || typeof value.stage !== 'string') return;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    this.records.push({
      stage: value.stage,
      outcome: String(value.outcome),
      eventId: String(value.eventId),
      ...(str(value.generationId) ? { generationId: str(value.generationId) } : {}),
      ...(str(value.errorCode) ? { errorCode: str(value.errorCode) } : {}),
      ...(str(value.sourceStage) ? { sourceStage: str(value.sourceStage) } : {}),
    });
  }

  async run(pipeline: EmulatedPipeline, deadline: number, minKills: number, signal?: AbortSignal) {
    this.pipeline = pipeline;
    for (const f of PIPELINE_FUNCTIONS) this.fns.set(f.target, { busy: false, cooldownUntil: 0 });
    pipeline.storage.onFinalize((o) => {
      this.writes.push({ bucket: o.bucket, name: o.name, generation: o.generation, md5Hash: o.md5Hash, at: Date.now() });
    });
    this.firestore = new Firestore({
      projectId: pipeline.projectId,
      host: pipeline.firestore.host,
      ssl: false,
      customHeaders: { Authorization: 'Bearer owner' },
      universeDomain: 'googleapis.com',
    } as never);
    await new Promise<void>((resolve, reject) => {
      let first = true;
      this.unsubscribe = this.firestore!.collection('generations').onSnapshot(
        (snap) => {
          for (const change of snap.docChanges()) if (change.type !== 'removed') this.onGeneration(change.doc.id, change.doc.data());
          if (first) (first = false), resolve();
        },
        (err) => (first ? reject(err) : this.note(`Firestore listener failed: ${err.message}`)),
      );
    });

    this.stormStart = Date.now();
    for (const s of this.plan.submissions) this.later(s.atMs, () => void this.submit(s, deadline));
    for (const f of this.plan.faults) {
      this.later(f.atMs, () => {
        if (this.over) return;
        pipeline.storage.failNext(f.count, f.fault, f.target);
        if ('status' in f.fault) this.faultsInjected.status += f.count;
        else this.faultsInjected.slow += f.count;
        this.note(`storage: next ${f.count} ${f.target} request${f.count > 1 ? 's' : ''} ${'status' in f.fault ? 'answered 503' : `slowed by ${f.fault.delayMs} ms`}`);
      });
    }

    // Watch until everything is terminal (and stays so for a while) or the deadline passes.
    let settledSince: number | null = null;
    let lastProgress = Date.now();
    while (Date.now() < deadline && !signal?.aborted) {
      await sleep(1_000);
      for (const intent of this.pending.filter((k) => k.phase === 'idle' && Date.now() - this.stormStart >= k.notBeforeMs)) this.fire(intent.target, 'idle', undefined);
      const allAnswered = this.submissions.every((s) => s.id || s.error);
      const allTerminal = [...this.latest.values()].every((g) => g.status === 'completed' || g.status === 'failed');
      const idle = [...this.fns.values()].every((f) => !f.busy);
      if (allAnswered && allTerminal && idle && this.latest.size > 0) settledSince ??= Date.now();
      else settledSince = null;
      if (settledSince !== null && Date.now() - settledSince >= SETTLE_MS) break;
      if (Date.now() - lastProgress >= 20_000) {
        lastProgress = Date.now();
        const byStatus = new Map<string, number>();
        for (const g of this.latest.values()) byStatus.set(String(g.status), (byStatus.get(String(g.status)) ?? 0) + 1);
        this.note(`progress: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}; ${this.kills.length} kills`);
      }
    }
    if (Date.now() >= deadline) this.note('deadline reached: stopping the storm');
    if (signal?.aborted) this.note('interrupted: stopping the storm');
    this.over = true;
    for (const timer of this.timers) clearTimeout(timer);
    pipeline.storage.clearFaults();
    await Promise.allSettled([...this.restarts]);

    return this.verdict(minKills);
  }

  /** The generation's changes: status changes for recovery times, and the moments that trigger kills. */
  private onGeneration(id: string, data: DocumentData): void {
    const before = this.latest.get(id);
    this.latest.set(id, data);
    if (!before || before.status !== data.status) this.changes.push({ id, at: Date.now(), status: String(data.status) });
    for (const stage of CHAOS_STAGES) {
      const io = stageStatuses(stage)!;
      const now = (data.stages?.[stage] ?? {}) as { attempts?: number; state?: string };
      const was = (before?.stages?.[stage] ?? {}) as { attempts?: number };
      if ((now.attempts ?? 0) > (was.attempts ?? 0) && data.status === io.input && now.state === 'running') this.fire(stage, stage === 'render' ? 'mid-encode' : 'mid-work', id);
      if (before && before.status === io.input && data.status === io.output) this.fire(stage, 'after-record', id);
    }
  }

  /** Take a pending kill of this function for this moment, if there is one and the function may be killed now. */
  private claim(target: string, phase: KillPhase): KillIntent | undefined {
    const fn = this.fns.get(target);
    if (this.over || !fn || fn.busy || Date.now() < fn.cooldownUntil) return undefined;
    const i = this.pending.findIndex((k) => k.target === target && k.phase === phase && Date.now() - this.stormStart >= k.notBeforeMs);
    if (i < 0) return undefined;
    fn.busy = true;
    return this.pending.splice(i, 1)[0];
  }

  private release(intent: KillIntent): void {
    this.pending.push(intent);
    this.fns.get(intent.target)!.busy = false;
  }

  private fire(target: string, phase: KillPhase, generationId: string | undefined): void {
    const intent = this.claim(target, phase);
    if (!intent) return;
    if (phase !== 'mid-encode') {
      this.later(intent.delayMs, () => void this.kill(intent, generationId), true);
      return;
    }
    // Render: wait for an ffmpeg process under it, then kill after the planned delay if one still runs.
    const until = Date.now() + 90_000;
    const watch = () => {
      if (this.over) return this.release(intent);
      const pid = this.pipeline.servers.functions.render!.pid;
      if (encoders(pid).length > 0) {
        this.later(intent.delayMs, () => (encoders(pid).length > 0 ? void this.kill(intent, generationId) : this.later(50, watch, true)), true);
      } else if (Date.now() < until) this.later(50, watch, true);
      else this.release(intent);
    };
    watch();
  }

  private async kill(intent: KillIntent, generationId: string | undefined): Promise<void> {
    const { target, phase } = intent;
    const fn = this.pipeline.servers.functions[target]!;
    const state = this.fns.get(target)!;
    if (this.over) return this.release(intent);
    const table = processTable();
    const tree = descendantsOf(fn.pid, table);
    const io = stageStatuses(target);
    const interrupted = io ? [...this.latest].filter(([, g]) => g.status === io.input && g.stages?.[target]?.state === 'running').map(([id]) => id) : [];
    const kill: Kill = { target, phase, at: Date.now(), interrupted, ...(generationId ? { generationId } : {}) };
    if (target === 'render') kill.duringEncode = tree.some((p) => table.get(p)?.comm === 'ffmpeg');
    if (target === 'publish' && generationId) kill.afterUpload = this.writes.some((w) => w.name === `videos/${generationId}/video.mp4`);
    // The instance dies, with every process it started (ffmpeg, espeak): as when a container is killed.
    for (const pid of [fn.pid, ...tree]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.kills.push(kill);
    const what = generationId ? ` of ${generationId.slice(0, 12)}` : '';
    this.note(`kill ${this.kills.length}: ${target} (${phase}${what}${kill.duringEncode ? ', ffmpeg running' : ''}${kill.afterUpload ? ', video uploaded' : ''}), pid ${fn.pid}${tree.length ? ` and ${tree.length} children` : ''}, ${interrupted.length} generations mid-${target}`);
    const restart = this.restart(target, fn.port, fn.pid, state).then(
      () => {
        kill.restartedAt = Date.now();
        state.cooldownUntil = Date.now() + COOLDOWN_MS;
        state.busy = false;
        this.note(`${target} is back after ${((kill.restartedAt - kill.at) / 1000).toFixed(1)} s (pid ${this.pipeline.servers.functions[target]!.pid})`);
      },
      (err: Error) => this.note(`${target} did not come back: ${err.message}`),
    );
    this.restarts.add(restart);
    await restart;
    this.restarts.delete(restart);
  }

  /** Bring the function back on its own port, behind its front door. */
  private async restart(target: string, port: number, pid: number, state: FunctionState): Promise<void> {
    const spec = PIPELINE_FUNCTIONS.find((f) => f.target === target)!;
    if (!state.door) {
      await gone(pid);
      state.door = await FrontDoor.open(port);
    } else state.door.setBackend(null);
    await sleep(this.plan.coldStartsMs[this.coldStart++ % this.plan.coldStartsMs.length]!);
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const fresh = await startFunctionServer(spec, { env: this.pipeline.env, onOutput: (source, line) => this.output(`${source}: ${line}`) });
        state.door.setBackend(fresh.port);
        this.pipeline.servers.functions[target] = { ...fresh, url: state.door.url, port: state.door.port };
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError as Error;
  }

  private async submit(s: PlannedSubmission, deadline: number): Promise<void> {
    const result = this.submissions[s.index]!;
    const body = JSON.stringify({ question: s.question, grade: s.grade, interest: s.interest, voice: s.voice });
    for (let attempt = 1; Date.now() < deadline && !this.over; attempt++) {
      const intent = this.claim('api', 'mid-request');
      if (intent) this.later(intent.delayMs, () => void this.kill(intent, undefined), true);
      try {
        const res = await fetch(`${this.pipeline.apiUrl}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(60_000) });
        const answer = (await res.json().catch(() => ({}))) as { id?: string; coalesced?: boolean; error?: { code?: string } };
        if ((res.status === 202 || res.status === 200) && answer.id) {
          result.id = answer.id;
          result.coalesced = answer.coalesced === true || res.status === 200;
          this.note(`submitted ${s.index}${s.repeatOf !== undefined ? ` (repeat of ${s.repeatOf})` : ''}: ${JSON.stringify(s.question)} -> ${res.status} ${answer.id.slice(0, 12)}${result.coalesced ? ' (coalesced)' : ''}${attempt > 1 ? ` on attempt ${attempt}` : ''}`);
          return;
        }
        result.error = `HTTP ${res.status} ${answer.error?.code ?? ''}`.trim();
        if (res.status === 422 && answer.error?.code === 'TOPIC_NOT_COVERED') {
          // The not-covered cache answered: an earlier attempt's generation failed as not covered.
          result.notCoveredFromCache = true;
          this.note(`submitted ${s.index}: ${JSON.stringify(s.question)} -> 422 TOPIC_NOT_COVERED from the not-covered cache${attempt > 1 ? ` on attempt ${attempt}` : ''}`);
          return;
        }
        if (res.status < 500) return;
      } catch (err) {
        result.error = (err as Error).message;
      }
      this.note(`submission ${s.index} attempt ${attempt} failed (${result.error}); retrying`);
      await sleep(1_000);
    }
  }

  private async verdict(minKills: number) {
    const pipeline = this.pipeline;
    const snap = await this.firestore!.collection('generations').get();
    const generations: FinalGeneration[] = snap.docs.map((d) => {
      const g = d.data();
      return {
        id: d.id,
        status: String(g.status),
        question: String(g.request?.question ?? ''),
        updatedAt: String(g.updatedAt ?? ''),
        ...(g.error ? { error: { stage: g.error.stage, code: g.error.code } } : {}),
        ...(g.cacheHit ? { cacheHit: true } : {}),
        ...(g.narration ? { narration: { bucket: g.narration.bucket, object: g.narration.object } } : {}),
        ...(g.video ? { video: { bucket: g.video.bucket, object: g.video.object } } : {}),
      };
    });
    const names = new Map(this.writes.map((w) => [`${w.bucket}/${w.name}`, w]));
    const stored = [...names.values()].flatMap((w) => {
      const o = pipeline.storage.readObject(w.bucket, w.name);
      return o ? [{ bucket: w.bucket, name: w.name, generation: o.resource.generation }] : [];
    });
    const probes: VideoProbe[] = [];
    const probeDir = await mkdtemp(path.join(tmpdir(), 'vividly-chaos-probe-'));
    try {
      const videos = new Map(generations.filter((g) => g.status === 'completed' && g.video).map((g) => [`${g.video!.bucket}/${g.video!.object}`, g.video!]));
      for (const v of videos.values()) {
        const o = pipeline.storage.readObject(v.bucket, v.object);
        if (!o) {
          probes.push({ bucket: v.bucket, name: v.object, error: 'missing' });
          continue;
        }
        const file = path.join(probeDir, `${probes.length}.mp4`);
        await writeFile(file, o.data);
        try {
          const p = await probeMedia(file);
          probes.push({ bucket: v.bucket, name: v.object, video: p.video && { codec: p.video.codec, width: p.video.width, height: p.video.height, fps: p.video.fps }, audio: p.audio && { codec: p.audio.codec } });
        } catch (err) {
          probes.push({ bucket: v.bucket, name: v.object, error: (err as Error).message.split('\n')[0]! });
        }
      }
    } finally {
      await rm(probeDir, { recursive: true, force: true });
    }

    const verdict = judgeChaos({
      seed: this.plan.seed,
      submissions: this.submissions,
      generations,
      records: this.records,
      writes: this.writes,
      stored,
      probes,
      kills: this.kills,
      changes: this.changes,
      requirements: { minKills, stages: CHAOS_STAGES },
      now: Date.now(),
    });
    const hit = pipeline.storage.requests.filter((r) => r.fault);
    const details = [
      ...this.kills.map((k, i) => {
        const r = verdict.recoveries[i];
        const at = ((k.at - this.startedAt) / 1000).toFixed(1);
        return `kill ${i + 1} at ${at} s: ${k.target} ${k.phase}${k.duringEncode ? ' (ffmpeg running)' : ''}${k.afterUpload ? ' (video uploaded)' : ''}, ${k.interrupted.length} interrupted, ${r === null || r === undefined ? 'never recovered' : `recovered in ${r.toFixed(1)} s`}`;
      }),
      `kills: ${countBy(this.kills.map((k) => `${k.target} ${k.phase}`))}`,
      `storage faults: ${this.faultsInjected.status} 503s and ${this.faultsInjected.slow} slow responses armed, ${hit.filter((r) => r.fault && 'status' in r.fault).length} 503s and ${hit.filter((r) => r.fault && 'delayMs' in r.fault).length} slow responses served`,
      `invocation records: ${countBy(this.records.map((r) => `${r.stage} ${r.outcome}`))}`,
      `objects: ${this.writes.length} writes of ${names.size} objects; ${probes.length} videos probed`,
      ...verdict.breaches.map((b) => `BREACH ${b.check}: ${b.detail}`),
    ];
    return { ...verdict, details };
  }

  private later(ms: number, fn: () => void, evenAfterStorm = false): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.over || evenAfterStorm) fn();
    }, ms);
    this.timers.add(timer);
  }

  async close(): Promise<void> {
    this.over = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.unsubscribe?.();
    await this.firestore?.terminate().catch(() => {});
  }

  async closeDoors(): Promise<void> {
    await Promise.all([...this.fns.values()].map((f) => f.door?.close()));
  }
}

/**
 * A TCP listener on a killed function's port, in front of its current process: connections are
 * piped to the process; while it is being replaced they wait (as requests wait for a Cloud Run
 * instance to start) instead of being refused; connections to a process that dies are cut.
 */
class FrontDoor {
  private backend: number | null = null;
  private readonly waiting: Socket[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  static async open(port: number): Promise<FrontDoor> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const server = createServer({ pauseOnConnect: true });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve());
        });
        return new FrontDoor(server, port);
      } catch (err) {
        server.close();
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw err;
        await sleep(50);
      }
    }
  }

  setBackend(port: number | null): void {
    this.backend = port;
    if (port === null) return;
    for (const client of this.waiting.splice(0)) if (!client.destroyed) this.pipe(client, port);
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.backend === null) this.waiting.push(client);
    else this.pipe(client, this.backend);
  }

  private pipe(client: Socket, port: number): void {
    const upstream = connect(port, '127.0.0.1');
    this.track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The process table from /proc: parent and command name of each process. */
function processTable(): Map<number, { ppid: number; comm: string }> {
  const table = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      table.set(Number(entry), { ppid, comm });
    } catch {
      // exited while we looked
    }
  }
  return table;
}

function descendantsOf(pid: number, table: Map<number, { ppid: number; comm: string }>): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, p] of table) {
      if (p.ppid === parent) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/** The ffmpeg processes running under a process. */
function encoders(pid: number): number[] {
  const table = processTable();
  return descendantsOf(pid, table).filter((p) => table.get(p)?.comm === 'ffmpeg');
}

/** Resolves once the process has exited (and released its port). */
async function gone(pid: number): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

function countBy(items: string[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
