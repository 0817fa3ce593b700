/**
 * The local log file, `$VIVIDLY_DATA_DIR/logs/vividly.log`, size-capped: when it reaches
 * VIVIDLY_LOG_FILE_SIZE it becomes `vividly.log.1` (the older ones move up to `.2`, `.3`, ...) and
 * the oldest beyond VIVIDLY_LOG_FILES files in all is deleted, like logrotate's `rotate N`. The
 * rotation is rotating-file-stream's classical mode; `vividly stats` reads the same names back
 * (shared/observability/ops-stats.ts, oldest first).
 *
 * A line is never split between two files; a file may pass the size by the line that reached it.
 * Lines are written in order, asynchronously: `close()` waits until they are on disk. One process
 * per data directory should write it (a second one rotates by its own count of what it wrote).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createStream } from 'rotating-file-stream';
import type { LogSink } from './logger.js';

export const LOG_FILE_NAME = 'vividly.log';

export interface LogFileOptions {
  /** Size at which the file rotates: a whole number and a unit, B, K (KiB), M (MiB) or G (GiB), e.g. `10M`. */
  size: string;
  /** Files kept in all, the one being written included (at least 2). */
  files: number;
  /** Told once if the file cannot be written (the lines after are dropped; stdout still has them). */
  onError?: (err: Error) => void;
}

export interface LogFile {
  /** Where the current file is. */
  file: string;
  sink: LogSink;
  /** Flushes what was written and closes the file. */
  close(): Promise<void>;
}

/** The bytes of a size such as `10M` (the syntax VIVIDLY_LOG_FILE_SIZE accepts). */
export function logSizeBytes(size: string): number {
  const m = /^([1-9][0-9]*)([BKMG])$/.exec(size);
  if (!m) throw new RangeError(`a log file size is a whole number and B, K, M or G (e.g. 10M), got ${JSON.stringify(size)}`);
  return Number(m[1]) * { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as 'B' | 'K' | 'M' | 'G'];
}

export function openLogFile(dir: string, opts: LogFileOptions): LogFile {
  logSizeBytes(opts.size);
  if (!Number.isInteger(opts.files) || opts.files < 2) throw new RangeError(`keep at least 2 log files, got ${opts.files}`);
  mkdirSync(dir, { recursive: true });
  const stream = createStream(LOG_FILE_NAME, { path: dir, size: opts.size, rotate: opts.files - 1 });
  let failed = false;
  stream.on('error', (err) => {
    if (failed) return;
    failed = true;
    opts.onError?.(err);
  });
  let closing: Promise<void> | undefined;
  return {
    file: path.join(dir, LOG_FILE_NAME),
    sink: (line) => {
      if (!failed && !closing) stream.write(line + '\n');
    },
    // 'close' comes after the last write is on disk and the file is closed, or after an error.
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (stream.closed) return resolve();
        stream.once('close', () => resolve());
        if (!stream.destroyed) stream.end();
      })),
  };
}
