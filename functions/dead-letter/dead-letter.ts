import type { PubSubMessageData } from '../../events/cloud-events.js';
import type { CloudEventLike } from '../../events/cloud-events.js';
import type { DeadLettered } from '../../events/schemas.js';
import { STAGES } from '../../shared/domain/generation.js';
import type { Ports } from '../../shared/runtime/ports.js';
import type { StageResult } from '../../shared/runtime/run-stage.js';

/** The stage whose subscription gave up: subscription ids end with the stage name (`understand`, `vividly-render`, ...). */
export function stageOfSubscription(subscription: string | undefined): string {
  const id = (subscription ?? '').split('/').pop() ?? '';
  return STAGES.find((s) => id === s || id.endsWith(`-${s}`) || id.endsWith(`.${s}`)) ?? 'unknown';
}

/** dead-letter: a message that exhausted its retries fails its generation, with the stage and the last error recorded. */
export async function recordDeadLetter(payload: DeadLettered, ports: Ports, event: CloudEventLike): Promise<StageResult> {
  const attributes = (event.data as PubSubMessageData | undefined)?.message.attributes ?? {};
  const generationId = payload.generationId ?? attributes.generationId;
  const stage = stageOfSubscription(attributes.CloudPubSubDeadLetterSourceSubscription);
  const attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount ?? '?';
  if (!generationId) {
    ports.log.error('dead-lettered message without a generation', { stage, attempts });
    return { outcome: 'ignored', generationId: '' };
  }
  const generation = await ports.state.getGeneration(generationId);
  if (!generation) return { outcome: 'ignored', generationId };
  const last = generation.stages[stage]?.lastError;
  const failed = await ports.state.fail(generationId, {
    stage,
    code: last?.code ?? 'DEAD_LETTERED',
    message: `${stage} gave up after ${attempts} attempts${last ? `: ${last.message}` : ''}`,
  });
  return { outcome: failed ? 'ok' : 'duplicate', generationId, status: failed?.status ?? generation.status };
}
