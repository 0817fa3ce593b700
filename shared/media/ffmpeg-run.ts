import { ErrorCodes, PipelineError } from '../errors.js';
import { ffmpeg } from './ffmpeg-binaries.js';
import type { FfmpegJob } from './ffmpeg-args.js';
import { jobArgv } from './ffmpeg-args.js';

export interface RunOptions {
  /** Kill ffmpeg after this many seconds (default 600). */
  timeoutSeconds?: number;
  /** Called with the child pid once spawned (benchmarks sample its memory). */
  onSpawn?: (pid: number) => void;
}

/** Runs one ffmpeg job through fluent-ffmpeg; rejects with a RENDER_FAILED PipelineError. */
export function runFfmpeg(j: FfmpegJob, opts: RunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const cmd = ffmpeg({ timeout: opts.timeoutSeconds ?? 600, stdoutLines: 40 });
    for (const input of j.inputs) {
      cmd.input(input.path);
      // Tokens never contain whitespace (checked by the builders), so fluent-ffmpeg's
      // "split on one space" rule leaves them as they are.
      if (input.options.length > 0) cmd.inputOptions(input.options);
    }
    cmd.output(j.output);
    if (j.outputOptions.length > 0) cmd.outputOptions(j.outputOptions);
    cmd.on('start', () => {
      const pid = (cmd as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid;
      if (pid && opts.onSpawn) opts.onSpawn(pid);
    });
    cmd.on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
      const tail = String(stderr ?? '')
        .split('\n')
        .filter(Boolean)
        .slice(-8)
        .join('\n');
      reject(
        new PipelineError(ErrorCodes.renderFailed, `ffmpeg failed: ${err.message}${tail ? `\n${tail}` : ''}`, {
          retryable: true,
          cause: err,
          details: { argv: jobArgv(j) },
        }),
      );
    });
    cmd.on('end', () => resolve());
    cmd.run();
  });
}

/** Runs async tasks with at most `limit` in flight; resolves with results in task order. */
export class TaskPool {
  private running = 0;
  private closed = false;
  private readonly queue: Array<{ start: () => void; cancel: (err: Error) => void }> = [];
  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error('pool limit must be >= 1');
  }
  /** Rejects every task still waiting (running ones finish); later `run` calls reject at once. */
  cancelPending(reason = 'cancelled'): void {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.cancel(new Error(reason));
  }
  run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('pool closed'));
        return;
      }
      const start = () => {
        this.running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            const next = this.queue.shift();
            if (next) next.start();
          });
      };
      if (this.running < this.limit) start();
      else this.queue.push({ start, cancel: reject });
    });
  }
}
