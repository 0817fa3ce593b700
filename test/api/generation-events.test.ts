import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { eventIdOf, streamGenerationEvents, watchHubOf } from '../../functions/api/generation-events.js';
import { createLocalApp, listen as listenLocal } from '../../functions/local/serve.js';
import { statusRank, type Generation, type Status } from '../../shared/domain/generation.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { newGeneration, until } from '../contract/state-store.contract.js';
import { startTestPipeline, testConfig, type TestPipeline } from '../helpers/embedded.js';
import { readEventStream, type SseEvent } from '../helpers/sse.js';

interface EventView {
  id: string;
  status: Status;
  progress: number;
  updatedAt: string;
  stages: Record<string, { state: string; progress: number; attempts: number }>;
  result: { video: { url: string }; captions: { url: string }; chapters: { url: string } | null; transcript: { start: number; end: number; text: string }[] } | null;
  error: { code: string; stage: string } | null;
  timeLeft: { seconds: number | null; overdue: boolean; basis: string } | null;
}
const view = (e: SseEvent) => e.data as EventView;

function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/**
 * Events of one stream are in order: status never goes back, nor the update time; overall progress
 * drops only when a stage starts a new attempt; no id twice.
 */
function assertInOrder(events: SseEvent[], label: string): void {
  const views = events.map(view);
  const attempts = (v: EventView) => Object.values(v.stages).reduce((n, s) => n + s.attempts, 0);
  for (let i = 1; i < views.length; i++) {
    assert.ok(statusRank(views[i].status) >= statusRank(views[i - 1].status), `${label}: status ${views[i - 1].status} -> ${views[i].status}`);
    assert.ok(views[i].progress >= views[i - 1].progress || attempts(views[i]) > attempts(views[i - 1]), `${label}: progress ${views[i - 1].progress} -> ${views[i].progress}`);
    assert.ok(views[i].updatedAt >= views[i - 1].updatedAt, `${label}: updatedAt goes back`);
  }
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, `${label}: an event id repeats`);
}

