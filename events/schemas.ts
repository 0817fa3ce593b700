import { z } from 'zod';
import { GenerationRequestSchema } from '../shared/domain/generation.js';
import { TOPIC_NAMES, type TopicName } from '../shared/domain/pipeline.js';

/**
 * Event contract of the pipeline (DESIGN.md "The stages"). One Pub/Sub topic per event; the
 * topic name is the event name. The topics are the triggers of the pipeline table
 * (shared/domain/pipeline.ts); TOPICS names each one for code, and PAYLOAD_SCHEMAS gives each
 * its payload (the compiler asks for both when the table gains a topic). Every payload carries
 * its schema version `v`; a parser rejects versions it does not know rather than guessing.
 */
export type { TopicName };
export const TOPICS = {
  generationRequested: 'generation.requested',
  topicResolved: 'topic.resolved',
  sourcesRetrieved: 'sources.retrieved',
  scriptWritten: 'script.written',
  deadLetter: 'generation.dead-lettered',
  sweepTick: 'sweep.tick',
} as const satisfies Record<string, TopicName>;
/** Fails to compile while a topic of the pipeline table has no name in TOPICS. */
export type UnnamedTopics = MustBeNever<Exclude<TopicName, (typeof TOPICS)[keyof typeof TOPICS]>>;
type MustBeNever<T extends never> = T;
export const TopicNameSchema = z.enum(TOPIC_NAMES);

const generationId = z.string().regex(/^gen_[A-Za-z0-9_-]{8,64}$/, 'generationId must look like gen_xxxxxxxx');

export const GenerationRequestedV1 = z.object({
  v: z.literal(1),
  generationId,
  request: GenerationRequestSchema,
  owner: z.string(),
  requestedAt: z.string(),
});
export const TopicResolvedV1 = z.object({
  v: z.literal(1),
  generationId,
  topicId: z.string().min(1),
  confidence: z.number().min(0).max(1),
});
export const SourcesRetrievedV1 = z.object({
  v: z.literal(1),
  generationId,
  topicId: z.string().min(1),
  passageIds: z.array(z.string()).min(1),
});
export const ScriptWrittenV1 = z.object({
  v: z.literal(1),
  generationId,
});
/**
 * The dead-letter topic carries the original message unchanged, as Pub/Sub dead-lettering does
 * (plus `CloudPubSubDeadLetterSource*` attributes); only its generation id is read from it.
 */
export const DeadLetteredV1 = z.looseObject({
  generationId: generationId.optional(),
});
export const SweepTickV1 = z.object({
  v: z.literal(1),
  at: z.string(),
});

export const PAYLOAD_SCHEMAS = {
  [TOPICS.generationRequested]: GenerationRequestedV1,
  [TOPICS.topicResolved]: TopicResolvedV1,
  [TOPICS.sourcesRetrieved]: SourcesRetrievedV1,
  [TOPICS.scriptWritten]: ScriptWrittenV1,
  [TOPICS.deadLetter]: DeadLetteredV1,
  [TOPICS.sweepTick]: SweepTickV1,
} as const satisfies Record<TopicName, z.ZodType>;

export type PayloadOf<T extends TopicName> = z.infer<(typeof PAYLOAD_SCHEMAS)[T]>;
export type GenerationRequested = PayloadOf<'generation.requested'>;
export type TopicResolved = PayloadOf<'topic.resolved'>;
export type SourcesRetrieved = PayloadOf<'sources.retrieved'>;
export type ScriptWritten = PayloadOf<'script.written'>;
export type DeadLettered = PayloadOf<'generation.dead-lettered'>;
export type SweepTick = PayloadOf<'sweep.tick'>;

/** Metadata of a finalized Cloud Storage object, as in `google.cloud.storage.object.v1.finalized`. */
export const StorageObjectDataSchema = z.object({
  bucket: z.string().min(1),
  name: z.string().min(1),
  contentType: z.string().optional(),
  size: z.union([z.string(), z.number()]).optional(),
  generation: z.union([z.string(), z.number()]).optional(),
  metageneration: z.union([z.string(), z.number()]).optional(),
  timeCreated: z.string().optional(),
  updated: z.string().optional(),
  md5Hash: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type StorageObjectData = z.infer<typeof StorageObjectDataSchema>;
