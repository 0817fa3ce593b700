/**
 * The deployment's configuration: one typed record per environment (dev, prod), declared here and
 * nowhere else. The stack reads only this; nothing in cdktf/ reads the environment except
 * `environmentConfig()` below, which applies the few documented overrides (project id, region,
 * alert address, CORS origins) that differ between adopters rather than between environments.
 */
import { FUNCTION_NAMES, pipelineRow, type FunctionName } from '../shared/domain/pipeline.js';

export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Every deployed function: the rows of the pipeline table (shared/domain/pipeline.ts). */
export { FUNCTION_NAMES };
export type { FunctionName };

export type SpeechProvider = 'elevenlabs' | 'google' | 'espeak';

/** Size and scaling of one Cloud Functions (gen2) function. */
export interface FunctionSize {
  /** vCPUs (`available_cpu`); 1 or more, since below 1 a gen2 function serves one request at a time. */
  cpu: string;
  /** Memory (`available_memory`), Kubernetes units; /tmp is in memory, so downloads count here. */
  memory: string;
  timeoutSeconds: number;
  /** Requests one instance serves at once. */
  concurrency: number;
  minInstances: number;
  maxInstances: number;
}

export interface NotificationChannelConfig {
  type: 'email' | 'slack' | 'pagerduty' | 'webhook_tokenauth';
  displayName: string;
  labels: Record<string, string>;
}

export interface EnvironmentConfig {
  name: EnvironmentName;
  /** Google Cloud project id (one project per environment). */
  project: string;
  /** Region of the functions, buckets, scheduler and Eventarc triggers. */
  region: string;
  /** Prefix of names that must be unique in a project or globally (service accounts, functions, secrets). */
  prefix: string;
  labels: Record<string, string>;
  /** Vertex AI location for Gemini and embeddings (VIVIDLY_LOCATION). */
  vertexLocation: string;
  geminiModel: string;
  embeddingModel: string;
  /** Speech providers in order (VIVIDLY_SPEECH); `elevenlabs` adds its API key secret. */
  speech: SpeechProvider[];
  /** Origins allowed to call the API and to load captions from the video bucket. */
  corsOrigins: string[];
  signedUrlTtlSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  firestore: {
    /** Database id; `(default)` is the one most tools assume. */
    database: string;
    /** Firestore location: a region or a multi-region such as `nam5`. */
    locationId: string;
    deleteProtection: boolean;
    pointInTimeRecovery: boolean;
  };
  buckets: {
    /** Narration is only needed until render has read it (and by sweep to re-drive a render). */
    narrationDeleteAfterDays: number;
    videoDeleteAfterDays: number;
    /** Allow `terraform destroy` to delete buckets that still hold objects. */
    forceDestroy: boolean;
    /** Keep earlier versions of the content library, so a bad upload can be rolled back. */
    contentVersioning: boolean;
  };
  /** Generations and cache entries expire (Firestore TTL) after this many days; at most the video's lifetime. */
  generationTtlDays: number;
  /** Pub/Sub delivery of every subscription. */
  delivery: {
    /** Deliveries before a message goes to the dead-letter topic (Pub/Sub allows 5..100); also VIVIDLY_MAX_ATTEMPTS. */
    maxDeliveryAttempts: number;
    minBackoffSeconds: number;
    maxBackoffSeconds: number;
  };
  sweep: {
    /** Cloud Scheduler cron for the sweep tick. */
    schedule: string;
    timeZone: string;
    stallSeconds: number;
    giveUpSeconds: number;
  };
  functions: Record<FunctionName, FunctionSize>;
  /** Where `npm run build` writes `<name>.zip`, relative to the repository root. */
  archivesDir: string;
  /** Terraform state in a GCS bucket (created by hand once, see README "Deploying"); absent: local state. */
  stateBackend?: { bucket: string; prefix: string };
  alerts: {
    notificationChannels: NotificationChannelConfig[];
    objectives: { endToEndP95Seconds: number; errorRatio: number; stallMinutes: number };
  };
}

