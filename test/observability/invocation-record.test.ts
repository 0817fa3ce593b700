import assert from 'node:assert/strict';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import request from 'supertest';
import { buildPubSubEvent, deliveryAttemptOf, toBinaryHttp, type CloudEventLike } from '../../events/cloud-events.js';
import { TOPICS, type TopicName } from '../../events/schemas.js';
import { deadLetter } from '../../functions/dead-letter/index.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { narrate } from '../../functions/narrate/index.js';
import { publish } from '../../functions/publish/index.js';
import { render } from '../../functions/render/index.js';
import { retrieve } from '../../functions/retrieve/index.js';
import { sweep } from '../../functions/sweep/index.js';
import { understand } from '../../functions/understand/index.js';
import { write } from '../../functions/write/index.js';
import type { Generation } from '../../shared/domain/generation.js';
import type { InvocationRecord } from '../../shared/observability/invocation-record.js';
import { Logger, parseCloudTraceContext, parseTraceparent, readInvocationRecord, type TraceContext } from '../../shared/observability/logger.js';
import type { EventBus } from '../../shared/ports/event-bus.port.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { alwaysFailingSpeech } from '../helpers/doubles.js';
import { testConfig, waitForTerminal } from '../helpers/embedded.js';

type Line = Record<string, unknown>;
const TRACE = 'logging.googleapis.com/trace';
const SPAN = 'logging.googleapis.com/spanId';
const SAMPLED = 'logging.googleapis.com/trace_sampled';
const LABELS = 'logging.googleapis.com/labels';

/** Embedded ports whose log lines land in `lines`. */
function portsWithLog(env: Record<string, string> = {}): { ports: EmbeddedPorts; lines: Line[] } {
  const lines: Line[] = [];
  const ports = createEmbeddedPorts(testConfig({ GOOGLE_CLOUD_PROJECT: 'vividly-test', ...env }), { logSink: (l) => lines.push(JSON.parse(l)) });
  usePorts(ports);
  return { ports, lines };
}

const recordsOf = (lines: Line[]) => lines.filter((l) => l.kind === 'invocation');

