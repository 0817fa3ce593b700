import { MalformedEventError } from '../../events/cloud-events.js';
import { isTerminal, statusRank, type Generation, type GenerationPatch, type Stage, type Status } from '../domain/generation.js';
import { codeOf, PipelineError } from '../errors.js';
import type { InvocationOutcome } from '../observability/invocation-record.js';
import { noteAttempt } from './invocation-context.js';
import type { Ports } from './ports.js';

/** The outcome of one invocation, as its record reports it (shared/observability/invocation-record.ts). */
export type Outcome = InvocationOutcome;

export interface StageProgressReporter {
  (fraction: number): Promise<void>;
}

/**
 * One stage's story: from status `input` it does `work`, records the result while moving to
 * `output` (a conditional write, so of two concurrent deliveries only one wins), then `emit`s the
 * next event. A delivery that finds the work already done re-emits (emit is idempotent), which
 * heals a crash between the write and the emit; a late event for a finished generation is a no-op.
 */
export interface StageSpec<W> {
  stage: Stage;
  input: Status;
  output: Status;
  /** Does the stage's job. `output` overrides the target status (understand completes from the content cache). */
  work(generation: Generation, ports: Ports, progress: StageProgressReporter): Promise<{ patch: GenerationPatch; artefact?: W; output?: Status; mediaSeconds?: number }>;
  /** Publish the next event (or upload the object whose finalize event is next). Must be idempotent. */
  /** `redelivery`: the output was recorded by an earlier delivery and is emitted again. */
  emit(generation: Generation, ports: Ports, artefact: W | undefined, ctx?: { redelivery: boolean }): Promise<void>;
  /** Release what `work` left behind (temporary files), whether or not it was emitted. */
  cleanup?(artefact: W): Promise<void>;
}

export interface StageResult {
  outcome: Outcome;
  generationId: string;
  status?: Status;
  /** Seconds of audio or video this invocation produced (media stages). */
  mediaSeconds?: number;
}

export async function runStage<W>(spec: StageSpec<W>, generationId: string, ports: Ports): Promise<StageResult> {
  const generation = await ports.state.getGeneration(generationId);
  if (!generation) {
    throw new PipelineError('GENERATION_NOT_FOUND', `generation ${generationId} does not exist`, { retryable: false });
  }
  // Our output is recorded: re-emit (the emit may have failed after the record). This comes before
  // the terminal check because publish's output, `completed`, is terminal.
  if (generation.status === spec.output) {
    await spec.emit(generation, ports, undefined, { redelivery: true });
    return { outcome: 'duplicate', generationId, status: generation.status };
  }
  if (isTerminal(generation.status) || statusRank(generation.status) > statusRank(spec.output)) {
    return { outcome: 'duplicate', generationId, status: generation.status };
  }
  if (generation.status !== spec.input) {
    // Reordered delivery: our input is not recorded yet. Retry later rather than skip ahead.
    throw new PipelineError('NOT_READY', `generation is ${generation.status}, ${spec.stage} needs ${spec.input}`, { retryable: true });
  }

  const startedAt = ports.now().toISOString();
  await ports.state.updateStage(generationId, spec.stage, { state: 'running', progress: 0, startedAt }, { incrementAttempts: true });
  noteAttempt((generation.stages[spec.stage]?.attempts ?? 0) + 1);
  let lastReported = 0;
  const progress: StageProgressReporter = async (fraction) => {
    // Throttle writes: progress is for people, not a log of every frame.
    if (fraction - lastReported < 0.05 && fraction < 1) return;
    lastReported = fraction;
    await ports.state.updateStage(generationId, spec.stage, { progress: Math.min(1, Math.max(0, fraction)) });
  };
  const { patch, artefact, output, mediaSeconds } = await spec.work(generation, ports, progress);
  try {
    return await record(spec, generation, ports, { patch, artefact, output, mediaSeconds }, startedAt);
  } finally {
    if (artefact !== undefined && spec.cleanup) await spec.cleanup(artefact);
  }
}

async function record<W>(
  spec: StageSpec<W>,
  generation: Generation,
  ports: Ports,
  { patch, artefact, output, mediaSeconds }: { patch: GenerationPatch; artefact?: W; output?: Status; mediaSeconds?: number },
  startedAt: string,
): Promise<StageResult> {
  const generationId = generation.id;
  // A merge, not a replacement: the attempts counted by earlier deliveries stay.
  const stages = { [spec.stage]: { state: 'done' as const, progress: 1, startedAt, finishedAt: ports.now().toISOString(), lastError: undefined } };
  const updated = await ports.state.transition(generationId, spec.input, output ?? spec.output, { ...patch, stages });
  if (!updated) return { outcome: 'duplicate', generationId };
  await spec.emit(updated, ports, artefact, { redelivery: false });
  return { outcome: 'ok', generationId, status: updated.status, mediaSeconds };
}

/**
 * The single error path of every event-driven function: malformed events and permanent failures
 * end the generation (no retry loop); anything else is recorded on the stage and rethrown so
 * the delivery is retried, and finally dead-lettered.
 */
export async function handleStageFailure(err: unknown, stage: Stage, generationId: string | undefined, ports: Ports): Promise<Outcome> {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const permanent = err instanceof MalformedEventError || (err instanceof PipelineError && !err.retryable);
  if (!generationId) return permanent ? 'failed' : 'retry';
  if (permanent) {
    await ports.state.fail(generationId, { stage, code, message });
    return 'failed';
  }
  await ports.state.updateStage(generationId, stage, { state: 'running', lastError: { code, message } });
  return 'retry';
}
