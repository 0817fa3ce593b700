/**
 * `npm run synth [-- dev|prod ...]`: Terraform JSON for each named environment (all when none
 * is named) under cdktf.out/stacks/<env>/cdk.tf.json (or $CDKTF_OUTDIR/stacks/<env>), offline,
 * without the cdktf CLI.
 * Then: terraform -chdir=cdktf.out/stacks/<env> init && terraform -chdir=... apply
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { assertEnvironmentName, ENVIRONMENT_NAMES } from './config.js';

async function main(argv: string[]): Promise<number> {
  const envs = argv.length ? argv : [...ENVIRONMENT_NAMES];
  envs.forEach((env) => assertEnvironmentName(env));
  // Loaded only once the arguments are known good: the provider bindings take a moment.
  const { buildApp } = await import('./main.js');
  for (const env of envs) {
    const started = performance.now();
    const built = buildApp({ env, outdir: process.env.CDKTF_OUTDIR });
    built.app.synth();
    const file = path.join(built.stackDir, 'cdk.tf.json');
    if (!existsSync(file)) throw new Error(`synth wrote no ${file}`);
    const ms = Math.round(performance.now() - started);
    console.log(`${env}: ${path.relative(process.cwd(), file)} (project ${built.config.project}, ${ms} ms)`);
    const unbuilt = Object.entries(built.archives).filter(([, a]) => !a.built).map(([name]) => name);
    if (unbuilt.length) console.warn(`${env}: no archive yet for ${unbuilt.join(', ')}: run \`npm run build\` before terraform apply`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    process.exitCode = 1;
  },
);
