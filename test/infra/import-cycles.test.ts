import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';

/**
 * The source modules import one another without a circle (shared/runtime on its own, then the whole tree): a cycle between invoke.ts and
 * run-stage.ts (the invocation record's context lived in invoke.ts) made either one's exports
 * undefined while the other was still loading, depending on which was imported first. The graph is
 * read from the import and export-from statements (type-only ones included: a type cycle is still
 * a seam in the wrong place).
 */
const ROOT = process.cwd();

/** Relative imports of one file, resolved to the .ts files they name. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), fileName);
    const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base, `${base}.ts`, path.join(base, 'index.ts')];
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

/** Every cycle of the graph restricted to `files`, as lists of paths relative to the repository (Tarjan's strongly connected components). */
function importCycles(files: string[]): string[][] {
  const inside = new Set(files);
  const edges = new Map(files.map((f) => [f, importsOf(f).filter((g) => inside.has(g))]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (edges.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}

function tsFiles(dir: string, recursive: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return recursive && e.name !== 'node_modules' ? tsFiles(p, true) : [];
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('import cycles', () => {
  it('shared/runtime/*.ts import one another without a cycle', () => {
    const files = tsFiles(path.join(ROOT, 'shared/runtime'), false);
    assert.ok(files.some((f) => f.endsWith('invoke.ts')) && files.some((f) => f.endsWith('run-stage.ts')), 'the runtime modules are where this test looks');
    assert.deepEqual(importCycles(files), []);
  });

  it('no module of events/, shared/, functions/ or cdktf/ imports itself through others', () => {
    const files = ['events', 'shared', 'functions', 'cdktf'].flatMap((d) => tsFiles(path.join(ROOT, d), true));
    assert.ok(files.length > 100, `only ${files.length} source files found`);
    assert.deepEqual(importCycles(files), []);
  });

  it('run-stage.ts reports into the invocation context, not into invoke.ts', () => {
    const file = (name: string) => path.join(ROOT, 'shared/runtime', name);
    assert.ok(importsOf(file('invoke.ts')).includes(file('run-stage.ts')));
    assert.ok(importsOf(file('run-stage.ts')).includes(file('invocation-context.ts')));
    assert.ok(!importsOf(file('run-stage.ts')).includes(file('invoke.ts')));
  });

  it('finds a cycle through value, type-only and re-export statements', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vividly-cycles-'));
    const write = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));
    const files = [
      write('a.ts', "import { b } from './b.js';\nexport const a = () => b;\n"),
      write('b.ts', "import type { C } from './c.js';\nexport const b = 1 as unknown as C;\n"),
      write('c.ts', "export { a } from './a.js';\nexport type C = number;\n"),
      write('d.ts', "import { a } from './a.js';\nimport fs from 'node:fs';\nexport const d = [a, fs];\n"),
      write('e.ts', "const self = await import('./e.js');\nexport default self;\n"),
    ];
    const cycles = importCycles(files).map((c) => c.map((f) => path.basename(f)));
    assert.deepEqual(cycles.sort(), [['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    assert.deepEqual(importCycles(files.filter((f) => !f.endsWith('c.ts') && !f.endsWith('e.ts'))), []);
  });
});