describe('one record per invocation, from the wrapper every function uses @slow', function () {
  this.timeout(300_000);
  // Student text that must reach the generation but never the logs.
  const QUESTION = "Explain Newton's third law, asks Zorblax Quindle";
  const INTEREST = 'xylowrangling';
  let ports: EmbeddedPorts;
  let lines: Line[];
  const calls: { stage: string; event: CloudEventLike }[] = [];
  let httpRequests = 0;
  let completed: Generation;
  let deadLettered: Generation;
  let wallMs: number;

  before(async () => {
    ({ ports, lines } = portsWithLog());
    // The embedded pipeline's wiring, with every delivery counted before the function sees it.
    const counted = (stage: string, fn: (e: CloudEventLike) => Promise<void>) => async (event: CloudEventLike) => {
      calls.push({ stage, event });
      return fn(event);
    };
    const topic = (t: TopicName, stage: string, fn: (e: CloudEventLike) => Promise<void>) => ports.router.subscribe(t, stage, counted(stage, fn));
    topic(TOPICS.generationRequested, 'understand', understand);
    topic(TOPICS.topicResolved, 'retrieve', retrieve);
    topic(TOPICS.sourcesRetrieved, 'write', write);
    topic(TOPICS.scriptWritten, 'narrate', narrate);
    topic(TOPICS.deadLetter, 'dead-letter', deadLetter);
    topic(TOPICS.sweepTick, 'sweep', sweep);
    ports.router.onObjectFinalized(ports.config.narrationBucket, 'render', counted('render', render));
    ports.router.onObjectFinalized(ports.config.videoBucket, 'publish', counted('publish', publish));
    const app = createLocalApp(ports);

    const started = Date.now();
    const ok = await request(app).post('/v1/generations').send({ question: QUESTION, grade: 10, interest: INTEREST }).expect(202);
    completed = await waitForTerminal(ports, ok.body.id);
    wallMs = Date.now() - started;
    await request(app).get(`/v1/generations/${ok.body.id}`).expect(200);

    ports.speech = alwaysFailingSpeech();
    const bad = await request(app).post('/v1/generations').send({ question: 'What is photosynthesis?', grade: 6, interest: INTEREST }).expect(202);
    deadLettered = await waitForTerminal(ports, bad.body.id);
    await ports.bus.publish(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() }, { eventType: TOPICS.sweepTick, schemaVersion: '1' });
    await ports.router.idle();
    httpRequests = 3;
  });
  after(async () => ports?.close());

  it('ran a real generation to completion and one to the dead-letter function', () => {
    assert.equal(completed.status, 'completed', JSON.stringify(completed.error));
    assert.equal(deadLettered.status, 'failed');
    assert.equal(deadLettered.error?.code, 'SPEECH_UNAVAILABLE');
  });

  it('every delivery wrote exactly one record (same stage, event id and attempt), and nothing else wrote one', () => {
    const key = (stage: string, eventId: unknown, attempt: unknown) => `${stage} ${String(eventId)} ${attempt ?? '-'}`;
    const delivered = calls.map((c) => key(c.stage, c.event.id, deliveryAttemptOf(c.event))).sort();
    // Storage events carry no delivery attempt: a stage that runs records the state store's count instead.
    const eventAttempt = new Map(calls.map((c) => [`${c.stage} ${c.event.id}`, deliveryAttemptOf(c.event)]));
    const recorded = recordsOf(lines)
      .filter((r) => r.stage !== 'api')
      .map((r) => key(r.stage as string, r.eventId, eventAttempt.get(`${r.stage} ${r.eventId}`) === undefined ? undefined : r.attempt))
      .sort();
    assert.deepEqual(recorded, delivered);
    assert.equal(new Set(delivered).size, delivered.length, 'each delivery is distinct');
    assert.deepEqual(new Set(calls.map((c) => c.stage)), new Set(['understand', 'retrieve', 'write', 'narrate', 'render', 'publish', 'dead-letter', 'sweep']));
    assert.equal(recordsOf(lines).filter((r) => r.stage === 'api').length, httpRequests, 'one record per HTTP request');
  });

  it('a stage run by an event without a delivery attempt (object finalized) records the attempt the state store counted', () => {
    const renders = recordsOf(lines).filter((r) => r.stage === 'render' && r.generationId === completed.id && r.outcome === 'ok');
    assert.equal(renders.length, 1);
    assert.equal(renders[0]!.attempt, 1);
    assert.equal(completed.stages.render!.attempts, 1);
  });

  it('every record has the contract\'s fields and Cloud Logging\'s envelope (severity, message, time, labels)', () => {
    const severity: Record<string, string> = { ok: 'INFO', duplicate: 'INFO', ignored: 'INFO', retry: 'WARNING', failed: 'ERROR', 'dead-lettered': 'ERROR' };
    for (const line of recordsOf(lines)) {
      const record = readInvocationRecord(line)!;
      assert.equal(line.severity, severity[record.outcome]);
      assert.equal(line.message, `${record.stage} ${record.outcome}`);
      assert.ok(!Number.isNaN(Date.parse(line.time as string)));
      assert.deepEqual(line[LABELS], { stage: record.stage, outcome: record.outcome });
      assert.ok(Number.isInteger(record.durationMs) && record.durationMs >= 0);
      assert.ok(!('errorMessage' in line), 'no error message: it may quote student text or a provider');
      assert.ok(!(TRACE in line), 'no trace header, no trace field');
      if (record.stage !== 'api' && record.stage !== 'sweep' && record.outcome !== 'ignored') assert.ok(record.generationId, `${record.stage} names its generation`);
    }
  });

  it('media stages report the seconds they produced; publish reports the end-to-end latency', () => {
    const records = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    const ok = (stage: string) => records.filter((r) => r.stage === stage && r.outcome === 'ok' && r.generationId === completed.id);
    const [narration] = ok('narrate');
    const [video] = ok('render');
    assert.ok(narration.mediaSeconds! > 30, `narration ${narration.mediaSeconds} s`);
    assert.ok(video.mediaSeconds! >= narration.mediaSeconds! - 1, `video ${video.mediaSeconds} s`);
    const [published] = ok('publish');
    assert.ok(published.generationLatencyMs! > 0 && published.generationLatencyMs! <= wallMs, `${published.generationLatencyMs} ms of ${wallMs} ms`);
    assert.equal(records.filter((r) => r.generationLatencyMs !== undefined).length, 1);
    assert.equal(records.find((r) => r.stage === 'sweep')?.stalledGenerations, 0);
  });

  it('retries carry the stable code and their attempt; the dead-letter record says dead-lettered, with the stage that gave up', () => {
    const records = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    const retries = records.filter((r) => r.stage === 'narrate' && r.generationId === deadLettered.id);
    assert.deepEqual(retries.map((r) => [r.outcome, r.errorCode, r.attempt]), [
      ['retry', 'SPEECH_UNAVAILABLE', 1],
      ['retry', 'SPEECH_UNAVAILABLE', 2],
      ['retry', 'SPEECH_UNAVAILABLE', 3],
    ]);
    const dead = records.filter((r) => r.stage === 'dead-letter');
    assert.equal(dead.length, 1);
    assert.deepEqual({ ...dead[0], durationMs: 0, eventId: '' }, {
      kind: 'invocation',
      stage: 'dead-letter',
      eventId: '',
      attempt: 1,
      generationId: deadLettered.id,
      outcome: 'dead-lettered',
      durationMs: 0,
      errorCode: 'SPEECH_UNAVAILABLE',
      sourceStage: 'narrate',
    } satisfies InvocationRecord);
  });

  it('a second delivery of the same dead letter is a duplicate, not a second dead letter', async () => {
    const event = calls.find((c) => c.stage === 'dead-letter')!.event;
    const before = lines.length;
    await deadLetter(event);
    const [record] = recordsOf(lines.slice(before));
    assert.equal(record.outcome, 'duplicate');
    assert.equal(record.generationId, deadLettered.id);
  });

  it('no student text in any log line: the question and interest reached the generation, not the logs', () => {
    assert.match(completed.request.question, /Zorblax Quindle/);
    assert.match(JSON.stringify(completed.script), new RegExp(INTEREST, 'i'), 'the interest flowed into the script');
    const everything = lines.map((l) => JSON.stringify(l)).join('\n').toLowerCase();
    for (const text of ['zorblax', 'quindle', INTEREST, 'what is photosynthesis']) assert.ok(!everything.includes(text.toLowerCase()), `"${text}" leaked into the logs`);
  });
});

