import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { TOPICS } from '../../events/schemas.js';
import { collectStats } from '../../functions/local/cli.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { InProcessEventRouter } from '../../shared/adapters/in-process-event-router.js';
import { SqliteStateStore } from '../../shared/adapters/sqlite-state-store.js';
import { parseConfig } from '../../shared/config.js';
import { FUNCTIONS, METRIC_NAMES, type InvocationRecord } from '../../shared/observability/invocation-record.js';
import { InvocationMetrics, LOCAL_METRIC_NAMES, meteredSink, percentilesOf, RESERVOIR_SIZE } from '../../shared/observability/metrics.js';
import { formatStatsTable } from '../../shared/observability/ops-stats.js';
import { createEmbeddedPorts, dataFiles } from '../../shared/runtime/create-embedded-ports.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { alwaysFailingSpeech } from '../helpers/doubles.js';
import { startTestPipeline, testConfig, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text format 0.0.4: every line is a HELP, a TYPE or a sample
 * with well-formed labels and a number, or the test fails.
 */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleRe = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (NaN|[+-]Inf|[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)(?: -?\\d+)?$`);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (new RegExp(`^# HELP ${NAME} .*$`).test(line)) continue;
    const m = sampleRe.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      const rest = m[2].replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g, (_all, k: string, v: string) => {
        labels[k] = v.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        return '';
      });
      assert.equal(rest, '', `malformed labels in ${JSON.stringify(line)}`);
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** Sum of the samples named `name` whose labels include `match`. */
function sumOf(samples: Sample[], name: string, match: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);
}

