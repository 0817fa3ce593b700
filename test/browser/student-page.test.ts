import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../../functions/local/emulators/emulators.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { CHROMIUM_ARGS, findChromium } from '../helpers/chromium.js';
import { startTestPipeline, testConfig, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';

const OUT = path.resolve('test-output');
const shot = (name: string) => path.join(OUT, `student-${name}.png`);
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 780 };
const COVERED = 'What is the Pythagorean theorem?';
const KEYBOARD_QUESTION = "Explain Newton's third law";
const NOT_COVERED = 'how do I bake sourdough bread';

/** ms between two performance marks of the page (set by the page itself: submit, first event, playable). */
async function between(page: Page, from: string, to: string): Promise<number> {
  // A string, not a function: tsx would wrap a function's inner names in a helper the page does not have.
  const at = (name: string) => page.evaluate(`performance.getEntriesByName('vividly:${name}', 'mark').at(-1)?.startTime ?? null`) as Promise<number | null>;
  const [a, b] = [await at(from), await at(to)];
  return a === null || b === null ? NaN : b - a;
}

/** The page does not scroll sideways: nothing is wider than the viewport. */
async function assertNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${label}: ${scroll} px wide in a ${client} px viewport`);
}

/**
 * WCAG AA contrast of every visible text on the page: 4.5:1, or 3:1 for large text (24 px, or
 * 18.66 px bold), against the first opaque background behind it.
 */
async function contrastFailures(page: Page): Promise<string[]> {
  return page.evaluate(CONTRAST_SCRIPT) as Promise<string[]>;
}

/** Run in the page as a string (see `between`). */
const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return { r: 255, g: 255, b: 255 };
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    if (el.closest('[hidden], .visually-hidden, video') || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    const fg = parse(style.color);
    const bg = background(el);
    const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(ratio.toFixed(2) + ':1 "' + n.textContent.trim().slice(0, 40) + '" (' + style.color + ')');
  }
  return failures;
})()`;

/**
 * The student page in a real browser (Debian's Chromium through playwright-core), on the real
 * embedded pipeline, at a desktop and a phone size: the form, a lesson being made, the finished
 * lesson playing, a repeat from the cache, a question the library does not cover. Screenshots
 * go to test-output/student-*.png.
 */
