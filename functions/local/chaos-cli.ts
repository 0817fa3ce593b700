/**
 * `npm run chaos [-- --seed <n>] [--deadline-minutes <n>] [--min-kills <n>] [--keep]`: the fault
 * storm on the emulated pipeline (functions/local/emulators/chaos.ts). Prints its progress on
 * stderr and one result line on stdout; exits 0 when no check was breached, 1 on a breach, 5 when
 * the emulators cannot run here.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runChaos } from './emulators/chaos.js';

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
}

const program = new Command('chaos')
  .description('kill function processes and inject storage faults while generations run on the emulators, then check what is left')
  .option('--seed <n>', 'seed of every random choice (default: a random one, printed)', wholeNumber(1, 2 ** 31 - 1))
  .option('--deadline-minutes <n>', 'global deadline; whatever is not finished then is stuck', wholeNumber(1, 120), 15)
  .option('--min-kills <n>', 'fewest kills that make a storm (of the 20 planned)', wholeNumber(1, 20), 15)
  .option('--log <file>', 'where every line of the emulators, functions and storm goes (default: <tmp>/vividly-chaos-<seed>.log)')
  .option('--keep', 'keep the data directory')
  .action(async (opts: { seed?: number; deadlineMinutes: number; minKills: number; log?: string; keep?: boolean }) => {
    let code = 1;
    // Ctrl-C ends the storm early: it still reports, and stops every process it started.
    const interrupt = new AbortController();
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => interrupt.abort());
    try {
      const result = await runChaos({ seed: opts.seed, deadlineMs: opts.deadlineMinutes * 60_000, minKills: opts.minKills, logFile: opts.log, keep: opts.keep, signal: interrupt.signal });
      for (const line of result.details) process.stderr.write(line + '\n');
      if (result.logFile) process.stderr.write(`log: ${result.logFile}\n`);
      process.stdout.write(result.line + '\n');
      code = result.exitCode;
    } catch (err) {
      process.stderr.write(`chaos: ${(err as Error)?.stack ?? err}\n`);
    }
    // Client libraries may keep sockets open for a while: leave once the output is written.
    process.stdout.write('', () => process.exit(code));
  });

await program.parseAsync();
