import assert from 'node:assert/strict';
import { buildPubSubEvent, buildStorageEvent, type CloudEventLike } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import { createGeneration } from '../../functions/api/api.js';
import { narrate } from '../../functions/narrate/index.js';
import { render } from '../../functions/render/index.js';
import { retrieve } from '../../functions/retrieve/index.js';
import { write } from '../../functions/write/index.js';
import { objectNames } from '../../shared/domain/object-names.js';
import { nextEventFor } from '../../shared/runtime/input-event.js';
import { sweepStalled } from '../../functions/sweep/sweep.js';
import { understand } from '../../functions/understand/index.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { AlwaysFailingSpeechEngineDouble, alwaysFailingSpeech } from '../helpers/doubles.js';
import { startTestPipeline, testConfig, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';
import { newGeneration } from '../contract/state-store.contract.js';

describe('pipeline failures (starter library) @slow', function () {
  this.timeout(120_000);
  let t: TestPipeline;
  afterEach(async () => t?.ports.close());

  it('a question the library does not cover fails at understand with TOPIC_NOT_COVERED, without retries', async () => {
    t = await startTestPipeline();
    const { body } = await createGeneration({ question: 'How do I bake sourdough bread at home?', grade: 9, interest: 'cooking' }, 'test', t.ports);
    const g = await waitForTerminal(t.ports, (body as { id: string }).id);
    assert.equal(g.status, 'failed');
    assert.equal(g.error?.stage, 'understand');
    assert.equal(g.error?.code, 'TOPIC_NOT_COVERED');
    assert.equal(g.stages.understand.attempts, 1);
    assert.equal(g.script, undefined);
  });

  it('a stage that keeps failing is dead-lettered and the generation fails with its stage and reason', async () => {
    t = await startTestPipeline();
    const speech = new AlwaysFailingSpeechEngineDouble();
    t.ports.speech = alwaysFailingSpeech(speech);
    const { body } = await createGeneration({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }, 'test', t.ports);
    const g = await waitForTerminal(t.ports, (body as { id: string }).id);
    assert.equal(g.status, 'failed');
    assert.equal(g.error?.stage, 'narrate');
    assert.equal(g.error?.code, 'SPEECH_UNAVAILABLE');
    assert.match(g.error!.message, /gave up after 3 attempts/);
    assert.equal(g.stages.narrate.attempts, t.config.maxAttempts);
    assert.ok(speech.calls >= t.config.maxAttempts);
    const records = t.logs.filter((l) => l.stage === 'narrate');
    assert.deepEqual(records.map((r) => r.outcome), ['retry', 'retry', 'retry']);
    assert.ok(t.logs.some((l) => l.stage === 'dead-letter' && l.outcome === 'dead-lettered'));
  });

  it('publish completing the generation but failing to fill the caches heals on the next delivery, reporting the latency once', async () => {
    t = await startTestPipeline();
    // The request-cache write fails once, after the transition to completed.
    const state = t.ports.state;
    let failures = 0;
    const putCache = state.putCache.bind(state);
    state.putCache = async (kind, key, id) => {
      if (kind === 'request' && failures++ === 0) throw new Error('state store unavailable (test double)');
      return putCache(kind, key, id);
    };
    const request = { question: "Explain Newton's third law", grade: 10, interest: 'basketball' };
    const { body } = await createGeneration(request, 'test', t.ports);
    const g = await waitForTerminal(t.ports, (body as { id: string }).id);
    assert.equal(g.status, 'completed');
    assert.equal(failures, 2, 'the second delivery wrote the cache');
    assert.equal((await state.getCache('request', g.requestKey))?.generationId, g.id);
    const publishes = t.logs.filter((l) => l.kind === 'invocation' && l.stage === 'publish' && l.generationId === g.id && l.outcome !== 'ignored');
    assert.deepEqual(publishes.map((l) => l.outcome), ['retry', 'duplicate']);
    assert.equal(publishes.filter((l) => typeof l.generationLatencyMs === 'number').length, 1);
    // The repeat is answered from the request cache.
    assert.equal((await createGeneration(request, 'test', t.ports)).status, 200);
  });

  it('of two concurrent deliveries of one event, exactly one does the work and emits', async () => {
    const config = testConfig();
    const ports = createEmbeddedPorts(config, { logSink: () => {} });
    usePorts(ports);
    try {
      const emitted: CloudEventLike[] = [];
      ports.router.subscribe(TOPICS.topicResolved, 'recorder', async (e) => void emitted.push(e));
      const g = newGeneration({ request: { question: "Explain Newton's third law", grade: 10, interest: 'basketball', voice: 'female_professional' } });
      await ports.state.createGeneration(g);
      const event = buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt });
      await Promise.all([understand(event), understand(event), understand(event)]);
      await ports.router.idle();
      assert.equal(emitted.length, 1);
      assert.equal((await ports.state.getGeneration(g.id))?.status, 'topic_resolved');
    } finally {
      await ports.close();
    }
  });

  it('a stray or hostile upload to the narration bucket is ignored: no retry, no generation touched', async () => {
    const config = testConfig();
    const logs: Record<string, unknown>[] = [];
    const ports = createEmbeddedPorts(config, { logSink: (l) => logs.push(JSON.parse(l)) });
    usePorts(ports);
    try {
      const g = newGeneration();
      await ports.state.createGeneration(g);
      const hostile = [
        { bucket: config.narrationBucket, name: '../../etc/passwd', metadata: { generationId: g.id } },
        { bucket: config.narrationBucket, name: `narrations/${g.id}/narration.mp3` },
        { bucket: config.narrationBucket, name: 'narrations/gen_unknown00000000/narration.mp3', metadata: { generationId: 'gen_unknown00000000' } },
        { bucket: 'some-other-bucket', name: `narrations/${g.id}/narration.mp3`, metadata: { generationId: g.id } },
      ];
      for (const object of hostile) await render(buildStorageEvent(object));
      const outcomes = logs.filter((l) => l.stage === 'render' && l.outcome).map((l) => l.outcome);
      // The unknown generation is a clear, permanent error; the others are ignored with a reason.
      assert.deepEqual(outcomes, ['ignored', 'ignored', 'failed', 'ignored']);
      assert.deepEqual(await ports.state.getGeneration(g.id), g);
    } finally {
      await ports.close();
    }
  });

  it('sweep re-drives a stalled generation and fails a hopeless one as STALLED', async () => {
    const config = testConfig({ VIVIDLY_STALL_SECONDS: '60', VIVIDLY_GIVE_UP_SECONDS: '600' });
    const ports = createEmbeddedPorts(config, { logSink: () => {} });
    usePorts(ports);
    try {
      const redriven: CloudEventLike[] = [];
      ports.router.subscribe(TOPICS.generationRequested, 'recorder', async (e) => void redriven.push(e));
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
      const stalled = newGeneration({ createdAt: minutesAgo(5), updatedAt: minutesAgo(5) });
      const hopeless = newGeneration({ createdAt: minutesAgo(20), updatedAt: minutesAgo(20) });
      const fresh = newGeneration();
      for (const g of [stalled, hopeless, fresh]) await ports.state.createGeneration(g);
      const summary = await sweepStalled(ports);
      await ports.router.idle();
      assert.deepEqual(summary.redriven, [stalled.id]);
      assert.deepEqual(summary.failed, [hopeless.id]);
      assert.equal(redriven.length, 1);
      assert.equal((await ports.state.getGeneration(hopeless.id))?.error?.code, 'STALLED');
      assert.deepEqual(await sweepStalled(ports), { examined: 0, redriven: [], failed: [] }, 'a re-driven generation is not re-driven again at once');
    } finally {
      await ports.close();
    }
  });

  it('a crash between recording the narration and uploading it is healed by redelivery', async () => {
    const config = testConfig();
    const logs: Record<string, unknown>[] = [];
    const ports = createEmbeddedPorts(config, { logSink: (l) => logs.push(JSON.parse(l)) });
    usePorts(ports);
    try {
      // No subscriptions: this test delivers each event by hand.
      const stageOf = { requested: understand, topic_resolved: retrieve, sources_retrieved: write, script_written: narrate } as const;
      const { body } = await createGeneration({ question: 'What is photosynthesis?', grade: 6, interest: 'football' }, 'test', ports);
      const id = (body as { id: string }).id;
      let scriptWritten: CloudEventLike | undefined;
      for (;;) {
        const g = (await ports.state.getGeneration(id))!;
        const next = nextEventFor(g);
        if (!next) break;
        const event = buildPubSubEvent(next.topic, next.payload);
        if (g.status === 'script_written') scriptWritten = event;
        await stageOf[g.status as keyof typeof stageOf](event);
      }
      assert.equal((await ports.state.getGeneration(id))?.status, 'narrated');
      const name = objectNames.narration(id);
      const first = await ports.objects.stat(config.narrationBucket, name);
      assert.ok(first, 'narration uploaded');
      await ports.objects.delete(config.narrationBucket, name); // the upload that never happened
      await narrate(scriptWritten!);
      const healed = await ports.objects.stat(config.narrationBucket, name);
      assert.ok(healed, 'narration uploaded again');
      assert.equal(healed.size, first.size, 'the same narration (speech is deterministic)');
      assert.equal(logs.filter((l) => l.stage === 'narrate' && l.outcome === 'duplicate').length, 1);
      assert.ok(logs.some((l) => l.message === 're-producing a recorded but missing object'));
    } finally {
      await ports.close();
    }
  });
});
