/**
 * Writes `events/examples/*.json`: one CloudEvent per function input, in the wire shapes the
 * functions receive. Run with `npx tsx events/build-examples.ts`; tests read the files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPubSubEvent, buildStorageEvent } from './cloud-events.js';
import { TOPICS } from './schemas.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'examples');
const at = '2026-11-29T12:00:00.000Z';
const generationId = 'gen_example0000000000000000000001';
const pubsub = (topic: Parameters<typeof buildPubSubEvent>[0], payload: unknown, subscription: string) =>
  buildPubSubEvent(topic, payload, { messageId: `example-${subscription}`, publishTime: at, subscription, attempt: 1 });

export const EXAMPLES = {
  'generation.requested': pubsub(
    TOPICS.generationRequested,
    { v: 1, generationId, request: { question: "Explain Newton's third law", grade: 10, interest: 'basketball', voice: 'female_professional' }, owner: 'anonymous', requestedAt: at },
    'understand',
  ),
  'topic.resolved': pubsub(TOPICS.topicResolved, { v: 1, generationId, topicId: 'physics/m54131', confidence: 0.82 }, 'retrieve'),
  'sources.retrieved': pubsub(TOPICS.sourcesRetrieved, { v: 1, generationId, topicId: 'physics/m54131', passageIds: ['physics/m54131#p1', 'physics/m54131#p2'] }, 'write'),
  'script.written': pubsub(TOPICS.scriptWritten, { v: 1, generationId }, 'narrate'),
  'sweep.tick': pubsub(TOPICS.sweepTick, { v: 1, at }, 'sweep'),
  'narration.finalized': buildStorageEvent({
    bucket: 'vividly-narration',
    name: `narrations/${generationId}/narration.mp3`,
    contentType: 'audio/mpeg',
    size: '1234567',
    generation: '1764417600000000',
    metageneration: '1',
    timeCreated: at,
    updated: at,
    md5Hash: 'XrY7u+Ae7tCTyyK7j1rNww==',
    metadata: { generationId, kind: 'narration' },
  }),
  'video.finalized': buildStorageEvent({
    bucket: 'vividly-videos',
    name: `videos/${generationId}/video.mp4`,
    contentType: 'video/mp4',
    size: '23456789',
    generation: '1764417660000000',
    metageneration: '1',
    timeCreated: at,
    updated: at,
    md5Hash: 'rL0Y20zC+Fzt72VPzMSk2A==',
    metadata: { generationId, kind: 'video' },
  }),
};

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const [name, event] of Object.entries(EXAMPLES)) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(event, null, 2) + '\n');
  console.log(`wrote ${Object.keys(EXAMPLES).length} examples to ${dir}`);
}
