import { randomUUID } from 'node:crypto';
import { buildPubSubEvent, buildStorageEvent, DEFAULT_PROJECT, type CloudEventLike } from '../../events/cloud-events.js';
import { TopicNameSchema, TOPICS, type TopicName } from '../../events/schemas.js';
import { codeOf, PipelineError } from '../errors.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { ObjectInfo } from '../ports/object-store.port.js';
import type { Logger } from '../observability/logger.js';
import { retryDelayMs, shouldRetry, type RetryPolicy } from '../runtime/retry-policy.js';

export type CloudEventHandler = (event: CloudEventLike) => Promise<void>;

export interface RouterOptions {
  maxAttempts: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  project?: string;
  log?: Logger;
}

interface Subscription {
  name: string;
  handler: CloudEventHandler;
  /** Like a function's maximum instances: deliveries beyond it wait their turn. */
  maxConcurrent: number;
  running: number;
  waiting: (() => void)[];
  /** Messages not yet acknowledged (running, waiting their turn, or waiting for a retry), with when each was published. */
  unacked: Map<object, number>;
  /** Where it listens: a topic name or `bucket:<name>`. */
  source: string;
}

/** A subscription's backlog, as Pub/Sub reports it (num_undelivered_messages, oldest_unacked_message_age). */
export interface QueueStats {
  subscription: string;
  source: string;
  /** Messages published to it and not yet acknowledged, dead-lettered or dropped. */
  depth: number;
  /** Deliveries running right now. */
  running: number;
  /** Age of the oldest unacknowledged message, in seconds (0 when the queue is empty). */
  oldestAgeSeconds: number;
}

export interface SubscribeOptions {
  maxConcurrent?: number;
}

/**
 * The embedded event bus: delivers the same CloudEvents that Pub/Sub push subscriptions and
 * Eventarc storage triggers deliver in the cloud, at least once, with exponential backoff, a
 * maximum number of attempts, and then the dead-letter topic (carrying the original message and
 * the `CloudPubSubDeadLetterSource*` attributes, as Pub/Sub does).
 */
export class InProcessEventRouter implements EventBus {
  private readonly topicSubs = new Map<string, Subscription[]>();
  private readonly bucketSubs = new Map<string, Subscription[]>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly project: string;
  private readonly redelivery: RetryPolicy;

  constructor(private readonly opts: RouterOptions) {
    this.project = opts.project ?? DEFAULT_PROJECT;
    this.redelivery = routerRetryPolicy(opts);
  }

  /** A push subscription named `name` on `topic` (the name is what dead-lettering reports). */
  subscribe(topic: TopicName, name: string, handler: CloudEventHandler, opts: SubscribeOptions = {}): void {
    this.topicSubs.set(topic, [...(this.topicSubs.get(topic) ?? []), newSubscription(name, topic, handler, opts)]);
  }

  /** An object-finalized trigger on one bucket (Eventarc filters by bucket only). */
  onObjectFinalized(bucket: string, name: string, handler: CloudEventHandler, opts: SubscribeOptions = {}): void {
    this.bucketSubs.set(bucket, [...(this.bucketSubs.get(bucket) ?? []), newSubscription(name, `bucket:${bucket}`, handler, opts)]);
  }

  async publish(topic: TopicName, data: unknown, attributes: Record<string, string> = {}): Promise<string> {
    if (!TopicNameSchema.safeParse(topic).success) throw new PipelineError('EVENT_TOPIC_UNKNOWN', `no such event topic: ${String(topic).slice(0, 100)}`, { retryable: false });
    const messageId = randomUUID();
    const subs = this.topicSubs.get(topic) ?? [];
    if (subs.length === 0) this.opts.log?.warn('published to a topic with no subscription', { topic, messageId });
    for (const sub of subs) {
      this.deliver(sub, (attempt) => buildPubSubEvent(topic, data, { project: this.project, attributes, messageId, attempt, subscription: sub.name }), 1, {
        topic,
        data,
        attributes,
      });
    }
    return messageId;
  }

