import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFunctions, FUNCTION_ENTRIES, type BuiltFunction } from '../../cdktf/build-functions.js';
import { buildPubSubEvent, toBinaryHttp } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import { freePort } from '../../functions/local/emulators/emulators.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Names of the entries of a zip archive, read from its central directory. */
function zipEntryNames(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'bad central directory entry');
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    names.push(zip.subarray(at + 46, at + 46 + nameLen).toString('utf8'));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

describe('packaging: npm run build bundles each function on its own @slow', function () {
  this.timeout(180_000);
  let outDir: string;
  let built: BuiltFunction[];
  let rootPkg: { dependencies: Record<string, string> };

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'vividly-build-'));
    built = await buildFunctions({ outDir });
    rootPkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  });
  after(async () => rm(outDir, { recursive: true, force: true }));

  it('builds one folder and one archive per function, each with its code and a package.json', async () => {
    assert.deepEqual(built.map((b) => b.name).sort(), Object.keys(FUNCTION_ENTRIES).sort());
    for (const b of built) {
      const names = zipEntryNames(await readFile(b.archive));
      assert.ok(names.includes('index.mjs'), `${b.name}.zip has index.mjs`);
      assert.ok(names.includes('package.json'), `${b.name}.zip has package.json`);
      assert.ok(!names.some((n) => n.startsWith('node_modules/') || n.includes('..')), `${b.name}.zip holds no node_modules`);
      const pkg = JSON.parse(await readFile(path.join(b.dir, 'package.json'), 'utf8'));
      assert.equal(pkg.main, 'index.mjs');
      assert.equal(pkg.type, 'module');
      assert.deepEqual(pkg.dependencies, b.dependencies);
    }
  });

  it('pins every runtime dependency to the version the repository is tested with', () => {
    for (const b of built) {
      assert.ok(b.dependencies['@google-cloud/functions-framework'], `${b.name} depends on the Functions Framework`);
      for (const [dep, version] of Object.entries(b.dependencies)) assert.equal(version, rootPkg.dependencies[dep], `${b.name}: ${dep}`);
    }
  });

  it('gives render ffmpeg, ffprobe, canvas and the fonts, and keeps them out of functions that never render', () => {
    const deps = (name: string) => Object.keys(built.find((b) => b.name === name)!.dependencies);
    for (const needed of ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe', '@napi-rs/canvas', '@expo-google-fonts/inter']) {
      assert.ok(deps('render').includes(needed), `render needs ${needed}`);
    }
    assert.ok(deps('narrate').includes('@ffmpeg-installer/ffmpeg'), 'narrate encodes MP3 with ffmpeg');
    assert.ok(deps('narrate').includes('text2wav'), 'narrate keeps the local speech engine as the last fallback');
    for (const fn of ['api', 'understand', 'retrieve', 'write', 'publish', 'dead-letter', 'sweep']) {
      assert.ok(!deps(fn).includes('@napi-rs/canvas'), `${fn} does not ship canvas`);
      assert.ok(!deps(fn).includes('@ffmpeg-installer/ffmpeg'), `${fn} does not ship ffmpeg`);
    }
  });

  it('is reproducible: building again gives byte-identical archives', async () => {
    const again = await buildFunctions({ outDir, only: ['publish'] });
    assert.equal(again[0]!.archiveMd5, built.find((b) => b.name === 'publish')!.archiveMd5);
  });

  it('a built bundle registers its function with the Functions Framework and acknowledges a malformed event', async () => {
    const b = built.find((x) => x.name === 'understand')!;
    // Stand-in for Cloud Build's `npm install`: the repository's own node_modules, same versions.
    await symlink(path.join(ROOT, 'node_modules'), path.join(b.dir, 'node_modules'), 'dir');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vividly-bundle-data-'));
    const port = await freePort();
    const ff = path.join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
    const child: ChildProcess = spawn(process.execPath, [ff, '--target=understand', '--signature-type=cloudevent', `--source=${b.dir}`, `--port=${port}`], {
      env: { PATH: process.env.PATH, VIVIDLY_DATA_DIR: dataDir, VIVIDLY_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    try {
      const url = `http://127.0.0.1:${port}/`;
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(url, { method: 'POST', ...malformedEvent() }).catch(async () => {
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        });
      }
      assert.ok(res, `the bundle did not start: ${output}`);
      assert.ok(res.status >= 200 && res.status < 300, `malformed event acknowledged, got ${res.status}: ${output}`);
      // A well-formed event for a generation that does not exist is also acknowledged (nothing to do).
      const ok = await fetch(url, { method: 'POST', ...toBinaryHttp(buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: 'g_doesnotexist0000' })) });
      assert.ok(ok.status >= 200 && ok.status < 300, `unknown generation acknowledged, got ${ok.status}: ${output}`);
    } finally {
      child.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('packaging: the api bundle serves the student page @slow', function () {
  this.timeout(180_000);

  it('inlines the page bundled for the browser: served at / with its assets, esbuild not needed at run time', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'vividly-build-api-'));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vividly-bundle-data-'));
    const [b] = await buildFunctions({ outDir, only: ['api'] });
    let child: ChildProcess | undefined;
    try {
      const code = await readFile(path.join(b!.dir, 'index.mjs'), 'utf8');
      assert.doesNotMatch(code, /from ["']esbuild["']|import\(["']esbuild["']\)/, 'the api bundle does not import esbuild');
      assert.ok(!('esbuild' in b!.dependencies));
      await symlink(path.join(ROOT, 'node_modules'), path.join(b!.dir, 'node_modules'), 'dir');
      const port = await freePort();
      const ff = path.join(ROOT, 'node_modules', '@google-cloud', 'functions-framework', 'build', 'src', 'main.js');
      child = spawn(process.execPath, [ff, '--target=api', '--signature-type=http', `--source=${b!.dir}`, `--port=${port}`], {
        env: { PATH: process.env.PATH, VIVIDLY_DATA_DIR: dataDir, VIVIDLY_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/`).catch(async () => {
          await new Promise((r) => setTimeout(r, 100));
          return undefined;
        });
      }
      assert.ok(res, `the bundle did not start: ${output}`);
      assert.equal(res.status, 200, output);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      const html = await res.text();
      const script = /<script src="([^"]+)"/.exec(html)?.[1];
      assert.match(script ?? '', /^\/assets\/app-[0-9a-f]{12}\.js$/);
      const js = await fetch(`http://127.0.0.1:${port}${script}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
      assert.match(await js.text(), /\/v1\/generations/);
    } finally {
      child?.kill('SIGTERM');
      await rm(outDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

function malformedEvent(): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/json',
      'ce-id': 'malformed-1',
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': '//pubsub.googleapis.com/projects/p/topics/generation.requested',
    },
    body: JSON.stringify({ message: { data: Buffer.from('{not json').toString('base64'), attributes: {} } }),
  };
}
