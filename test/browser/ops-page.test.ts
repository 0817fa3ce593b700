import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLocalApp } from '../../functions/local/serve.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { formatDuration, type OpsData } from '../../shared/observability/ops-stats.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { alwaysFailingSpeech } from '../helpers/doubles.js';
import { startTestPipeline, testConfig, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';

const SCREENSHOT = path.resolve('test-output', 'ops-page.png');

/**
 * The ops page in a real browser (Debian's Chromium driven by playwright-core): after two good
 * generations and one that fails, the page shows the same figures as /ops/data, draws a latency
 * chart per function, lists the stuck generation, refreshes itself, and loads nothing from elsewhere.
 */
describe('ops page in headless Chromium @slow', function () {
  this.timeout(300_000);
  let t: TestPipeline;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  let stuckId: string;
  let executablePath: string;

  before(async function () {
    const found = findChromium();
    if ('reason' in found) {
      console.log(`    skipped: ${found.reason}`);
      this.skip();
    }
    executablePath = found.executablePath;
    t = await startTestPipeline();
    const app = createLocalApp(t.ports);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const post = async (body: object) => {
      const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 202);
      return ((await res.json()) as { id: string }).id;
    };
    const good = [
      await post({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }),
      await post({ question: 'What is the Pythagorean theorem?', grade: 8, interest: 'skateboarding' }),
    ];
    for (const id of good) assert.equal((await waitForTerminal(t.ports, id)).status, 'completed');
    t.ports.speech = alwaysFailingSpeech();
    const failing = await post({ question: 'How does photosynthesis work?', grade: 7, interest: 'gardening' });
    assert.equal((await waitForTerminal(t.ports, failing)).status, 'failed');
    // A generation that stopped moving an hour ago (no sweep runs here), for the stuck list.
    const old = new Date(Date.now() - 3600_000).toISOString();
    stuckId = newGeneration({ status: 'narrated', createdAt: old, updatedAt: old }).id;
    await t.ports.state.createGeneration(newGeneration({ id: stuckId, status: 'narrated', createdAt: old, updatedAt: old }));

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
    page.on('request', (r) => void (!r.url().startsWith(base) && foreignRequests.push(r.url())));
    await page.goto(`${base}/ops`);
    // Rows show counts once the first /ops/data answer is drawn (publish also ignores the captions and poster objects).
    await cellShows('publish', 'ok', '2');
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await t?.ports.close();
  });

  const cellLocator = (stage: string, field: string) => page.locator(`#stages tr[data-stage="${stage}"] td[data-field="${field}"]`);
  const cell = (stage: string, field: string) => cellLocator(stage, field).textContent();
  /** Waits (in Playwright's own isolated world, which the page's CSP does not restrict) until a cell shows `text`. */
  const cellShows = (stage: string, field: string, text: string) =>
    cellLocator(stage, field).filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 30_000 });

  it('shows, per function, the counts, errors, error codes and percentiles of /ops/data', async () => {
    const data = (await (await fetch(`${base}/ops/data`)).json()) as OpsData;
    assert.equal(await page.locator('#stages tbody tr').count(), data.stages.length);
    for (const s of data.stages) {
      assert.equal(await cell(s.stage, 'count'), String(s.count), `${s.stage} count`);
      assert.equal(await cell(s.stage, 'ok'), String(s.outcomes.ok), `${s.stage} ok`);
      assert.equal(await cell(s.stage, 'errors'), String(s.errors), `${s.stage} errors`);
      for (const p of ['p50', 'p95', 'p99'] as const) assert.equal(await cell(s.stage, p), formatDuration(s.latencyMs[p]).replace('-', '–'), `${s.stage} ${p}`);
      // One bar per recent invocation (the chart shows the last 40).
      assert.equal(await page.locator(`#stages tr[data-stage="${s.stage}"] svg rect`).count(), Math.min(40, s.count), `${s.stage} bars`);
    }
    const narrate = data.stages.find((s) => s.stage === 'narrate')!;
    assert.equal(narrate.errors, t.config.maxAttempts);
    assert.match((await cell('narrate', 'codes')) ?? '', new RegExp(`SPEECH_UNAVAILABLE ×${t.config.maxAttempts}`));
    assert.equal(await page.locator('#stages tr[data-stage="narrate"] svg rect.retry').count(), t.config.maxAttempts);
    assert.equal(await page.locator('#c-completed').textContent(), '2');
    assert.equal(await page.locator('#c-invocations').textContent(), String(data.totals.invocations));
  });

  it('lists the stuck generation with its status, stage and age', async () => {
    const row = page.locator(`#stuck tr[data-generation="${stuckId}"]`);
    assert.equal(await row.locator('td[data-field="status"]').textContent(), 'narrated');
    assert.equal(await row.locator('td[data-field="stage"]').textContent(), 'render');
    assert.equal(await row.locator('td[data-field="age"]').textContent(), '60 min');
    assert.equal(await page.locator('#c-stuck').textContent(), '1');
  });

  it('refreshes itself: a new request shows up without reloading the page', async () => {
    const before = Number(await cell('api', 'count'));
    // A repeat of a finished question: answered from the request cache, one more api invocation.
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }) });
    assert.equal(res.status, 200);
    await cellShows('api', 'count', String(before + 1));
  });

  it('loads nothing from elsewhere and runs without errors under its CSP; full-page screenshot', async () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(problems, []);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`    screenshot: ${SCREENSHOT}`);
  });

  it('asks for the API key when the server has keys, and shows the figures once given', async () => {
    const ports = createEmbeddedPorts(testConfig({ VIVIDLY_API_KEYS: 'ops-key-1' }), { logSink: () => {} });
    const keyed = await new Promise<Server>((resolve) => {
      const s = createLocalApp(ports).listen(0, '127.0.0.1', () => resolve(s));
    });
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(keyed.address() as AddressInfo).port}/ops`);
      await other.locator('#keyform').waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await other.locator('#updated').textContent(), 'API key required');
      await other.locator('#key').fill('ops-key-1');
      await other.locator('#keyform button').click();
      await other.locator('#stages tr[data-stage="narrate"] td[data-field="count"]').filter({ hasText: /^0$/ }).waitFor({ timeout: 30_000 });
      assert.equal(await other.locator('#keyform').isVisible(), false);
    } finally {
      await other.close();
      keyed.close();
      await ports.close();
    }
  });
});