/**
 * CPU, memory, timeout and concurrency per function: the same in every environment (they follow
 * from what the code does); only scaling differs per environment.
 *
 * - api: I/O bound (Firestore, Pub/Sub, signing), so many requests per instance.
 * - understand, retrieve, write: wait on Vertex AI; 1 GiB because each copies the content library
 *   (SQLite, gs://<content>/library.sqlite) into /tmp, which is memory on Cloud Functions. write
 *   gets 300 s for the model's attempts with backoff and the local-writer fallback.
 * - narrate: MP3 encoding and the espeak fallback run on the CPU, so one narration per instance.
 * - render: the render benchmark renders a 180 s lesson in 6.1 s wall on 2 vCPU with a 412 MB
 *   peak. ffmpeg (x264) uses both cores, so 2 vCPU; 2 GiB covers the 412 MB peak plus /tmp (the
 *   narration, slides and the MP4 being written, all in memory) with room to spare; 540 s is
 *   the most an event-driven gen2 function may run and leaves a wide margin over the measured
 *   seconds for cold starts and slow downloads. The earlier 4 vCPU / 8 GiB guess is not needed.
 * - publish, dead-letter: a few Firestore writes.
 * - sweep: one at a time (max one instance) so two ticks never re-drive the same generation.
 */
const SIZES: Record<FunctionName, Omit<FunctionSize, 'minInstances' | 'maxInstances'>> = {
  api: { cpu: '1', memory: '512Mi', timeoutSeconds: 60, concurrency: 80 },
  understand: { cpu: '1', memory: '1Gi', timeoutSeconds: 120, concurrency: 4 },
  retrieve: { cpu: '1', memory: '1Gi', timeoutSeconds: 120, concurrency: 4 },
  write: { cpu: '1', memory: '1Gi', timeoutSeconds: 300, concurrency: 4 },
  narrate: { cpu: '1', memory: '1Gi', timeoutSeconds: 300, concurrency: 1 },
  render: { cpu: '2', memory: '2Gi', timeoutSeconds: 540, concurrency: 1 },
  publish: { cpu: '1', memory: '512Mi', timeoutSeconds: 60, concurrency: 8 },
  'dead-letter': { cpu: '1', memory: '512Mi', timeoutSeconds: 60, concurrency: 8 },
  sweep: { cpu: '1', memory: '512Mi', timeoutSeconds: 300, concurrency: 1 },
};

