/**
 * The CDKTF app: one VividlyStack for the environment named on the command line (or VIVIDLY_ENV,
 * as the cdktf CLI runs it), synthesised to Terraform JSON under `<outdir>/stacks/<env>/`.
 *
 *   npx tsx cdktf/main.ts dev            (what cdktf/synth.ts does, plus timing and checks)
 *   VIVIDLY_ENV=prod cdktf synth         (with the cdktf CLI, from cdktf/, which sets CDKTF_OUTDIR)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { environmentConfig, type EnvironmentConfig, type FunctionName } from './config.js';
import { locateFunctionArchives, type FunctionArchive } from './function-archives.js';
import { VividlyStack } from './stack.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTDIR = path.join(REPO_ROOT, 'cdktf.out');

export interface BuildAppOptions {
  env: string;
  outdir?: string;
  /** The process environment for the synth-time overrides (config.ts OVERRIDES). */
  processEnv?: NodeJS.ProcessEnv;
}

export interface BuiltApp {
  app: App;
  stack: VividlyStack;
  config: EnvironmentConfig;
  /** Where the stack's cdk.tf.json is written, and where Terraform runs. */
  stackDir: string;
  archives: Record<FunctionName, FunctionArchive>;
}

export function buildApp(opts: BuildAppOptions): BuiltApp {
  const config = environmentConfig(opts.env, opts.processEnv ?? process.env);
  const outdir = path.resolve(opts.outdir ?? DEFAULT_OUTDIR);
  const stackDir = path.join(outdir, 'stacks', config.name);
  const archives = locateFunctionArchives(path.resolve(REPO_ROOT, config.archivesDir), stackDir);
  const app = new App({ outdir, stackTraces: false });
  // The local state file lives at the repository root (git-ignored), not in cdktf.out/.
  const localStatePath = path.relative(stackDir, path.join(REPO_ROOT, `terraform.${config.name}.tfstate`)).split(path.sep).join('/');
  const stack = new VividlyStack(app, config.name, { config, archives, localStatePath });
  return { app, stack, config, stackDir, archives };
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const env = process.argv[2] ?? process.env.VIVIDLY_ENV ?? '';
  try {
    buildApp({ env, outdir: process.env.CDKTF_OUTDIR }).app.synth();
  } catch (err) {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    process.exit(1);
  }
}
