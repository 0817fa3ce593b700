import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where an adapter lives (README "How it works"): an adapter of a capability port lives in the
 * folder of the capability it serves; shared/adapters/ holds only the stores and the bus; code
 * that implements no port but serves adapters of several folders (the Vertex AI call) is in
 * shared/cloud/. Read from the `class X implements Port` declarations under shared/.
 */
const STORE_PORTS = new Set(['StateStore', 'EventBus', 'ObjectStore', 'PassageVectorIndex']);
const CAPABILITY_FOLDERS: Record<string, string[]> = {
  TopicChooser: ['shared/writer'],
  ScriptWriter: ['shared/writer'],
  SpeechEngine: ['shared/speech'],
  Narrator: ['shared/speech'],
  ContentLibrary: ['shared/library'],
  Embedder: ['shared/library'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(process.cwd(), path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** [file, class, ports it implements] for every class that implements something. */
function implementations(): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  for (const file of sourceFiles('shared')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/class\s+(\w+)(?:<[^>{]*>)?(?:\s+extends\s+[\w.<>, ]+?)?\s+implements\s+([\w.<>, ]+?)\s*\{/g)) {
      out.push([file, m[1]!, m[2]!.split(',').map((p) => p.trim().replace(/<.*$/, ''))]);
    }
  }
  return out;
}

describe('adapter layout', () => {
  const found = implementations();

  it('finds the adapters it checks', () => {
    assert.ok(found.length >= 15, `only ${found.length} implementations found`);
  });

  it('keeps store and bus adapters in shared/adapters/, and nothing else there', () => {
    for (const [file, cls, ports] of found) {
      const isStore = ports.some((p) => STORE_PORTS.has(p));
      assert.equal(file.startsWith('shared/adapters/'), isStore, `${cls} (${ports.join(', ')}) in ${file}`);
    }
    for (const file of sourceFiles('shared/adapters')) {
      assert.ok(found.some(([f, , ports]) => f === file && ports.some((p) => STORE_PORTS.has(p))), `${file} implements no store or bus port`);
    }
  });

  it('keeps each capability adapter in the folder of its capability', () => {
    for (const [file, cls, ports] of found) {
      // The composition root's stand-in that opens the library on first use is wiring, not an adapter.
      if (file === 'shared/runtime/create-ports.ts' && cls === 'LazyContentLibrary') continue;
      for (const port of ports) {
        const folders = CAPABILITY_FOLDERS[port];
        if (folders) assert.ok(folders.some((d) => file.startsWith(`${d}/`)), `${cls} implements ${port} but lives in ${file}`);
      }
    }
  });

  it('keeps port-less cloud plumbing in shared/cloud/, which implements no port', () => {
    const cloud = sourceFiles('shared/cloud');
    assert.ok(cloud.includes('shared/cloud/call-vertex.ts'));
    for (const [file, cls] of found) assert.ok(!file.startsWith('shared/cloud/'), `${cls} in ${file} implements a port: it belongs beside its capability`);
  });
});
