import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The official Firestore and Pub/Sub emulators, as the Google Cloud CLI ships them (jars under
 * `<sdk root>/platform/`), started on free loopback ports with Java 17 and stopped with the process.
 */

export type EmulatorKind = 'firestore' | 'pubsub';

export interface EmulatorJar {
  kind: EmulatorKind;
  jar: string;
  /** The emulator's version as far as the SDK records it (jar name or VERSION file). */
  version: string;
}

export interface RunningEmulator {
  kind: EmulatorKind;
  /** host:port, the value of FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  version: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** The SDK root: $CLOUDSDK_ROOT_DIR, `gcloud info`, or the usual install folders. */
export async function findCloudSdkRoot(): Promise<string | null> {
  const fromEnv = process.env.CLOUDSDK_ROOT_DIR;
  if (fromEnv && existsSync(path.join(fromEnv, 'platform'))) return fromEnv;
  try {
    const { stdout } = await run('gcloud', ['info', '--format=value(installation.sdk_root)'], { timeout: 20_000 });
    const root = stdout.trim();
    if (root && existsSync(path.join(root, 'platform'))) return root;
  } catch {
    // no gcloud on PATH: try the usual places
  }
  for (const candidate of ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk', path.join(process.env.HOME ?? '/', 'google-cloud-sdk')]) {
    if (existsSync(path.join(candidate, 'platform'))) return candidate;
  }
  return null;
}

export async function findEmulatorJar(kind: EmulatorKind, sdkRoot?: string | null): Promise<EmulatorJar | null> {
  const root = sdkRoot === undefined ? await findCloudSdkRoot() : sdkRoot;
  if (!root) return null;
  if (kind === 'firestore') {
    const jar = path.join(root, 'platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');
    return existsSync(jar) ? { kind, jar, version: (await componentVersion(root, 'cloud-firestore-emulator')) ?? `cloud-sdk ${await sdkVersion(root)}` } : null;
  }
  const lib = path.join(root, 'platform', 'pubsub-emulator', 'lib');
  if (!existsSync(lib)) return null;
  const jar = readdirSync(lib).find((f) => /^cloud-pubsub-emulator-.*\.jar$/.test(f));
  if (!jar) return null;
  return { kind, jar: path.join(lib, jar), version: jar.replace(/^cloud-pubsub-emulator-(.*?)(-all)?\.jar$/, '$1') };
}

/** Why the emulators cannot run here, or null when they can. Tests print this when they skip. */
export async function emulatorsUnavailable(kinds: EmulatorKind[] = ['firestore', 'pubsub']): Promise<string | null> {
  try {
    await run('java', ['-version'], { timeout: 20_000 });
  } catch {
    return 'Java is not installed (the emulators need Java 17+)';
  }
  const root = await findCloudSdkRoot();
  if (!root) return 'the Google Cloud CLI is not installed (no SDK root with a platform/ folder)';
  for (const kind of kinds) {
    if (!(await findEmulatorJar(kind, root))) return `the ${kind} emulator is not installed (gcloud components install ${kind === 'firestore' ? 'cloud-firestore-emulator' : 'pubsub-emulator'})`;
  }
  return null;
}

/** A component's version as the SDK's installer recorded it (`.install/<id>.snapshot.json`). */
async function componentVersion(root: string, id: string): Promise<string | null> {
  try {
    const { readFile } = await import('node:fs/promises');
    const snapshot = JSON.parse(await readFile(path.join(root, '.install', `${id}.snapshot.json`), 'utf8')) as { components?: { id: string; version?: { version_string?: string } }[] };
    const v = snapshot.components?.find((c) => c.id === id)?.version?.version_string;
    return v ? `${id} ${v}` : null;
  } catch {
    return null;
  }
}

async function sdkVersion(root: string): Promise<string> {
  try {
    const { readFile } = await import('node:fs/promises');
    return (await readFile(path.join(root, 'VERSION'), 'utf8')).trim();
  } catch {
    return 'unknown';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface StartOptions {
  port?: number;
  projectId?: string;
  /** Milliseconds to wait for the emulator to accept requests. */
  readyTimeoutMs?: number;
  /** Where the emulator's own output goes (default: kept in memory, shown if it fails to start). */
  onOutput?: (line: string) => void;
}

/** Start one emulator and wait until it answers HTTP on its port. */
export async function startEmulator(kind: EmulatorKind, opts: StartOptions = {}): Promise<RunningEmulator> {
  const jar = await findEmulatorJar(kind);
  if (!jar) throw new Error(`the ${kind} emulator is not installed`);
  const port = opts.port ?? (await freePort());
  const args =
    kind === 'firestore'
      ? ['-Duser.language=en', '-cp', jar.jar, 'com.google.cloud.datastore.emulator.firestore.CloudFirestore', '--host=127.0.0.1', `--port=${port}`, ...(opts.projectId ? [`--project_id=${opts.projectId}`] : [])]
      : ['-jar', jar.jar, '--host=127.0.0.1', `--port=${port}`];
  const child = spawn('java', ['-Xms64m', '-Xmx512m', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const output: string[] = [];
  const onLine = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line) continue;
      if (opts.onOutput) opts.onOutput(line);
      else if (output.length < 200) output.push(line);
    }
  };
  child.stdout!.on('data', onLine);
  child.stderr!.on('data', onLine);
  const stop = () => stopChild(child);
  const exitHook = () => child.kill('SIGKILL');
  process.once('exit', exitHook);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, child, opts.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${kind} emulator did not start: ${(err as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return {
    kind,
    host: `127.0.0.1:${port}`,
    port,
    version: jar.version,
    async stop() {
      process.removeListener('exit', exitHook);
      await stop();
    },
  };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return; // any HTTP answer means it is listening
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer on ${url} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
