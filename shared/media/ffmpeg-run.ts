import { spawn } from 'node:child_process';
import { ErrorCodes, PipelineError } from '../errors.js';
import { FFMPEG_PATH } from './ffmpeg-binaries.js';
import type { FfmpegJob } from './ffmpeg-args.js';
import { jobArgv } from './ffmpeg-args.js';

export interface RunOptions {
  /** Kill ffmpeg after this many seconds (default 600). */
  timeoutSeconds?: number;
  /** Called with the child pid once spawned (benchmarks sample its memory). */
  onSpawn?: (pid: number) => void;
}

/** Lines of ffmpeg's stderr kept for the error (its errors come last). */
const STDERR_LINES = 40;

/**
 * Runs one ffmpeg job: spawns the ffmpeg binary with the job's argv (jobArgv), resolves with the
 * last lines of its stderr (a measuring job's summary; empty for a quiet job), and rejects with a
 * RENDER_FAILED PipelineError (retryable) when it fails, exits non-zero, is killed or times out.
 *
 * Spawned directly with node:child_process rather than through fluent-ffmpeg. Every argument list
 * is already built (and tested) by ffmpeg-args.ts; fluent-ffmpeg only re-assembled it, and at a
 * price: it splits each option token on spaces (so the builders had to forbid whitespace in
 * tokens), hides the child process in a private field (read here through a cast for the pid), and
 * runs `ffmpeg -encoders` before a job to decide on `-strict experimental` for -acodec/-vcodec,
 * which these jobs never use. Its fluent builder, progress parsing and format helpers are unused
 * here, and the package is archived upstream (2025-05-22; "Package no longer supported" on npm).
 * An argv array goes to the process as it is, with no shell in between: a token may contain
 * spaces, and nothing in it is interpreted. What fluent-ffmpeg did for these jobs is kept: `-y`
 * before the output options (in jobArgv), the kill at the timeout, the last stderr lines, and its
 * error messages (`ffmpeg exited with code N: <ffmpeg's error lines>`, `ffmpeg was killed with
 * signal S`, `process ran into a timeout (Ns)`), so the codes and messages of runFfmpeg are unchanged.
 * ffprobe (ffprobe-json.ts) and the MP3 encoder (shared/speech/encode-mp3.ts, PCM on stdin) are
 * spawned the same way, so fluent-ffmpeg is no longer a dependency.
 */
export function runFfmpeg(j: FfmpegJob, opts: RunOptions = {}): Promise<string> {
  const argv = jobArgv(j);
  const timeoutSeconds = opts.timeoutSeconds ?? 600;
  return new Promise((resolve, reject) => {
    const stderr = new LineRing(STDERR_LINES);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const tail = stderr
        .text()
        .split('\n')
        .filter(Boolean)
        .slice(-8)
        .join('\n');
      reject(
        new PipelineError(ErrorCodes.renderFailed, `ffmpeg failed: ${err.message}${tail ? `\n${tail}` : ''}`, {
          retryable: true,
          cause: err,
          details: { argv },
        }),
      );
    };
    const child = spawn(FFMPEG_PATH, argv, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      fail(new Error(`process ran into a timeout (${timeoutSeconds}s)`));
      child.kill('SIGTERM');
    }, timeoutSeconds * 1000);
    child.once('spawn', () => {
      if (child.pid && opts.onSpawn) opts.onSpawn(child.pid);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => stderr.append(chunk));
    child.once('error', (err) => fail(err));
    // 'close': the process has exited and its stderr is fully read.
    child.once('close', (code, signal) => {
      if (signal) fail(new Error(`ffmpeg was killed with signal ${signal}`));
      else if (code) fail(new Error(`ffmpeg exited with code ${code}: ${ffmpegError(stderr.text())}`));
      else if (!done) {
        done = true;
        clearTimeout(timer);
        resolve(stderr.text());
      }
    });
  });
}

/**
 * The end of a stream of text, kept as fluent-ffmpeg's ring of lines kept it (so the messages
 * match): the last `max - 1` lines, the one still being written (empty after a final newline) included.
 */
class LineRing {
  private kept: string[] = [''];
  constructor(private readonly max: number) {}
  append(chunk: string): void {
    const parts = chunk.split(/\r\n|\r|\n/);
    this.kept[this.kept.length - 1] += parts[0]!;
    this.kept.push(...parts.slice(1));
    if (this.kept.length > this.max) this.kept.splice(0, this.kept.length - this.max);
  }
  text(): string {
    return this.kept.slice(-(this.max - 1)).join('\n');
  }
}

/** ffmpeg's error: the lines of stderr after the last one that starts with a space or `[` (context, not the error), as fluent-ffmpeg reported it. */
function ffmpegError(stderr: string): string {
  const out: string[] = [];
  for (const line of stderr.split(/\r\n|\r|\n/)) {
    if (line.startsWith(' ') || line.startsWith('[')) out.length = 0;
    else out.push(line);
  }
  return out.join('\n');
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
