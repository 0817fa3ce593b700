/**
 * `npm run build`: bundle every function with esbuild into its own deployable source folder and
 * zip archive, with only what it needs:
 *
 *   dist/functions/<name>/index.mjs (+ chunks)   the function's code and the pure-JS libraries it reaches
 *   dist/functions/<name>/package.json           the runtime-installed dependencies it reaches (pinned)
 *   dist/functions/<name>.zip                    what the CDKTF stack uploads as the function's source
 *
 * The api function also gets the student page (functions/api/student-page/), bundled here for the
 * browser and inlined, so it serves the page with no build step at run time.
 *
 * Dependencies stay external (installed by Cloud Build from package.json at deploy time) when they
 * are native (better-sqlite3, @napi-rs/canvas), ship binaries or data files found at run time
 * (ffmpeg, ffprobe, espeak-ng's WebAssembly and voices, the Inter fonts), or must be the very
 * instance the platform loads (@google-cloud/functions-framework). Code splitting keeps a
 * dependency out of a function's package.json unless that function's code can import it.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { buildStudentPage, type StudentPageAssets } from '../functions/api/student-page/assets.js';
import { PIPELINE, type FunctionName } from '../shared/domain/pipeline.js';
import { BUNDLE_TARGET } from './function-runtime.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every deployable function: its name (the Functions Framework target) and entry file, from the pipeline table. */
export const FUNCTION_ENTRIES = Object.fromEntries(PIPELINE.map((row) => [row.function, row.entry])) as Record<FunctionName, string>;
export type { FunctionName };

/** Packages resolved at run time from node_modules rather than bundled (see the header). */
export const RUNTIME_PACKAGES = [
  '@google-cloud/functions-framework',
  'better-sqlite3',
  '@napi-rs/canvas',
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
  'text2wav',
  '@expo-google-fonts/inter',
  // The Google Cloud clients find their protos and package.json relative to their own files.
  '@google-cloud/firestore',
  '@google-cloud/pubsub',
  '@google-cloud/storage',
  '@google-cloud/text-to-speech',
  '@google/genai',
] as const;

export interface BuiltFunction {
  name: FunctionName;
  dir: string;
  archive: string;
  /** Bytes of bundled JavaScript (all output files). */
  bundleBytes: number;
  archiveBytes: number;
  /** md5 of the archive, hex: the stack names the uploaded object after it so a change redeploys. */
  archiveMd5: string;
  dependencies: Record<string, string>;
}

export interface BuildOptions {
  outDir?: string;
  only?: FunctionName[];
  minify?: boolean;
}

export async function buildFunctions(opts: BuildOptions = {}): Promise<BuiltFunction[]> {
  const outDir = path.resolve(ROOT, opts.outDir ?? 'dist/functions');
  const rootPkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; engines?: Record<string, string> };
  const names = opts.only ?? (Object.keys(FUNCTION_ENTRIES) as FunctionName[]);
  const built: BuiltFunction[] = [];
  for (const name of names) built.push(await buildOne(name, outDir, rootPkg, opts.minify ?? true));
  await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(built.map(({ dir: _d, archive, ...b }) => ({ ...b, archive: path.relative(ROOT, archive) })), null, 2) + '\n');
  return built;
}

