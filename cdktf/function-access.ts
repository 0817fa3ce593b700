import { TOPICS, type TopicName } from '../events/schemas.js';
import type { FunctionName } from './config.js';
import type { BucketRole } from './constructs/buckets.js';
import type { SecretName } from './constructs/secrets.js';

export type FunctionTrigger =
  /** Reachable by clients: public invoker, all ingress. */
  | { kind: 'http-public' }
  /** A push subscription on the topic delivers to the function. */
  | { kind: 'pubsub'; topic: TopicName }
  /** An Eventarc trigger on object finalize in the bucket. */
  | { kind: 'storage'; bucket: Extract<BucketRole, 'narration' | 'video'> };

/**
 * Object roles on a bucket. `objectUser` (read, create, overwrite, delete objects; no bucket
 * IAM) where a function writes: delivery is at least once, and a repeated delivery that uploads
 * the same object name again overwrites it, which needs storage.objects.delete that
 * objectCreator lacks.
 */
export const BUCKET_ROLES = {
  read: 'roles/storage.objectViewer',
  write: 'roles/storage.objectUser',
} as const;

export interface FunctionAccess {
  description: string;
  trigger: FunctionTrigger;
  /** roles/datastore.user: the state store. */
  firestore: boolean;
  /** roles/aiplatform.user: Gemini and embeddings. */
  vertexAi: boolean;
  /** roles/pubsub.publisher on each of these topics, and on no other. */
  publishes: TopicName[];
  buckets: Partial<Record<BucketRole, keyof typeof BUCKET_ROLES>>;
  /** Secrets it reads (those the environment declares). */
  secrets: SecretName[];
  /** roles/iam.serviceAccountTokenCreator on its own account: V4 signed URLs through signBlob. */
  signsUrls: boolean;
}

/**
 * Least privilege, function by function: what each one's code touches through its ports (see
 * functions/<name>/*.ts), and nothing else. Text-to-Speech needs the API enabled but no role.
 */
export const FUNCTION_ACCESS: Record<FunctionName, FunctionAccess> = {
  api: {
    description: 'HTTP API: validate, authenticate, answer from cache, create generations.',
    trigger: { kind: 'http-public' },
    firestore: true,
    vertexAi: false,
    publishes: [TOPICS.generationRequested],
    buckets: { video: 'read' },
    secrets: ['apiKeys'],
    signsUrls: true,
  },
  understand: {
    description: 'Resolve the question to a catalog topic; complete from the content cache.',
    trigger: { kind: 'pubsub', topic: TOPICS.generationRequested },
    firestore: true,
    vertexAi: true,
    publishes: [TOPICS.topicResolved],
    // The library; and the cached video, checked before completing from cache.
    buckets: { content: 'read', video: 'read' },
    secrets: [],
    signsUrls: false,
  },
  retrieve: {
    description: 'Fetch the best passages and figures for the topic (vector search, lexical fallback).',
    trigger: { kind: 'pubsub', topic: TOPICS.topicResolved },
    firestore: true,
    vertexAi: true,
    publishes: [TOPICS.sourcesRetrieved],
    buckets: { content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  write: {
    description: 'Write the personalised script (Gemini, local writer as fallback).',
    trigger: { kind: 'pubsub', topic: TOPICS.sourcesRetrieved },
    firestore: true,
    vertexAi: true,
    publishes: [TOPICS.scriptWritten],
    buckets: { content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  narrate: {
    description: 'Speak the script (ElevenLabs, Google Text-to-Speech, espeak) into the narration bucket.',
    trigger: { kind: 'pubsub', topic: TOPICS.scriptWritten },
    firestore: true,
    vertexAi: false,
    publishes: [],
    buckets: { narration: 'write' },
    secrets: ['elevenLabsApiKey'],
    signsUrls: false,
  },
  render: {
    description: 'Render the 1080p video from the narration into the video bucket.',
    trigger: { kind: 'storage', bucket: 'narration' },
    firestore: true,
    vertexAi: false,
    publishes: [],
    // Figures for the slides come from the content bucket.
    buckets: { narration: 'read', video: 'write', content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  publish: {
    description: 'Mark the generation completed and fill the content cache.',
    trigger: { kind: 'storage', bucket: 'video' },
    firestore: true,
    vertexAi: false,
    publishes: [],
    buckets: { video: 'read' },
    secrets: [],
    signsUrls: false,
  },
  'dead-letter': {
    description: 'Record a dead-lettered event on its generation.',
    trigger: { kind: 'pubsub', topic: TOPICS.deadLetter },
    firestore: true,
    vertexAi: false,
    publishes: [],
    buckets: {},
    secrets: [],
    signsUrls: false,
  },
  sweep: {
    description: 'Re-drive stalled generations; fail the hopeless ones.',
    trigger: { kind: 'pubsub', topic: TOPICS.sweepTick },
    firestore: true,
    vertexAi: false,
    // Re-drives publish the event that starts the next stage ...
    publishes: [TOPICS.generationRequested, TOPICS.topicResolved, TOPICS.sourcesRetrieved, TOPICS.scriptWritten],
    // ... or rewrite the last object onto itself, for a fresh finalize event.
    buckets: { narration: 'write', video: 'write' },
    secrets: [],
    signsUrls: false,
  },
};