function recordsOf(logs: Record<string, unknown>[]): InvocationRecord[] {
  return logs.filter((l) => l.kind === 'invocation') as unknown as InvocationRecord[];
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

const record = (fields: Partial<InvocationRecord>): InvocationRecord => ({ kind: 'invocation', stage: 'write', eventId: 'e1', outcome: 'ok', durationMs: 10, ...fields });

describe('local metrics: InvocationMetrics', () => {
  it('exposes every contract metric with the contract label names, in parseable Prometheus text', async () => {
    const m = new InvocationMetrics();
    m.observe(record({ stage: 'narrate', outcome: 'retry', errorCode: 'SPEECH_UNAVAILABLE', durationMs: 40 }));
    m.observe(record({ stage: 'render', durationMs: 20_000, mediaSeconds: 95.5 }));
    m.observe(record({ stage: 'publish', durationMs: 30, generationLatencyMs: 45_000 }));
    m.observe(record({ stage: 'dead-letter', outcome: 'dead-lettered', errorCode: 'SPEECH_UNAVAILABLE', sourceStage: 'narrate' }));
    m.observe(record({ stage: 'sweep', stalledGenerations: 2 }));
    const { samples, types } = parsePrometheus(await m.metricsText());
    assert.equal(types.get(METRIC_NAMES.invocations), 'counter');
    assert.equal(types.get(METRIC_NAMES.latencyMs), 'histogram');
    assert.equal(types.get(METRIC_NAMES.generationLatencyMs), 'histogram');
    assert.equal(types.get(METRIC_NAMES.mediaSeconds), 'histogram');
    assert.equal(types.get(METRIC_NAMES.deadLettered), 'counter');
    assert.equal(types.get(METRIC_NAMES.stalledGenerations), 'gauge');
    assert.equal(sumOf(samples, METRIC_NAMES.invocations, { stage: 'narrate', outcome: 'retry', error_code: 'SPEECH_UNAVAILABLE' }), 1);
    assert.equal(sumOf(samples, METRIC_NAMES.invocations, { stage: 'render', outcome: 'ok', error_code: '' }), 1);
    assert.equal(sumOf(samples, `${METRIC_NAMES.latencyMs}_count`, { stage: 'render', outcome: 'ok' }), 1);
    assert.equal(sumOf(samples, `${METRIC_NAMES.latencyMs}_bucket`, { stage: 'render', le: '10000' }), 0);
    assert.equal(sumOf(samples, `${METRIC_NAMES.latencyMs}_bucket`, { stage: 'render', le: '30000' }), 1);
    assert.equal(sumOf(samples, `${METRIC_NAMES.mediaSeconds}_sum`, { stage: 'render' }), 95.5);
    assert.equal(sumOf(samples, `${METRIC_NAMES.generationLatencyMs}_count`, { stage: 'publish' }), 1);
    assert.equal(sumOf(samples, METRIC_NAMES.deadLettered, { source_stage: 'narrate', error_code: 'SPEECH_UNAVAILABLE' }), 1);
    assert.equal(sumOf(samples, METRIC_NAMES.stalledGenerations), 2);
  });

  it('reads records from log lines, ignores other lines, and rejects a record with a renamed field', () => {
    const m = new InvocationMetrics();
    const line = (r: object) => JSON.stringify({ severity: 'INFO', message: 'x', time: '2026-01-01T00:00:00.000Z', ...r });
    assert.equal(m.observeLine(line(record({ stage: 'understand' }))), true);
    assert.equal(m.observeLine(line({ stage: 'understand', message: 'an ordinary log line' })), false);
    assert.equal(m.observeLine('{"kind":"invocation", not json'), false);
    const renamed = { ...record({ stage: 'understand' }), duration_ms: 10 } as Record<string, unknown>;
    delete renamed.durationMs;
    assert.equal(m.observeLine(line(renamed)), false);
    assert.equal(m.rejected, 1);
    assert.equal(m.summary().find((s) => s.stage === 'understand')!.count, 1);
  });

  it('gives exact p50/p95/p99 over the most recent RESERVOIR_SIZE durations of each function', () => {
    assert.deepEqual(percentilesOf([...Array(100).keys()].map((i) => i + 1)), { p50: 50, p95: 95, p99: 99, sampleSize: 100 });
    const m = new InvocationMetrics();
    // 500 slow ones first, then RESERVOIR_SIZE fast ones: the slow ones fall out of the window.
    for (let i = 0; i < 500; i++) m.observe(record({ stage: 'render', durationMs: 60_000 }));
    for (let i = 1; i <= RESERVOIR_SIZE; i++) m.observe(record({ stage: 'render', durationMs: i }));
    const render = m.summary().find((s) => s.stage === 'render')!;
    assert.equal(render.count, 500 + RESERVOIR_SIZE);
    assert.deepEqual(render.latencyMs, { p50: RESERVOIR_SIZE / 2, p95: RESERVOIR_SIZE * 0.95, p99: RESERVOIR_SIZE * 0.99, sampleSize: RESERVOIR_SIZE });
    assert.deepEqual(render.recent.at(-1), { at: render.recent.at(-1)!.at, ms: RESERVOIR_SIZE, outcome: 'ok' });
  });

  it('counts every invocation whatever the log level, and passes on what that level would write', () => {
    for (const [level, expected] of [
      ['warn', ['invocation INFO', 'other WARNING']],
      ['error', ['invocation INFO']],
      ['silent', []],
      ['debug', ['invocation INFO', 'other DEBUG', 'other WARNING']],
    ] as const) {
      const m = new InvocationMetrics();
      const out: string[] = [];
      const sink = meteredSink(m, level, (l) => out.push(l));
      sink(JSON.stringify({ severity: 'INFO', message: 'write ok', time: new Date().toISOString(), ...record({}) }));
      sink(JSON.stringify({ severity: 'DEBUG', message: 'other' }));
      sink(JSON.stringify({ severity: 'WARNING', message: 'other' }));
      assert.deepEqual(out.map((l) => JSON.parse(l)).map((l) => `${l.kind ?? l.message} ${l.severity}`), expected, level);
      assert.equal(m.summary().find((s) => s.stage === 'write')!.count, 1, level);
    }
  });
});

describe('local metrics: queue depth of the in-process router', () => {
  it('counts unacknowledged messages per subscription, including one between retries, until acked or dead-lettered', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 2, minBackoffMs: 1, maxBackoffMs: 2 });
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setTimeout(r, 2));
    };
    const release: (() => void)[] = [];
    router.subscribe(TOPICS.scriptWritten, 'narrate', () => new Promise<void>((resolve) => release.push(resolve)), { maxConcurrent: 1 });
    // retrieve fails its first attempt, and its second fails when the test says so.
    let retrieveCalls = 0;
    let failSecondAttempt: (() => void) | undefined;
    router.subscribe(TOPICS.topicResolved, 'retrieve', async () => {
      if (++retrieveCalls === 1) throw new Error('down');
      await new Promise<void>((_resolve, reject) => (failSecondAttempt = () => reject(new Error('still down'))));
    });
    router.subscribe(TOPICS.deadLetter, 'dead-letter', async () => {});
    const queue = (name: string) => router.queueStats().find((q) => q.subscription === name)!;

    for (let i = 0; i < 3; i++) await router.publish(TOPICS.scriptWritten, { v: 1, generationId: `g${i}` });
    await until(() => release.length === 1);
    assert.equal(queue('narrate').depth, 3);
    assert.equal(queue('narrate').running, 1);
    assert.equal(queue('narrate').source, TOPICS.scriptWritten);
    assert.ok(queue('narrate').oldestAgeSeconds >= 0);
    while (queue('narrate').depth > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.deepEqual(queue('narrate'), { subscription: 'narrate', source: TOPICS.scriptWritten, depth: 0, running: 0, oldestAgeSeconds: 0 });

    await router.publish(TOPICS.topicResolved, { v: 1, generationId: 'g9' });
    await until(() => failSecondAttempt !== undefined);
    assert.equal(queue('retrieve').depth, 1, 'a message being retried is still unacknowledged');
    failSecondAttempt!();
    await router.idle();
    assert.equal(queue('retrieve').depth, 0, 'a dead-lettered message leaves the queue');
    assert.equal(queue('dead-letter').depth, 0);
    router.close();
  });
});

