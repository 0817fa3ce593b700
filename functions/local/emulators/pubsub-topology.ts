import { PubSub, type Subscription, type Topic } from '@google-cloud/pubsub';
import { TOPICS, type TopicName } from '../../../events/schemas.js';
import { TOPIC_CONSUMERS as PIPELINE_TOPIC_CONSUMERS, TOPIC_NAMES } from '../../../shared/domain/pipeline.js';

/**
 * The Pub/Sub wiring of the pipeline, created on the emulator (or any project) the way the CDKTF
 * stack declares it in the cloud: one topic per event, one push subscription per consuming
 * function, each with a retry policy and a dead-letter policy into `generation.dead-lettered`,
 * which has its own push subscription to the dead-letter function.
 *
 * What the emulator (pubsub-emulator 0.8.20) does with it, measured:
 * - push: POSTs `{message: {data, attributes, messageId, message_id, publishTime, publish_time},
 *   subscription}` as plain JSON (no CloudEvent headers); any non-2xx is redelivered.
 * - deadLetterPolicy: honoured. After maxDeliveryAttempts (it enforces 5..100, like Pub/Sub) the
 *   message goes to the dead-letter topic with CloudPubSubDeadLetterSource{Subscription (the short
 *   id), SubscriptionProject, DeliveryCount, TopicPublishTime} attributes.
 * - deliveryAttempt: never sent in the push body, even with a dead-letter policy (Pub/Sub sends it).
 * - retryPolicy: stored, but its bounds are not followed: without one a failed push comes back
 *   after ~1 s; with 0.1..0.5 s about every 3 s; with 5..20 s about every 8-11 s.
 * - ackDeadlineSeconds: a push still running at the deadline is delivered again, concurrently.
 */

/** The function that consumes each topic (from the pipeline table); its name is the subscription id, which the dead-letter function reads the stage from. */
export const TOPIC_CONSUMERS: Record<TopicName, string> = PIPELINE_TOPIC_CONSUMERS;

export interface TopologyOptions {
  /** The endpoint each stage topic pushes to (a function server, or the push relay in front of it). Topics left out get no subscription. */
  pushEndpoints: Partial<Record<Exclude<TopicName, typeof TOPICS.deadLetter>, string>>;
  /** Where dead-lettered messages are pushed (the dead-letter function). */
  deadLetter: { pushEndpoint: string };
  /** Deliveries before a message is dead-lettered; Pub/Sub allows 5..100 (default 5). */
  maxDeliveryAttempts?: number;
  /** Retry policy bounds in seconds (Pub/Sub defaults: 10 and 600). */
  minBackoffSeconds?: number;
  maxBackoffSeconds?: number;
  /** How long a push may run before Pub/Sub delivers it again; 10..600 (default 600, render takes minutes). */
  ackDeadlineSeconds?: number;
  /** Prepended to topic and subscription ids (as PubSubEventBus's topicPrefix). */
  prefix?: string;
}

export interface CreatedSubscription {
  /** Full name, projects/P/subscriptions/S. */
  name: string;
  topic: TopicName;
  pushEndpoint: string;
  deadLetterTopic?: string;
}

export interface Topology {
  /** Full topic names, projects/P/topics/T, by event. */
  topics: Record<TopicName, string>;
  subscriptions: CreatedSubscription[];
}

/**
 * Create (or bring up to date) every topic and push subscription. Idempotent: what exists is
 * kept and its push endpoint and policies are set to the ones asked for, so a new run against a
 * long-lived emulator points the subscriptions at the new servers.
 */
