import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../shared/config.js';
import { LOG_FILE_NAME, logSizeBytes, openLogFile } from '../../shared/observability/log-file.js';
import { invocationLogFiles } from '../../shared/observability/ops-stats.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'vividly-logs-'));
const line = (i: number) => JSON.stringify({ severity: 'INFO', message: `line ${String(i).padStart(6, '0')}`, pad: 'x'.repeat(60) });

describe('local log file: rotation with a size cap', () => {
  it('rotates at the size, keeps the configured number of files, and drops only the oldest lines', async () => {
    const dataDir = tempDir();
    const dir = path.join(dataDir, 'logs');
    const log = openLogFile(dir, { size: '2K', files: 3 });
    const count = 400; // about 40 KB: many rotations
    for (let i = 0; i < count; i++) log.sink(line(i));
    await log.close();

    const names = readdirSync(dir).sort();
    assert.deepEqual(names, [LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`], 'the current file and 2 rotated ones, nothing else');
    const longest = Math.max(...Array.from({ length: count }, (_, i) => line(i).length + 1));
    for (const name of names) {
      const size = statSync(path.join(dir, name)).size;
      assert.ok(size < 2048 + longest, `${name} is ${size} bytes: at most the cap and the line that reached it`);
      if (name !== LOG_FILE_NAME) assert.ok(size >= 2048, `${name} was rotated only once full (${size} bytes)`);
    }
    // `vividly stats` reads them oldest first: together they are the newest lines, in order, none cut.
    const lines = invocationLogFiles(dataDir).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
    const numbers = lines.map((l) => Number(/line (\d+)/.exec(JSON.parse(l).message)![1]));
    assert.equal(numbers.at(-1), count - 1, 'the newest line is kept');
    assert.ok(numbers[0] > 0, 'the oldest lines were dropped');
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => numbers[0] + i), 'consecutive: no line lost or split between the kept files');
  });

  it('keeps appending to the file a previous run left, and rotates it when a restart finds it full', async () => {
    const dir = path.join(tempDir(), 'logs');
    let log = openLogFile(dir, { size: '1K', files: 2 });
    log.sink(line(1));
    await log.close();
    log = openLogFile(dir, { size: '1K', files: 2 });
    log.sink(line(2));
    await log.close();
    assert.deepEqual(readdirSync(dir), [LOG_FILE_NAME]);
    assert.equal(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8'), `${line(1)}\n${line(2)}\n`);

    writeFileSync(path.join(dir, LOG_FILE_NAME), 'y'.repeat(1500) + '\n');
    log = openLogFile(dir, { size: '1K', files: 2 });
    log.sink(line(3));
    await log.close();
    assert.deepEqual(readdirSync(dir).sort(), [LOG_FILE_NAME, `${LOG_FILE_NAME}.1`]);
    assert.equal(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8'), `${line(3)}\n`);
  });

  it('reports a file it cannot write once, and does not throw at the caller', async () => {
    const dir = path.join(tempDir(), 'logs');
    mkdirSync(path.join(dir, LOG_FILE_NAME), { recursive: true }); // a directory where the file should be
    const errors: Error[] = [];
    const log = openLogFile(dir, { size: '1K', files: 2, onError: (e) => errors.push(e) });
    for (let i = 0; i < 50; i++) log.sink(line(i));
    await log.close();
    assert.equal(errors.length, 1);
  });

  it('reads its limits from the configuration: 10 MiB and 5 files by default', () => {
    const config = parseConfig({});
    assert.equal(config.logFileSize, '10M');
    assert.equal(logSizeBytes(config.logFileSize), 10 * 1024 * 1024);
    assert.equal(config.logFiles, 5);
    assert.equal(parseConfig({ VIVIDLY_LOG_FILE_SIZE: '512K', VIVIDLY_LOG_FILES: '3' }).logFileSize, '512K');
    for (const env of [{ VIVIDLY_LOG_FILE_SIZE: '10MB' }, { VIVIDLY_LOG_FILE_SIZE: '0M' }, { VIVIDLY_LOG_FILE_SIZE: '1.5M' }, { VIVIDLY_LOG_FILES: '1' }]) {
      assert.throws(() => parseConfig(env), ConfigError, JSON.stringify(env));
    }
    assert.throws(() => logSizeBytes('10 M'), RangeError);
  });
});
