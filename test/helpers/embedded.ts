import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../../shared/config.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { dataFiles, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { startEmbeddedPipeline } from '../../functions/local/pipeline.js';

/** The OpenStax books of the team folder (override with VIVIDLY_OER_DIR). */
export const OER_DIR = process.env.VIVIDLY_OER_DIR ?? path.resolve(process.cwd(), '../shared/oer/openstax');

export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vividly-test-'));
  return parseConfig({ VIVIDLY_DATA_DIR: dataDir, VIVIDLY_LOG_LEVEL: 'info', VIVIDLY_MIN_BACKOFF_MS: '5', VIVIDLY_MAX_BACKOFF_MS: '20', VIVIDLY_MAX_ATTEMPTS: '3', PORT: '0', ...env });
}

let template: Promise<string> | undefined;

/** A library database with the four OpenStax books ingested, built once per test run and copied per test. */
export function oerLibraryTemplate(): Promise<string> {
  template ??= (async () => {
    if (!existsSync(OER_DIR)) throw new Error(`the OpenStax books are needed at ${OER_DIR} (set VIVIDLY_OER_DIR)`);
    const dir = mkdtempSync(path.join(tmpdir(), 'vividly-oer-'));
    const file = path.join(dir, 'library.sqlite');
    const library = new SqliteContentLibrary(file);
    await library.ingestOpenStax(OER_DIR);
    library.close();
    return file;
  })();
  return template;
}

export interface TestPipeline {
  ports: EmbeddedPorts;
  config: Config;
  logs: Record<string, unknown>[];
}

/** The real embedded pipeline in a fresh data directory; structured log records are captured. */
export async function startTestPipeline(opts: { withOer?: boolean; env?: Record<string, string> } = {}): Promise<TestPipeline> {
  const config = testConfig(opts.env);
  if (opts.withOer) {
    mkdirSync(config.dataDir, { recursive: true });
    copyFileSync(await oerLibraryTemplate(), dataFiles(config.dataDir).library);
  }
  const logs: Record<string, unknown>[] = [];
  const ports = startEmbeddedPipeline(config, { logSink: (line) => logs.push(JSON.parse(line)) });
  return { ports, config, logs };
}

export async function waitForTerminal(ports: EmbeddedPorts, id: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const g = await ports.state.getGeneration(id);
    if (g && (g.status === 'completed' || g.status === 'failed')) {
      await ports.router.idle();
      return (await ports.state.getGeneration(id))!;
    }
    if (Date.now() > deadline) throw new Error(`generation ${id} still ${g?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
