import { z } from 'zod';
import { STAGE_AWAITED as AWAITED, STAGES, STATUSES, type Stage } from './pipeline.js';
import { ScriptSchema } from './script.js';

/** The stages of the pipeline, in order (the api, then one per stage): from the pipeline table. */
export { STAGES };
export type { Stage };
export const StageSchema = z.enum(STAGES);

/** Status moves forward only, in the pipeline table's order; `completed` and `failed` are terminal. */
export { STATUSES };
export const StatusSchema = z.enum([...STATUSES, 'failed']);
export type Status = z.infer<typeof StatusSchema>;

export function statusRank(status: Status): number {
  return status === 'failed' ? Number.POSITIVE_INFINITY : STATUSES.indexOf(status);
}
export function isTerminal(status: Status): boolean {
  return status === 'completed' || status === 'failed';
}

export const VOICES = ['female_professional', 'male_professional', 'male_energetic'] as const;
export const VoiceSchema = z.enum(VOICES);
export type Voice = z.infer<typeof VoiceSchema>;
export const DEFAULT_VOICE: Voice = 'female_professional';

export const MAX_QUESTION_CHARS = 500;
export const MAX_INTEREST_CHARS = 60;
export const MAX_TOPIC_ID_CHARS = 200;
/** The shape of a library topic id (`book-id/m12345`, `vividly-starter-physics/newtons-third-law`). */
export const TOPIC_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:#/-]*$/;

export const GenerationRequestSchema = z.object({
  question: z.string().trim().min(3, 'question must have at least 3 characters').max(MAX_QUESTION_CHARS),
  grade: z.number().int().min(1).max(12),
  interest: z.string().trim().max(MAX_INTEREST_CHARS).default('general'),
  voice: VoiceSchema.default(DEFAULT_VOICE),
  /**
   * A topic of the library to teach, chosen by the student (one of a not-covered answer's
   * alternatives): understand uses it as asked (confidence 1, provider `request`) instead of
   * resolving the question. The API checks that the library has it.
   */
  topicId: z.string().regex(TOPIC_ID_RE, 'topicId must be a topic id of the library').max(MAX_TOPIC_ID_CHARS).optional(),
});
export type GenerationRequest = z.infer<typeof GenerationRequestSchema>;

export const GRADE_BANDS = ['elementary', 'middle', 'high'] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];
export function gradeBand(grade: number): GradeBand {
  if (grade <= 5) return 'elementary';
  if (grade <= 8) return 'middle';
  return 'high';
}

export const StageProgressSchema = z.object({
  state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  attempts: z.number().int().nonnegative(),
  progress: z.number().min(0).max(1),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The last failure of this stage, kept so the dead-letter function can say why. */
  lastError: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type StageProgress = z.infer<typeof StageProgressSchema>;

export const TopicRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  subject: z.string(),
  book: z.string(),
  moduleId: z.string().nullable(),
  confidence: z.number().min(0).max(1),
});
export type TopicRef = z.infer<typeof TopicRefSchema>;

export const CueSchema = z.object({ start: z.number(), end: z.number(), text: z.string() });
export type Cue = z.infer<typeof CueSchema>;

/**
 * A span of narration that one screen covers: the hook, each beat of each section (`index` the
 * section, `beat` the beat), each takeaway (`beat`), the check question (`beat` 0) and its answer
 * (`beat` 1), the credits. The screen changes when the span starts.
 */
export const NarrationSegmentSchema = z.object({
  slide: z.enum(['intro', 'section', 'takeaways', 'check', 'credits']),
  index: z.number().int().nonnegative(),
  beat: z.number().int().nonnegative().default(0),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
});
export type NarrationSegment = z.infer<typeof NarrationSegmentSchema>;

export const NarrationSchema = z.object({
  object: z.string(),
  bucket: z.string(),
  durationSeconds: z.number().positive(),
  voice: VoiceSchema,
  provider: z.string(),
  sampleRateHz: z.number().int(),
  segments: z.array(NarrationSegmentSchema),
  cues: z.array(CueSchema),
  characters: z.number().int().nonnegative(),
});
export type Narration = z.infer<typeof NarrationSchema>;

