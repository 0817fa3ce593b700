import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PAYLOAD_SCHEMAS, StorageObjectDataSchema, type PayloadOf, type StorageObjectData, type TopicName } from './schemas.js';

export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const STORAGE_OBJECT_FINALIZED = 'google.cloud.storage.object.v1.finalized';

/** The CloudEvent fields the pipeline reads (structured mode JSON, or the `ce-*` headers of binary mode). */
export interface CloudEventLike<T = unknown> {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  data?: T;
}

export const PubSubMessageDataSchema = z.object({
  message: z.object({
    data: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().optional(),
    message_id: z.string().optional(),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().optional(),
  /** Set by Pub/Sub push when the subscription has a dead-letter policy. */
  deliveryAttempt: z.number().int().optional(),
});
export type PubSubMessageData = z.infer<typeof PubSubMessageDataSchema>;

/** An event that does not match its contract. Never retried: a retry cannot fix a malformed event. */
export class MalformedEventError extends Error {
  readonly code = 'EVENT_MALFORMED';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

export const DEFAULT_PROJECT = 'vividly-local';

export function buildPubSubEvent(
  topic: TopicName,
  payload: unknown,
  opts: { project?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string; attempt?: number; subscription?: string } = {},
): CloudEventLike<PubSubMessageData> {
  const project = opts.project ?? DEFAULT_PROJECT;
  const messageId = opts.messageId ?? randomUUID();
  const publishTime = opts.publishTime ?? new Date().toISOString();
  return {
    specversion: '1.0',
    id: messageId,
    source: `//pubsub.googleapis.com/projects/${project}/topics/${topic}`,
    type: PUBSUB_MESSAGE_PUBLISHED,
    time: publishTime,
    datacontenttype: 'application/json',
    data: {
      message: {
        data: Buffer.from(JSON.stringify(payload), 'utf8').toString('base64'),
        attributes: { ...topicAttributes(topic, payload), ...opts.attributes },
        messageId,
        publishTime,
      },
      subscription: `projects/${project}/subscriptions/${opts.subscription ?? topic}`,
      ...(opts.attempt ? { deliveryAttempt: opts.attempt } : {}),
    },
  };
}

/** The attributes every published message carries (for filtering, dashboards and dead-letter triage). */
export function topicAttributes(topic: TopicName, payload: unknown): Record<string, string> {
  const p = (payload ?? {}) as { v?: unknown; generationId?: unknown };
  const attrs: Record<string, string> = { eventType: topic, schemaVersion: String(p.v ?? '') };
  if (typeof p.generationId === 'string') attrs.generationId = p.generationId;
  return attrs;
}

export function buildStorageEvent(object: StorageObjectData, opts: { id?: string; time?: string } = {}): CloudEventLike<StorageObjectData> {
  return {
    specversion: '1.0',
    id: opts.id ?? `${object.bucket}/${object.name}/${object.generation ?? '0'}`,
    source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}`,
    type: STORAGE_OBJECT_FINALIZED,
    subject: `objects/${object.name}`,
    time: opts.time ?? object.updated ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    data: object,
  };
}

/** The delivery attempt (1-based) of a Pub/Sub push, when known. */
export function deliveryAttemptOf(event: CloudEventLike): number | undefined {
  const data = event.data as { deliveryAttempt?: unknown } | undefined;
  return typeof data?.deliveryAttempt === 'number' ? data.deliveryAttempt : undefined;
}

/** Which topic a Pub/Sub CloudEvent came from (from `source`), or null. */
export function topicOf(event: CloudEventLike): string | null {
  const m = /\/topics\/([^/]+)$/.exec(event.source ?? '');
  return m ? m[1] : null;
}

/** Decode and validate the payload of a Pub/Sub `messagePublished` CloudEvent for a known topic. */
export function parsePubSubEvent<T extends TopicName>(topic: T, event: CloudEventLike): PayloadOf<T> {
  if (event.type !== PUBSUB_MESSAGE_PUBLISHED) throw new MalformedEventError(`expected ${PUBSUB_MESSAGE_PUBLISHED}, got ${String(event.type)}`);
  const envelope = PubSubMessageDataSchema.safeParse(typeof event.data === 'string' ? safeJson(event.data) : event.data);
  if (!envelope.success) throw new MalformedEventError(`not a Pub/Sub message: ${z.prettifyError(envelope.error)}`);
  const raw = envelope.data.message.data;
  if (!raw) throw new MalformedEventError('Pub/Sub message has no data');
  const decoded = safeJson(Buffer.from(raw, 'base64').toString('utf8'));
  if (decoded === undefined) throw new MalformedEventError('Pub/Sub message data is not base64 JSON');
  const parsed = PAYLOAD_SCHEMAS[topic].safeParse(decoded);
  if (!parsed.success) throw new MalformedEventError(`invalid ${topic} payload: ${z.prettifyError(parsed.error)}`);
  return parsed.data as PayloadOf<T>;
}

export function parseStorageEvent(event: CloudEventLike): StorageObjectData {
  if (event.type !== STORAGE_OBJECT_FINALIZED) throw new MalformedEventError(`expected ${STORAGE_OBJECT_FINALIZED}, got ${String(event.type)}`);
  const parsed = StorageObjectDataSchema.safeParse(typeof event.data === 'string' ? safeJson(event.data) : event.data);
  if (!parsed.success) throw new MalformedEventError(`invalid storage object: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** HTTP binary mode: `ce-*` headers carry the attributes and the body is the data. */
export function toBinaryHttp(event: CloudEventLike): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': event.datacontenttype ?? 'application/json',
    'ce-specversion': event.specversion,
    'ce-id': event.id,
    'ce-source': event.source,
    'ce-type': event.type,
  };
  if (event.subject) headers['ce-subject'] = event.subject;
  if (event.time) headers['ce-time'] = event.time;
  return { headers, body: JSON.stringify(event.data ?? null) };
}

/** HTTP structured mode: the whole event is the JSON body. */
export function toStructuredHttp(event: CloudEventLike): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/cloudevents+json' }, body: JSON.stringify(event) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
