/** Severity names of Cloud Logging's structured JSON format. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const LEVEL_TO_RANK = { debug: 0, info: 1, warn: 2, error: 3, silent: 99 } as const;
export type LogLevel = keyof typeof LEVEL_TO_RANK;

export type LogSink = (line: string) => void;

/**
 * One JSON object per line on stdout, in Cloud Logging's structured format, so the same records
 * are read by Cloud Logging in the cloud and by `jq` locally.
 */
export class Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
    private readonly base: Record<string, unknown> = {},
  ) {}

  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.level, this.sink, { ...this.base, ...fields });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('DEBUG', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.write('INFO', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('WARNING', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.write('ERROR', message, fields);
  }

  private write(severity: Severity, message: string, fields?: Record<string, unknown>): void {
    if (RANK[severity] < LEVEL_TO_RANK[this.level]) return;
    this.sink(JSON.stringify({ severity, message, time: new Date().toISOString(), ...this.base, ...fields }));
  }
}
