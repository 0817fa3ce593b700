/**
 * The pipeline's shape, written once: every deployed function, what triggers it, what it emits,
 * and the generation status it moves from and to. Everything else that needs the shape derives
 * it from this table: the event topics (events/schemas.ts), the statuses and stages
 * (shared/domain/generation.ts), the event a status waits for (shared/runtime/input-event.ts and
 * the sweep), the in-process wiring (functions/local/pipeline.ts), the emulators' functions and
 * push subscriptions, the invocation record's function names, the API's progress view, and the
 * CDKTF stack's functions, entries, triggers and publish grants. test/domain/pipeline.test.ts
 * checks the table (one consumer per topic, each status reached once, one chain from the api to
 * publish) and every one of those views against it.
 *
 * Adding a stage: one row here (in chain order) plus its folder `functions/<name>/` (index.ts
 * registering the function under its name, the stage's logic, whose StageSpec input and output the
 * test holds to the row); a new event also needs its payload
 * schema in events/schemas.ts. The compiler then asks for what is per function and not shape:
 * its handler in functions/local/pipeline.ts, its grants (cdktf/function-access.ts), its size and
 * scaling (cdktf/config.ts), and the event that re-drives it (shared/runtime/input-event.ts).
 *
 * This module imports nothing, so events/, shared/ and cdktf/ can all read it.
 */

/** Buckets whose object-finalized events trigger a function (Eventarc storage triggers). */
export const TRIGGER_BUCKETS = ['narration', 'video'] as const;
export type TriggerBucket = (typeof TRIGGER_BUCKETS)[number];

/** What delivers work to a function. */
export type Trigger =
  /** Public HTTPS: clients call it. */
  | { readonly http: 'public' }
  /** A push subscription on this topic, published by the rows that list it in `publishes`. */
  | { readonly topic: string }
  /** A push subscription on this topic, which Cloud Scheduler (locally a timer) publishes to. */
  | { readonly schedule: string }
  /** A push subscription on the topic every other subscription's dead-letter policy publishes to. */
  | { readonly deadLetters: string }
  /** Object finalize in this bucket, written by the row that names it in `writes`. */
  | { readonly bucket: TriggerBucket };

export interface PipelineRowShape {
  /** The function's name: its folder, its Functions Framework target, its invocation records' `stage`. */
  readonly function: string;
  /** The module that registers it, relative to the repository root (what `npm run build` bundles). */
  readonly entry: string;
  readonly trigger: Trigger;
  /** Topics it publishes to (the next stage's trigger). */
  readonly publishes?: readonly string[];
  /** The trigger bucket it writes the next stage's object into. */
  readonly writes?: TriggerBucket;
  /** Sweep: re-drives stalled generations, so it publishes every stage's trigger topic and rewrites objects in every trigger bucket. */
  readonly redrives?: true;
  /** The generation status it works from (a stage of the chain). */
  readonly input?: string;
  /** The generation status it records (the api: the one a generation is created in). */
  readonly output?: string;
  /** Its share of a generation's overall progress in the API's view (stages with an input; they sum to 1). */
  readonly progressShare?: number;
  /** CPU-bound media work: the embedded server queues it to VIVIDLY_MEDIA_CONCURRENCY at a time. */
  readonly media?: true;
}

/** The functions, stages first in chain order (a stage's input is the previous stage's output), then the operational ones. */
export const PIPELINE = [
  {
    function: 'api',
    entry: 'functions/api/index.ts',
    trigger: { http: 'public' },
    publishes: ['generation.requested'],
    output: 'requested',
  },
  {
    function: 'understand',
    entry: 'functions/understand/index.ts',
    trigger: { topic: 'generation.requested' },
    publishes: ['topic.resolved'],
    input: 'requested',
    // From the content cache it may also complete the generation at once (then it emits nothing).
    output: 'topic_resolved',
    progressShare: 0.05,
  },
  {
    function: 'retrieve',
    entry: 'functions/retrieve/index.ts',
    trigger: { topic: 'topic.resolved' },
    publishes: ['sources.retrieved'],
    input: 'topic_resolved',
    output: 'sources_retrieved',
    progressShare: 0.05,
  },
  {
    function: 'write',
    entry: 'functions/write/index.ts',
    trigger: { topic: 'sources.retrieved' },
    publishes: ['script.written'],
    input: 'sources_retrieved',
    output: 'script_written',
    progressShare: 0.05,
  },
  {
    function: 'narrate',
    entry: 'functions/narrate/index.ts',
    trigger: { topic: 'script.written' },
    writes: 'narration',
    input: 'script_written',
    output: 'narrated',
    progressShare: 0.2,
    media: true,
  },
  {
    function: 'render',
    entry: 'functions/render/index.ts',
    trigger: { bucket: 'narration' },
    writes: 'video',
    input: 'narrated',
    output: 'rendered',
    progressShare: 0.6,
    media: true,
  },
  {
    function: 'publish',
    entry: 'functions/publish/index.ts',
    trigger: { bucket: 'video' },
    input: 'rendered',
    output: 'completed',
    progressShare: 0.05,
  },
  {
    function: 'dead-letter',
    entry: 'functions/dead-letter/index.ts',
    trigger: { deadLetters: 'generation.dead-lettered' },
  },
  {
    function: 'sweep',
    entry: 'functions/sweep/index.ts',
    trigger: { schedule: 'sweep.tick' },
    redrives: true,
  },
] as const satisfies readonly PipelineRowShape[];

