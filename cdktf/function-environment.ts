import type { z } from 'zod';
import { OPTIONS } from '../shared/config.js';
import { DeployConfigError, type EnvironmentConfig } from './config.js';

/**
 * Environment variables the stack sets that shared/config.ts OPTIONS does not declare yet. They
 * are harmless to an older runtime (parseConfig ignores unknown variables) and listed here so
 * the check below stays strict for everything else.
 */
export const PENDING_OPTIONS: Record<string, string> = {};

export interface BucketNames {
  narration: string;
  video: string;
  content: string;
}

/**
 * The runtime configuration every function gets: the cloud adapters, the buckets and the
 * environment's settings. All functions get the same set, so none can silently fall back to an
 * embedded default because it missed a variable.
 */
export function functionEnvironment(c: EnvironmentConfig, buckets: BucketNames): Record<string, string> {
  const vars: Record<string, string> = {
    VIVIDLY_STATE_STORE: 'firestore',
    VIVIDLY_EVENT_BUS: 'pubsub',
    VIVIDLY_OBJECT_STORE: 'gcs',
    VIVIDLY_LANGUAGE_MODEL: 'gemini',
    VIVIDLY_RETRIEVAL: 'vector',
    VIVIDLY_SPEECH: c.speech.join(','),
    GOOGLE_CLOUD_PROJECT: c.project,
    VIVIDLY_LOCATION: c.vertexLocation,
    VIVIDLY_FIRESTORE_DATABASE: c.firestore.database,
    VIVIDLY_GEMINI_MODEL: c.geminiModel,
    VIVIDLY_EMBEDDING_MODEL: c.embeddingModel,
    VIVIDLY_NARRATION_BUCKET: buckets.narration,
    VIVIDLY_VIDEO_BUCKET: buckets.video,
    VIVIDLY_CONTENT_BUCKET: buckets.content,
    VIVIDLY_LIBRARY: `gs://${buckets.content}/library.sqlite`,
    VIVIDLY_CORS_ORIGINS: c.corsOrigins.join(','),
    VIVIDLY_SIGNED_URL_TTL_SECONDS: String(c.signedUrlTtlSeconds),
    // Pub/Sub dead-letters after this many deliveries; the functions know when an attempt is the last.
    VIVIDLY_MAX_ATTEMPTS: String(c.delivery.maxDeliveryAttempts),
    VIVIDLY_STALL_SECONDS: String(c.sweep.stallSeconds),
    VIVIDLY_GIVE_UP_SECONDS: String(c.sweep.giveUpSeconds),
    VIVIDLY_LOG_LEVEL: c.logLevel,
    // The only writable place in a function's file system (in memory): library copy, media work.
    VIVIDLY_DATA_DIR: '/tmp/vividly',
    VIVIDLY_GENERATION_TTL_DAYS: String(c.generationTtlDays),
  };
  checkRuntimeEnvironment(vars);
  return vars;
}

/**
 * Every variable must be a declared runtime option and its value must pass that option's own
 * validator, so a typo or a bad value fails at synth rather than at a function's cold start.
 */
export function checkRuntimeEnvironment(vars: Record<string, string>): void {
  const byEnv = new Map<string, z.ZodType>(Object.values(OPTIONS).map((o) => [o.env, o.schema as z.ZodType]));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const schema = byEnv.get(name);
    if (!schema) {
      if (!(name in PENDING_OPTIONS)) problems.push(`${name} is not a runtime option (shared/config.ts OPTIONS)`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) problems.push(`${name}=${JSON.stringify(value)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length) throw new DeployConfigError(`function environment: ${problems.join('; ')}`);
}
