import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { readInvocationRecord, type LogLevel, type LogSink } from './logger.js';
import {
  ERROR_OUTCOMES,
  FUNCTIONS,
  INVOCATION_KIND,
  METRIC_LABEL_FIELDS,
  METRIC_NAMES,
  OUTCOMES,
  type FunctionName,
  type InvocationOutcome,
  type InvocationRecord,
} from './invocation-record.js';

/**
 * Figures that are not in the invocation records but read from the running pipeline at scrape
 * time: the router's queues and the state store's open and stuck generations (see ops-stats.ts).
 */
export interface LiveFigures {
  queues: { subscription: string; depth: number; oldestAgeSeconds: number }[];
  /** Non-terminal generations by status. */
  openGenerations: Record<string, number>;
  /** Stuck generations per stage they wait at (non-terminal and not updated for VIVIDLY_STALL_SECONDS). */
  stuckByStage: Record<string, number>;
}
export type LiveSource = () => Promise<LiveFigures>;

/** Metric names that exist only locally: Cloud Monitoring has Pub/Sub's own backlog metrics and no scrape-time queries. */
export const LOCAL_METRIC_NAMES = {
  queueDepth: 'vividly_queue_depth',
  queueOldestAgeSeconds: 'vividly_queue_oldest_age_seconds',
  openGenerations: 'vividly_open_generations',
  stuckGenerations: 'vividly_stuck_generations',
} as const;

/** Invocation latency buckets, in ms: from a 5 ms cache answer to a 10 min render. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000];
/** Request to video, in ms: seconds locally, minutes in the cloud, 30 min is the give-up age. */
export const GENERATION_LATENCY_BUCKETS_MS = [1000, 2500, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 1_800_000];
/** Seconds of narration or video produced by one invocation. */
export const MEDIA_SECONDS_BUCKETS = [10, 30, 60, 90, 120, 180, 240, 300, 600];

/** How many recent durations each function keeps for exact percentiles and the latency chart. */
export const RESERVOIR_SIZE = 1000;

type MetricKey = keyof typeof METRIC_LABEL_FIELDS;

/** The label names of a metric, from the contract's table (the Cloud log-based metrics use the same). */
function labelNames(metric: MetricKey): string[] {
  return Object.keys(METRIC_LABEL_FIELDS[metric]);
}

/** The label values of a metric for one record: each label reads its record field; a missing field is ''. */
function labelsOf(metric: MetricKey, record: InvocationRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, field] of Object.entries(METRIC_LABEL_FIELDS[metric]) as [string, keyof InvocationRecord][]) {
    const value = record[field];
    out[label] = value === undefined ? '' : label === 'error_code' ? safeCode(String(value)) : String(value);
  }
  return out;
}

export interface LatencySample {
  /** Epoch ms when the record was observed (or its `time` when read from a log file). */
  at: number;
  ms: number;
  outcome: InvocationOutcome;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** How many durations they are computed over (at most RESERVOIR_SIZE: the most recent ones). */
  sampleSize: number;
}

export interface StageSummary {
  stage: FunctionName;
  count: number;
  outcomes: Record<InvocationOutcome, number>;
  /** Invocations whose outcome is one of ERROR_OUTCOMES (failed, retry), as the Cloud error-ratio alert counts them. */
  errors: number;
  /** Error codes, most frequent first. */
  errorCodes: { code: string; count: number }[];
  latencyMs: Percentiles;
  /** Seconds of audio (narrate) or video (render) produced, in total. */
  mediaSeconds: number;
  /** The most recent durations, oldest first, for the latency chart. */
  recent: LatencySample[];
}

/** A fixed-size ring of the most recent samples. */
class Reservoir<T> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  add(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.size;
  }
  /** Oldest first. */
  values(): T[] {
    return this.items.length < this.size ? [...this.items] : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function percentilesOf(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), sampleSize: sorted.length };
}

interface StageTally {
  count: number;
  outcomes: Record<InvocationOutcome, number>;
  errorCodes: Map<string, number>;
  mediaSeconds: number;
  latency: Reservoir<LatencySample>;
}

/**
 * The local half of the one metrics dictionary: Prometheus metrics derived from the invocation
 * records, with the same metric and label names as the Cloud log-based metrics. Each instance has
 * its own registry, so tests and several pipelines in one process do not share counters.
 *
 * Percentiles: Prometheus computes them from the histogram buckets (an estimate); `summary()`
 * gives exact ones over each function's last RESERVOIR_SIZE durations, for `stats` and `/ops`.
 */