export type PipelineRow = (typeof PIPELINE)[number];
export type FunctionName = PipelineRow['function'];

type TriggerOf = PipelineRow['trigger'];
/** Every event topic: each is the trigger of exactly one function. */
export type TopicName =
  | Extract<TriggerOf, { topic: string }>['topic']
  | Extract<TriggerOf, { schedule: string }>['schedule']
  | Extract<TriggerOf, { deadLetters: string }>['deadLetters'];

type StageRow = Extract<PipelineRow, { output: string }>;
/** The functions that move a generation's status: the api, then one per stage. */
export type Stage = StageRow['function'];
/** The statuses of the chain (a generation may also be `failed`). */
export type ChainStatus = StageRow['output'];
/** Stages that a delivery starts (every stage but the api). */
export type DeliveredStage = Extract<PipelineRow, { input: string }>['function'];
/** Topics that start a stage (what emits and the sweep publish; not the tick nor dead letters). */
export type StageTopic = Extract<Extract<PipelineRow, { input: string }>['trigger'], { topic: string }>['topic'];

// The table's cross references, checked by the compiler: a published topic must be some function's
// trigger, an input must be some stage's output.
type Published = Extract<PipelineRow, { publishes: readonly string[] }>['publishes'][number];
type Inputs = Extract<PipelineRow, { input: string }>['input'];
type MustBeNever<T extends never> = T;
export type UnconsumedTopics = MustBeNever<Exclude<Published, TopicName>>;
export type UnreachedInputs = MustBeNever<Exclude<Inputs, ChainStatus>>;

const rows: readonly PipelineRowShape[] = PIPELINE;

/** Every function, in table order. */
export const FUNCTION_NAMES: readonly FunctionName[] = PIPELINE.map((r) => r.function);

/** The stages (api first), in chain order. */
export const STAGES: readonly Stage[] = rows.filter((r) => r.output !== undefined).map((r) => r.function as Stage);

/** Whether a function moves a generation's status (its failures are recorded on the generation). */
export function isStage(name: string): name is Stage {
  return (STAGES as readonly string[]).includes(name);
}

/** The stages a delivery starts (all but the api), in chain order: what a client follows. */
export const DELIVERED_STAGES: readonly DeliveredStage[] = rows.filter((r) => r.input !== undefined).map((r) => r.function as DeliveredStage);

/** The statuses a generation passes through, in order (`completed` last). */
export const STATUSES: readonly ChainStatus[] = rows.filter((r) => r.output !== undefined).map((r) => r.output as ChainStatus);

/** The topic a function's push subscription is on, if it has one. */
export function subscribedTopic(row: { readonly trigger: Trigger }): TopicName | undefined {
  const t = row.trigger;
  if ('topic' in t) return t.topic as TopicName;
  if ('schedule' in t) return t.schedule as TopicName;
  if ('deadLetters' in t) return t.deadLetters as TopicName;
  return undefined;
}

/** Every topic, in table order of its consumer. */
export const TOPIC_NAMES: readonly TopicName[] = rows.flatMap((r) => subscribedTopic(r) ?? []);

/** The function that consumes each topic (its subscription is named after it). */
export const TOPIC_CONSUMERS = Object.fromEntries(rows.flatMap((r) => (subscribedTopic(r) ? [[subscribedTopic(r), r.function]] : []))) as Record<TopicName, FunctionName>;

/** The topic that every subscription's dead-letter policy publishes to. */
export const DEAD_LETTER_TOPIC = topicOfTrigger('deadLetters');
/** The topic the scheduler publishes sweep ticks to. */
export const SCHEDULE_TOPIC = topicOfTrigger('schedule');

function topicOfTrigger(kind: 'deadLetters' | 'schedule'): TopicName {
  const found = rows.filter((r) => kind in r.trigger);
  if (found.length !== 1) throw new Error(`the pipeline table needs exactly one ${kind} trigger, has ${found.length}`);
  return subscribedTopic(found[0]!)!;
}

export function pipelineRow(name: FunctionName): PipelineRowShape {
  return rows.find((r) => r.function === name)!;
}

/** The stage a generation at `status` waits for (the one whose input it is). */
export const STAGE_AWAITED = Object.fromEntries(rows.filter((r) => r.input !== undefined).map((r) => [r.input, r.function])) as Partial<Record<ChainStatus, DeliveredStage>>;

/** Topics stages are triggered by (what the sweep may re-publish). */
export const STAGE_TOPICS: readonly StageTopic[] = rows.flatMap((r) => (r.input !== undefined && 'topic' in r.trigger ? [r.trigger.topic as StageTopic] : []));

/** What a function publishes to: its `publishes`, or for the sweep every stage's trigger topic. */
export function publishedTopics(row: PipelineRowShape): TopicName[] {
  if (row.redrives) return [...STAGE_TOPICS];
  return [...((row.publishes ?? []) as readonly TopicName[])];
}

/** The function an object finalized in each trigger bucket goes to. */
export const BUCKET_CONSUMERS = Object.fromEntries(rows.flatMap((r) => ('bucket' in r.trigger ? [[r.trigger.bucket, r.function]] : []))) as Record<TriggerBucket, FunctionName>;
