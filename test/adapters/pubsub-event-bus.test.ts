import { skipWithoutEmulators } from '../helpers/emulators.js';
import assert from 'node:assert/strict';
import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import { TOPICS, type TopicName } from '../../events/schemas.js';
import { freePort, startEmulator, type RunningEmulator } from '../../functions/local/emulators/emulators.js';
import { pubsubForEmulator } from '../../functions/local/emulators/pubsub-topology.js';
import { MAX_MESSAGE_BYTES, PubSubEventBus } from '../../shared/adapters/pubsub-event-bus.js';
import { codeOf, PipelineError } from '../../shared/errors.js';
import { eventBusContract, Inbox, type EventBusHarness } from '../contract/event-bus.contract.js';

const PROJECT = 'vividly-bus-test';
let harnesses = 0;

/** A bus with a topic prefix of its own, and a streaming-pull subscription on each of its topics to watch deliveries. */
async function pubsubHarness(pubsub: PubSub): Promise<EventBusHarness> {
  const prefix = `h${++harnesses}-`;
  const bus = new PubSubEventBus(pubsub, { topicPrefix: prefix });
  const inbox = new Inbox();
  const subs: Subscription[] = [];
  for (const topic of Object.values(TOPICS)) {
    const [t] = await pubsub.createTopic(bus.topicId(topic));
    const [sub] = await t.createSubscription(`${prefix}watch-${topic}`);
    sub.on('message', (m: Message) => {
      m.ack();
      inbox.add(topic, { id: m.id, data: JSON.parse(m.data.toString('utf8')), attributes: m.attributes });
    });
    sub.on('error', (err) => console.error(`watch subscription ${sub.name} failed:`, err));
    subs.push(sub);
  }
  return { bus, received: (topic, count) => inbox.wait(topic, count), close: async () => void (await Promise.all(subs.map((s) => s.close()))) };
}

async function rejection(p: Promise<unknown>): Promise<PipelineError> {
  const err = await p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PipelineError, `a PipelineError, got ${String(err)}`);
  return err;
}

describe('PubSubEventBus on the Pub/Sub emulator @slow', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator | undefined;
  let pubsub: PubSub;

  before(async function () {
    await skipWithoutEmulators(this, ['pubsub']);
    emulator = await startEmulator('pubsub');
    pubsub = pubsubForEmulator(emulator.host, PROJECT);
  });
  after(async () => {
    await pubsub?.close();
    await emulator?.stop();
  });

  eventBusContract('Pub/Sub (emulator)', () => pubsubHarness(pubsub));

  it('publishes to `<prefix><event name>` and keeps one Topic object per topic', async () => {
    const counting = Object.create(pubsub) as PubSub;
    const asked: string[] = [];
    counting.topic = (name, options) => {
      asked.push(name);
      return pubsub.topic(name, options);
    };
    const bus = new PubSubEventBus(counting, { topicPrefix: 'reuse-' });
    await pubsub.createTopic('reuse-script.written');
    await pubsub.createTopic('reuse-sweep.tick');
    for (let i = 0; i < 3; i++) await bus.publish(TOPICS.scriptWritten, { v: 1, generationId: `gen_reuse0000000${i}` });
    await bus.publish(TOPICS.sweepTick, { v: 1, at: new Date().toISOString() });
    await bus.publish(TOPICS.scriptWritten, { v: 1, generationId: 'gen_reuse00000009' });
    assert.deepEqual(asked, ['reuse-script.written', 'reuse-sweep.tick']);
  });

  it('fails with EVENT_PUBLISH_FAILED, retryable, when the topic was never created (the stage is redelivered)', async () => {
    const bus = new PubSubEventBus(pubsub, { topicPrefix: 'missing-' });
    const err = await rejection(bus.publish(TOPICS.topicResolved, { v: 1, generationId: 'gen_missing0000001', topicId: 't', confidence: 1 }));
    assert.equal(err.code, 'EVENT_PUBLISH_FAILED');
    assert.equal(err.retryable, true);
    assert.match(err.message, /missing-topic\.resolved does not exist/);
    assert.deepEqual(err.toJSON().details, { topic: 'missing-topic.resolved', grpcCode: 5 });
  });
});

describe('PubSubEventBus refusals (no server needed)', () => {
  let pubsub: PubSub;
  before(async () => {
    // Nothing listens here: every case below must fail before or without a round trip.
    pubsub = pubsubForEmulator(`127.0.0.1:${await freePort()}`, PROJECT);
  });
  after(async () => pubsub.close());

  it('fails with EVENT_PUBLISH_FAILED, retryable, when Pub/Sub cannot be reached within the publish timeout @slow', async function () {
    this.timeout(30_000);
    const bus = new PubSubEventBus(pubsub, { publishTimeoutMs: 1500 });
    const err = await rejection(bus.publish(TOPICS.scriptWritten, { v: 1, generationId: 'gen_unreachable001' }));
    assert.equal(err.code, 'EVENT_PUBLISH_FAILED');
    assert.equal(err.retryable, true);
  });

  const circular: Record<string, unknown> = { v: 1 };
  circular.self = circular;
  const refusals: [string, unknown, Record<string, unknown> | undefined, string][] = [
    ['a circular payload', circular, undefined, 'EVENT_MALFORMED'],
    ['a BigInt payload', { v: 1, n: 10n }, undefined, 'EVENT_MALFORMED'],
    ['an undefined payload', undefined, undefined, 'EVENT_MALFORMED'],
    ['a non-string attribute', { v: 1 }, { generationId: 42 }, 'EVENT_MALFORMED'],
    ['an attribute value over 1024 bytes', { v: 1 }, { note: 'é'.repeat(513) }, 'EVENT_MALFORMED'],
    ['a reserved attribute key', { v: 1 }, { googClient: 'x' }, 'EVENT_MALFORMED'],
    ['a payload over 10 MB', { v: 1, blob: 'x'.repeat(MAX_MESSAGE_BYTES) }, undefined, 'EVENT_TOO_LARGE'],
    ['a topic outside the contract', { v: 1 }, undefined, 'EVENT_TOPIC_UNKNOWN'],
  ];
  for (const [what, payload, attributes, code] of refusals) {
    it(`refuses ${what} with ${code}, not retryable`, async () => {
      const bus = new PubSubEventBus(pubsub);
      const topic = (code === 'EVENT_TOPIC_UNKNOWN' ? '../admin' : TOPICS.scriptWritten) as TopicName;
      const err = await rejection(bus.publish(topic, payload, attributes as Record<string, string> | undefined));
      assert.equal(codeOf(err), code);
      assert.equal(err.retryable, false);
    });
  }
});