describe('dead-letter and sweep records', () => {
  let ports: EmbeddedPorts;
  let lines: Line[];
  beforeEach(() => ({ ports, lines } = portsWithLog()));
  afterEach(async () => ports.close());

  it('a dead letter without a generation is still recorded as dead-lettered (and so alerts)', async () => {
    await deadLetter(buildPubSubEvent(TOPICS.deadLetter, {}, { attributes: { CloudPubSubDeadLetterSourceSubscription: 'projects/p/subscriptions/vividly-render' } }));
    const [record] = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    assert.equal(record.outcome, 'dead-lettered');
    assert.equal(record.sourceStage, 'render');
    assert.equal(record.errorCode, 'DEAD_LETTERED');
    assert.equal(record.generationId, undefined);
  });

  it('sweep reports how many generations it found stalled', async () => {
    const longAgo = new Date(Date.now() - (ports.config.giveUpSeconds + 60) * 1000).toISOString();
    const stalled = new Date(Date.now() - (ports.config.stallSeconds + 60) * 1000).toISOString();
    await ports.state.createGeneration(newGeneration({ createdAt: longAgo, updatedAt: longAgo }));
    await ports.state.createGeneration(newGeneration({ createdAt: stalled, updatedAt: stalled }));
    await sweep(buildPubSubEvent(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() }));
    const records = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    assert.equal(records.length, 1);
    assert.equal(records[0].stalledGenerations, 2);
    assert.equal(records[0].outcome, 'ok');
  });

  it('an unexpected error is recorded as INTERNAL with where it happened, never what it said', async () => {
    const g = newGeneration();
    await ports.state.createGeneration(g);
    const real = ports.state.getGeneration.bind(ports.state);
    let thrown = false;
    ports.state.getGeneration = async (id) => {
      if (!thrown) {
        thrown = true;
        throw new Error('provider said: Zorblax asked about Newton');
      }
      return real(id);
    };
    const event = buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt });
    await assert.rejects(understand(event), /Zorblax/);
    const [record] = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    assert.equal(record.outcome, 'retry');
    assert.equal(record.errorCode, 'INTERNAL');
    const unexpected = lines.find((l) => l.message === 'unexpected error')!;
    assert.equal(unexpected.errorName, 'Error');
    assert.ok((unexpected.frames as string[]).length > 0);
    assert.ok(!JSON.stringify(lines).includes('Zorblax'));
  });

  it('records are written at every log level but silent', () => {
    for (const [level, written] of [['error', 1], ['warn', 1], ['silent', 0]] as const) {
      const out: string[] = [];
      const log = new Logger(level, (l) => out.push(l));
      log.info('chatter');
      log.invocation({ kind: 'invocation', stage: 'write', eventId: 'e1', outcome: 'ok', durationMs: 5 });
      assert.equal(out.length, written, level);
    }
  });
});