/** Scaling [min, max] instances per function, per environment. */
function withScaling(scaling: Record<FunctionName, [number, number]>): Record<FunctionName, FunctionSize> {
  const out = {} as Record<FunctionName, FunctionSize>;
  for (const name of FUNCTION_NAMES) {
    const [minInstances, maxInstances] = scaling[name];
    out[name] = { ...SIZES[name], minInstances, maxInstances };
  }
  return out;
}

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentConfig> = {
  dev: {
    name: 'dev',
    project: 'vividly-dev',
    region: 'us-central1',
    prefix: 'vividly-dev',
    labels: { app: 'vividly', env: 'dev' },
    vertexLocation: 'us-central1',
    geminiModel: 'gemini-2.5-flash',
    embeddingModel: 'text-embedding-005',
    // No ElevenLabs in dev: Google voices are cheaper and need no third-party key.
    speech: ['google', 'espeak'],
    corsOrigins: ['http://localhost:5173', 'http://localhost:8080'],
    signedUrlTtlSeconds: 3600,
    logLevel: 'debug',
    firestore: { database: '(default)', locationId: 'us-central1', deleteProtection: false, pointInTimeRecovery: false },
    buckets: { narrationDeleteAfterDays: 3, videoDeleteAfterDays: 14, forceDestroy: true, contentVersioning: false },
    generationTtlDays: 14,
    delivery: { maxDeliveryAttempts: 5, minBackoffSeconds: 10, maxBackoffSeconds: 300 },
    sweep: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', stallSeconds: 300, giveUpSeconds: 1800 },
    functions: withScaling({
      api: [0, 3],
      understand: [0, 3],
      retrieve: [0, 3],
      write: [0, 3],
      narrate: [0, 3],
      render: [0, 3],
      publish: [0, 3],
      'dead-letter': [0, 1],
      sweep: [0, 1],
    }),
    archivesDir: 'dist/functions',
    alerts: {
      notificationChannels: [{ type: 'email', displayName: 'Vividly dev alerts', labels: { email_address: 'vividly-dev-alerts@example.com' } }],
      objectives: { endToEndP95Seconds: 180, errorRatio: 0.2, stallMinutes: 15 },
    },
  },
  prod: {
    name: 'prod',
    project: 'vividly-prod',
    region: 'us-central1',
    prefix: 'vividly-prod',
    labels: { app: 'vividly', env: 'prod' },
    vertexLocation: 'us-central1',
    geminiModel: 'gemini-2.5-flash',
    embeddingModel: 'text-embedding-005',
    // The reference notes rank ElevenLabs first; Google and the local engine follow, never silence.
    speech: ['elevenlabs', 'google', 'espeak'],
    corsOrigins: ['https://vividly.example.com'],
    signedUrlTtlSeconds: 3600,
    logLevel: 'info',
    firestore: { database: '(default)', locationId: 'nam5', deleteProtection: true, pointInTimeRecovery: true },
    buckets: { narrationDeleteAfterDays: 7, videoDeleteAfterDays: 90, forceDestroy: false, contentVersioning: true },
    generationTtlDays: 90,
    delivery: { maxDeliveryAttempts: 5, minBackoffSeconds: 10, maxBackoffSeconds: 600 },
    sweep: { schedule: '*/5 * * * *', timeZone: 'Etc/UTC', stallSeconds: 300, giveUpSeconds: 1800 },
    functions: withScaling({
      // One warm api instance keeps the first request of the day off a cold start.
      api: [1, 20],
      understand: [0, 20],
      retrieve: [0, 20],
      write: [0, 20],
      narrate: [0, 20],
      render: [0, 10],
      publish: [0, 10],
      'dead-letter': [0, 2],
      sweep: [0, 1],
    }),
    archivesDir: 'dist/functions',
    stateBackend: { bucket: 'vividly-prod-tfstate', prefix: 'vividly/prod' },
    alerts: {
      notificationChannels: [{ type: 'email', displayName: 'Vividly on-call', labels: { email_address: 'vividly-oncall@example.com' } }],
      objectives: { endToEndP95Seconds: 120, errorRatio: 0.05, stallMinutes: 10 },
    },
  },
};

export class DeployConfigError extends Error {
  readonly code = 'DEPLOY_CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'DeployConfigError';
  }
}

