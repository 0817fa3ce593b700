import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every configuration option, declared once: environment variable, default, validator and what it
 * is for. `parseConfig(env)` takes the environment as a parameter so tests pass their own.
 */
export const OPTIONS = {
  dataDir: { env: 'VIVIDLY_DATA_DIR', default: '.vividly', schema: z.string().min(1), doc: 'Directory for all local state: SQLite databases, objects, signing key.' },
  port: { env: 'PORT', default: '8080', schema: z.coerce.number().int().min(0).max(65535), doc: 'HTTP port of `npm start`.' },
  publicUrl: { env: 'VIVIDLY_PUBLIC_URL', default: '', schema: z.string(), doc: 'Base URL for signed links; default http://localhost:$PORT.' },
  signingKey: { env: 'VIVIDLY_SIGNING_KEY', default: '', schema: z.string(), doc: 'HMAC key for signed object URLs; default: a random key kept in the data directory.' },
  signedUrlTtlSeconds: { env: 'VIVIDLY_SIGNED_URL_TTL_SECONDS', default: '3600', schema: z.coerce.number().int().min(60).max(7 * 24 * 3600), doc: 'Lifetime of signed video, caption and poster URLs.' },
  apiKeys: { env: 'VIVIDLY_API_KEYS', default: '', schema: z.string(), doc: 'Comma-separated API keys; when set, requests need `Authorization: Bearer <key>`. Empty: open (local use).' },
  corsOrigins: { env: 'VIVIDLY_CORS_ORIGINS', default: '*', schema: z.string(), doc: 'Comma-separated origins allowed to call the API from a browser ("*": any).' },
  narrationBucket: { env: 'VIVIDLY_NARRATION_BUCKET', default: 'vividly-narration', schema: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/), doc: 'Bucket for narration audio (its finalize event triggers render).' },
  videoBucket: { env: 'VIVIDLY_VIDEO_BUCKET', default: 'vividly-videos', schema: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/), doc: 'Bucket for videos, captions and posters (its finalize event triggers publish).' },
  maxAttempts: { env: 'VIVIDLY_MAX_ATTEMPTS', default: '5', schema: z.coerce.number().int().min(1).max(100), doc: 'Deliveries of one event before it is dead-lettered.' },
  minBackoffMs: { env: 'VIVIDLY_MIN_BACKOFF_MS', default: '200', schema: z.coerce.number().int().min(0), doc: 'First retry delay of the local router (doubles each attempt).' },
  maxBackoffMs: { env: 'VIVIDLY_MAX_BACKOFF_MS', default: '10000', schema: z.coerce.number().int().min(0), doc: 'Largest retry delay of the local router.' },
  minConfidence: { env: 'VIVIDLY_MIN_CONFIDENCE', default: '0.35', schema: z.coerce.number().min(0).max(1), doc: 'Below this topic confidence a question fails with TOPIC_NOT_COVERED.' },
  stallSeconds: { env: 'VIVIDLY_STALL_SECONDS', default: '300', schema: z.coerce.number().int().min(1), doc: 'A generation not updated for this long is re-driven by sweep.' },
  giveUpSeconds: { env: 'VIVIDLY_GIVE_UP_SECONDS', default: '1800', schema: z.coerce.number().int().min(1), doc: 'A generation older than this that is still not finished is failed by sweep (STALLED).' },
  mediaConcurrency: { env: 'VIVIDLY_MEDIA_CONCURRENCY', default: '1', schema: z.coerce.number().int().min(1).max(16), doc: 'Local only: narrations and renders running at once (each render uses both cores); more requests queue.' },
  renderPreset: { env: 'VIVIDLY_RENDER_PRESET', default: 'veryfast', schema: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']), doc: 'x264 preset for rendering.' },
  // Adapters: which implementation serves each port. The defaults are the embedded ones (offline, one machine).
  stateStore: { env: 'VIVIDLY_STATE_STORE', default: 'sqlite', schema: z.enum(['sqlite', 'firestore']), doc: 'Generation state: `sqlite` (file in the data directory) or `firestore`.' },
  eventBus: { env: 'VIVIDLY_EVENT_BUS', default: 'local', schema: z.enum(['local', 'pubsub']), doc: 'Event bus: `local` (in-process router) or `pubsub` (publish to Pub/Sub; Eventarc or push subscriptions deliver).' },
  objectStore: { env: 'VIVIDLY_OBJECT_STORE', default: 'file', schema: z.enum(['file', 'gcs']), doc: 'Objects: `file` (data directory) or `gcs` (Cloud Storage, V4 signed URLs).' },
  languageModel: { env: 'VIVIDLY_LANGUAGE_MODEL', default: 'extractive', schema: z.enum(['extractive', 'gemini']), doc: 'Topic choice and script writing: `extractive` (deterministic, offline) or `gemini` (Vertex AI, falls back to extractive).' },
  retrieval: { env: 'VIVIDLY_RETRIEVAL', default: 'lexical', schema: z.enum(['lexical', 'vector']), doc: 'Passage retrieval: `lexical` (BM25) or `vector` (Vertex embeddings + Firestore vector search, lexical as fallback).' },
  speech: { env: 'VIVIDLY_SPEECH', default: 'espeak', schema: z.string().regex(/^(elevenlabs|google|espeak)(,(elevenlabs|google|espeak))*$/), doc: 'Speech providers in order of preference, comma-separated, from `elevenlabs`, `google`, `espeak`; the chain always ends in `espeak`.' },
  // Cloud settings (used only by the cloud adapters).
  project: { env: 'GOOGLE_CLOUD_PROJECT', default: '', schema: z.string(), doc: 'Google Cloud project id (cloud adapters; set by Cloud Functions).' },
  location: { env: 'VIVIDLY_LOCATION', default: 'us-central1', schema: z.string().min(1), doc: 'Vertex AI location.' },
  firestoreDatabase: { env: 'VIVIDLY_FIRESTORE_DATABASE', default: '(default)', schema: z.string().min(1), doc: 'Firestore database id.' },
  geminiModel: { env: 'VIVIDLY_GEMINI_MODEL', default: 'gemini-2.5-flash', schema: z.string().min(1), doc: 'Gemini model for topic choice and script writing.' },
  embeddingModel: { env: 'VIVIDLY_EMBEDDING_MODEL', default: 'text-embedding-005', schema: z.string().min(1), doc: 'Vertex AI text-embedding model for passages and questions (768 dimensions).' },
  modelTimeoutMs: { env: 'VIVIDLY_MODEL_TIMEOUT_MS', default: '30000', schema: z.coerce.number().int().min(100), doc: 'Timeout of one language-model, embedding or speech API call.' },
  modelMaxAttempts: { env: 'VIVIDLY_MODEL_MAX_ATTEMPTS', default: '3', schema: z.coerce.number().int().min(1).max(10), doc: 'Attempts of one model or speech call (backoff between) before falling back.' },
  elevenLabsApiKey: { env: 'ELEVENLABS_API_KEY', default: '', schema: z.string(), doc: 'ElevenLabs API key; when set and `elevenlabs` is in VIVIDLY_SPEECH, it speaks first (a secret in the cloud).' },
  libraryPath: { env: 'VIVIDLY_LIBRARY', default: '', schema: z.string(), doc: 'The content library (SQLite, built by `vividly ingest`): a file path or `gs://bucket/object`; default: library.sqlite in the data directory.' },
  contentBucket: { env: 'VIVIDLY_CONTENT_BUCKET', default: 'vividly-content', schema: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/), doc: 'Bucket holding the built library and its figures.' },
  generationTtlDays: { env: 'VIVIDLY_GENERATION_TTL_DAYS', default: '30', schema: z.coerce.number().int().min(1).max(3650), doc: 'Days after which Firestore\'s TTL policy deletes a generation and cache entries.' },
  topicPrefix: { env: 'VIVIDLY_TOPIC_PREFIX', default: '', schema: z.string().regex(/^([A-Za-z][A-Za-z0-9._~+%-]{0,100})?$/), doc: 'Prefix of every Pub/Sub topic id (to share a project between environments).' },
  storageEndpoint: { env: 'VIVIDLY_STORAGE_ENDPOINT', default: '', schema: z.string(), doc: 'Cloud Storage API endpoint override (a storage emulator); empty: Google.' },
  logLevel: { env: 'VIVIDLY_LOG_LEVEL', default: 'info', schema: z.enum(['debug', 'info', 'warn', 'error', 'silent']), doc: 'Lowest severity written to stdout.' },
  logFileSize: { env: 'VIVIDLY_LOG_FILE_SIZE', default: '10M', schema: z.string().regex(/^[1-9][0-9]*[BKMG]$/, 'a whole number and B, K, M or G, e.g. 10M'), doc: 'Size at which the local log file (`logs/vividly.log`) rotates: a whole number and B, K (KiB), M (MiB) or G (GiB).' },
  logFiles: { env: 'VIVIDLY_LOG_FILES', default: '5', schema: z.coerce.number().int().min(2).max(100), doc: 'Local log files kept in all (`vividly.log` and `vividly.log.1` ...); the oldest beyond them is deleted.' },
} as const;

type Options = typeof OPTIONS;
export type Config = { [K in keyof Options]: z.infer<Options[K]['schema']> };

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const out: Record<string, unknown> = {};
  for (const [key, opt] of Object.entries(OPTIONS)) {
    const raw = env[opt.env] ?? opt.default;
    const parsed = (opt.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) throw new ConfigError(`${opt.env}=${JSON.stringify(raw)} is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    out[key] = parsed.data;
  }
  out.dataDir = path.resolve(cwd, out.dataDir as string);
  return out as Config;
}

/** The signing key: configured, or created once and kept in the data directory. */
export function signingKeyFor(config: Config): string {
  if (config.signingKey) return config.signingKey;
  const file = path.join(config.dataDir, 'signing.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    // Another process created it first: use theirs, so every process signs alike.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
}