describe('generation events (SSE) without the pipeline', () => {
  let ports: EmbeddedPorts;
  let server: Server;
  let base: string;

  before(async () => {
    ports = createEmbeddedPorts(testConfig(), { logSink: () => {} });
    ({ server, base } = await listen(createLocalApp(ports)));
  });
  after(async () => {
    server?.close();
    await ports?.close();
  });

  it('sends the current state, each change, then the terminal event, and ends the stream', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const reading = readEventStream(`${base}/v1/generations/${g.id}/events`, {
      onEvent: (e) => {
        // Move the generation along as the client sees each state.
        const s = view(e).status;
        if (s === 'requested') void ports.state.transition(g.id, 'requested', 'topic_resolved');
        if (s === 'topic_resolved') void ports.state.fail(g.id, { stage: 'retrieve', code: 'NO_SOURCES', message: 'nothing found' });
      },
    });
    const read = await reading;
    assert.equal(read.status, 200);
    assert.match(read.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(read.headers.get('cache-control'), 'no-store');
    assert.ok(read.retry! > 0, 'a retry delay is suggested');
    assert.deepEqual(read.events.map((e) => [e.event, view(e).status]), [
      ['progress', 'requested'],
      ['progress', 'topic_resolved'],
      ['failed', 'failed'],
    ]);
    assert.equal(view(read.events[2]).error?.code, 'NO_SOURCES');
    assert.ok(read.endedByServer, 'the server ends the stream after the terminal event');
    assert.equal(read.events[2].id, eventIdOf((await ports.state.getGeneration(g.id))!));
    await until(() => watchHubOf(ports.state).watchCount === 0);
  });

  it('resumes with Last-Event-ID: nothing already sent is sent again; 204 once the client has the end', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const first = await readEventStream(`${base}/v1/generations/${g.id}/events`, { stop: () => true });
    assert.equal(first.events.length, 1);
    const lastId = first.events[0].id!;

    // Reconnecting with the id of the current state: nothing until it changes.
    const events: SseEvent[] = [];
    const second = readEventStream(`${base}/v1/generations/${g.id}/events`, { headers: { 'last-event-id': lastId }, onEvent: (e) => events.push(e) });
    await until(() => watchHubOf(ports.state).listenerCount === 1);
    await ports.state.transition(g.id, 'requested', 'topic_resolved');
    await until(() => events.length === 1);
    await ports.state.fail(g.id, { stage: 'retrieve', code: 'NO_SOURCES', message: 'x' });
    const read = await second;
    assert.deepEqual(read.events.map((e) => view(e).status), ['topic_resolved', 'failed']);
    assert.ok(!read.events.some((e) => e.id === lastId));

    // The client has the terminal event: 204, no stream (EventSource stops reconnecting).
    const done = await fetch(`${base}/v1/generations/${g.id}/events`, { headers: { 'last-event-id': read.events.at(-1)!.id! } });
    assert.equal(done.status, 204);
    // An unknown or older id gets the terminal state once.
    const again = await readEventStream(`${base}/v1/generations/${g.id}/events`, { headers: { 'last-event-id': lastId } });
    assert.deepEqual(again.events.map((e) => e.event), ['failed']);
    const garbage = await readEventStream(`${base}/v1/generations/${g.id}/events`, { headers: { 'last-event-id': '<script>' } });
    assert.deepEqual(garbage.events.map((e) => e.event), ['failed']);
  });

  it('shares one watch of the store among all the streams of a generation', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const hub = watchHubOf(ports.state);
    const reads = Array.from({ length: 5 }, () => readEventStream(`${base}/v1/generations/${g.id}/events`));
    await until(() => hub.listenerCount === 5);
    assert.equal(hub.watchCount, 1);
    await ports.state.fail(g.id, { stage: 'understand', code: 'TOPIC_NOT_COVERED', message: 'not in the library' });
    for (const read of await Promise.all(reads)) assert.deepEqual(read.events.map((e) => e.event), ['progress', 'failed']);
    await until(() => hub.watchCount === 0);
  });

  it('answers the API errors: unknown id, wrong method', async () => {
    const missing = await fetch(`${base}/v1/generations/gen_doesnotexist0/events`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const post = await fetch(`${base}/v1/generations/gen_doesnotexist0/events`, { method: 'POST' });
    assert.equal(post.status, 405);
  });

  it('with API keys: 401 without a key, 404 for another key\'s generation, the stream for its own', async () => {
    const keyed = createEmbeddedPorts(testConfig({ VIVIDLY_API_KEYS: 'key-a,key-b' }), { logSink: () => {} });
    const { server: s, base: b } = await listen(createLocalApp(keyed));
    try {
      const res = await fetch(`${b}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer key-a' }, body: JSON.stringify({ question: 'What is a force?', grade: 9 }) });
      const { id } = (await res.json()) as { id: string };
      assert.equal((await fetch(`${b}/v1/generations/${id}/events`)).status, 401);
      assert.equal((await fetch(`${b}/v1/generations/${id}/events`, { headers: { authorization: 'Bearer key-b' } })).status, 404);
      const own = await readEventStream(`${b}/v1/generations/${id}/events`, { headers: { authorization: 'Bearer key-a' }, stop: () => true });
      assert.equal(own.status, 200);
      assert.equal(view(own.events[0]).id, id);
    } finally {
      s.close();
      await keyed.close();
    }
  });

  it('closing the local server ends its open streams instead of waiting for them', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const s = await listenLocal(createLocalApp(ports), { ...ports.config, port: 0 });
    const reading = readEventStream(`http://127.0.0.1:${(s.address() as AddressInfo).port}/v1/generations/${g.id}/events`);
    await until(() => watchHubOf(ports.state).listenerCount === 1);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const read = await reading;
    assert.ok(read.endedByServer);
    assert.equal(read.events.length, 1);
  });

  it('sends a heartbeat comment while nothing changes, and ends a long stream so the client resumes', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const app = express();
    app.get('/events', async (req, res) => void (await streamGenerationEvents(req, res, (await ports.state.getGeneration(g.id)) as Generation, ports, { heartbeatMs: 40, maxStreamMs: 400 })));
    const { server: s, base: b } = await listen(app);
    try {
      const read = await readEventStream(`${b}/events`);
      assert.equal(read.events.length, 1, 'the current state, once');
      assert.ok(read.comments.filter((c) => c.text.startsWith('heartbeat')).length >= 3, JSON.stringify(read.comments));
      assert.ok(read.endedByServer, 'the stream ends at maxStreamMs');
      // Resuming from there: nothing new to send, so only heartbeats until the next change.
      const resumed = readEventStream(`${b}/events`, { headers: { 'last-event-id': read.events[0].id! } });
      const after = await resumed;
      assert.equal(after.events.length, 0);
      assert.ok(after.comments.length > 0);
    } finally {
      s.close();
    }
  });
});