export function assertEnvironmentName(name: unknown): asserts name is EnvironmentName {
  if (!ENVIRONMENT_NAMES.includes(name as EnvironmentName)) {
    throw new DeployConfigError(`unknown environment ${JSON.stringify(name)}: expected one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
}

/** Synth-time overrides (not runtime options): what an adopter changes without editing this file. */
export const OVERRIDES = {
  project: { env: 'VIVIDLY_DEPLOY_PROJECT', doc: 'Google Cloud project id of the environment being synthesised.' },
  region: { env: 'VIVIDLY_DEPLOY_REGION', doc: 'Region of functions, buckets, scheduler and triggers.' },
  alertEmail: { env: 'VIVIDLY_DEPLOY_ALERT_EMAIL', doc: 'Replaces the alert e-mail channels with this address.' },
  corsOrigins: { env: 'VIVIDLY_DEPLOY_CORS_ORIGINS', doc: 'Comma-separated browser origins allowed to call the API.' },
  stateBucket: { env: 'VIVIDLY_DEPLOY_STATE_BUCKET', doc: 'GCS bucket for Terraform state ("" for local state).' },
} as const;

/** The configuration of one environment, with the overrides of `env` applied and checked. */
export function environmentConfig(name: string, env: NodeJS.ProcessEnv = process.env): EnvironmentConfig {
  assertEnvironmentName(name);
  const base = ENVIRONMENTS[name];
  const config: EnvironmentConfig = structuredClone(base);
  const project = env[OVERRIDES.project.env];
  if (project) config.project = project;
  const region = env[OVERRIDES.region.env];
  if (region) {
    config.region = region;
    config.vertexLocation = region;
  }
  const email = env[OVERRIDES.alertEmail.env];
  if (email) {
    config.alerts.notificationChannels = config.alerts.notificationChannels
      .filter((c) => c.type !== 'email')
      .concat({ type: 'email', displayName: `Vividly ${name} alerts`, labels: { email_address: email } });
  }
  const origins = env[OVERRIDES.corsOrigins.env];
  if (origins) config.corsOrigins = origins.split(',').map((o) => o.trim()).filter(Boolean);
  const stateBucket = env[OVERRIDES.stateBucket.env];
  if (stateBucket !== undefined) config.stateBackend = stateBucket ? { bucket: stateBucket, prefix: `vividly/${name}` } : undefined;
  validateEnvironment(config);
  return config;
}

/** Checks the rules the cloud enforces at apply time, so a bad value fails at synth instead. */
export function validateEnvironment(c: EnvironmentConfig): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(c.project)) problems.push(`project ${JSON.stringify(c.project)} is not a valid project id`);
  if (!/^[a-z]+-[a-z]+[0-9]$/.test(c.region)) problems.push(`region ${JSON.stringify(c.region)} does not look like a region (e.g. us-central1)`);
  // Service account ids are at most 30 characters: <prefix>-dead-letter is the longest we make.
  if (!/^[a-z][a-z0-9-]*$/.test(c.prefix) || `${c.prefix}-dead-letter`.length > 30) problems.push(`prefix ${JSON.stringify(c.prefix)} must be lowercase and at most ${30 - '-dead-letter'.length} characters`);
  const { maxDeliveryAttempts, minBackoffSeconds, maxBackoffSeconds } = c.delivery;
  if (maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100) problems.push('delivery.maxDeliveryAttempts must be 5..100 (Pub/Sub limit)');
  if (minBackoffSeconds < 0 || maxBackoffSeconds > 600 || minBackoffSeconds > maxBackoffSeconds) problems.push('delivery backoff must satisfy 0 <= min <= max <= 600 seconds');
  if (c.generationTtlDays > c.buckets.videoDeleteAfterDays) problems.push('generationTtlDays must not exceed buckets.videoDeleteAfterDays (a cached generation would point at a deleted video)');
  if (c.buckets.narrationDeleteAfterDays < 1 || c.buckets.videoDeleteAfterDays < 1) problems.push('bucket lifecycle days must be at least 1');
  if (c.corsOrigins.length === 0) problems.push('corsOrigins must name at least one origin');
  if (c.speech[c.speech.length - 1] !== 'espeak') problems.push('speech must end in espeak (the chain never ends in silence)');
  if (c.alerts.notificationChannels.length === 0) problems.push('alerts.notificationChannels must not be empty');
  for (const name of FUNCTION_NAMES) {
    const f = c.functions[name];
    const cpu = Number(f.cpu);
    if (!(cpu >= 1)) problems.push(`${name}: cpu must be at least 1 (below 1 vCPU a gen2 function serves one request at a time)`);
    if (f.minInstances < 0 || f.maxInstances < 1 || f.minInstances > f.maxInstances) problems.push(`${name}: need 0 <= minInstances <= maxInstances, maxInstances >= 1`);
    // Event-driven gen2 functions (and Pub/Sub push acknowledgement) allow at most 540 s / 600 s; HTTP ones 3600 s.
    const http = 'http' in pipelineRow(name).trigger;
    if (f.timeoutSeconds < 1 || f.timeoutSeconds > (http ? 3600 : 540)) problems.push(`${name}: timeoutSeconds out of range`);
    if (!/^\d+(Mi|Gi)$/.test(f.memory)) problems.push(`${name}: memory must look like 512Mi or 2Gi`);
  }
  if (c.functions.sweep.maxInstances !== 1) problems.push('sweep must run as at most one instance');
  if (problems.length) throw new DeployConfigError(`environment ${c.name}: ${problems.join('; ')}`);
}