export async function createTopology(pubsub: PubSub, opts: TopologyOptions): Promise<Topology> {
  const prefix = opts.prefix ?? '';
  const maxDeliveryAttempts = opts.maxDeliveryAttempts ?? 5;
  if (!Number.isInteger(maxDeliveryAttempts) || maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100) {
    throw new RangeError(`maxDeliveryAttempts must be an integer from 5 to 100 (Pub/Sub's bounds), got ${maxDeliveryAttempts}`);
  }
  const minBackoff = opts.minBackoffSeconds ?? 10;
  const maxBackoff = opts.maxBackoffSeconds ?? 600;
  if (!(minBackoff >= 0 && minBackoff <= maxBackoff && maxBackoff <= 600)) {
    throw new RangeError(`backoff must satisfy 0 <= min <= max <= 600 seconds, got ${minBackoff}..${maxBackoff}`);
  }
  const ackDeadlineSeconds = opts.ackDeadlineSeconds ?? 600;
  if (!Number.isInteger(ackDeadlineSeconds) || ackDeadlineSeconds < 10 || ackDeadlineSeconds > 600) {
    throw new RangeError(`ackDeadlineSeconds must be an integer from 10 to 600, got ${ackDeadlineSeconds}`);
  }

  const topics = {} as Record<TopicName, Topic>;
  for (const topic of TOPIC_NAMES) topics[topic] = await ensureTopic(pubsub, `${prefix}${topic}`);

  const retryPolicy = { minimumBackoff: duration(minBackoff), maximumBackoff: duration(maxBackoff) };
  const wanted: { topic: TopicName; pushEndpoint: string; deadLetter: boolean }[] = [
    ...Object.entries(opts.pushEndpoints).map(([topic, pushEndpoint]) => ({ topic: topic as TopicName, pushEndpoint: pushEndpoint!, deadLetter: true })),
    // The dead-letter subscription retries like the others but has nowhere further to go.
    { topic: TOPICS.deadLetter, pushEndpoint: opts.deadLetter.pushEndpoint, deadLetter: false },
  ];
  const subscriptions: CreatedSubscription[] = [];
  for (const { topic, pushEndpoint, deadLetter } of wanted) {
    if (!(topic in TOPIC_CONSUMERS)) throw new RangeError(`no such event topic: ${topic}`);
    if (topic === TOPICS.deadLetter && deadLetter) throw new RangeError('the dead-letter topic is given as deadLetter.pushEndpoint, not in pushEndpoints');
    const deadLetterPolicy = deadLetter ? { deadLetterTopic: topics[TOPICS.deadLetter].name, maxDeliveryAttempts } : undefined;
    const sub = await ensurePushSubscription(topics[topic], `${prefix}${TOPIC_CONSUMERS[topic]}`, {
      pushConfig: { pushEndpoint },
      ackDeadlineSeconds,
      retryPolicy,
      ...(deadLetterPolicy ? { deadLetterPolicy } : {}),
    });
    subscriptions.push({ name: sub.name, topic, pushEndpoint, ...(deadLetterPolicy ? { deadLetterTopic: deadLetterPolicy.deadLetterTopic } : {}) });
  }
  return { topics: Object.fromEntries(Object.entries(topics).map(([k, t]) => [k, t.name])) as Record<TopicName, string>, subscriptions };
}

/**
 * A client for the emulator at `host` (host:port). Plain `new PubSub()` with PUBSUB_EMULATOR_HOST
 * also reaches it, but first asks for Google credentials, which probes the GCE metadata server
 * (169.254.169.254) from a machine that is not on Google Cloud; naming the universe skips that.
 */
export function pubsubForEmulator(host: string, projectId: string): PubSub {
  return new PubSub({ projectId, apiEndpoint: host, emulatorMode: true, universeDomain: 'googleapis.com' });
}

type SubscriptionSettings = {
  pushConfig: { pushEndpoint: string };
  ackDeadlineSeconds: number;
  retryPolicy: { minimumBackoff: Duration; maximumBackoff: Duration };
  deadLetterPolicy?: { deadLetterTopic: string; maxDeliveryAttempts: number };
};

async function ensureTopic(pubsub: PubSub, id: string): Promise<Topic> {
  try {
    const [topic] = await pubsub.createTopic(id);
    return topic;
  } catch (err) {
    if (!alreadyExists(err)) throw err;
    return pubsub.topic(id);
  }
}

async function ensurePushSubscription(topic: Topic, id: string, settings: SubscriptionSettings): Promise<Subscription> {
  try {
    const [sub] = await topic.createSubscription(id, settings);
    return sub;
  } catch (err) {
    if (!alreadyExists(err)) throw err;
  }
  const sub = topic.pubsub.subscription(id);
  const [existing] = await sub.getMetadata();
  if (existing.topic !== topic.name) throw new Error(`subscription ${id} exists on ${existing.topic}, not on ${topic.name}`);
  // The push endpoint has its own RPC; the rest is an UpdateSubscription (both supported by the emulator).
  await sub.modifyPushConfig(settings.pushConfig);
  await sub.setMetadata({
    ackDeadlineSeconds: settings.ackDeadlineSeconds,
    retryPolicy: settings.retryPolicy,
    // Named in the update only to set or clear it: the emulator takes an empty policy for a topic named "".
    ...(settings.deadLetterPolicy ? { deadLetterPolicy: settings.deadLetterPolicy } : existing.deadLetterPolicy ? { deadLetterPolicy: null } : {}),
  });
  return sub;
}

type Duration = { seconds: number; nanos: number };

function duration(seconds: number): Duration {
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9) };
}

function alreadyExists(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 6; // gRPC ALREADY_EXISTS
}
