/**
 * Expected failures carry a stable code. `retryable` says whether delivering the same event again
 * could succeed (a busy dependency) or not (bad input, a topic the library does not cover).
 */
export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly opts: { retryable?: boolean; httpStatus?: number; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'PipelineError';
  }
  get retryable(): boolean {
    return this.opts.retryable ?? false;
  }
  get httpStatus(): number {
    return this.opts.httpStatus ?? 500;
  }
  toJSON(): { code: string; message: string; details?: unknown } {
    return this.opts.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.opts.details };
  }
}

export const ErrorCodes = {
  invalidRequest: 'INVALID_REQUEST',
  notFound: 'NOT_FOUND',
  unauthorized: 'UNAUTHORIZED',
  topicNotCovered: 'TOPIC_NOT_COVERED',
  noSources: 'NO_SOURCES',
  scriptInvalid: 'SCRIPT_INVALID',
  equationInvalid: 'EQUATION_INVALID',
  speechFailed: 'SPEECH_FAILED',
  renderFailed: 'RENDER_FAILED',
  notReady: 'NOT_READY',
  eventMalformed: 'EVENT_MALFORMED',
  unknownObject: 'UNKNOWN_OBJECT',
  stalled: 'STALLED',
  deadLettered: 'DEAD_LETTERED',
  internal: 'INTERNAL',
} as const;

/** The stable code of any thrown value. */
export function codeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    if (/^[A-Z][A-Z0-9_]+$/.test(code)) return code;
  }
  return ErrorCodes.internal;
}
