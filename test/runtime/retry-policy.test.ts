import assert from 'node:assert/strict';
import { vertexRetryPolicy } from '../../shared/cloud/call-vertex.js';
import { routerRetryPolicy } from '../../shared/adapters/in-process-event-router.js';
import { PipelineError } from '../../shared/errors.js';
import { retry, retryDelayMs, shouldRetry, type RetryPolicy } from '../../shared/runtime/retry-policy.js';
import { speechRetryPolicy } from '../../shared/speech/speech-retry.js';
import { EVENTARC_RETRY } from '../../functions/local/emulators/emulated-pipeline.js';

const plain: RetryPolicy = { attempts: 4, minDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: [1, 1] };

describe('retry policy: the delay before a retry', () => {
  const cases: { name: string; policy: RetryPolicy; retry: number; random: number; hint?: number; ms: number }[] = [
    { name: 'first retry waits minDelay', policy: plain, retry: 1, random: 0.3, ms: 100 },
    { name: 'grows by the factor', policy: plain, retry: 3, random: 0.3, ms: 400 },
    { name: 'capped at maxDelay', policy: plain, retry: 10, random: 0.3, ms: 1_000 },
    { name: 'factor 3', policy: { ...plain, factor: 3 }, retry: 3, random: 0, ms: 900 },
    { name: 'factor 1 is a constant wait', policy: { ...plain, factor: 1 }, retry: 7, random: 0, ms: 100 },
    { name: 'jitter low end', policy: { ...plain, jitter: [0.5, 1] }, retry: 2, random: 0, ms: 100 },
    { name: 'jitter high end', policy: { ...plain, jitter: [0.5, 1] }, retry: 2, random: 0.999999, ms: 200 },
    { name: 'jitter middle', policy: { ...plain, jitter: [0.75, 1.25] }, retry: 2, random: 0.5, ms: 200 },
    { name: 'jitter above 1 is capped too', policy: { ...plain, jitter: [0.8, 1.2] }, retry: 9, random: 0.99, ms: 1_000 },
    { name: 'a hint lengthens the wait', policy: plain, retry: 1, random: 0, hint: 700, ms: 700 },
    { name: 'a shorter hint does not shorten it', policy: plain, retry: 3, random: 0, hint: 10, ms: 400 },
    { name: 'a hint is capped too', policy: plain, retry: 1, random: 0, hint: 60_000, ms: 1_000 },
    { name: 'zero minDelay never waits', policy: { ...plain, minDelayMs: 0 }, retry: 5, random: 0.7, ms: 0 },
    { name: 'rounded to whole ms', policy: { ...plain, minDelayMs: 3, jitter: [0.5, 1] }, retry: 1, random: 0.5, ms: 2 },
  ];
  for (const c of cases) {
    it(`${c.name}: retry ${c.retry}, draw ${c.random}${c.hint !== undefined ? `, hint ${c.hint}` : ''} -> ${c.ms} ms`, () => {
      assert.equal(retryDelayMs(c.policy, c.retry, () => c.random, c.hint), c.ms);
    });
  }
});

describe('retry policy: each call site as data, with the waits its own loop had', () => {
  // The formulas of the hand-written loops these policies replaced, for every retry and draw below.
  const draws = [0, 0.25, 0.5, 0.75, 0.999];
  const sites: { name: string; policy: RetryPolicy; before: (retry: number, r: number) => number; retries: number }[] = [
    {
      name: 'Vertex AI call (500 ms doubling to 8 s, 50-100 %)',
      policy: vertexRetryPolicy(6),
      before: (n, r) => Math.round(Math.min(8_000, 500 * 2 ** (n - 1)) * (0.5 + 0.5 * r)),
      retries: 5,
    },
    {
      name: 'cloud speech request (500 ms doubling, ±25 %, at most 8 s)',
      policy: speechRetryPolicy({ maxAttempts: 8 }),
      before: (n, r) => Math.round(Math.min(8_000, Math.min(8_000, 500 * 2 ** (n - 1)) * (0.75 + r * 0.5))),
      retries: 7,
    },
    {
      name: 'emulated Eventarc trigger (500 ms doubling to 10 s, no jitter)',
      policy: EVENTARC_RETRY,
      before: (n) => Math.min(10_000, 250 * 2 ** n),
      retries: 9,
    },
    {
      name: 'in-process router below its cap (±20 %)',
      policy: routerRetryPolicy({ maxAttempts: 5, minBackoffMs: 200, maxBackoffMs: 10_000 }),
      before: (n, r) => Math.round(Math.min(10_000, 200 * 2 ** (n - 1)) * (0.8 + r * 0.4)),
      retries: 4,
    },
  ];
  for (const site of sites) {
    it(site.name, () => {
      for (let n = 1; n <= site.retries; n++) {
        for (const r of draws) assert.equal(retryDelayMs(site.policy, n, () => r), site.before(n, r), `retry ${n}, draw ${r}`);
      }
    });
  }

  it('in-process router: at its cap a wait is never longer than maxBackoffMs (it used to reach 120 %)', () => {
    const policy = routerRetryPolicy({ maxAttempts: 20, minBackoffMs: 200, maxBackoffMs: 1_000 });
    assert.equal(retryDelayMs(policy, 12, () => 0.999), 1_000);
    assert.equal(retryDelayMs(policy, 12, () => 0), 800);
  });

  const retryable = new PipelineError('X_BUSY', 'busy', { retryable: true });
  const permanent = new PipelineError('X_BAD', 'bad', { retryable: false });
  const bug = new TypeError('undefined is not a function');
  const which: { site: string; policy: RetryPolicy; error: unknown; retried: boolean }[] = [
    { site: 'speech', policy: speechRetryPolicy({}), error: retryable, retried: true },
    { site: 'speech', policy: speechRetryPolicy({}), error: permanent, retried: false },
    { site: 'speech', policy: speechRetryPolicy({}), error: bug, retried: false },
    { site: 'router', policy: routerRetryPolicy({ maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 1 }), error: bug, retried: true },
    { site: 'router', policy: routerRetryPolicy({ maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 1 }), error: permanent, retried: true },
    { site: 'eventarc', policy: EVENTARC_RETRY, error: new Error('HTTP 503'), retried: true },
  ];
  for (const w of which) {
    it(`${w.site}: ${w.error instanceof PipelineError ? `${w.error.code} (retryable ${w.error.retryable})` : (w.error as Error).name} is ${w.retried ? '' : 'not '}retried`, () => {
      assert.equal(shouldRetry(w.policy, 1, w.error), w.retried);
    });
  }
});