describe('student page in headless Chromium @slow', function () {
  this.timeout(900_000);
  let t: TestPipeline;
  let server: Server;
  let base: string;
  let browser: Browser;
  let desktopContext: BrowserContext;
  let phoneContext: BrowserContext;
  let desktop: Page;
  let phone: Page;
  const problems: string[] = [];
  const foreign: string[] = [];
  const timings: Record<string, number> = {};
  let lessonId: string;

  const watch = (page: Page, label: string) => {
    // API answers the page handles (401 without a key, 422 not covered) are logged by Chromium as failed loads: not problems.
    page.on('console', (m) => void (m.type() === 'error' && !/Failed to load resource: .* status of (401|422)/.test(m.text()) && problems.push(`${label} console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`${label} page error: ${e.message}`));
    page.on('request', (r) => void (!r.url().startsWith(base) && !r.url().startsWith('data:') && foreign.push(r.url())));
    return page;
  };

  before(async function () {
    const found = findChromium();
    if ('reason' in found) {
      console.log(`    skipped: ${found.reason}`);
      this.skip();
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Signed media URLs name the server the student opened: same origin as the page.
    t = await startTestPipeline({ env: { PORT: String(port), VIVIDLY_PUBLIC_URL: base } });
    server = await new Promise<Server>((resolve) => {
      const s = createLocalApp(t.ports).listen(port, '127.0.0.1', () => resolve(s));
    });
    // One lesson made first: the metrics then know how long each stage takes (time left), and its question is a cache hit later.
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: COVERED, grade: 8, interest: 'skateboarding' }) });
    assert.equal(res.status, 202);
    assert.equal((await waitForTerminal(t.ports, ((await res.json()) as { id: string }).id)).status, 'completed');

    browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
    desktopContext = await browser.newContext({ viewport: DESKTOP });
    phoneContext = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    desktop = watch(await desktopContext.newPage(), 'desktop');
    phone = watch(await phoneContext.newPage(), 'phone');
    mkdirSync(OUT, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (t) {
      await t.ports.router.idle();
      await t.ports.close();
    }
    if (Object.keys(timings).length) {
      console.log('    timings (page performance marks):');
      console.table(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, { ms: Math.round(v) }])));
    }
  });

  it('shows the form with labelled fields; refuses what the API refuses, with its code, before sending', async () => {
    for (const [page, label] of [
      [desktop, 'desktop'],
      [phone, 'phone'],
    ] as const) {
      await page.goto(base);
      await page.getByLabel('Your question').waitFor();
      for (const name of ['Grade', 'Something you love (optional)', 'Calm, female voice', 'Calm, male voice', 'Lively, male voice']) {
        assert.equal(await page.getByLabel(name, { exact: true }).count(), 1, `${label}: a control labelled "${name}"`);
      }
      assert.equal(await page.locator('#key-field').isVisible(), false, 'no key field when the server needs none');
      await assertNoSidewaysScroll(page, label);
      await page.screenshot({ path: shot(`form-${label}`), fullPage: true });
    }
    await desktop.getByRole('button', { name: 'Make my lesson' }).click();
    const error = desktop.locator('#question-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'INVALID_REQUEST');
    assert.match((await error.textContent()) ?? '', /at least 3 characters/);
    assert.equal(await desktop.locator('#question').getAttribute('aria-invalid'), 'true');
    assert.equal(await desktop.evaluate(() => document.activeElement?.id), 'question', 'focus goes to the field to fix');
    assert.deepEqual(await contrastFailures(desktop), []);
  });

  it('keyboard only: asks, then shows the stages of the lesson being made with the time left', async () => {
    await desktop.goto(base);
    // Tab from the top of the page to the question.
    for (let i = 0; i < 10 && (await desktop.evaluate(() => document.activeElement?.id)) !== 'question'; i++) await desktop.keyboard.press('Tab');
    assert.equal(await desktop.evaluate(() => document.activeElement?.id), 'question');
    await desktop.keyboard.type(KEYBOARD_QUESTION);
    await desktop.keyboard.press('Tab'); // grade
    await desktop.keyboard.type('9');
    await desktop.keyboard.press('Tab'); // interest
    await desktop.keyboard.type('basketball');
    await desktop.keyboard.press('Tab'); // the voices (a radio group: arrows choose)
    await desktop.keyboard.press('ArrowRight');
    await desktop.keyboard.press('Tab'); // the button
    assert.equal(await desktop.evaluate(() => (document.activeElement as HTMLElement)?.textContent), 'Make my lesson');
    await desktop.keyboard.press('Enter');

    await desktop.locator('#progress').waitFor();
    lessonId = /#\/lesson\/(gen_\w+)/.exec(desktop.url())![1];
    const request = (await t.ports.state.getGeneration(lessonId))!.request;
    assert.deepEqual({ ...request }, { question: KEYBOARD_QUESTION, grade: 9, interest: 'basketball', voice: 'male_professional' });
    // The same lesson on the phone: a second client of the same generation.
    await phone.goto(`${base}/#/lesson/${lessonId}`);
    for (const [page, label] of [
      [desktop, 'desktop'],
      [phone, 'phone'],
    ] as const) {
      // Mid-way: a stage after the first is running.
      await page.locator('#stages li[data-state=running]:not([data-stage=understand])').first().waitFor({ timeout: 120_000 });
      const value = Number(await page.locator('#overall-bar').getAttribute('aria-valuenow'));
      assert.ok(value > 0 && value < 100, `${label}: overall ${value}%`);
      assert.match((await page.locator('#time-left').textContent()) ?? '', /left|longer than usual/, `${label}: a time left from the first lesson's durations`);
      assert.match((await page.locator('#overall-bar').getAttribute('aria-valuetext')) ?? '', /%, /);
      await assertNoSidewaysScroll(page, label);
      await page.screenshot({ path: shot(`progress-${label}`), fullPage: true });
    }
    timings['submit -> first progress event'] = await between(desktop, 'submit', 'first-event');
    assert.ok(Number.isFinite(timings['submit -> first progress event']));
  });

  it('plays the finished lesson: captions on, time advancing, chapters, a transcript that follows and seeks', async () => {
    for (const [page, label] of [
      [desktop, 'desktop'],
      [phone, 'phone'],
    ] as const) {
      await page.locator('#lesson').waitFor({ timeout: 240_000 });
      const g = (await t.ports.state.getGeneration(lessonId))!;
      assert.equal(await page.locator('#lesson-title').textContent(), g.script!.title);
      const sentences = page.locator('#transcript-list li');
      assert.equal(await sentences.count(), g.narration!.cues.length);
      // A click on a sentence (keyboard: the same button) plays from there.
      const k = 4;
      await sentences.nth(k).locator('button').click();
      await page.waitForFunction(() => !(document.getElementById('video') as HTMLVideoElement).paused);
      const start = g.narration!.cues[k].start;
      const first = await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);
      assert.ok(first >= start && first < start + 1.5, `${label}: seeked to ${first} for a sentence at ${start}`);
      await page.waitForFunction((at) => (document.getElementById('video') as HTMLVideoElement).currentTime > at + 1, first, { timeout: 30_000 });
      const state = await page.evaluate(() => {
        const v = document.getElementById('video') as HTMLVideoElement;
        const captions = Array.from(v.textTracks).find((tr) => tr.kind === 'captions')!;
        return { mode: captions.mode, cues: captions.activeCues?.length ?? 0, time: v.currentTime, poster: v.poster };
      });
      assert.equal(state.mode, 'showing', `${label}: captions on by default`);
      assert.ok(state.cues >= 1, `${label}: a caption is on screen`);
      assert.ok(state.poster.startsWith(base), `${label}: poster`);
      const current = await page.locator('#transcript-list li[aria-current=true]').getAttribute('aria-current');
      assert.equal(current, 'true', `${label}: the spoken sentence is highlighted`);
      await assertNoSidewaysScroll(page, label);
      await page.screenshot({ path: shot(`lesson-${label}`), fullPage: label === 'phone' });
      await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).pause());
    }

    // Chapters: one per section, around them the introduction, takeaways, check and sources; a click seeks.
    const g = (await t.ports.state.getGeneration(lessonId))!;
    const chapters = desktop.locator('#chapter-list button');
    await chapters.first().waitFor();
    assert.equal(await chapters.count(), g.script!.sections.length + 4);
    assert.match((await chapters.nth(1).textContent()) ?? '', new RegExp(g.script!.sections[0].heading.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await chapters.nth(2).click();
    const chapterStart = Number(await chapters.nth(2).getAttribute('data-start'));
    const at = await desktop.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);
    assert.ok(Math.abs(at - chapterStart) < 1, `chapter seek: ${at} vs ${chapterStart}`);
    await desktop.evaluate(() => (document.getElementById('video') as HTMLVideoElement).pause());

    // Sources and licence with links; the download link is the video.
    const sources = desktop.locator('#sources li');
    assert.equal(await sources.count(), g.script!.attribution.length);
    assert.equal(await sources.first().locator('a').first().getAttribute('href'), new URL(g.script!.attribution[0].url).href);
    assert.match((await sources.first().textContent()) ?? '', /CC BY 4\.0/);
    const download = await desktop.locator('#download').getAttribute('href');
    const head = await fetch(download!, { method: 'HEAD' });
    assert.equal(head.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(await contrastFailures(desktop), []);
  });

  it('answers a repeat from the cache at once: the video is playable without a progress screen', async () => {
    await desktop.getByRole('button', { name: 'Ask another question' }).click();
    await desktop.getByLabel('Your question').fill(COVERED);
    await desktop.getByLabel('Grade').selectOption('8');
    await desktop.getByLabel('Something you love (optional)').fill('skateboarding');
    await desktop.getByLabel('Calm, female voice').check();
    await desktop.getByRole('button', { name: 'Make my lesson' }).click();
    await desktop.locator('#lesson').waitFor();
    await desktop.waitForFunction(() => performance.getEntriesByName('vividly:playable').length > 0, undefined, { timeout: 30_000 });
    assert.equal(await desktop.locator('#lesson-cache').isVisible(), true);
    timings['cache hit: submit -> playable video'] = await between(desktop, 'submit', 'playable');
    assert.ok(Number.isFinite(timings['cache hit: submit -> playable video']));
  });

  it('not covered: says so plainly, offers the closest topics, and a choice starts a lesson on it', async () => {
    await desktop.getByRole('button', { name: 'Ask another question' }).click();
    await desktop.getByLabel('Your question').fill(NOT_COVERED);
    await desktop.getByRole('button', { name: 'Make my lesson' }).click();
    await desktop.locator('#not-covered').waitFor({ timeout: 120_000 });
    assert.equal(await desktop.locator('#not-covered-question').textContent(), NOT_COVERED);
    const alternatives = desktop.locator('#alternatives button');
    const count = await alternatives.count();
    assert.ok(count >= 1 && count <= 3, `${count} alternatives`);
    await desktop.screenshot({ path: shot('not-covered-desktop'), fullPage: true });

    // The same question from the phone: answered at once from the not-covered cache (422).
    await phone.goto(base);
    await phone.getByLabel('Your question').fill(NOT_COVERED);
    const answer = phone.waitForResponse((r) => r.url().endsWith('/v1/generations') && r.request().method() === 'POST');
    await phone.getByRole('button', { name: 'Make my lesson' }).click();
    assert.equal((await answer).status(), 422);
    await phone.locator('#not-covered').waitFor();
    assert.equal(await phone.locator('#alternatives button').count(), count);
    await assertNoSidewaysScroll(phone, 'phone');
    await phone.screenshot({ path: shot('not-covered-phone'), fullPage: true });
    assert.deepEqual(await contrastFailures(phone), []);

    // Choosing one asks for that topic.
    const chosen = await alternatives.first().getAttribute('data-topic');
    const posted = desktop.waitForRequest((r) => r.url().endsWith('/v1/generations') && r.method() === 'POST');
    await alternatives.first().click();
    assert.equal((await posted).postDataJSON().topicId, chosen);
    await desktop.locator('#progress').waitFor();
    const id = /#\/lesson\/(gen_\w+)/.exec(desktop.url())![1];
    await desktop.locator('#lesson').waitFor({ timeout: 240_000 });
    assert.equal((await t.ports.state.getGeneration(id))!.topic?.id, chosen);
  });

  it('keeps the student\'s recent lessons in the browser, across a reload', async () => {
    await desktop.reload();
    const items = desktop.locator('#recent-list li');
    await items.first().waitFor();
    const title = (await t.ports.state.getGeneration(lessonId))!.script!.title;
    const listed = desktop.locator(`#recent-list a[href="#/lesson/${lessonId}"]`);
    assert.equal(await listed.count(), 1, 'the keyboard lesson is listed once');
    assert.match((await listed.textContent()) ?? '', new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}ready`));
    assert.ok((await items.count()) >= 3, 'every lesson this browser asked for');
    await listed.click();
    await desktop.locator('#lesson').waitFor();
  });

  it('loads nothing from another origin and runs without errors under its CSP', async () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(problems, []);
    const res = await fetch(base);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /connect-src 'self';/);
    assert.doesNotMatch(csp, /unsafe|\*/);
  });

  it('honours prefers-reduced-motion; with API keys asks for one and lists only that key\'s lessons', async () => {
    const ports = createEmbeddedPorts(testConfig({ VIVIDLY_API_KEYS: 'key-one,key-two' }), { logSink: () => {} });
    const keyed = await new Promise<Server>((resolve) => {
      const s = createLocalApp(ports).listen(0, '127.0.0.1', () => resolve(s));
    });
    const keyedBase = `http://127.0.0.1:${(keyed.address() as { port: number }).port}`;
    const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
    try {
      const page = await context.newPage();
      await page.goto(keyedBase);
      await page.locator('#key-field').waitFor();
      await page.getByLabel('Your question').fill('What is a force?');
      await page.getByRole('button', { name: 'Make my lesson' }).click();
      assert.equal(await page.locator('#key-error').getAttribute('data-code'), 'INVALID_REQUEST');
      await page.getByLabel('API key').fill('wrong');
      await page.getByRole('button', { name: 'Make my lesson' }).click();
      await page.locator('#key-error[data-code=UNAUTHORIZED]').waitFor();
      await page.getByLabel('API key').fill('key-one');
      await page.getByRole('button', { name: 'Make my lesson' }).click();
      await page.locator('#progress').waitFor();
      const id = /#\/lesson\/(gen_\w+)/.exec(page.url())![1];
      // No pipeline runs here: make a stage run so the page draws it moving (or not).
      await ports.state.updateStage(id, 'understand', { state: 'running', progress: 0.3, startedAt: new Date().toISOString() }, { incrementAttempts: true });
      const running = page.locator('#stages li[data-stage=understand][data-state=running] .fill');
      await running.waitFor();
      assert.equal(await running.evaluate((e) => getComputedStyle(e).animationName), 'none', 'no moving stripes under reduced motion');
      const moving = await context.newPage();
      await moving.emulateMedia({ reducedMotion: 'no-preference' });
      await moving.goto(`${keyedBase}/#/lesson/${id}`);
      await moving.locator('#key-field').waitFor();
      assert.equal(await moving.getByLabel('API key').inputValue(), '', 'the key is kept per tab');
      assert.match((await moving.locator('#form-message').textContent()) ?? '', /API key/);

      // The key's lessons only: key-one's lesson is listed; with key-two it is not.
      await page.goto(keyedBase);
      await page.locator(`#recent-list a[href="#/lesson/${id}"]`).waitFor();
      await page.getByLabel('API key').fill('key-two');
      await page.getByLabel('Your question').fill('What is energy?');
      await page.getByRole('button', { name: 'Make my lesson' }).click();
      await page.locator('#progress').waitFor();
      assert.equal(await page.locator(`#recent-list a[href="#/lesson/${id}"]`).count(), 0, "key-one's lesson is not listed under key-two");
      // Moving stripes where motion is welcome.
      await moving.evaluate(() => sessionStorage.setItem('vividly.apiKey', 'key-one'));
      await moving.reload();
      const stripes = moving.locator('#stages li[data-stage=understand][data-state=running] .fill');
      await stripes.waitFor();
      assert.equal(await stripes.evaluate((e) => getComputedStyle(e).animationName), 'stripes');
    } finally {
      await context.close();
      keyed.close();
      await ports.close();
    }
  });
});