describe('trace correlation', () => {
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const SPAN_ID = '00f067aa0ba902b7';
  const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

  const traceparents: [string, TraceContext | undefined][] = [
    [TRACEPARENT, { traceId: TRACE_ID, spanId: SPAN_ID, sampled: true }],
    [`00-${TRACE_ID}-${SPAN_ID}-00`, { traceId: TRACE_ID, spanId: SPAN_ID, sampled: false }],
    [`00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`, { traceId: TRACE_ID, spanId: SPAN_ID, sampled: true }],
    [`00-${'0'.repeat(32)}-${SPAN_ID}-01`, undefined],
    [`00-${TRACE_ID}-${'0'.repeat(16)}-01`, undefined],
    [`ff-${TRACE_ID}-${SPAN_ID}-01`, undefined],
    [`00-${TRACE_ID}-${SPAN_ID}`, undefined],
    [`00-${TRACE_ID}"}-${SPAN_ID}-01`, undefined],
    ['', undefined],
  ];
  for (const [header, expected] of traceparents) {
    it(`traceparent ${JSON.stringify(header)}`, () => assert.deepEqual(parseTraceparent(header), expected));
  }
  const cloudContexts: [string, TraceContext | undefined][] = [
    [`${TRACE_ID}/1;o=1`, { traceId: TRACE_ID, spanId: '0000000000000001', sampled: true }],
    [`${TRACE_ID}/18446744073709551615;o=0`, { traceId: TRACE_ID, spanId: 'ffffffffffffffff', sampled: false }],
    [`${TRACE_ID}/18446744073709551616`, { traceId: TRACE_ID }],
    [`${TRACE_ID}`, { traceId: TRACE_ID }],
    [`${TRACE_ID}/abc;o=1`, undefined],
    ['projects/x/traces/y', undefined],
  ];
  for (const [header, expected] of cloudContexts) {
    it(`X-Cloud-Trace-Context ${JSON.stringify(header)}`, () => assert.deepEqual(parseCloudTraceContext(header), expected));
  }

  let ports: EmbeddedPorts;
  let lines: Line[];
  afterEach(async () => ports?.close());

  async function requestedEvent(): Promise<CloudEventLike> {
    const g = newGeneration({ request: { question: "Explain Newton's third law", grade: 10, interest: 'basketball', voice: 'female_professional' } });
    await ports.state.createGeneration(g);
    return buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt });
  }

  for (const [how, header] of [['a traceparent header', 'traceparent'], ['a ce-traceparent attribute (binary mode)', 'ce-traceparent']] as const) {
    it(`a CloudEvent delivered over HTTP with ${how} is correlated with its trace (Functions Framework)`, async () => {
      ({ ports, lines } = portsWithLog());
      const { headers, body } = toBinaryHttp(await requestedEvent());
      const res = await request(getTestServer('understand'))
        .post('/')
        .set({ ...headers, [header]: TRACEPARENT })
        .send(body);
      assert.ok(res.status < 300, `status ${res.status}`);
      const [record] = recordsOf(lines);
      assert.equal(record.outcome, 'ok');
      assert.equal(record[TRACE], `projects/vividly-test/traces/${TRACE_ID}`);
      assert.equal(record[SPAN], SPAN_ID);
      assert.equal(record[SAMPLED], true);
    });
  }

  it('a Pub/Sub message traced by the client library (googclient_traceparent) is correlated too', async () => {
    ({ ports, lines } = portsWithLog());
    const event = await requestedEvent();
    (event.data as { message: { attributes: Record<string, string> } }).message.attributes.googclient_traceparent = TRACEPARENT;
    await understand(event);
    assert.equal(recordsOf(lines)[0][TRACE], `projects/vividly-test/traces/${TRACE_ID}`);
  });

  it('without a project the local project id is used', async () => {
    ({ ports, lines } = portsWithLog({ GOOGLE_CLOUD_PROJECT: '' }));
    await understand({ ...(await requestedEvent()), traceparent: TRACEPARENT } as CloudEventLike);
    assert.equal(recordsOf(lines)[0][TRACE], `projects/vividly-local/traces/${TRACE_ID}`);
  });

  const apiCases: [string, Record<string, string>, Record<string, unknown>][] = [
    ['traceparent', { traceparent: TRACEPARENT }, { [TRACE]: `projects/vividly-test/traces/${TRACE_ID}`, [SPAN]: SPAN_ID, [SAMPLED]: true }],
    ['X-Cloud-Trace-Context', { 'X-Cloud-Trace-Context': `${TRACE_ID}/12345;o=1` }, { [TRACE]: `projects/vividly-test/traces/${TRACE_ID}`, [SPAN]: (12345).toString(16).padStart(16, '0'), [SAMPLED]: true }],
    ['both (traceparent wins)', { traceparent: TRACEPARENT, 'X-Cloud-Trace-Context': `${'1'.repeat(32)}/1;o=0` }, { [TRACE]: `projects/vividly-test/traces/${TRACE_ID}`, [SPAN]: SPAN_ID, [SAMPLED]: true }],
    ['a malformed header', { traceparent: 'not-a-trace"}' }, {}],
  ];
  for (const [name, headers, expected] of apiCases) {
    it(`an API request with ${name}`, async () => {
      ({ ports, lines } = portsWithLog());
      await request(createLocalApp(ports)).get('/healthz').set(headers).expect(200);
      const [record] = recordsOf(lines);
      const trace = Object.fromEntries(Object.entries(record).filter(([k]) => [TRACE, SPAN, SAMPLED].includes(k)));
      assert.deepEqual(trace, expected);
    });
  }
});

