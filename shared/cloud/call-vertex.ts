/**
 * One Vertex AI call with a per-attempt timeout, retries with exponential backoff and jitter, and a
 * stable code for every way it can fail. Shared by the Gemini language model and the embedder.
 *
 * The SDK's own retries (httpOptions.retryOptions) are left off: this call also retries invalid
 * output, which the SDK cannot see, and counts every attempt in one place. The waits are the
 * policy `vertexRetryPolicy` run by the shared retry helper (shared/runtime/retry-policy.ts).
 */
import { PipelineError } from '../errors.js';
import { retry, type RetryPolicy } from '../runtime/retry-policy.js';

/** Stable codes of a failed Vertex AI call. */
export const VertexCodes = {
  /** 429 RESOURCE_EXHAUSTED: quota or shared capacity. Retried. */
  quota: 'MODEL_QUOTA',
  /** 5xx, a dropped connection, a response that is not JSON. Retried. */
  unavailable: 'MODEL_UNAVAILABLE',
  /** No answer within the timeout. Retried. */
  timeout: 'MODEL_TIMEOUT',
  /** Malformed JSON, a schema violation, an id that was not offered. Retried. */
  outputInvalid: 'MODEL_OUTPUT_INVALID',
  /** A safety or policy block (finishReason SAFETY, promptFeedback.blockReason). Not retried, except recitation. */
  refused: 'MODEL_REFUSED',
  /** 401/403, or no credentials. Not retried. */
  permissionDenied: 'MODEL_PERMISSION_DENIED',
  /** Another 4xx (400 bad request, 404 unknown model). Not retried. */
  requestInvalid: 'MODEL_REQUEST_INVALID',
} as const;

export interface VertexFailure {
  code: string;
  /** Built from the status and our own checks, never from model output or student text. */
  message: string;
  retryable: boolean;
  /** HTTP status, when the service answered with one. */
  status?: number;
}

export interface VertexCallOptions {
  /** Attempts in all (at least 1). */
  maxAttempts: number;
  /** Bound of one attempt, in ms: the request is aborted when it passes. */
  timeoutMs: number;
  /** Backoff before attempt n+1: min(maxMs, baseMs * 2^(n-1)), then jittered to 50-100 % of that. */
  backoff?: { baseMs: number; maxMs: number };
  /** Told about every failed attempt (for logs and metrics). */
  onFailedAttempt?: (failure: VertexFailure, attempt: number) => void;
  random?: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 8_000 } as const;

/** The outcome of callVertex: the value, or the failure of the last attempt. Attempts are counted either way. */
export type VertexResult<T> = { ok: true; value: T; attempts: number } | { ok: false; failure: VertexFailure; attempts: number };

/** Thrown by an attempt when the model answered with something we cannot use. */
export function outputInvalid(message: string): PipelineError {
  return new PipelineError(VertexCodes.outputInvalid, message, { retryable: true });
}

/** Thrown by an attempt when the model refused (safety, policy). Recitation may pass on a new sample, so it is retried. */
export function refused(reason: string): PipelineError {
  return new PipelineError(VertexCodes.refused, `the model refused to answer (${reason})`, { retryable: reason === 'RECITATION' });
}

/** The retry policy of a Vertex AI call: doubling from `backoff.baseMs` up to `backoff.maxMs`, each wait 50-100 % of that ("equal jitter"), only retryable failures. */
export function vertexRetryPolicy(maxAttempts: number, backoff: { baseMs: number; maxMs: number } = DEFAULT_BACKOFF): RetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(maxAttempts)),
    minDelayMs: backoff.baseMs,
    maxDelayMs: backoff.maxMs,
    factor: 2,
    jitter: [0.5, 1],
    retryable: (err) => err instanceof FailedAttempt && err.failure.retryable,
  };
}

/** One attempt's failure, classified, on its way through the retry helper. */
class FailedAttempt extends Error {
  constructor(readonly failure: VertexFailure) {
    super(failure.message);
  }
}

/**
 * Run `attempt` until it succeeds, a failure is not retryable, or `maxAttempts` are spent. Each
 * attempt gets its own AbortSignal, aborted after `timeoutMs`; an attempt that does not settle by
 * then counts as MODEL_TIMEOUT even if the SDK does not notice the abort (e.g. while getting a token).
 */
export async function callVertex<T>(attempt: (signal: AbortSignal, n: number) => Promise<T>, opts: VertexCallOptions): Promise<VertexResult<T>> {
  const policy = vertexRetryPolicy(opts.maxAttempts, opts.backoff);
  let attempts = 0;
  try {
    const value = await retry(
      policy,
      async (n) => {
        attempts = n;
        const controller = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new PipelineError(VertexCodes.timeout, `no answer within ${opts.timeoutMs} ms`, { retryable: true }));
          }, opts.timeoutMs);
        });
        try {
          return await Promise.race([attempt(controller.signal, n), timedOut]);
        } catch (err) {
          const failure = classifyVertexError(err, controller.signal.aborted);
          opts.onFailedAttempt?.(failure, n);
          throw new FailedAttempt(failure);
        } finally {
          clearTimeout(timer);
        }
      },
      { random: opts.random },
    );
    return { ok: true, value, attempts };
  } catch (err) {
    const failure = err instanceof FailedAttempt ? err.failure : classifyVertexError(err);
    return { ok: false, failure, attempts };
  }
}

/**
 * The stable code of anything a Vertex AI call can throw: the SDK's ApiError (an HTTP status), a
 * fetch failure, an abort, or our own PipelineError from checking the output.
 */
export function classifyVertexError(err: unknown, aborted = false): VertexFailure {
  if (err instanceof PipelineError) return { code: err.code, message: err.message, retryable: err.retryable };
  if (aborted) return { code: VertexCodes.timeout, message: 'the request was aborted at the timeout', retryable: true };
  const status = httpStatusOf(err);
  if (status !== undefined) {
    const what = `Vertex AI answered ${status}${statusNameOf(err)}`;
    if (status === 429) return { code: VertexCodes.quota, message: what, retryable: true, status };
    if (status === 408) return { code: VertexCodes.timeout, message: what, retryable: true, status };
    if (status >= 500) return { code: VertexCodes.unavailable, message: what, retryable: true, status };
    if (status === 401 || status === 403) return { code: VertexCodes.permissionDenied, message: what, retryable: false, status };
    return { code: VertexCodes.requestInvalid, message: what, retryable: false, status };
  }
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'AbortError' || name === 'TimeoutError') return { code: VertexCodes.timeout, message: 'the request was aborted', retryable: true };
  // google-auth-library: no Application Default Credentials, or a token it could not get.
  if (/credential|could not load the default|invalid_grant|unauthenticated/i.test(message)) {
    return { code: VertexCodes.permissionDenied, message: 'no usable Google credentials (Application Default Credentials)', retryable: false };
  }
  if (err instanceof SyntaxError) return { code: VertexCodes.unavailable, message: 'Vertex AI answered with a body that is not JSON', retryable: true };
  // fetch failed, ECONNRESET, ECONNREFUSED, socket hang up...
  return { code: VertexCodes.unavailable, message: `the request failed (${name || 'error'})`, retryable: true };
}

function httpStatusOf(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err) {
    const status = (err as { status: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 600) return status;
  }
  return undefined;
}

/** " RESOURCE_EXHAUSTED" from the ApiError's JSON body ({"error":{"status":...}}), or "". */
function statusNameOf(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const m = /"status"\s*:\s*"([A-Z_]{3,40})"/.exec(message);
  return m ? ` ${m[1]}` : '';
}