describe('local metrics: /metrics and /ops/data after real generations (embedded pipeline) @slow', function () {
  this.timeout(300_000);
  let t: TestPipeline;
  let app: ReturnType<typeof createLocalApp>;
  let goodId: string;
  let failedId: string;

  before(async () => {
    t = await startTestPipeline();
    app = createLocalApp(t.ports);
    const good = await request(app).post('/v1/generations').send({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }).expect(202);
    goodId = good.body.id;
    assert.equal((await waitForTerminal(t.ports, goodId)).status, 'completed');
  });
  after(async () => t?.ports.close());

  it('answers Prometheus text 0.0.4 that parses, with one latency observation per stage invocation', async () => {
    const res = await request(app).get('/metrics').expect(200);
    assert.equal(res.headers['content-type'], PROMETHEUS_CONTENT_TYPE);
    const { samples } = parsePrometheus(res.text);
    const records = recordsOf(t.logs);
    const perStage = countBy(records, (r) => r.stage);
    for (const stage of ['api', 'understand', 'retrieve', 'write', 'narrate', 'render', 'publish']) assert.ok((perStage.get(stage) ?? 0) >= 1, `no ${stage} record`);
    for (const stage of FUNCTIONS) {
      assert.equal(sumOf(samples, `${METRIC_NAMES.latencyMs}_count`, { stage }), perStage.get(stage) ?? 0, `latency observations of ${stage}`);
      assert.equal(sumOf(samples, METRIC_NAMES.invocations, { stage }), perStage.get(stage) ?? 0, `invocations of ${stage}`);
    }
    assert.equal(sumOf(samples, `${METRIC_NAMES.generationLatencyMs}_count`), 1);
    const video = (await t.ports.state.getGeneration(goodId))!.video!;
    assert.ok(Math.abs(sumOf(samples, `${METRIC_NAMES.mediaSeconds}_sum`, { stage: 'render' }) - video.durationSeconds) < 0.5);
    assert.equal(sumOf(samples, `${METRIC_NAMES.mediaSeconds}_count`, { stage: 'narrate' }), 1);
    // Scrape-time figures: every subscription of the pipeline, nothing queued, nothing open.
    for (const sub of ['understand', 'retrieve', 'write', 'narrate', 'render', 'publish', 'dead-letter', 'sweep']) {
      assert.ok(samples.some((s) => s.name === LOCAL_METRIC_NAMES.queueDepth && s.labels.subscription === sub && s.value === 0), `queue depth of ${sub}`);
    }
    assert.equal(sumOf(samples, LOCAL_METRIC_NAMES.openGenerations), 0);
  });

  it('shows a forced failure (speech always down, narrate dead-lettered) in the invocation counter with its outcome and error code', async () => {
    t.ports.speech = alwaysFailingSpeech();
    const res = await request(app).post('/v1/generations').send({ question: 'How does photosynthesis work?', grade: 8, interest: 'gardening' }).expect(202);
    failedId = res.body.id;
    const g = await waitForTerminal(t.ports, failedId);
    assert.equal(g.status, 'failed');
    assert.equal(g.error?.code, 'SPEECH_UNAVAILABLE');

    const { samples } = parsePrometheus((await request(app).get('/metrics').expect(200)).text);
    assert.equal(sumOf(samples, METRIC_NAMES.invocations, { stage: 'narrate', outcome: 'retry', error_code: 'SPEECH_UNAVAILABLE' }), t.config.maxAttempts);
    assert.equal(sumOf(samples, METRIC_NAMES.deadLettered, { source_stage: 'narrate', error_code: 'SPEECH_UNAVAILABLE' }), 1);
    // Every (stage, outcome, error code) the records hold is counted exactly.
    const byLabels = countBy(recordsOf(t.logs), (r) => `${r.stage}|${r.outcome}|${r.errorCode ?? ''}`);
    for (const [key, n] of byLabels) {
      const [stage, outcome, error_code] = key.split('|');
      assert.equal(sumOf(samples, METRIC_NAMES.invocations, { stage, outcome, error_code }), n, key);
    }
    assert.equal(sumOf(samples, METRIC_NAMES.invocations), recordsOf(t.logs).length);
  });

  it('/ops/data holds the same figures, per function, with the error codes', async () => {
    const data = (await request(app).get('/ops/data').expect(200)).body;
    const records = recordsOf(t.logs);
    assert.equal(data.source, 'server');
    assert.deepEqual(data.stages.map((s: { stage: string }) => s.stage), [...FUNCTIONS]);
    for (const row of data.stages) {
      const mine = records.filter((r) => r.stage === row.stage);
      assert.equal(row.count, mine.length, row.stage);
      assert.equal(row.outcomes.ok, mine.filter((r) => r.outcome === 'ok').length, row.stage);
      assert.equal(row.errors, mine.filter((r) => r.outcome === 'retry' || r.outcome === 'failed').length, row.stage);
      assert.equal(row.latencyMs.sampleSize, mine.length);
      const sorted = mine.map((r) => r.durationMs).sort((a, b) => a - b);
      if (sorted.length) assert.equal(row.latencyMs.p50, sorted[Math.ceil(sorted.length / 2) - 1], row.stage);
      assert.equal(row.queueDepth, row.stage === 'api' ? null : 0, row.stage);
    }
    const narrate = data.stages.find((s: { stage: string }) => s.stage === 'narrate');
    assert.deepEqual(narrate.errorCodes[0], { code: 'SPEECH_UNAVAILABLE', count: t.config.maxAttempts });
    assert.equal(data.generations.completed, 1);
    assert.deepEqual(data.stuck, []);
    assert.equal(data.totals.invocations, records.length);
  });

  it('reports a generation that stopped moving as stuck, at the stage it waits for', async () => {
    const old = new Date(Date.now() - (t.config.stallSeconds + 60) * 1000).toISOString();
    const g = newGeneration({ status: 'script_written', createdAt: old, updatedAt: old });
    await t.ports.state.createGeneration(g);
    const data = (await request(app).get('/ops/data').expect(200)).body;
    assert.equal(data.stuck.length, 1);
    assert.equal(data.stuck[0].id, g.id);
    assert.equal(data.stuck[0].stage, 'narrate');
    assert.ok(data.stuck[0].ageSeconds >= t.config.stallSeconds + 60);
    assert.deepEqual(data.openGenerations, { script_written: 1 });
    assert.equal(data.stages.find((s: { stage: string }) => s.stage === 'narrate').stuck, 1);
    const { samples } = parsePrometheus((await request(app).get('/metrics').expect(200)).text);
    assert.equal(sumOf(samples, LOCAL_METRIC_NAMES.stuckGenerations, { stage: 'narrate' }), 1);
    assert.equal(sumOf(samples, LOCAL_METRIC_NAMES.openGenerations, { status: 'script_written' }), 1);
    await t.ports.state.fail(g.id, { stage: 'narrate', code: 'TEST', message: 'cleanup' });
  });

  it('`vividly stats --url` prints the running server\'s table', async () => {
    const server = app.listen(0);
    try {
      await new Promise((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const data = await collectStats(t.config, { url });
      const table = formatStatsTable(data);
      const narrate = table.split('\n').find((l) => l.startsWith('narrate '))!;
      assert.match(narrate, new RegExp(`^narrate\\s+${data.stages.find((s) => s.stage === 'narrate')!.count}\\s+1\\s+${t.config.maxAttempts}\\s+SPEECH_UNAVAILABLE x${t.config.maxAttempts}\\s`));
      assert.match(table, /source: the running server's metrics since it started/);
      assert.match(table, /generations completed: 1,/);
    } finally {
      server.close();
    }
  });
});

describe('local ops endpoints with API keys', () => {
  it('need the key for /metrics and /ops/data; /ops is a static page with a strict CSP', async () => {
    const config = testConfig({ VIVIDLY_API_KEYS: 'k-one, k-two' });
    const ports = createEmbeddedPorts(config, { logSink: () => {} });
    try {
      const app = createLocalApp(ports);
      for (const p of ['/metrics', '/ops/data']) {
        const denied = await request(app).get(p).expect(401);
        assert.equal(denied.body.error.code, 'UNAUTHORIZED');
        await request(app).get(p).set('authorization', 'Bearer wrong').expect(401);
        await request(app).get(p).set('authorization', 'Bearer k-two').expect(200);
      }
      const page = await request(app).get('/ops').expect(200);
      assert.match(page.headers['content-type'], /^text\/html/);
      const csp = page.headers['content-security-policy'];
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce, csp);
      assert.match(csp, /default-src 'none'/);
      assert.ok(page.text.includes(`<script nonce="${nonce}">`));
      assert.doesNotMatch(page.text, /(src|href)="https?:/, 'the page loads nothing from elsewhere');
      // Other methods on the ops paths fall through to the API's JSON 404, never a stack trace.
      const post = await request(app).post('/metrics').set('authorization', 'Bearer k-one').send({}).expect(404);
      assert.equal(post.body.error.code, 'NOT_FOUND');
    } finally {
      await ports.close();
    }
  });
});

describe('vividly stats (data directory)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let now: number;

  before(async () => {
    now = Date.now(); // when the test runs, not when the file loads (the ages are relative to it)
    dataDir = mkdtempSync(path.join(tmpdir(), 'vividly-stats-'));
    mkdirSync(path.join(dataDir, 'logs'));
    const lines: string[] = [];
    const add = (r: Partial<InvocationRecord>, severity = 'INFO') =>
      lines.push(JSON.stringify({ severity, message: `${r.stage} ${r.outcome}`, time: new Date(now).toISOString(), kind: 'invocation', eventId: 'e', ...r }));
    for (let i = 1; i <= 20; i++) add({ stage: 'understand', outcome: 'ok', durationMs: i * 10 });
    add({ stage: 'understand', outcome: 'failed', durationMs: 5, errorCode: 'TOPIC_NOT_COVERED' }, 'ERROR');
    for (let i = 1; i <= 4; i++) add({ stage: 'narrate', outcome: 'retry', durationMs: 100 * i, errorCode: 'SPEECH_UNAVAILABLE' }, 'WARNING');
    add({ stage: 'narrate', outcome: 'ok', durationMs: 9000, mediaSeconds: 80 });
    add({ stage: 'publish', outcome: 'ok', durationMs: 12, generationLatencyMs: 42_000 });
    lines.push(JSON.stringify({ severity: 'INFO', message: 'vividly listening on http://localhost:8080', stage: 'api' }));
    lines.push('not json at all');
    writeFileSync(path.join(dataDir, 'logs', 'vividly.log'), lines.join('\n') + '\n');
    const state = new SqliteStateStore(dataFiles(dataDir).state);
    const old = new Date(now - 3600_000).toISOString();
    await state.createGeneration(newGeneration({ id: 'gen_stuckstuckstuck01', status: 'narrated', createdAt: old, updatedAt: old }));
    await state.createGeneration(newGeneration({ id: 'gen_freshfreshfresh01', status: 'requested' }));
    await state.close();
  });

  it('builds the per-function table from the records in the logs and the state file', async () => {
    const data = await collectStats(parseConfig({ VIVIDLY_DATA_DIR: dataDir }));
    const table = formatStatsTable(data);
    const row = (stage: string) => table.split('\n').find((l) => l.startsWith(`${stage} `))!.trim().split(/\s{2,}/);
    // function, count, ok, errors, top error, p50, p95, p99, queue, waiting, stuck
    assert.deepEqual(row('understand'), ['understand', '21', '20', '1', 'TOPIC_NOT_COVERED x1', '100 ms', '190 ms', '200 ms', '-', '1', '0']);
    assert.deepEqual(row('narrate'), ['narrate', '5', '1', '4', 'SPEECH_UNAVAILABLE x4', '300 ms', '9.00 s', '9.00 s', '-', '0', '0']);
    assert.deepEqual(row('render'), ['render', '0', '0', '0', '-', '-', '-', '-', '-', '1', '1']);
    assert.match(table, /generations completed: 1, end to end p50\/p95\/p99: 42\.0 s \/ 42\.0 s \/ 42\.0 s\n/);
    assert.match(table, /open generations: (requested 1, narrated 1|narrated 1, requested 1)/);
    assert.match(table, /stuck generations \(no update for 300 s\): 1\n {2}gen_stuckstuckstuck01 {2}narrated at render, 60 min ago/);
    assert.match(table, /queue depth needs a running server/);
  });

  it('runs as the `vividly stats` command', async () => {
    const cli = path.resolve('functions/local/vividly.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'stats'], { env: { ...process.env, VIVIDLY_DATA_DIR: dataDir } });
    assert.match(stdout, /^function\s+count\s+ok\s+errors\s+top error\s+p50\s+p95\s+p99\s+queue\s+waiting\s+stuck$/m);
    assert.match(stdout, /^narrate\s+5\s+1\s+4\s+SPEECH_UNAVAILABLE x4/m);
    const json = await promisify(execFile)(process.execPath, [cli, 'stats', '--json'], { env: { ...process.env, VIVIDLY_DATA_DIR: dataDir } });
    assert.equal(JSON.parse(json.stdout).stages.find((s: { stage: string }) => s.stage === 'understand').count, 21);
  });
});
