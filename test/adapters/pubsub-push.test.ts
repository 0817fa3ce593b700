import { skipWithoutEmulators } from '../helpers/emulators.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import { parsePubSubEvent, PUBSUB_MESSAGE_PUBLISHED, type PubSubMessageData } from '../../events/cloud-events.js';
import { TOPICS, type TopicName } from '../../events/schemas.js';
import { stageOfSubscription } from '../../functions/dead-letter/dead-letter.js';
import { startEmulator, type RunningEmulator } from '../../functions/local/emulators/emulators.js';
import { startFunctionServers, type FunctionServers, type RelayDelivery } from '../../functions/local/emulators/function-servers.js';
import { createTopology, pubsubForEmulator, TOPIC_CONSUMERS, type TopologyOptions } from '../../functions/local/emulators/pubsub-topology.js';
import { PubSubEventBus } from '../../shared/adapters/pubsub-event-bus.js';
import type { RecordedDelivery } from '../fixtures/recording-function.double.js';

const PROJECT = 'vividly-push-test';
const PREFIX = 'push-';
const STAGE_TOPICS = [TOPICS.generationRequested, TOPICS.topicResolved, TOPICS.sourcesRetrieved, TOPICS.scriptWritten, TOPICS.sweepTick] as const;

let ids = 0;
const generationId = () => `gen_push${String(++ids).padStart(6, '0')}${Date.now().toString(36)}`;

