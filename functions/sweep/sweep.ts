import { TOPICS } from '../../events/schemas.js';
import { STAGE_AWAITED, type Generation } from '../../shared/domain/generation.js';
import { objectNames } from '../../shared/domain/object-names.js';
import { publishNext } from '../../shared/runtime/input-event.js';
import { addToInvocationRecord } from '../../shared/runtime/invocation-context.js';
import type { Ports } from '../../shared/runtime/ports.js';

export interface SweepSummary {
  examined: number;
  redriven: string[];
  failed: string[];
}


export interface SweepOptions {
  /** At most this many generations per run (default 100). */
  limit?: number;
  /**
   * Treat every open generation last updated before this time as stalled, instead of those not
   * updated for VIVIDLY_STALL_SECONDS. Only for a process that owns all the work (the embedded
   * server at start: the queues that carried its generations died with the previous process).
   */
  stalledBefore?: Date;
}

/**
 * sweep: generations that stopped moving are re-driven (their next event published again, or
 * their last object re-finalized); those older than the give-up age are failed as STALLED.
 * How many were found stalled goes on the invocation record (the stalled-generations metric).
 */
export async function sweepStalled(ports: Ports, opts: SweepOptions = {}): Promise<SweepSummary> {
  const now = ports.now().getTime();
  const before = (opts.stalledBefore ?? new Date(now - ports.config.stallSeconds * 1000)).toISOString();
  const stalled = await ports.state.listStalled(before, opts.limit ?? 100);
  addToInvocationRecord({ stalledGenerations: stalled.length });
  const summary: SweepSummary = { examined: stalled.length, redriven: [], failed: [] };
  for (const g of stalled) {
    const stage = STAGE_AWAITED[g.status] ?? 'api';
    if (now - Date.parse(g.createdAt) > ports.config.giveUpSeconds * 1000) {
      const failed = await ports.state.fail(g.id, { stage, code: 'STALLED', message: `no progress at ${stage} for ${ports.config.stallSeconds}s or more; gave up after ${ports.config.giveUpSeconds}s` });
      if (failed) summary.failed.push(g.id);
      continue;
    }
    // Touch first, so that the next tick does not re-drive the same generation again at once.
    await ports.state.updateStage(g.id, stage, {});
    await redrive(g, ports);
    summary.redriven.push(g.id);
  }
  return summary;
}

/**
 * A stage that finds its own output status re-emits, so re-delivering the event that led to the
 * current status also heals a lost upload (narrate speaks again, render renders again).
 */
async function redrive(g: Generation, ports: Ports): Promise<void> {
  const narration = { bucket: ports.config.narrationBucket, name: objectNames.narration(g.id) };
  if (g.status === 'narrated') {
    if (await refinalize(ports, narration.bucket, narration.name)) return;
    await ports.bus.publish(TOPICS.scriptWritten, { v: 1, generationId: g.id }, { eventType: TOPICS.scriptWritten, schemaVersion: '1', generationId: g.id });
    return;
  }
  if (g.status === 'rendered') {
    if (await refinalize(ports, ports.config.videoBucket, objectNames.video(g.id))) return;
    await refinalize(ports, narration.bucket, narration.name);
    return;
  }
  await publishNext(g, ports.bus);
}

/** Rewrite an object onto itself: a new object generation, hence a new finalize event. False when it is missing. */
async function refinalize(ports: Ports, bucket: string, name: string): Promise<boolean> {
  const info = await ports.objects.stat(bucket, name);
  if (!info) return false;
  await ports.objects.put(bucket, name, await ports.objects.get(bucket, name), { contentType: info.contentType, metadata: info.metadata });
  return true;
}