export const VideoSchema = z.object({
  bucket: z.string(),
  object: z.string(),
  captionsObject: z.string(),
  posterObject: z.string(),
  /** WebVTT chapters; optional: videos rendered before chapters existed have none. */
  chaptersObject: z.string().optional(),
  durationSeconds: z.number().positive(),
  width: z.number().int(),
  height: z.number().int(),
  fps: z.number(),
  sizeBytes: z.number().int().nonnegative(),
});
export type Video = z.infer<typeof VideoSchema>;

/** Which provider did a model or speech step, and what a fallback replaced (cost and quality are audited from this). */
export const ProviderNoteSchema = z.object({
  provider: z.string(),
  fallbackFrom: z.object({ provider: z.string(), code: z.string(), message: z.string() }).optional(),
  usage: z.object({ model: z.string(), inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative() }).optional(),
});
export type ProviderNote = z.infer<typeof ProviderNoteSchema>;

/** A topic the library has, offered instead of a question it does not cover: its id (a valid `topicId` of a request), title and book. */
export const TopicAlternativeSchema = z.object({ id: z.string(), title: z.string(), book: z.string() });
export type TopicAlternative = z.infer<typeof TopicAlternativeSchema>;
/** Most alternatives a not-covered answer offers. */
export const MAX_ALTERNATIVES = 3;

/** What a client may act on, per code: TOPIC_NOT_COVERED carries the closest topics (none when the library found nothing). */
export const GenerationErrorDetailsSchema = z.object({
  alternatives: z.array(TopicAlternativeSchema).max(MAX_ALTERNATIVES).optional(),
});
export type GenerationErrorDetails = z.infer<typeof GenerationErrorDetailsSchema>;

export const GenerationErrorSchema = z.object({
  stage: z.string(),
  code: z.string(),
  message: z.string(),
  /** Optional (documents written before it have none). */
  details: GenerationErrorDetailsSchema.optional(),
});
export type GenerationError = z.infer<typeof GenerationErrorSchema>;

export const GenerationSchema = z.object({
  id: z.string(),
  owner: z.string(),
  request: GenerationRequestSchema,
  requestKey: z.string(),
  status: StatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  stages: z.record(z.string(), StageProgressSchema),
  topic: TopicRefSchema.optional(),
  passageIds: z.array(z.string()).optional(),
  script: ScriptSchema.optional(),
  narration: NarrationSchema.optional(),
  video: VideoSchema.optional(),
  cacheHit: z.boolean().optional(),
  /** When this generation was answered from another one's finished result. */
  sourceGenerationId: z.string().optional(),
  error: GenerationErrorSchema.optional(),
  /** Per step (`topic`, `script`, `speech`): the provider that answered. */
  providers: z.record(z.string(), ProviderNoteSchema).optional(),
});
export type Generation = z.infer<typeof GenerationSchema>;

/** Fields a stage may record with a transition. */
export type GenerationPatch = Partial<
  Pick<Generation, 'topic' | 'passageIds' | 'script' | 'narration' | 'video' | 'cacheHit' | 'sourceGenerationId' | 'error'>
> & {
  /** Merged per step into the stored provider notes. */
  providers?: Record<string, ProviderNote>;
  /** Merged per stage into the stored progress: fields not given (attempts, startedAt) are kept. */
  stages?: Record<string, Partial<StageProgress>>;
};

/** Per-stage merge of progress patches, as every state store applies them. */
export function mergeStages(current: Generation['stages'], patch: Record<string, Partial<StageProgress>> = {}): Generation['stages'] {
  const out = { ...current };
  for (const [stage, fields] of Object.entries(patch)) {
    const before: StageProgress | undefined = current[stage];
    out[stage] = StageProgressSchema.parse(Object.assign({ state: 'pending', attempts: 0, progress: 0 }, before, fields));
  }
  return out;
}

/** The document after a transition to `to` with `patch`, as every state store computes it. */
export function applyTransition(current: Generation, to: Status, patch: GenerationPatch, nowIso: string): Generation {
  const { stages, providers, ...fields } = patch;
  const next: Generation = { ...current, ...fields, stages: mergeStages(current.stages, stages), status: to, updatedAt: nowIso };
  if (providers) next.providers = { ...current.providers, ...providers };
  return next;
}

/** The stage a non-terminal generation waits for, by its status (sweep re-drives it; ops shows it): from the pipeline table. */
export const STAGE_AWAITED: Partial<Record<Status, Stage>> = AWAITED;

/** The pipeline version is part of the content cache key: bump it when output would change. */
export const PIPELINE_VERSION = 'p2';
