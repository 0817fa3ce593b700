import { createReadStream, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { QueueStats } from '../adapters/in-process-event-router.js';
import { isTerminal, STAGE_AWAITED, type Generation, type Status } from '../domain/generation.js';
import type { StateStore } from '../ports/state-store.port.js';
import { FUNCTIONS, type FunctionName } from './invocation-record.js';
import { InvocationMetrics, RESERVOIR_SIZE, type LiveFigures, type Percentiles, type StageSummary } from './metrics.js';

/**
 * The queries behind the operational view, shared by `vividly stats`, `/ops` and `/metrics`:
 * queue depth per subscription (the in-process router), open and stuck generations (the state
 * store), and the per-function table built from the invocation metrics.
 */

export { STAGE_AWAITED };

export interface StuckGeneration {
  id: string;
  status: Status;
  /** The stage it waits at. */
  stage: string;
  /** Seconds since its last update. */
  ageSeconds: number;
  updatedAt: string;
  /** Attempts of the stage it waits at, so far. */
  attempts: number;
}

/** The newest ISO time there is, for "every open generation" through listStalled. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';
/** Open generations read per query: local stores hold a handful; this bounds a runaway one. */
const OPEN_LIMIT = 10_000;

export interface OpsSources {
  state?: StateStore;
  router?: { queueStats(now?: number): QueueStats[] };
  stallSeconds: number;
  now?: () => Date;
}

/**
 * Open (non-terminal) generations, through the port's listStalled (the StateStore port has no
 * count query; a local store holds few generations, so reading them is cheap).
 */
export async function listOpenGenerations(state: StateStore): Promise<Generation[]> {
  return (await state.listStalled(END_OF_TIME, OPEN_LIMIT)).filter((g) => !isTerminal(g.status));
}

export function countByStatus(generations: Generation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const g of generations) counts[g.status] = (counts[g.status] ?? 0) + 1;
  return counts;
}

/** Open generations not updated for `stallSeconds`, oldest first: what sweep will re-drive. */
export function stuckAmong(open: Generation[], stallSeconds: number, now: Date): StuckGeneration[] {
  const before = now.getTime() - stallSeconds * 1000;
  return open
    .filter((g) => Date.parse(g.updatedAt) < before)
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
    .map((g) => {
      const stage = STAGE_AWAITED[g.status] ?? 'api';
      return {
        id: g.id,
        status: g.status,
        stage,
        ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(g.updatedAt)) / 1000)),
        updatedAt: g.updatedAt,
        attempts: g.stages[stage]?.attempts ?? 0,
      };
    });
}

export interface GenerationFigures {
  open: Record<string, number>;
  stuck: StuckGeneration[];
}

export async function generationFigures(sources: OpsSources): Promise<GenerationFigures> {
  if (!sources.state) return { open: {}, stuck: [] };
  const open = await listOpenGenerations(sources.state);
  return { open: countByStatus(open), stuck: stuckAmong(open, sources.stallSeconds, (sources.now ?? (() => new Date()))()) };
}

/** The scrape-time figures of `/metrics` (InvocationMetrics.useLiveSource). */
export async function liveFigures(sources: OpsSources): Promise<LiveFigures> {
  const { open, stuck } = await generationFigures(sources);
  const stuckByStage: Record<string, number> = {};
  for (const s of stuck) stuckByStage[s.stage] = (stuckByStage[s.stage] ?? 0) + 1;
  return { queues: sources.router?.queueStats() ?? [], openGenerations: open, stuckByStage };
}

/** One row of the per-function table. */
export interface OpsStageRow extends Omit<StageSummary, 'recent'> {
  /** Unacknowledged messages in this function's subscriptions; null when no router is reachable or it has none. */
  queueDepth: number | null;
  oldestPendingSeconds: number | null;
  /** Generations waiting at this stage right now (by status). */
  waiting: number;
  stuck: number;
  /** Recent durations, oldest first: [ms, outcome]. */
  recent: [number, string][];
}

/** What `/ops/data` answers and `vividly stats` prints. */
export interface OpsData {
  generatedAt: string;
  /** `server`: this process's metrics since it started; `logs`: the records in a data directory's log files. */
  source: 'server' | 'logs';
  stallSeconds: number;
  percentiles: string;
  stages: OpsStageRow[];
  queues: QueueStats[] | null;
  openGenerations: Record<string, number>;
  stuck: StuckGeneration[];
  generations: { completed: number; latencyMs: Percentiles };
  totals: { invocations: number; errors: number };
}

