import { eventBusContract, inProcessRouterHarness } from '../contract/event-bus.contract.js';
import assert from 'node:assert/strict';
import { parsePubSubEvent, type CloudEventLike, type PubSubMessageData } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import { InProcessEventRouter } from '../../shared/adapters/in-process-event-router.js';

const payload = { v: 1, generationId: 'gen_router0000000001' };

describe('InProcessEventRouter', () => {
  it('delivers a published message as a Pub/Sub CloudEvent to every subscription of its topic', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 5 });
    const got: [string, CloudEventLike][] = [];
    router.subscribe(TOPICS.scriptWritten, 'narrate', async (e) => void got.push(['narrate', e]));
    router.subscribe(TOPICS.scriptWritten, 'audit', async (e) => void got.push(['audit', e]));
    router.subscribe(TOPICS.topicResolved, 'retrieve', async () => assert.fail('wrong topic'));
    const id = await router.publish(TOPICS.scriptWritten, payload, { generationId: payload.generationId });
    await router.idle();
    assert.deepEqual(got.map(([s]) => s).sort(), ['audit', 'narrate']);
    for (const [, e] of got) {
      assert.equal(e.id, id);
      assert.deepEqual(parsePubSubEvent(TOPICS.scriptWritten, e), payload);
    }
  });

  it('retries a failing delivery with growing backoff and the same event id, then succeeds', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 5, minBackoffMs: 20, maxBackoffMs: 1000 });
    const seen: { at: number; id: string; attempt?: number }[] = [];
    router.subscribe(TOPICS.scriptWritten, 'narrate', async (e) => {
      seen.push({ at: performance.now(), id: e.id, attempt: (e.data as PubSubMessageData).deliveryAttempt });
      if (seen.length < 3) throw new Error('busy');
    });
    await router.publish(TOPICS.scriptWritten, payload);
    await router.idle();
    assert.equal(seen.length, 3);
    assert.deepEqual(seen.map((s) => s.attempt), [1, 2, 3]);
    assert.equal(new Set(seen.map((s) => s.id)).size, 1, 'a redelivery is the same message');
    const gap1 = seen[1].at - seen[0].at;
    const gap2 = seen[2].at - seen[1].at;
    assert.ok(gap1 >= 20 * 0.8 - 2, `first retry waits about minBackoff (${gap1} ms)`);
    assert.ok(gap2 >= 40 * 0.8 - 2, `second retry waits about twice as long (${gap2} ms)`);
  });

  it('dead-letters the original message with the source subscription after maxAttempts', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 3, minBackoffMs: 1, maxBackoffMs: 2 });
    let attempts = 0;
    const dead: CloudEventLike[] = [];
    router.subscribe(TOPICS.scriptWritten, 'narrate', async () => {
      attempts++;
      throw new Error('always');
    });
    router.subscribe(TOPICS.deadLetter, 'dead-letter', async (e) => void dead.push(e));
    await router.publish(TOPICS.scriptWritten, payload, { generationId: payload.generationId });
    await router.idle();
    assert.equal(attempts, 3);
    assert.equal(dead.length, 1);
    const message = (dead[0].data as PubSubMessageData).message;
    assert.deepEqual(JSON.parse(Buffer.from(message.data!, 'base64').toString()), payload);
    assert.equal(message.attributes?.CloudPubSubDeadLetterSourceSubscription, 'projects/vividly-local/subscriptions/narrate');
    assert.equal(message.attributes?.CloudPubSubDeadLetterSourceDeliveryCount, '3');
    assert.equal(message.attributes?.generationId, payload.generationId);
  });

  it('delivers object-finalized events only to the triggers of that bucket', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 1, minBackoffMs: 1, maxBackoffMs: 1 });
    const got: CloudEventLike[] = [];
    router.onObjectFinalized('narration-b', 'render', async (e) => void got.push(e));
    router.onObjectFinalized('video-b', 'publish', async () => assert.fail('other bucket'));
    router.objectFinalized({ bucket: 'narration-b', name: 'a/b.mp3', size: 3, contentType: 'audio/mpeg', metadata: { k: 'v' }, generation: '7', timeCreated: 't', md5Hash: 'm' });
    await router.idle();
    assert.equal(got.length, 1);
    assert.equal(got[0].type, 'google.cloud.storage.object.v1.finalized');
    assert.equal(got[0].subject, 'objects/a/b.mp3');
    assert.deepEqual((got[0].data as { metadata: unknown }).metadata, { k: 'v' });
  });

  it('runs at most maxConcurrent deliveries of a subscription at once, and queues the rest', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 1, minBackoffMs: 1, maxBackoffMs: 1 });
    let running = 0;
    let most = 0;
    let done = 0;
    router.subscribe(TOPICS.scriptWritten, 'narrate', async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      done++;
    }, { maxConcurrent: 2 });
    for (let i = 0; i < 6; i++) await router.publish(TOPICS.scriptWritten, payload);
    await router.idle();
    assert.equal(done, 6);
    assert.equal(most, 2);
  });

  it('idle() resolves at once when nothing is pending', async () => {
    const router = new InProcessEventRouter({ maxAttempts: 1, minBackoffMs: 1, maxBackoffMs: 1 });
    await router.idle();
  });
});

eventBusContract('in-process router (embedded)', inProcessRouterHarness);
