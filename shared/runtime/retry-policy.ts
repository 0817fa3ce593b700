/**
 * The one retry helper. Every place that tries something again (a Vertex AI call, a cloud speech
 * request, the in-process router's redeliveries, the emulated Eventarc trigger) states its policy
 * as data, a RetryPolicy, and leaves the arithmetic and the loop to this module.
 *
 * Why not p-retry: its jitter (`randomize`) is a draw in [1, 2) times the delay, which cannot say
 * "50-100 %" or "±25 %", it has no notion of a server's Retry-After, and the router does not loop
 * at all (it schedules a redelivery on a timer), so it needs the delay alone. This is the part of
 * p-retry we use, with the policies we had.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included (at least 1). */
  readonly attempts: number;
  /** Wait before the second attempt (the first retry), in ms, before jitter. */
  readonly minDelayMs: number;
  /** No wait is longer, whatever the growth, the jitter or a server's hint. */
  readonly maxDelayMs: number;
  /** Growth per retry: the n-th retry waits minDelayMs * factor^(n-1) (capped at maxDelayMs), before jitter. */
  readonly factor: number;
  /**
   * The wait is multiplied by a uniform draw from [low, high]: [0.5, 1] is "equal jitter",
   * [0.75, 1.25] is ±25 %, [1, 1] is none.
   */
  readonly jitter: readonly [low: number, high: number];
  /** Whether a failure deserves another attempt (default: every failure). */
  readonly retryable?: (error: unknown) => boolean;
}

export interface RetryHooks {
  /** Told before every wait (for logs). */
  onRetry?: (info: { attempt: number; error: unknown; delayMs: number }) => void;
  /** A wait the failure asks for (a Retry-After header), in ms: the wait is at least this, still capped at maxDelayMs. */
  delayHintMs?: (error: unknown) => number | undefined;
  /** Source of the jitter draws, in [0, 1) (default Math.random). */
  random?: () => number;
  /** Stops retrying (the last error is thrown) and cuts a wait short. */
  signal?: AbortSignal;
  /** How to wait (tests pass a recorder). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The wait before retry number `retry` (1: after the first attempt failed), in whole ms:
 * min(maxDelayMs, max(hint, min(maxDelayMs, minDelayMs * factor^(retry-1)) * jitter)).
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random, hintMs?: number): number {
  const n = Math.max(1, Math.floor(retry));
  const grown = Math.min(policy.maxDelayMs, Math.max(0, policy.minDelayMs) * policy.factor ** (n - 1));
  const [low, high] = policy.jitter;
  const jittered = grown * (low + (high - low) * random());
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jittered, hintMs ?? 0)));
}

/** Whether a failure at `attempt` (1-based) is followed by another attempt under `policy`. */
export function shouldRetry(policy: RetryPolicy, attempt: number, error: unknown): boolean {
  return attempt < attemptsOf(policy) && (policy.retryable?.(error) ?? true);
}

/**
 * Runs `attempt` (given its 1-based number) until it resolves, its failure is not retryable, the
 * attempts are spent, or `signal` aborts; then throws the last failure as it was thrown.
 */
export async function retry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const random = hooks.random ?? Math.random;
  const sleep = hooks.sleep ?? sleepMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!shouldRetry(policy, n, error) || hooks.signal?.aborted) throw error;
      const delayMs = retryDelayMs(policy, n, random, hooks.delayHintMs?.(error));
      hooks.onRetry?.({ attempt: n, error, delayMs });
      await sleep(delayMs, hooks.signal);
      if (hooks.signal?.aborted) throw error;
    }
  }
}

function attemptsOf(policy: RetryPolicy): number {
  return Math.max(1, Math.floor(policy.attempts));
}

function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