export class InvocationMetrics {
  readonly registry = new Registry();
  private readonly invocations: Counter<string>;
  private readonly latency: Histogram<string>;
  private readonly generationLatency: Histogram<string>;
  private readonly mediaSeconds: Histogram<string>;
  private readonly deadLettered: Counter<string>;
  private readonly stalled: Gauge<string>;
  private readonly queueDepth: Gauge<string>;
  private readonly queueOldest: Gauge<string>;
  private readonly openGenerations: Gauge<string>;
  private readonly stuckGenerations: Gauge<string>;
  private readonly tallies = new Map<FunctionName, StageTally>();
  private readonly generationLatencies = new Reservoir<number>(RESERVOIR_SIZE);
  private completedGenerations = 0;
  private live: LiveSource | undefined;
  /** Lines that looked like invocation records but were not valid ones. */
  rejected = 0;

  constructor() {
    const registers = [this.registry];
    this.invocations = new Counter({ name: METRIC_NAMES.invocations, help: 'Function invocations by stage, outcome and error code.', labelNames: labelNames('invocations'), registers });
    this.latency = new Histogram({ name: METRIC_NAMES.latencyMs, help: 'Invocation latency in milliseconds, by stage and outcome.', labelNames: labelNames('latencyMs'), buckets: LATENCY_BUCKETS_MS, registers });
    this.generationLatency = new Histogram({ name: METRIC_NAMES.generationLatencyMs, help: 'Request to completed video, end to end, in milliseconds.', labelNames: labelNames('generationLatencyMs'), buckets: GENERATION_LATENCY_BUCKETS_MS, registers });
    this.mediaSeconds = new Histogram({ name: METRIC_NAMES.mediaSeconds, help: 'Seconds of audio (narrate) or video (render) produced per invocation.', labelNames: labelNames('mediaSeconds'), buckets: MEDIA_SECONDS_BUCKETS, registers });
    this.deadLettered = new Counter({ name: METRIC_NAMES.deadLettered, help: 'Messages the dead-letter function recorded, by the stage that gave up and its error code.', labelNames: labelNames('deadLettered'), registers });
    this.stalled = new Gauge({ name: METRIC_NAMES.stalledGenerations, help: 'Generations the last sweep found stalled past their stage deadline.', labelNames: labelNames('stalledGenerations'), registers });
    this.queueDepth = new Gauge({ name: LOCAL_METRIC_NAMES.queueDepth, help: 'Messages not yet acknowledged, per subscription (local router).', labelNames: ['subscription'], registers });
    this.queueOldest = new Gauge({ name: LOCAL_METRIC_NAMES.queueOldestAgeSeconds, help: 'Age of the oldest unacknowledged message in seconds, per subscription (local router).', labelNames: ['subscription'], registers });
    this.openGenerations = new Gauge({ name: LOCAL_METRIC_NAMES.openGenerations, help: 'Generations not yet completed or failed, by status.', labelNames: ['status'], registers });
    this.stuckGenerations = new Gauge({ name: LOCAL_METRIC_NAMES.stuckGenerations, help: 'Open generations not updated for VIVIDLY_STALL_SECONDS, per stage they wait at.', labelNames: ['stage'], registers });
  }

  /** Where the scrape-time gauges come from (the embedded pipeline sets this). */
  useLiveSource(source: LiveSource | undefined): void {
    this.live = source;
  }

  /** Count one invocation record. Returns false (and counts it as rejected) when it is not a valid one. */
  observe(record: InvocationRecord, at: number = Date.now()): boolean {
    if (!isInvocationRecord(record)) {
      this.rejected++;
      return false;
    }
    const { stage, outcome } = record;
    const errorCode = record.errorCode ? safeCode(record.errorCode) : '';
    this.invocations.inc(labelsOf('invocations', record));
    this.latency.observe(labelsOf('latencyMs', record), record.durationMs);
    const tally = this.tally(stage);
    tally.count++;
    tally.outcomes[outcome]++;
    if (errorCode) tally.errorCodes.set(errorCode, (tally.errorCodes.get(errorCode) ?? 0) + 1);
    tally.latency.add({ at, ms: record.durationMs, outcome });
    if (isNonNegative(record.mediaSeconds)) {
      this.mediaSeconds.observe(labelsOf('mediaSeconds', record), record.mediaSeconds);
      tally.mediaSeconds += record.mediaSeconds;
    }
    if (isNonNegative(record.generationLatencyMs)) {
      this.generationLatency.observe(labelsOf('generationLatencyMs', record), record.generationLatencyMs);
      this.generationLatencies.add(record.generationLatencyMs);
      this.completedGenerations++;
    }
    if (outcome === 'dead-lettered') this.deadLettered.inc(labelsOf('deadLettered', record));
    if (isNonNegative(record.stalledGenerations)) this.stalled.set(labelsOf('stalledGenerations', record), record.stalledGenerations);
    return true;
  }

