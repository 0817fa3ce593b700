import type { PayloadOf, TopicName } from '../../events/schemas.js';
import type { Generation } from '../domain/generation.js';
import { pipelineRow, STAGE_AWAITED, subscribedTopic, type StageTopic } from '../domain/pipeline.js';

/** The payload of each stage-starting event (the compiler asks for one per stage topic of the pipeline table), rebuilt from the generation (null while what it carries is missing). */
const PAYLOADS: { [T in StageTopic]: (g: Generation) => PayloadOf<T> | null } = {
  'generation.requested': (g) => ({ v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt }),
  'topic.resolved': (g) => (g.topic ? { v: 1, generationId: g.id, topicId: g.topic.id, confidence: g.topic.confidence } : null),
  'sources.retrieved': (g) => (g.topic && g.passageIds?.length ? { v: 1, generationId: g.id, topicId: g.topic.id, passageIds: g.passageIds } : null),
  'script.written': (g) => ({ v: 1, generationId: g.id }),
};

/**
 * The event that starts the next stage of a generation at its current status (emits and sweep
 * re-drives share this): the trigger topic of the stage the pipeline table says the status waits
 * for. Null for a stage started by an object-finalized event (narrated, rendered) and for terminal states.
 */
export function nextEventFor(g: Generation): { topic: TopicName; payload: unknown } | null {
  const stage = g.status === 'failed' ? undefined : STAGE_AWAITED[g.status];
  const topic = stage && subscribedTopic(pipelineRow(stage));
  if (!topic) return null;
  if (!(topic in PAYLOADS)) throw new Error(`no payload builder for the stage topic ${topic} (shared/runtime/input-event.ts)`);
  const payload = PAYLOADS[topic as StageTopic](g);
  return payload ? { topic, payload } : null;
}

export async function publishNext(g: Generation, bus: { publish(topic: TopicName, data: unknown, attributes?: Record<string, string>): Promise<string> }): Promise<void> {
  const next = nextEventFor(g);
  if (!next) return;
  await bus.publish(next.topic, next.payload, { eventType: next.topic, schemaVersion: '1', generationId: g.id });
}
