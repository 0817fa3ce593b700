import assert from 'node:assert/strict';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { buildPubSubEvent, buildStorageEvent, toBinaryHttp, toStructuredHttp, type CloudEventLike } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import '../../functions/api/index.js';
import '../../functions/dead-letter/index.js';
import '../../functions/narrate/index.js';
import '../../functions/publish/index.js';
import '../../functions/render/index.js';
import '../../functions/retrieve/index.js';
import '../../functions/sweep/index.js';
import '../../functions/understand/index.js';
import '../../functions/write/index.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { nextEventFor } from '../../shared/runtime/input-event.js';
import { FailsOnceNarratorDouble } from '../helpers/doubles.js';
import { testConfig } from '../helpers/embedded.js';

function send(fn: string, event: CloudEventLike, mode: 'binary' | 'structured') {
  const { headers, body } = mode === 'binary' ? toBinaryHttp(event) : toStructuredHttp(event);
  return request(getTestServer(fn)).post('/').set(headers).send(body);
}

describe('every function accepts its CloudEvent over HTTP (Functions Framework test server)', function () {
  this.timeout(60_000);
  let ports: EmbeddedPorts;
  const request0 = { question: "Explain Newton's third law", grade: 10, interest: 'basketball', voice: 'female_professional' as const };

  beforeEach(() => {
    ports = createEmbeddedPorts(testConfig(), { logSink: () => {} });
    usePorts(ports);
  });
  afterEach(async () => ports.close());

  for (const mode of ['binary', 'structured'] as const) {
    it(`understand, retrieve and write run on events sent in ${mode} mode`, async () => {
      const g = newGeneration({ request: request0 });
      await ports.state.createGeneration(g);
      const requested = buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt });
      const res = await send('understand', requested, mode);
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
      const resolved = (await ports.state.getGeneration(g.id))!;
      assert.equal(resolved.status, 'topic_resolved');

      await send('retrieve', buildPubSubEvent(TOPICS.topicResolved, { v: 1, generationId: g.id, topicId: resolved.topic!.id, confidence: resolved.topic!.confidence }), mode).expect((r) => assert.ok(r.status < 300));
      const retrieved = (await ports.state.getGeneration(g.id))!;
      assert.equal(retrieved.status, 'sources_retrieved');

      await send('write', buildPubSubEvent(TOPICS.sourcesRetrieved, { v: 1, generationId: g.id, topicId: resolved.topic!.id, passageIds: retrieved.passageIds! }), mode).expect((r) => assert.ok(r.status < 300));
      assert.equal((await ports.state.getGeneration(g.id))?.status, 'script_written');
    });
  }

  it('answers 500 (so the platform retries) when the event arrives before its stage is ready', async () => {
    const g = newGeneration({ request: request0 });
    await ports.state.createGeneration(g);
    const early = buildPubSubEvent(TOPICS.scriptWritten, { v: 1, generationId: g.id });
    const res = await send('narrate', early, 'binary');
    assert.equal(res.status, 500);
    assert.equal((await ports.state.getGeneration(g.id))?.stages.narrate?.lastError?.code, 'NOT_READY');
  });

  it('a stage that succeeds on a later delivery keeps its attempt count and clears its last error @slow', async () => {
    const g = newGeneration({ request: request0 });
    await ports.state.createGeneration(g);
    const send1 = (topic: Parameters<typeof buildPubSubEvent>[0], fn: string) => async () => {
      const current = (await ports.state.getGeneration(g.id))!;
      const next = nextEventFor(current)!;
      assert.equal(next.topic, topic);
      return send(fn, buildPubSubEvent(next.topic, next.payload), 'binary');
    };
    for (const [topic, fn] of [[TOPICS.generationRequested, 'understand'], [TOPICS.topicResolved, 'retrieve'], [TOPICS.sourcesRetrieved, 'write']] as const) {
      assert.ok((await send1(topic, fn)()).status < 300);
    }
    ports.speech = new FailsOnceNarratorDouble(ports.speech);
    assert.equal((await send1(TOPICS.scriptWritten, 'narrate')()).status, 500, 'first delivery fails and asks for a retry');
    assert.equal((await ports.state.getGeneration(g.id))!.stages.narrate.lastError?.code, 'SPEECH_UNAVAILABLE');
    assert.ok((await send1(TOPICS.scriptWritten, 'narrate')()).status < 300);
    const done = (await ports.state.getGeneration(g.id))!;
    assert.equal(done.status, 'narrated');
    assert.equal(done.stages.narrate.state, 'done');
    assert.equal(done.stages.narrate.attempts, 2);
    assert.equal(done.stages.narrate.lastError, undefined);
  });

  const acked: [string, CloudEventLike][] = [
    ['write', buildPubSubEvent(TOPICS.sourcesRetrieved, { v: 9, nonsense: true })],
    ['narrate', { ...buildPubSubEvent(TOPICS.scriptWritten, {}), data: { message: { data: '!!!not base64 json' } } }],
    ['render', buildStorageEvent({ bucket: 'vividly-narration', name: 'uploads/evil.mp3', metadata: {} })],
    ['publish', buildStorageEvent({ bucket: 'vividly-videos', name: 'videos/gen_abcdefgh1234/captions.vtt', metadata: { generationId: 'gen_abcdefgh1234' } })],
    ['sweep', buildPubSubEvent(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() })],
    ['dead-letter', buildPubSubEvent(TOPICS.deadLetter, { v: 1, generationId: 'gen_unknown000000' }, { attributes: { CloudPubSubDeadLetterSourceSubscription: 'projects/p/subscriptions/render' } })],
  ];
  for (const [fn, event] of acked) {
    it(`${fn} acknowledges (2xx, no retry loop) an event it must not act on`, async () => {
      const res = await send(fn, event, 'structured');
      assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
    });
  }

  it('api answers over the Functions Framework: 202 for a request, JSON 404 for an unknown generation', async () => {
    const server = getTestServer('api');
    const created = await request(server).post('/v1/generations').send(request0).expect(202);
    assert.match(created.body.id, /^gen_/);
    const missing = await request(server).get('/v1/generations/gen_doesnotexist00').expect(404);
    assert.deepEqual(missing.body, { error: { code: 'NOT_FOUND', message: 'no such generation' } });
  });
});