describe('retry policy: the loop', () => {
  type Step = 'ok' | 'retryable' | 'permanent';
  const policy: RetryPolicy = { ...plain, attempts: 3, retryable: (e) => (e as Error).message === 'retryable' };
  const cases: { steps: Step[]; attempts: number; result: 'ok' | 'retryable' | 'permanent'; waits: number[] }[] = [
    { steps: ['ok'], attempts: 1, result: 'ok', waits: [] },
    { steps: ['retryable', 'ok'], attempts: 2, result: 'ok', waits: [100] },
    { steps: ['retryable', 'retryable', 'ok'], attempts: 3, result: 'ok', waits: [100, 200] },
    { steps: ['retryable', 'retryable', 'retryable', 'ok'], attempts: 3, result: 'retryable', waits: [100, 200] },
    { steps: ['permanent', 'ok'], attempts: 1, result: 'permanent', waits: [] },
    { steps: ['retryable', 'permanent', 'ok'], attempts: 2, result: 'permanent', waits: [100] },
  ];
  for (const c of cases) {
    it(`${c.steps.join(' -> ')}: ${c.attempts} attempt(s), ${c.result}`, async () => {
      const waits: number[] = [];
      const told: number[] = [];
      let attempts = 0;
      const outcome = await retry(
        policy,
        async (n) => {
          attempts++;
          assert.equal(n, attempts);
          const step = c.steps[n - 1];
          if (step !== 'ok') throw new Error(step);
          return 'ok' as const;
        },
        { sleep: async (ms) => void waits.push(ms), onRetry: ({ delayMs }) => void told.push(delayMs), random: () => 0 },
      ).catch((e: Error) => e.message);
      assert.equal(outcome, c.result);
      assert.equal(attempts, c.attempts);
      assert.deepEqual(waits, c.waits);
      assert.deepEqual(told, c.waits);
    });
  }

  it('a hint from the failure lengthens the wait', async () => {
    const waits: number[] = [];
    const err = Object.assign(new Error('retryable'), { retryAfterMs: 650 });
    let n = 0;
    await retry(policy, async () => (n++ === 0 ? Promise.reject(err) : 'ok'), { sleep: async (ms) => void waits.push(ms), delayHintMs: (e) => (e as typeof err).retryAfterMs, random: () => 0 });
    assert.deepEqual(waits, [650]);
  });

  it('an abort stops retrying and cuts the wait short, throwing the last failure', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = performance.now();
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(
      retry({ ...plain, attempts: 5, minDelayMs: 10_000, maxDelayMs: 10_000 }, async () => {
        attempts++;
        throw new Error('down');
      }, { signal: controller.signal }),
      /down/,
    );
    assert.equal(attempts, 1);
    assert.ok(performance.now() - started < 5_000, 'did not wait the 10 s out');
  });

  it('waits for real by default', async () => {
    const started = performance.now();
    let n = 0;
    assert.equal(await retry({ ...plain, minDelayMs: 40 }, async () => (n++ < 2 ? Promise.reject(new Error('x')) : n)), 3);
    assert.ok(performance.now() - started >= 40 + 80 - 5);
  });
});
