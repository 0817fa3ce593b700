import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jobArgv, toneWavJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg } from '../../shared/media/ffmpeg-run.js';
import { probeMedia } from '../../shared/media/probe.js';
import { PipelineError } from '../../shared/errors.js';

const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'error'];

describe('media: runFfmpeg spawns ffmpeg with the job argv', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vividly ffmpeg run '));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs a job and reports its pid; a token with spaces is one argument (no shell, no splitting)', async () => {
    const wav = path.join(dir, "tone it's.wav");
    const job = toneWavJob({ seconds: 1, output: wav, sampleRate: 24000 });
    // A filter graph with spaces after its commas, and metadata whose value has spaces.
    job.outputOptions = ['-af', 'volume=0.3, aresample=16000', '-metadata', 'title=A tone with spaces', ...job.outputOptions.slice(2)];
    const pids: number[] = [];
    await runFfmpeg(job, { onSpawn: (pid) => pids.push(pid) });
    assert.equal(pids.length, 1);
    assert.ok(pids[0]! > 0);
    const probe = await probeMedia(wav);
    assert.equal(probe.audio?.sampleRate, 16000, 'the whole filter graph reached ffmpeg');
    assert.ok(Math.abs(probe.durationSeconds - 1) < 0.01);
  });

  it('a failing job: RENDER_FAILED, retryable, with the exit code, ffmpeg\'s error line and the argv', async () => {
    const missing = path.join(dir, 'missing.wav');
    const job = { inputs: [{ path: missing, options: QUIET }], outputOptions: ['-f', 'wav'], output: path.join(dir, 'out.wav') };
    const err = await runFfmpeg(job).then(
      () => assert.fail('should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PipelineError);
    assert.equal(err.code, 'RENDER_FAILED');
    assert.equal(err.retryable, true);
    assert.match(err.message, /^ffmpeg failed: ffmpeg exited with code \d+: .*missing\.wav.*No such file or directory/);
    assert.match(err.message, /\n.*No such file or directory$/, 'the stderr tail follows');
    assert.deepEqual((err.opts.details as { argv: string[] }).argv, jobArgv(job));
  });

  it('kills ffmpeg at the timeout: "process ran into a timeout"', async () => {
    // Reading a FIFO nobody writes to blocks ffmpeg until it is killed.
    const fifo = path.join(dir, 'never.fifo');
    execFileSync('mkfifo', [fifo]);
    const job = { inputs: [{ path: fifo, options: [...QUIET, '-f', 's16le'] }], outputOptions: ['-f', 'wav'], output: path.join(dir, 'never.wav') };
    const started = Date.now();
    const err = await runFfmpeg(job, { timeoutSeconds: 1 }).then(
      () => assert.fail('should time out'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PipelineError);
    assert.equal(err.code, 'RENDER_FAILED');
    assert.equal(err.message, 'ffmpeg failed: process ran into a timeout (1s)');
    assert.ok(Date.now() - started < 5000);
  });
});