async function buildOne(name: FunctionName, outDir: string, rootPkg: { dependencies: Record<string, string> }, minify: boolean): Promise<BuiltFunction> {
  const dir = path.join(outDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { index: FUNCTION_ENTRIES[name] },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: BUNDLE_TARGET,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify,
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    external: [...RUNTIME_PACKAGES],
    // The api serves the student page: bundled now, so the deployed function never runs esbuild.
    plugins: name === 'api' ? [prebuiltStudentPage(await buildStudentPage())] : [],
    // Bundled CommonJS dependencies call require(); give ESM output a real one.
    banner: { js: "import { createRequire as __vividlyCreateRequire } from 'node:module'; const require = __vividlyCreateRequire(import.meta.url);" },
  });
  const dependencies = reachedPackages(result.metafile, rootPkg.dependencies, await resolvedAtRunTime(dir));
  const pkg = {
    name: `vividly-${name}`,
    private: true,
    type: 'module',
    main: 'index.mjs',
    // The bundle runs on Node 20 and on the deployed runtime (FUNCTION_RUNTIME); a pinned major would refuse one of them.
    engines: { node: `>=${BUNDLE_TARGET.replace('node', '')}` },
    dependencies,
  };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const archive = path.join(outDir, `${name}.zip`);
  await zipFolder(dir, archive);
  const bytes = await readFile(archive);
  return {
    name,
    dir,
    archive,
    bundleBytes: await jsBytes(dir),
    archiveBytes: bytes.length,
    archiveMd5: createHash('md5').update(bytes).digest('hex'),
    dependencies,
  };
}

/**
 * Replaces the student page's asset module (which bundles the page with esbuild at the first
 * request) by one that holds the page already bundled.
 */
function prebuiltStudentPage(assets: StudentPageAssets): Plugin {
  return {
    name: 'vividly-student-page',
    setup(b) {
      b.onLoad({ filter: /[\\/]functions[\\/]api[\\/]student-page[\\/]assets\.ts$/ }, () => ({
        loader: 'js',
        contents: `const assets = ${JSON.stringify(assets)};\nexport async function buildStudentPage() { return assets; }\nexport function loadStudentPage() { return Promise.resolve(assets); }\n`,
      }));
    },
  };
}

/** The external packages the output can import, pinned to the root package.json's versions. */
function reachedPackages(metafile: Metafile, versions: Record<string, string>, resolved: Set<string>): Record<string, string> {
  const reached = new Set<string>(resolved);
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:')) continue;
      const pkg = packageOf(imp.path);
      if (pkg && versions[pkg]) reached.add(pkg);
    }
  }
  // The functions register with the platform's Functions Framework: always a dependency.
  reached.add('@google-cloud/functions-framework');
  return Object.fromEntries([...reached].sort().map((p) => [p, versions[p]!]));
}

/**
 * Packages the code finds with `require.resolve('<pkg>/<file>')` at run time (espeak-ng's files,
 * the fonts): invisible to the bundler's import graph, so read from the output itself.
 */
async function resolvedAtRunTime(dir: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.mjs')) continue;
    const code = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of code.matchAll(/\.resolve\(\s*["'`]([^"'`]+)["'`]/g)) {
      const pkg = packageOf(m[1]!);
      if (pkg && (RUNTIME_PACKAGES as readonly string[]).includes(pkg)) found.add(pkg);
    }
  }
  return found;
}

function packageOf(specifier: string): string | null {
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : null;
  return parts[0] || null;
}

async function jsBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.mjs')) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** A zip with stable entry order and timestamps, so an unchanged build gives an unchanged md5. */
async function zipFolder(dir: string, archive: string): Promise<void> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  files.sort();
  const zip = new yazl.ZipFile();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const file of files) zip.addBuffer(await readFile(path.join(dir, file)), file.split(path.sep).join('/'), { mtime, mode: 0o100644 });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(archive);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2) as FunctionName[];
  for (const n of only) if (!(n in FUNCTION_ENTRIES)) throw new Error(`unknown function "${n}"; known: ${Object.keys(FUNCTION_ENTRIES).join(', ')}`);
  const started = performance.now();
  const built = await buildFunctions({ only: only.length ? only : undefined });
  const rows = built.map((b) => ({
    function: b.name,
    'bundle KB': Math.round(b.bundleBytes / 1024),
    'zip KB': Math.round(b.archiveBytes / 1024),
    'runtime deps': Object.keys(b.dependencies).join(' '),
  }));
  console.table(rows);
  console.log(`built ${built.length} functions into ${path.relative(process.cwd(), path.dirname(built[0]!.archive))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
