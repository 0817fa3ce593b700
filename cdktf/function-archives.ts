import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from './config.js';

/** Stands in for an archive's md5 when the archive is not built yet (tests, CI, a synth before `npm run build`). */
export const UNBUILT_ARCHIVE_HASH = 'unbuilt';

export interface FunctionArchive {
  /** Path of the zip as Terraform will read it (relative to the stack directory when known). */
  source: string;
  /** md5 (hex) of the zip, or UNBUILT_ARCHIVE_HASH. It names the uploaded object, so a change redeploys. */
  md5: string;
  built: boolean;
}

/**
 * The archive `npm run build` wrote for each function (`<dir>/<name>.zip`). Missing archives get
 * a declared placeholder hash so synth works offline; `terraform apply` then fails on the missing
 * file rather than deploying something stale.
 *
 * `stackDir`: the directory Terraform runs in (cdktf.out/stacks/<env>); the source paths are made
 * relative to it so the Terraform JSON does not carry this machine's absolute paths.
 */
export function locateFunctionArchives(dir: string, stackDir?: string): Record<FunctionName, FunctionArchive> {
  const out = {} as Record<FunctionName, FunctionArchive>;
  for (const name of FUNCTION_NAMES) {
    const file = path.resolve(dir, `${name}.zip`);
    const built = existsSync(file);
    const md5 = built ? createHash('md5').update(readFileSync(file)).digest('hex') : UNBUILT_ARCHIVE_HASH;
    const source = stackDir ? path.relative(stackDir, file).split(path.sep).join('/') : file;
    out[name] = { source, md5, built };
  }
  return out;
}
