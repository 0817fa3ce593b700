import type { TopicName } from '../events/schemas.js';
import { pipelineRow, publishedTopics, subscribedTopic, type Trigger } from '../shared/domain/pipeline.js';
import { FUNCTION_NAMES, type FunctionName } from './config.js';
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

/** How the stack delivers a pipeline table trigger (shared/domain/pipeline.ts). */
export function deployTrigger(trigger: Trigger): FunctionTrigger {
  if ('http' in trigger) return { kind: 'http-public' };
  if ('bucket' in trigger) return { kind: 'storage', bucket: trigger.bucket };
  return { kind: 'pubsub', topic: subscribedTopic({ trigger })! };
}

/**
 * Least privilege, function by function: what each one's code touches through its ports (see
 * functions/<name>/*.ts), and nothing else. Text-to-Speech needs the API enabled but no role.
 * The trigger and the topics it may publish to come from the pipeline table.
 */
const GRANTS: Record<FunctionName, Omit<FunctionAccess, 'trigger' | 'publishes'>> = {
  api: {
    description: 'HTTP API: validate, authenticate, answer from cache, create generations.',
    firestore: true,
    vertexAi: false,
    // The library: its version keys the not-covered cache, and a requested topicId must be one of its topics.
    buckets: { content: 'read', video: 'read' },
    secrets: ['apiKeys'],
    signsUrls: true,
  },
  understand: {
    description: 'Resolve the question to a catalog topic; complete from the content cache.',
    firestore: true,
    vertexAi: true,
    // The library; and the cached video, checked before completing from cache.
    buckets: { content: 'read', video: 'read' },
    secrets: [],
    signsUrls: false,
  },
  retrieve: {
    description: 'Fetch the best passages and figures for the topic (vector search, lexical fallback).',
    firestore: true,
    vertexAi: true,
    buckets: { content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  write: {
    description: 'Write the personalised script (Gemini, local writer as fallback).',
    firestore: true,
    vertexAi: true,
    buckets: { content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  narrate: {
    description: 'Speak the script (ElevenLabs, Google Text-to-Speech, espeak) into the narration bucket.',
    firestore: true,
    vertexAi: false,
    buckets: { narration: 'write' },
    secrets: ['elevenLabsApiKey'],
    signsUrls: false,
  },
  render: {
    description: 'Render the 1080p video from the narration into the video bucket.',
    firestore: true,
    vertexAi: false,
    // Figures for the slides come from the content bucket.
    buckets: { narration: 'read', video: 'write', content: 'read' },
    secrets: [],
    signsUrls: false,
  },
  publish: {
    description: 'Mark the generation completed and fill the content cache.',
    firestore: true,
    vertexAi: false,
    buckets: { video: 'read' },
    secrets: [],
    signsUrls: false,
  },
  'dead-letter': {
    description: 'Record a dead-lettered event on its generation.',
    firestore: true,
    vertexAi: false,
    buckets: {},
    secrets: [],
    signsUrls: false,
  },
  sweep: {
    description: 'Re-drive stalled generations; fail the hopeless ones.',
    firestore: true,
    vertexAi: false,
    // Re-drives publish the event that starts the next stage (publishes, from the pipeline table),
    // or rewrite the last object onto itself, for a fresh finalize event.
    buckets: { narration: 'write', video: 'write' },
    secrets: [],
    signsUrls: false,
  },
};

export const FUNCTION_ACCESS = Object.fromEntries(
  FUNCTION_NAMES.map((name) => {
    const row = pipelineRow(name);
    return [name, { ...GRANTS[name], trigger: deployTrigger(row.trigger), publishes: publishedTopics(row) }];
  }),
) as Record<FunctionName, FunctionAccess>;
