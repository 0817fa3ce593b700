import { PipelineError } from '../errors.js';
import { retry, type RetryPolicy } from '../runtime/retry-policy.js';

/** Retry settings of one cloud speech engine (from config: modelMaxAttempts, modelTimeoutMs). */
export interface SpeechRetryOptions {
  /** Attempts of one request, the first included (default 3). */
  maxAttempts?: number;
  /** Timeout of one attempt in ms (default 30000). */
  timeoutMs?: number;
  /** First backoff delay in ms, doubled per retry with ±25 % jitter, capped at 8 s (default 500). */
  backoffMs?: number;
  /** Told about every retry (for logs). */
  onRetry?: (info: { provider: string; attempt: number; code: string; message: string; delayMs: number }) => void;
}

export const DEFAULT_SPEECH_RETRY = { maxAttempts: 3, timeoutMs: 30_000, backoffMs: 500 } as const;

/**
 * The retry policy of a cloud speech request: doubling from `backoffMs`, ±25 % jitter, no wait over
 * 8 s; only a PipelineError that says it is retryable is retried (anything else is a bug in the engine).
 */
export function speechRetryPolicy(opts: Pick<SpeechRetryOptions, 'maxAttempts' | 'backoffMs'>): RetryPolicy {
  return {
    attempts: Math.max(1, opts.maxAttempts ?? DEFAULT_SPEECH_RETRY.maxAttempts),
    minDelayMs: Math.max(0, opts.backoffMs ?? DEFAULT_SPEECH_RETRY.backoffMs),
    maxDelayMs: 8_000,
    factor: 2,
    jitter: [0.75, 1.25],
    retryable: (err) => err instanceof PipelineError && err.retryable,
  };
}

/**
 * Run `attempt` until it succeeds, it throws a PipelineError that is not retryable, or
 * `maxAttempts` are used up; the last error is thrown as it is (its code is the provider's
 * failure). Anything that is not a PipelineError is a bug in the engine and is not retried.
 * A PipelineError may carry `details.retryAfterMs` (a Retry-After header) to lengthen the wait.
 */
export async function withSpeechRetries<T>(provider: string, opts: SpeechRetryOptions, attempt: (n: number) => Promise<T>): Promise<T> {
  return retry(speechRetryPolicy(opts), attempt, {
    delayHintMs: (err) => ((err as PipelineError).opts.details as { retryAfterMs?: number } | undefined)?.retryAfterMs,
    onRetry: ({ attempt: n, error, delayMs }) => {
      const err = error as PipelineError;
      opts.onRetry?.({ provider, attempt: n, code: err.code, message: err.message, delayMs });
    },
  });
}

/** Parse a Retry-After header (seconds or an HTTP date) into ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