  /** Count one log line if it is an invocation record; any other line is ignored. */
  observeLine(line: string): boolean {
    // Cheap test first: most lines are not invocation records, and parsing each would be waste.
    if (!line.includes(`"${INVOCATION_KIND}"`)) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return false;
    }
    if (!parsed || typeof parsed !== 'object' || (parsed as { kind?: unknown }).kind !== INVOCATION_KIND) return false;
    let record: InvocationRecord | null;
    try {
      // Strict: a record that does not match the contract (a renamed field) is counted as rejected, not guessed at.
      record = readInvocationRecord(parsed as Record<string, unknown>);
    } catch {
      this.rejected++;
      return false;
    }
    if (!record) return false;
    const time = Date.parse(String((parsed as { time?: unknown }).time ?? ''));
    return this.observe(record, Number.isFinite(time) ? time : Date.now());
  }

  /** Per function, in FUNCTIONS order, every function included (zero counts too). */
  summary(recentCount = 60): StageSummary[] {
    return FUNCTIONS.map((stage) => {
      const tally = this.tallies.get(stage) ?? newTally();
      const samples = tally.latency.values();
      const errors = ERROR_OUTCOMES.reduce((sum, o) => sum + tally.outcomes[o], 0);
      return {
        stage,
        count: tally.count,
        outcomes: { ...tally.outcomes },
        errors,
        errorCodes: [...tally.errorCodes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
        latencyMs: percentilesOf(samples.map((s) => s.ms)),
        mediaSeconds: Math.round(tally.mediaSeconds * 10) / 10,
        recent: samples.slice(-recentCount),
      };
    });
  }

  /** End-to-end latency of completed generations (exact percentiles over the last RESERVOIR_SIZE). */
  generationSummary(): { completed: number; latencyMs: Percentiles } {
    return { completed: this.completedGenerations, latencyMs: percentilesOf(this.generationLatencies.values()) };
  }

  /** The scrape-time figures, or null when no live source is attached. */
  async liveFigures(): Promise<LiveFigures | null> {
    return this.live ? this.live() : null;
  }

  /** Prometheus text exposition (version 0.0.4), with the scrape-time gauges refreshed first. */
  async metricsText(): Promise<string> {
    const live = await this.liveFigures();
    this.setLiveGauges(live);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private setLiveGauges(live: LiveFigures | null): void {
    // Reset first: a subscription or status that disappeared must not keep its last value.
    this.queueDepth.reset();
    this.queueOldest.reset();
    this.openGenerations.reset();
    this.stuckGenerations.reset();
    if (!live) return;
    for (const q of live.queues) {
      this.queueDepth.set({ subscription: q.subscription }, q.depth);
      this.queueOldest.set({ subscription: q.subscription }, Math.round(q.oldestAgeSeconds * 1000) / 1000);
    }
    for (const [status, n] of Object.entries(live.openGenerations)) this.openGenerations.set({ status }, n);
    for (const [stage, n] of Object.entries(live.stuckByStage)) this.stuckGenerations.set({ stage }, n);
  }

  private tally(stage: FunctionName): StageTally {
    let t = this.tallies.get(stage);
    if (!t) this.tallies.set(stage, (t = newTally()));
    return t;
  }
}

const SEVERITY_RANK: Record<string, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 99 };

/**
 * A log sink that feeds every invocation record to `metrics` and passes on to `next` what a Logger
 * of `level` would write: invocation records at every level but `silent`, other lines at or above
 * `level`. Give the Logger level `debug` and this sink: the metrics then count every invocation
 * whatever VIVIDLY_LOG_LEVEL says (even `silent`), and the log output is what it was.
 */
export function meteredSink(metrics: InvocationMetrics, level: LogLevel, next: LogSink): LogSink {
  const min = LEVEL_RANK[level];
  return (line) => {
    const isRecord = metrics.observeLine(line) || line.includes(`"kind":"${INVOCATION_KIND}"`);
    if (min === 0 || (isRecord && level !== 'silent')) return next(line);
    const m = /^\{"severity":"([A-Z]+)"/.exec(line);
    const rank = m ? (SEVERITY_RANK[m[1]] ?? 1) : 1;
    if (rank >= min) next(line);
  };
}

/** The process's stdout, as the Logger writes by default. */
export const stdoutSink: LogSink = (line) => void process.stdout.write(line + '\n');

function newTally(): StageTally {
  return { count: 0, outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<InvocationOutcome, number>, errorCodes: new Map(), mediaSeconds: 0, latency: new Reservoir(RESERVOIR_SIZE) };
}

function isInvocationRecord(r: unknown): r is InvocationRecord {
  if (!r || typeof r !== 'object') return false;
  const x = r as Partial<InvocationRecord>;
  return (
    x.kind === INVOCATION_KIND &&
    (FUNCTIONS as readonly unknown[]).includes(x.stage) &&
    (OUTCOMES as readonly unknown[]).includes(x.outcome) &&
    typeof x.durationMs === 'number' &&
    Number.isFinite(x.durationMs) &&
    x.durationMs >= 0
  );
}

function isNonNegative(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** Error codes become label values: keep them to the stable UPPER_SNAKE shape so a stray string cannot explode the label set. */
function safeCode(code: string): string {
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER';
}
