import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildPubSubEvent,
  MalformedEventError,
  parsePubSubEvent,
  parseStorageEvent,
  PUBSUB_MESSAGE_PUBLISHED,
  STORAGE_OBJECT_FINALIZED,
  toBinaryHttp,
  toStructuredHttp,
  topicOf,
  type CloudEventLike,
} from '../../events/cloud-events.js';
import { EXAMPLES } from '../../events/build-examples.js';
import { TOPICS, type TopicName } from '../../events/schemas.js';

const exampleFile = (name: string) => JSON.parse(readFileSync(path.join('events', 'examples', `${name}.json`), 'utf8')) as CloudEventLike;

describe('events: CloudEvent wire shapes', () => {
  const pubsubExamples: [string, TopicName][] = [
    ['generation.requested', TOPICS.generationRequested],
    ['topic.resolved', TOPICS.topicResolved],
    ['sources.retrieved', TOPICS.sourcesRetrieved],
    ['script.written', TOPICS.scriptWritten],
    ['sweep.tick', TOPICS.sweepTick],
  ];
  for (const [name, topic] of pubsubExamples) {
    it(`parses the committed example ${name} and it matches the builder`, () => {
      const event = exampleFile(name);
      assert.deepEqual(event, JSON.parse(JSON.stringify(EXAMPLES[name as keyof typeof EXAMPLES])));
      assert.equal(event.type, PUBSUB_MESSAGE_PUBLISHED);
      assert.equal(topicOf(event), topic);
      const payload = parsePubSubEvent(topic, event) as { v: number };
      assert.equal(payload.v, 1);
    });
  }

  for (const name of ['narration.finalized', 'video.finalized']) {
    it(`parses the committed storage example ${name}`, () => {
      const event = exampleFile(name);
      assert.equal(event.type, STORAGE_OBJECT_FINALIZED);
      const object = parseStorageEvent(event);
      assert.match(object.name, /^(narrations|videos)\/gen_/);
      assert.equal(event.subject, `objects/${object.name}`);
    });
  }

  it('round-trips a payload through base64 message.data with type, version and generation attributes', () => {
    const payload = { v: 1, generationId: 'gen_abcdefgh12345678', topicId: 'x/y', confidence: 0.5 };
    const event = buildPubSubEvent(TOPICS.topicResolved, payload);
    const message = (event.data as { message: { data: string; attributes: Record<string, string> } }).message;
    assert.deepEqual(JSON.parse(Buffer.from(message.data, 'base64').toString('utf8')), payload);
    assert.deepEqual(message.attributes, { eventType: 'topic.resolved', schemaVersion: '1', generationId: payload.generationId });
    assert.deepEqual(parsePubSubEvent(TOPICS.topicResolved, event), payload);
  });

  it('binary mode carries the attributes as ce-* headers and the data as the body', () => {
    const event = exampleFile('topic.resolved');
    const { headers, body } = toBinaryHttp(event);
    assert.equal(headers['ce-type'], PUBSUB_MESSAGE_PUBLISHED);
    assert.equal(headers['ce-id'], event.id);
    assert.deepEqual(JSON.parse(body), event.data);
    const structured = toStructuredHttp(event);
    assert.equal(structured.headers['content-type'], 'application/cloudevents+json');
    assert.deepEqual(JSON.parse(structured.body), event);
  });

  const malformed: [string, CloudEventLike][] = [
    ['wrong type', { ...EXAMPLES['topic.resolved'], type: STORAGE_OBJECT_FINALIZED }],
    ['no message', { ...EXAMPLES['topic.resolved'], data: { nope: true } }],
    ['data not base64 JSON', { ...EXAMPLES['topic.resolved'], data: { message: { data: Buffer.from('{not json').toString('base64') } } }],
    ['unknown schema version', buildPubSubEvent(TOPICS.topicResolved, { v: 2, generationId: 'gen_abcdefgh12345678', topicId: 'x', confidence: 1 })],
    ['hostile generation id', buildPubSubEvent(TOPICS.scriptWritten, { v: 1, generationId: 'gen_../../etc/passwd' })],
    ['confidence out of range', buildPubSubEvent(TOPICS.topicResolved, { v: 1, generationId: 'gen_abcdefgh12345678', topicId: 'x', confidence: 7 })],
    ['empty passages', buildPubSubEvent(TOPICS.sourcesRetrieved, { v: 1, generationId: 'gen_abcdefgh12345678', topicId: 'x', passageIds: [] })],
  ];
  for (const [name, event] of malformed) {
    it(`rejects a malformed event (${name}) with EVENT_MALFORMED`, () => {
      const topic = (topicOf(event) ?? TOPICS.topicResolved) as TopicName;
      assert.throws(() => parsePubSubEvent(topic, event), (e: unknown) => e instanceof MalformedEventError && e.code === 'EVENT_MALFORMED');
    });
  }

  it('rejects a storage event without a bucket', () => {
    const event = { ...EXAMPLES['video.finalized'], data: { name: 'videos/x.mp4' } } as CloudEventLike;
    assert.throws(() => parseStorageEvent(event), MalformedEventError);
  });
});