export async function buildOpsData(metrics: InvocationMetrics, sources: OpsSources, source: OpsData['source']): Promise<OpsData> {
  const now = (sources.now ?? (() => new Date()))();
  const queues = sources.router ? sources.router.queueStats(now.getTime()) : null;
  const { open, stuck } = await generationFigures({ ...sources, now: () => now });
  const stages = metrics.summary().map((s): OpsStageRow => {
    // null: no router to ask (stats from a data directory), or a function without a queue (api).
    const mine = queues?.filter((q) => subscriptionStage(q.subscription) === s.stage) ?? [];
    const waitingStatuses = Object.entries(STAGE_AWAITED).filter(([, stage]) => stage === s.stage).map(([status]) => status);
    return {
      ...s,
      queueDepth: mine.length ? mine.reduce((n, q) => n + q.depth, 0) : null,
      oldestPendingSeconds: mine.length ? mine.reduce((m, q) => Math.max(m, q.oldestAgeSeconds), 0) : null,
      waiting: waitingStatuses.reduce((n, status) => n + (open[status] ?? 0), 0),
      stuck: stuck.filter((g) => g.stage === s.stage).length,
      recent: s.recent.map((r) => [r.ms, r.outcome]),
    };
  });
  return {
    generatedAt: now.toISOString(),
    source,
    stallSeconds: sources.stallSeconds,
    percentiles: `exact, over each function's last ${RESERVOIR_SIZE} invocations`,
    stages,
    queues,
    openGenerations: open,
    stuck,
    generations: metrics.generationSummary(),
    totals: { invocations: stages.reduce((n, s) => n + s.count, 0), errors: stages.reduce((n, s) => n + s.errors, 0) },
  };
}

/** Subscription names end with the stage name (`render`, `vividly-render`); others are not a function's. */
export function subscriptionStage(subscription: string): FunctionName | undefined {
  const id = subscription.split('/').pop() ?? '';
  return FUNCTIONS.find((f) => id === f || id.endsWith(`-${f}`));
}

/** The log files of a data directory: `vividly.log` and any rotated `vividly.log.*`, oldest first. */
export function invocationLogFiles(dataDir: string): string[] {
  const dir = path.join(dataDir, 'logs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^vividly\.log(\.\d+)?$/.test(f))
    .sort((a, b) => rotationIndex(b) - rotationIndex(a))
    .map((f) => path.join(dir, f));
}

function rotationIndex(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : 0;
}

/** Feed every invocation record of `files` (JSON lines) to `metrics`. Returns the number of records counted. */
export async function readInvocationLogs(files: string[], metrics: InvocationMetrics): Promise<number> {
  let counted = 0;
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) if (metrics.observeLine(line)) counted++;
  }
  return counted;
}

/** The `vividly stats` table. */
export function formatStatsTable(data: OpsData): string {
  const ms = formatDuration;
  const header = ['function', 'count', 'ok', 'errors', 'top error', 'p50', 'p95', 'p99', 'queue', 'waiting', 'stuck'];
  const rows = data.stages.map((s) => [
    s.stage,
    String(s.count),
    String(s.outcomes.ok),
    String(s.errors),
    s.errorCodes[0] ? `${s.errorCodes[0].code} x${s.errorCodes[0].count}` : '-',
    ms(s.latencyMs.p50),
    ms(s.latencyMs.p95),
    ms(s.latencyMs.p99),
    s.queueDepth === null ? '-' : String(s.queueDepth),
    String(s.waiting),
    String(s.stuck),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Names and codes left-aligned, numbers right-aligned.
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const lines = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  const e2e = data.generations.latencyMs;
  lines.push('');
  lines.push(`generations completed: ${data.generations.completed}, end to end p50/p95/p99: ${ms(e2e.p50)} / ${ms(e2e.p95)} / ${ms(e2e.p99)}`);
  lines.push('queue: unacknowledged messages of the function\'s subscription; waiting: open generations whose next stage it is.');
  const open = Object.entries(data.openGenerations);
  lines.push(`open generations: ${open.length ? open.map(([status, n]) => `${status} ${n}`).join(', ') : 'none'}`);
  if (data.stuck.length === 0) lines.push(`stuck generations (no update for ${data.stallSeconds} s): none`);
  else {
    lines.push(`stuck generations (no update for ${data.stallSeconds} s): ${data.stuck.length}`);
    for (const g of data.stuck.slice(0, 20)) lines.push(`  ${g.id}  ${g.status} at ${g.stage}, ${formatAge(g.ageSeconds)} ago, ${g.attempts} attempts`);
    if (data.stuck.length > 20) lines.push(`  ... and ${data.stuck.length - 20} more`);
  }
  lines.push(
    data.source === 'server'
      ? `source: the running server's metrics since it started; percentiles ${data.percentiles}.`
      : `source: the invocation records in the data directory's logs; percentiles ${data.percentiles}; queue depth needs a running server (--url).`,
  );
  return lines.join('\n') + '\n';
}

/** 120 ms, 9.00 s, 42.0 s, 2.5 min; '-' for none. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