  /** Called by the object store for every finalized object. */
  objectFinalized(info: ObjectInfo): void {
    const object = {
      bucket: info.bucket,
      name: info.name,
      contentType: info.contentType,
      size: String(info.size),
      generation: info.generation,
      metageneration: '1',
      timeCreated: info.timeCreated,
      updated: info.timeCreated,
      md5Hash: info.md5Hash,
      metadata: info.metadata,
    };
    for (const sub of this.bucketSubs.get(info.bucket) ?? []) {
      this.deliver(sub, () => buildStorageEvent(object), 1, { topic: `bucket:${info.bucket}`, data: object, attributes: { ...info.metadata } });
    }
  }

  /** Resolves when every delivery, retry and dead-letter delivery has finished. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Read-only: every subscription's backlog now (the ops page, `/metrics` and `vividly stats` show it). */
  queueStats(now: number = Date.now()): QueueStats[] {
    const all = [...this.topicSubs.values(), ...this.bucketSubs.values()].flat();
    return all.map((sub) => {
      const oldest = Math.min(...sub.unacked.values());
      return {
        subscription: sub.name,
        source: sub.source,
        depth: sub.unacked.size,
        running: sub.running,
        oldestAgeSeconds: sub.unacked.size ? Math.max(0, (now - oldest) / 1000) : 0,
      };
    });
  }

  close(): void {
    this.closed = true;
    for (const sub of [...this.topicSubs.values(), ...this.bucketSubs.values()].flat()) sub.unacked.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private deliver(
    sub: Subscription,
    build: (attempt: number) => CloudEventLike,
    attempt: number,
    original: { topic: string; data: unknown; attributes: Record<string, string> },
    delayMs = 0,
  ): void {
    if (this.closed) return;
    if (!sub.unacked.has(original)) sub.unacked.set(original, Date.now());
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(sub, build, attempt, original);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(
    sub: Subscription,
    build: (attempt: number) => CloudEventLike,
    attempt: number,
    original: { topic: string; data: unknown; attributes: Record<string, string> },
  ): Promise<void> {
    const event = build(attempt);
    if (sub.running >= sub.maxConcurrent) await new Promise<void>((resolve) => sub.waiting.push(resolve));
    sub.running++;
    try {
      await sub.handler(event);
      sub.unacked.delete(original);
    } catch (err) {
      if (this.closed) return;
      if (shouldRetry(this.redelivery, attempt, err)) {
        const delayMs = retryDelayMs(this.redelivery, attempt);
        this.opts.log?.debug('delivery failed; will retry', { subscription: sub.name, eventId: event.id, attempt, retryInMs: delayMs });
        this.deliver(sub, build, attempt + 1, original, delayMs);
        return;
      }
      sub.unacked.delete(original);
      if (original.topic !== TOPICS.deadLetter) {
        this.opts.log?.warn('delivery failed too often; dead-lettering', { subscription: sub.name, eventId: event.id, attempts: attempt, errorCode: codeOf(err) });
        void this.publish(TOPICS.deadLetter, original.data, {
          ...original.attributes,
          CloudPubSubDeadLetterSourceDeliveryCount: String(attempt),
          CloudPubSubDeadLetterSourceSubscription: `projects/${this.project}/subscriptions/${sub.name}`,
          CloudPubSubDeadLetterSourceSubscriptionProject: this.project,
          CloudPubSubDeadLetterSourceTopic: original.topic,
        });
      } else {
        this.opts.log?.error('dead-letter delivery failed; message dropped', { subscription: sub.name, eventId: event.id });
      }
    } finally {
      sub.running--;
      sub.waiting.shift()?.();
      if (!this.closed) {
        this.pending--;
        this.settle();
      }
    }
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/**
 * Redelivery, as a push subscription's retry policy: every failure is retried (a nack), up to
 * `maxAttempts` deliveries, waiting from `minBackoffMs` doubling to `maxBackoffMs`, ±20 % jitter.
 */
export function routerRetryPolicy(opts: Pick<RouterOptions, 'maxAttempts' | 'minBackoffMs' | 'maxBackoffMs'>): RetryPolicy {
  return { attempts: opts.maxAttempts, minDelayMs: opts.minBackoffMs, maxDelayMs: opts.maxBackoffMs, factor: 2, jitter: [0.8, 1.2] };
}

function newSubscription(name: string, source: string, handler: CloudEventHandler, opts: SubscribeOptions): Subscription {
  return { name, source, handler, maxConcurrent: Math.max(1, opts.maxConcurrent ?? Number.POSITIVE_INFINITY), running: 0, waiting: [], unacked: new Map() };
}
