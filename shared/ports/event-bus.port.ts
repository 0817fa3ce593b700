import type { TopicName } from '../../events/schemas.js';

/** Publishing side of the event bus (Pub/Sub in the cloud; the in-process router locally). */
export interface EventBus {
  /** Publish one message; returns its message id. Attributes carry type, schema version and generation id. */
  publish(topic: TopicName, data: unknown, attributes?: Record<string, string>): Promise<string>;
}