describe('generation events (SSE) through the embedded pipeline @slow', function () {
  this.timeout(300_000);
  let t: TestPipeline;
  let server: Server;
  let base: string;

  before(async () => {
    t = await startTestPipeline();
    ({ server, base } = await listen(createLocalApp(t.ports)));
  });
  after(async () => {
    server?.close();
    await t?.ports.close();
  });

  it('follows a lesson to the end: in order, one watch for all clients, a reconnect repeats nothing', async () => {
    const submitted = performance.now();
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }) });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const url = `${base}/v1/generations/${id}/events`;
    const hub = watchHubOf(t.ports.state);
    let firstEventMs = 0;

    // C follows to the end; A leaves after its second event; B then resumes from A's last id.
    const c = readEventStream(url, { onEvent: () => void (firstEventMs ||= performance.now() - submitted) });
    const a = await readEventStream(url, { stop: (_e, all) => all.length === 2 });
    const b = await readEventStream(url, { headers: { 'last-event-id': a.events.at(-1)!.id! } });
    const full = await c;

    for (const [label, read] of [['C', full], ['B', b]] as const) {
      assert.ok(read.endedByServer, `${label}: ended by the server`);
      assertInOrder(read.events, label);
      assert.equal(read.events.at(-1)!.event, 'completed', label);
      assert.deepEqual(read.events.slice(0, -1).map((e) => e.event), Array(read.events.length - 1).fill('progress'), label);
    }
    assert.ok(full.events.length >= 5, `C saw the stages go by (${full.events.length} events)`);
    assert.ok(!b.events.some((e) => a.events.some((x) => x.id === e.id)), 'B repeats nothing A had');
    assert.ok(view(b.events[0]).updatedAt >= view(a.events.at(-1)!).updatedAt, 'B starts after where A stopped');

    const done = view(full.events.at(-1)!);
    assert.equal(done.progress, 1);
    assert.ok(done.result?.chapters?.url, 'the result lists the chapters');
    assert.ok(done.result!.transcript.length > 5, 'and the transcript');
    // Signed URLs name the configured public URL (http://localhost:0 here): ask this server for the same path.
    const signed = new URL(done.result!.chapters!.url);
    const chapters = await (await fetch(`${base}${signed.pathname}${signed.search}`)).text();
    assert.match(chapters, /^WEBVTT\n\nchapter-1\n00:00:00\.000 --> /);
    // Running stages carried a time-left estimate.
    assert.ok(full.events.some((e) => view(e).timeLeft !== null));
    await until(() => hub.watchCount === 0);
    console.log(`    submit -> first event: ${firstEventMs.toFixed(0)} ms; submit -> completed event: ${(full.events.at(-1)!.at + 0).toFixed(0)} ms after the stream opened`);
  });

  it('the time left comes from the durations the metrics recorded once a lesson has run', async () => {
    const res = await fetch(`${base}/v1/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'What is the Pythagorean theorem?', grade: 8, interest: 'skateboarding' }) });
    const { id } = (await res.json()) as { id: string };
    const read = await readEventStream(`${base}/v1/generations/${id}/events`);
    const first = view(read.events[0]);
    assert.equal(first.timeLeft?.basis, 'metrics');
    assert.ok(first.timeLeft!.seconds !== null && first.timeLeft!.seconds > 0, JSON.stringify(first.timeLeft));
    assert.equal(read.events.at(-1)!.event, 'completed');
  });
});
