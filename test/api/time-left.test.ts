import assert from 'node:assert/strict';
import { durationsFromMetrics, estimateTimeLeft, MIN_PACE_PROGRESS, ObservedDurations, type TypicalDurations } from '../../functions/api/time-left.js';
import type { Generation } from '../../shared/domain/generation.js';
import { DELIVERED_STAGES } from '../../shared/domain/pipeline.js';
import { InvocationMetrics } from '../../shared/observability/metrics.js';
import { newGeneration } from '../contract/state-store.contract.js';

const NOW = new Date('2030-01-01T00:01:00.000Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();
const typical = (seconds: Record<string, number>): TypicalDurations =>
  Object.fromEntries(Object.entries(seconds).map(([stage, s]) => [stage, { seconds: s, samples: 3, source: 'metrics' as const }]));
const ALL = typical({ understand: 1, retrieve: 0.5, write: 2, narrate: 10, render: 20, publish: 0.5 });

describe('api: time left', () => {
  it('a generation just requested needs the sum of every stage\'s typical duration', () => {
    const sum = Object.values(ALL).reduce((n, t) => n + t!.seconds, 0);
    assert.deepEqual(estimateTimeLeft(newGeneration(), ALL, NOW), { seconds: Math.ceil(sum), overdue: false, basis: 'metrics' });
  });

  it('a running stage that reports progress goes at its own pace; stages done count nothing', () => {
    const g: Generation = newGeneration({
      status: 'narrated',
      stages: {
        understand: { state: 'done', attempts: 1, progress: 1 },
        retrieve: { state: 'done', attempts: 1, progress: 1 },
        write: { state: 'done', attempts: 1, progress: 1 },
        narrate: { state: 'done', attempts: 1, progress: 1 },
        // Half done after 30 s: 30 s more, whatever the typical 20 s says.
        render: { state: 'running', attempts: 1, progress: 0.5, startedAt: ago(30) },
      },
    });
    assert.deepEqual(estimateTimeLeft(g, ALL, NOW), { seconds: Math.ceil(30 + 0.5), overdue: false, basis: 'metrics' });
  });

  it('before it reports enough progress, a running stage is its typical duration minus the time it has run; past that it is overdue', () => {
    const running = (elapsed: number): Generation =>
      newGeneration({ status: 'requested', stages: { understand: { state: 'running', attempts: 1, progress: MIN_PACE_PROGRESS / 2, startedAt: ago(elapsed) } } });
    const rest = 0.5 + 2 + 10 + 20 + 0.5;
    assert.equal(estimateTimeLeft(running(0.25), ALL, NOW)!.seconds, Math.ceil(0.75 + rest));
    assert.deepEqual(estimateTimeLeft(running(5), ALL, NOW), { seconds: Math.ceil(rest), overdue: true, basis: 'metrics' });
  });

  it('says nothing (null seconds) when a stage to come has no measured duration, and nothing at all once finished', () => {
    const { render: _r, ...withoutRender } = ALL;
    assert.deepEqual(estimateTimeLeft(newGeneration(), withoutRender, NOW), { seconds: null, overdue: false, basis: 'metrics' });
    assert.deepEqual(estimateTimeLeft(newGeneration(), {}, NOW), { seconds: null, overdue: false, basis: 'none' });
    assert.equal(estimateTimeLeft(newGeneration({ status: 'completed' }), ALL, NOW), null);
    assert.equal(estimateTimeLeft(newGeneration({ status: 'failed' }), ALL, NOW), null);
  });

  it('reads the median of each stage\'s ok invocations from the metrics', () => {
    const metrics = new InvocationMetrics();
    const record = (stage: string, durationMs: number, outcome = 'ok') => metrics.observe({ kind: 'invocation', stage, eventId: 'e', outcome, durationMs } as never);
    for (const ms of [1000, 3000, 2000]) record('narrate', ms);
    record('narrate', 60_000, 'retry');
    record('api', 5);
    const d = durationsFromMetrics(metrics);
    assert.deepEqual(d.narrate, { seconds: 2, samples: 3, source: 'metrics' });
    assert.equal(d.render, undefined);
    assert.ok(!('api' in d), 'the api is not a stage a generation waits for');
  });

  it('observes stage durations off finished generations, each run once', () => {
    const observed = new ObservedDurations();
    const done = (id: string, renderSeconds: number): Generation =>
      newGeneration({
        id,
        status: 'completed',
        stages: Object.fromEntries(DELIVERED_STAGES.map((s) => [s, { state: 'done', attempts: 1, progress: 1, startedAt: ago(60), finishedAt: ago(s === 'render' ? 60 - renderSeconds : 59) }])),
      });
    observed.observe(done('gen_aaaaaaaaaa', 10));
    observed.observe(done('gen_aaaaaaaaaa', 10));
    observed.observe(done('gen_bbbbbbbbbb', 20));
    observed.observe(done('gen_cccccccccc', 40));
    assert.deepEqual(observed.durations().render, { seconds: 20, samples: 3, source: 'observed' });
    assert.equal(observed.durations().publish?.seconds, 1);
  });
});
