import { isTerminal, type Generation } from '../../shared/domain/generation.js';
import { DELIVERED_STAGES, type DeliveredStage } from '../../shared/domain/pipeline.js';
import { RESERVOIR_SIZE, type InvocationMetrics } from '../../shared/observability/metrics.js';

/**
 * An honest estimate of the time a generation still needs, from durations already measured:
 *
 * - a stage that is done (or skipped) needs nothing;
 * - the running stage: once it has reported at least MIN_PACE_PROGRESS of its work, its own pace
 *   (elapsed × (1 − progress) / progress); before that, its typical duration minus the time it
 *   has run (at least 0: it is then `overdue`);
 * - a stage still to come: its typical duration.
 *
 * The typical duration of a stage is the median of its recent successful runs: the `ok`
 * invocations of the invocation metrics where this process has them (the embedded server counts
 * every function's records), else the stage timings (startedAt to finishedAt) of the generations
 * this process has watched to the end. A stage with neither gives no estimate (`seconds: null`,
 * "estimating"), never a made-up number. Time spent waiting in a queue between stages is not
 * counted.
 */
export interface TimeLeft {
  /** Seconds still needed, rounded up; null when a stage to come has no measured duration yet. */
  seconds: number | null;
  /** The running stage has taken longer than its typical duration and reports no pace. */
  overdue: boolean;
  /** Where the typical durations came from: `metrics`, `observed`, or `none`. */
  basis: DurationSource | 'none';
}

export type DurationSource = 'metrics' | 'observed';
export type TypicalDurations = Partial<Record<DeliveredStage, { seconds: number; samples: number; source: DurationSource }>>;

/** Progress a running stage must have reported before its own pace is trusted over its typical duration. */
export const MIN_PACE_PROGRESS = 0.1;

export function estimateTimeLeft(g: Generation, typical: TypicalDurations, now: Date): TimeLeft | null {
  if (isTerminal(g.status)) return null;
  let seconds = 0;
  let known = true;
  let overdue = false;
  const sources = new Set<DurationSource>();
  for (const stage of DELIVERED_STAGES) {
    const s = g.stages[stage];
    const t = typical[stage];
    if (t) sources.add(t.source);
    if (s?.state === 'done' || s?.state === 'skipped') continue;
    if (s?.state === 'running' || s?.state === 'failed') {
      const started = s.startedAt ? Date.parse(s.startedAt) : NaN;
      const elapsed = Number.isFinite(started) ? Math.max(0, (now.getTime() - started) / 1000) : 0;
      if (s.progress >= MIN_PACE_PROGRESS && s.progress < 1 && elapsed > 0) {
        seconds += (elapsed * (1 - s.progress)) / s.progress;
      } else if (t) {
        seconds += Math.max(0, t.seconds - elapsed);
        if (elapsed > t.seconds) overdue = true;
      } else {
        known = false;
      }
      continue;
    }
    if (t) seconds += t.seconds;
    else known = false;
  }
  const basis = sources.has('metrics') ? 'metrics' : sources.has('observed') ? 'observed' : 'none';
  return { seconds: known ? Math.ceil(seconds) : null, overdue, basis };
}

/** Median of the durations (seconds) of each stage's recent `ok` invocations, as the metrics keep them. */
export function durationsFromMetrics(metrics: InvocationMetrics): TypicalDurations {
  const out: TypicalDurations = {};
  for (const summary of metrics.summary(RESERVOIR_SIZE)) {
    if (!(DELIVERED_STAGES as readonly string[]).includes(summary.stage)) continue;
    const ok = summary.recent.filter((r) => r.outcome === 'ok').map((r) => r.ms);
    if (ok.length) out[summary.stage as DeliveredStage] = { seconds: median(ok) / 1000, samples: ok.length, source: 'metrics' };
  }
  return out;
}

/** How many finished runs per stage the observed durations keep. */
export const OBSERVED_PER_STAGE = 50;

/**
 * Stage durations read off generations this process watched (startedAt to finishedAt of every
 * stage recorded done): where the process has no invocation metrics of the other functions (the
 * api function in the cloud, each Functions Framework process on the emulators).
 */
export class ObservedDurations {
  private readonly byStage = new Map<DeliveredStage, number[]>();
  private readonly counted = new Set<string>();

  observe(g: Generation): void {
    for (const stage of DELIVERED_STAGES) {
      const s = g.stages[stage];
      if (s?.state !== 'done' || !s.startedAt || !s.finishedAt) continue;
      const key = `${g.id}/${stage}/${s.attempts}`;
      if (this.counted.has(key)) continue;
      const ms = Date.parse(s.finishedAt) - Date.parse(s.startedAt);
      if (!(ms >= 0)) continue;
      this.counted.add(key);
      const list = this.byStage.get(stage) ?? [];
      list.push(ms);
      if (list.length > OBSERVED_PER_STAGE) list.shift();
      this.byStage.set(stage, list);
    }
    // Forget the oldest keys once there are many: a key only stops a run from being counted twice.
    if (this.counted.size > OBSERVED_PER_STAGE * DELIVERED_STAGES.length * 4) {
      for (const key of [...this.counted].slice(0, this.counted.size / 2)) this.counted.delete(key);
    }
  }

  durations(): TypicalDurations {
    const out: TypicalDurations = {};
    for (const [stage, list] of this.byStage) out[stage] = { seconds: median(list) / 1000, samples: list.length, source: 'observed' };
    return out;
  }
}

/** The metrics' durations, and the observed ones for stages the metrics have none of. */
export function mergeDurations(fromMetrics: TypicalDurations, observed: TypicalDurations): TypicalDurations {
  return { ...observed, ...fromMetrics };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