describe('api: one record per request', () => {
  let ports: EmbeddedPorts;
  let lines: Line[];
  beforeEach(() => ({ ports, lines } = portsWithLog()));
  afterEach(async () => ports.close());
  const QUESTION = 'Why does Zorblax bounce a basketball?';

  it('an accepted request: ok, 202, the new generation id, a request id, no question text', async () => {
    const res = await request(createLocalApp(ports)).post('/v1/generations').send({ question: QUESTION, grade: 10, interest: 'basketball' }).expect(202);
    const records = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    assert.equal(records.length, 1);
    const [r] = records;
    assert.equal(r.stage, 'api');
    assert.equal(r.outcome, 'ok');
    assert.equal(r.httpStatus, 202);
    assert.equal(r.generationId, res.body.id);
    assert.match(r.eventId, /^[0-9a-f-]{36}$/);
    assert.equal(r.errorCode, undefined);
    assert.ok(!JSON.stringify(lines).includes('Zorblax'));
  });

  it('a rejected request keeps outcome ok (the client\'s error) with its code and status', async () => {
    await request(createLocalApp(ports)).post('/v1/generations').send({ question: QUESTION, grade: 42 }).expect(400);
    const [r] = recordsOf(lines).map((l) => readInvocationRecord(l)!);
    assert.deepEqual([r.outcome, r.errorCode, r.httpStatus], ['ok', 'INVALID_REQUEST', 400]);
    assert.ok(!JSON.stringify(lines).includes('Zorblax'));
  });

  it('a server-side failure is outcome failed, severity ERROR, with its code', async () => {
    class UnavailableEventBusDouble implements EventBus {
      async publish(): Promise<string> {
        throw new Error('pubsub down (test double)');
      }
    }
    ports.bus = new UnavailableEventBusDouble();
    await request(createLocalApp(ports)).post('/v1/generations').send({ question: QUESTION, grade: 10 }).expect(503);
    const line = recordsOf(lines)[0];
    const r = readInvocationRecord(line)!;
    assert.deepEqual([r.outcome, r.errorCode, r.httpStatus, line.severity], ['failed', 'UNAVAILABLE', 503, 'ERROR']);
  });

  it('every request gets its own request id', async () => {
    const app = createLocalApp(ports);
    for (let i = 0; i < 3; i++) await request(app).get('/v1/generations/gen_doesnotexist00').expect(404);
    const ids = recordsOf(lines).map((l) => l.eventId);
    assert.equal(new Set(ids).size, 3);
    assert.ok(recordsOf(lines).every((l) => l.errorCode === 'NOT_FOUND' && l.httpStatus === 404));
  });
});