describe('Pub/Sub push subscriptions deliver to Functions Framework servers (emulator) @slow', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator | undefined;
  let pubsub: PubSub;
  let servers: FunctionServers | undefined;
  let recordFile: string;
  let bus: PubSubEventBus;
  const relayed: RelayDelivery[] = [];

  /** Deliveries the recording function has written so far that match `which`; waits for at least `count`. */
  async function recorded(which: (d: RecordedDelivery) => boolean, count: number, timeoutMs = 60_000): Promise<RecordedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = readFileSync(recordFile, 'utf8').split('\n').filter(Boolean);
      const got = lines.map((l) => JSON.parse(l) as RecordedDelivery).filter(which);
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} deliveries; ${got.length} arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ofGeneration = (id: string) => (d: RecordedDelivery) => decoded(d)?.generationId === id;

  function topology(endpoint: (topic: TopicName) => string, prefix = PREFIX): TopologyOptions {
    return {
      prefix,
      pushEndpoints: Object.fromEntries(STAGE_TOPICS.map((t) => [t, endpoint(t)])),
      deadLetter: { pushEndpoint: endpoint(TOPICS.deadLetter) },
      maxDeliveryAttempts: 5,
      minBackoffSeconds: 0,
      maxBackoffSeconds: 1,
    };
  }

  before(async function () {
    await skipWithoutEmulators(this, ['pubsub']);
    emulator = await startEmulator('pubsub');
    pubsub = pubsubForEmulator(emulator.host, PROJECT);
    recordFile = path.join(mkdtempSync(path.join(tmpdir(), 'vividly-push-')), 'deliveries.jsonl');
    writeFileSync(recordFile, '');
    servers = await startFunctionServers([{ target: 'recording', source: 'test/fixtures/recording-function.double.ts', signatureType: 'cloudevent' }], {
      projectId: PROJECT,
      env: { RECORDING_FILE: recordFile },
      onDelivery: (d) => relayed.push(d),
    });
    await createTopology(pubsub, topology((t) => servers!.pushEndpoint('recording', `${PREFIX}${t}`)));
    bus = new PubSubEventBus(pubsub, { topicPrefix: PREFIX });
  });

  after(async () => {
    await servers?.stop();
    await pubsub?.close();
    await emulator?.stop();
  });

  it('delivers a published event as the CloudEvent Eventarc sends, which the stages parse', async () => {
    const id = generationId();
    const payload = { v: 1, generationId: id, request: { question: 'Why <is> the "sky" blue & not 🟩?', grade: 7, interest: 'music', voice: 'male_energetic' }, owner: 'anonymous', requestedAt: new Date().toISOString() };
    const messageId = await bus.publish(TOPICS.generationRequested, payload);
    const [got] = await recorded(ofGeneration(id), 1);
    const { event } = got;
    assert.equal(event.specversion, '1.0');
    assert.equal(event.type, PUBSUB_MESSAGE_PUBLISHED);
    assert.equal(event.id, messageId);
    assert.equal(event.source, `//pubsub.googleapis.com/projects/${PROJECT}/topics/${PREFIX}generation.requested`);
    const data = event.data as PubSubMessageData;
    assert.equal(data.subscription, `projects/${PROJECT}/subscriptions/${PREFIX}understand`);
    assert.equal(data.deliveryAttempt, 1);
    assert.equal(data.message.messageId, messageId);
    assert.equal(event.time, data.message.publishTime);
    assert.deepEqual(
      { ...data.message.attributes },
      { eventType: TOPICS.generationRequested, schemaVersion: '1', generationId: id },
    );
    assert.deepEqual(parsePubSubEvent(TOPICS.generationRequested, event), payload);
    assert.equal(got.outcome, 'ok');
  });

  it('redelivers a message whose function fails (HTTP 500) until it succeeds, counting the attempts', async () => {
    const id = generationId();
    const messageId = await bus.publish(TOPICS.scriptWritten, { v: 1, generationId: id, failTimes: 2 });
    const got = await recorded(ofGeneration(id), 3);
    assert.deepEqual(got.map((d) => d.outcome), ['failed', 'failed', 'ok']);
    assert.ok(got.every((d) => d.event.id === messageId), 'every redelivery is the same message');
    assert.deepEqual(got.map((d) => (d.event.data as PubSubMessageData).deliveryAttempt), [1, 2, 3]);
    const statuses = relayed.filter((d) => d.messageId === messageId).map((d) => d.status);
    assert.deepEqual(statuses.slice(0, 3), [500, 500, 204], 'the emulator saw the function status through the relay');
  });

  it('dead-letters a message after 5 failed deliveries, to the dead-letter function with the source subscription', async () => {
    const id = generationId();
    const payload = { v: 1, generationId: id, topicId: 'physics/x', confidence: 0.5, failAlways: true };
    const messageId = await bus.publish(TOPICS.topicResolved, payload);
    const got = await recorded(ofGeneration(id), 6, 120_000);
    const onStage = got.filter((d) => d.event.id === messageId);
    assert.equal(onStage.length, 5, 'five deliveries on the stage subscription');
    assert.ok(onStage.every((d) => d.outcome === 'failed'));
    const dead = got.find((d) => d.event.source.endsWith(`/topics/${PREFIX}generation.dead-lettered`));
    assert.ok(dead, 'a delivery from the dead-letter topic');
    assert.notEqual(dead.event.id, messageId, 'the dead-letter topic publishes a new message');
    const data = dead.event.data as PubSubMessageData;
    assert.equal(data.subscription, `projects/${PROJECT}/subscriptions/${PREFIX}dead-letter`);
    assert.deepEqual(parsePubSubEvent(TOPICS.deadLetter, dead.event), payload);
    const attrs = data.message.attributes!;
    assert.equal(attrs.generationId, id);
    assert.equal(attrs.CloudPubSubDeadLetterSourceDeliveryCount, '5');
    assert.equal(stageOfSubscription(attrs.CloudPubSubDeadLetterSourceSubscription), 'retrieve');
  });

  it('creates every topic and a push subscription per consuming function with retry and dead-letter policies', async () => {
    const [topics] = await pubsub.getTopics();
    const names = topics.map((t) => t.name);
    for (const topic of Object.values(TOPICS)) assert.ok(names.includes(`projects/${PROJECT}/topics/${PREFIX}${topic}`), `topic ${topic}`);
    for (const topic of [...STAGE_TOPICS, TOPICS.deadLetter]) {
      const [meta] = await pubsub.subscription(`${PREFIX}${TOPIC_CONSUMERS[topic]}`).getMetadata();
      assert.equal(meta.topic, `projects/${PROJECT}/topics/${PREFIX}${topic}`);
      assert.equal(meta.pushConfig?.pushEndpoint, servers!.pushEndpoint('recording', `${PREFIX}${topic}`));
      assert.equal(meta.ackDeadlineSeconds, 600);
      assert.equal(Number(meta.retryPolicy?.maximumBackoff?.seconds), 1);
      if (topic === TOPICS.deadLetter) assert.equal(meta.deadLetterPolicy ?? null, null, 'the dead-letter subscription does not dead-letter');
      else assert.deepEqual(meta.deadLetterPolicy, { deadLetterTopic: `projects/${PROJECT}/topics/${PREFIX}generation.dead-lettered`, maxDeliveryAttempts: 5 });
    }
  });

  it('is idempotent: running it again points existing subscriptions at new endpoints and policies', async () => {
    const first = await createTopology(pubsub, topology((t) => `http://127.0.0.1:9/first/${t}`, 'again-'));
    // A policy the dead-letter subscription must not have (someone set it by hand): the next run removes it.
    await pubsub.subscription('again-dead-letter').setMetadata({ deadLetterPolicy: { deadLetterTopic: first.topics[TOPICS.sweepTick], maxDeliveryAttempts: 5 } });
    const second = await createTopology(pubsub, { ...topology((t) => `http://127.0.0.1:9/second/${t}`, 'again-'), maxDeliveryAttempts: 7 });
    assert.deepEqual(second.subscriptions.map((s) => s.name), first.subscriptions.map((s) => s.name));
    const [meta] = await pubsub.subscription('again-write').getMetadata();
    assert.equal(meta.pushConfig?.pushEndpoint, 'http://127.0.0.1:9/second/sources.retrieved');
    assert.equal(meta.deadLetterPolicy?.maxDeliveryAttempts, 7);
    const [dead] = await pubsub.subscription('again-dead-letter').getMetadata();
    assert.equal(dead.deadLetterPolicy ?? null, null);
  });

  it('refuses settings Pub/Sub would refuse, before creating anything', async () => {
    const base = topology((t) => `http://127.0.0.1:9/${t}`, 'refused-');
    await assert.rejects(createTopology(pubsub, { ...base, maxDeliveryAttempts: 2 }), RangeError);
    await assert.rejects(createTopology(pubsub, { ...base, minBackoffSeconds: 5, maxBackoffSeconds: 1 }), RangeError);
    await assert.rejects(createTopology(pubsub, { ...base, ackDeadlineSeconds: 601 }), RangeError);
    const [topics] = await pubsub.getTopics();
    assert.ok(!topics.some((t) => t.name.includes('/topics/refused-')));
  });

  it('the relay answers 404 for an unknown function and 400 for a body that is not a push, without calling a function', async () => {
    const before = readFileSync(recordFile, 'utf8');
    const unknown = await fetch(servers!.pushEndpoint('no-such-function', 'x'), { method: 'POST', body: '{}' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
    const notPush = await fetch(servers!.pushEndpoint('recording', `${PREFIX}sweep.tick`), { method: 'POST', body: '<xml>not json</xml>' });
    assert.equal(notPush.status, 400);
    assert.equal(((await notPush.json()) as { error: { code: string } }).error.code, 'EVENT_MALFORMED');
    assert.equal(readFileSync(recordFile, 'utf8'), before);
  });

  it("a raw push straight to the Functions Framework loses the subscription (why the relay exists)", async () => {
    const [topic] = await pubsub.createTopic('raw-check');
    await topic.createSubscription('raw-recording', { pushConfig: { pushEndpoint: `${servers!.functions.recording.url}projects/${PROJECT}/topics/raw-check` } });
    const id = generationId();
    await topic.publishMessage({ json: { v: 1, generationId: id } });
    const [got] = await recorded(ofGeneration(id), 1);
    assert.equal(got.event.type, PUBSUB_MESSAGE_PUBLISHED);
    assert.equal(got.event.source, `//pubsub.googleapis.com/projects/${PROJECT}/topics/raw-check`);
    const data = got.event.data as PubSubMessageData & { message: { '@type'?: string } };
    assert.equal(data.subscription, undefined);
    assert.equal(data.deliveryAttempt, undefined);
    assert.equal(data.message['@type'], 'type.googleapis.com/google.pubsub.v1.PubsubMessage');
  });
});

function decoded(d: RecordedDelivery): { generationId?: string } | undefined {
  const raw = (d.event.data as PubSubMessageData | undefined)?.message?.data;
  if (!raw) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
