import type { PubSub, Topic } from '@google-cloud/pubsub';
import { topicAttributes } from '../../events/cloud-events.js';
import { TopicNameSchema, type TopicName } from '../../events/schemas.js';
import { PipelineError } from '../errors.js';
import type { EventBus } from '../ports/event-bus.port.js';

export const EventBusErrorCodes = {
  /** Pub/Sub did not take the message (unavailable, timed out, topic missing, ...): the stage retries. */
  publishFailed: 'EVENT_PUBLISH_FAILED',
  /** A topic name outside the event contract (events/schemas.ts TOPICS): a bug, never retried. */
  topicUnknown: 'EVENT_TOPIC_UNKNOWN',
  /** The payload cannot be a Pub/Sub message (not JSON, bad attributes): never retried. */
  malformed: 'EVENT_MALFORMED',
  /** Over Pub/Sub's 10 MB message limit: never retried. */
  tooLarge: 'EVENT_TOO_LARGE',
} as const;

/** Pub/Sub's limit on one message (data plus attributes); checked here so it fails the same way everywhere. */
export const MAX_MESSAGE_BYTES = 10_000_000;
const MAX_ATTRIBUTES = 100;
const MAX_ATTRIBUTE_KEY_BYTES = 256;
const MAX_ATTRIBUTE_VALUE_BYTES = 1024;

export interface PubSubEventBusOptions {
  /** Prepended to every topic id (`dev-` + `generation.requested`); empty by default. */
  topicPrefix?: string;
  /** Total time one publish may take, the client's own retries included (default 30 s). */
  publishTimeoutMs?: number;
}

/**
 * The event bus on Pub/Sub. One topic per event, its id the event name (dots are valid in topic
 * ids); the payload is JSON in `data`, and the attributes carry the event type, schema version
 * and generation id (the same ones the in-process router puts on its messages). Delivery is the
 * job of Eventarc or push subscriptions, not of this class.
 */
export class PubSubEventBus implements EventBus {
  private readonly topics = new Map<string, Topic>();
  private readonly prefix: string;
  private readonly publishTimeoutMs: number;

  constructor(
    private readonly pubsub: PubSub,
    opts: PubSubEventBusOptions = {},
  ) {
    this.prefix = opts.topicPrefix ?? '';
    this.publishTimeoutMs = opts.publishTimeoutMs ?? 30_000;
  }

  /** The Pub/Sub topic id that carries `topic`. */
  topicId(topic: TopicName): string {
    return `${this.prefix}${topic}`;
  }

  async publish(topic: TopicName, data: unknown, attributes: Record<string, string> = {}): Promise<string> {
    if (!TopicNameSchema.safeParse(topic).success) {
      throw new PipelineError(EventBusErrorCodes.topicUnknown, `no such event topic: ${JSON.stringify(String(topic)).slice(0, 100)}`, { retryable: false });
    }
    const message = { data: encode(topic, data), attributes: checkedAttributes(topic, { ...topicAttributes(topic, data), ...attributes }) };
    const size = message.data.byteLength + Object.entries(message.attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > MAX_MESSAGE_BYTES) {
      throw new PipelineError(EventBusErrorCodes.tooLarge, `${topic} message is ${size} bytes; Pub/Sub takes at most ${MAX_MESSAGE_BYTES}`, { retryable: false });
    }
    try {
      return await this.topic(topic).publishMessage(message);
    } catch (err) {
      const grpcCode = (err as { code?: unknown })?.code;
      const reason = grpcCode === 5 ? `topic ${this.topicId(topic)} does not exist` : String((err as Error)?.message ?? err).slice(0, 300);
      throw new PipelineError(EventBusErrorCodes.publishFailed, `could not publish to ${this.topicId(topic)}: ${reason}`, {
        retryable: true,
        httpStatus: 503,
        details: { topic: this.topicId(topic), grpcCode: typeof grpcCode === 'number' ? grpcCode : undefined },
        cause: err,
      });
    }
  }

  /** One Topic object per topic for the life of the bus: it holds the publisher and its connection. */
  private topic(topic: TopicName): Topic {
    let t = this.topics.get(topic);
    if (!t) {
      t = this.pubsub.topic(this.topicId(topic), {
        // A stage publishes one event and then acknowledges its own: send at once, never wait to fill a batch.
        batching: { maxMessages: 1, maxMilliseconds: 0 },
        // The client's default retries a publish for up to 600 s; a stage should rather fail and be redelivered.
        gaxOpts: { timeout: this.publishTimeoutMs },
      });
      this.topics.set(topic, t);
    }
    return t;
  }
}

function encode(topic: TopicName, data: unknown): Buffer {
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (err) {
    throw new PipelineError(EventBusErrorCodes.malformed, `${topic} payload is not JSON: ${(err as Error).message}`, { retryable: false });
  }
  if (json === undefined) throw new PipelineError(EventBusErrorCodes.malformed, `${topic} payload is not JSON (got ${typeof data})`, { retryable: false });
  return Buffer.from(json, 'utf8');
}

/** Pub/Sub rejects whole publishes for bad attributes; say which one instead. */
function checkedAttributes(topic: TopicName, attributes: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(attributes);
  const bad = (why: string) => new PipelineError(EventBusErrorCodes.malformed, `${topic} attributes: ${why}`, { retryable: false });
  if (entries.length > MAX_ATTRIBUTES) throw bad(`${entries.length} attributes, at most ${MAX_ATTRIBUTES}`);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw bad(`${JSON.stringify(key.slice(0, 50))} must be a string`);
    if (!key || Buffer.byteLength(key) > MAX_ATTRIBUTE_KEY_BYTES || key.startsWith('goog')) throw bad(`invalid key ${JSON.stringify(key.slice(0, 50))}`);
    if (Buffer.byteLength(value) > MAX_ATTRIBUTE_VALUE_BYTES) throw bad(`${JSON.stringify(key.slice(0, 50))} is over ${MAX_ATTRIBUTE_VALUE_BYTES} bytes`);
  }
  return attributes as Record<string, string>;
}
