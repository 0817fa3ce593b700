import { TOPICS, type TopicName } from '../../events/schemas.js';
import type { Generation } from '../domain/generation.js';

/** The event that starts the next stage of a generation at its current status (emits and sweep re-drives share this). */
export function nextEventFor(g: Generation): { topic: TopicName; payload: unknown } | null {
  switch (g.status) {
    case 'requested':
      return { topic: TOPICS.generationRequested, payload: { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt } };
    case 'topic_resolved':
      return g.topic ? { topic: TOPICS.topicResolved, payload: { v: 1, generationId: g.id, topicId: g.topic.id, confidence: g.topic.confidence } } : null;
    case 'sources_retrieved':
      return g.topic && g.passageIds?.length
        ? { topic: TOPICS.sourcesRetrieved, payload: { v: 1, generationId: g.id, topicId: g.topic.id, passageIds: g.passageIds } }
        : null;
    case 'script_written':
      return { topic: TOPICS.scriptWritten, payload: { v: 1, generationId: g.id } };
    default:
      // narrated and rendered are continued by object-finalized events; terminal states by nothing.
      return null;
  }
}

export async function publishNext(g: Generation, bus: { publish(topic: TopicName, data: unknown, attributes?: Record<string, string>): Promise<string> }): Promise<void> {
  const next = nextEventFor(g);
  if (!next) return;
  await bus.publish(next.topic, next.payload, { eventType: next.topic, schemaVersion: '1', generationId: g.id });
}
