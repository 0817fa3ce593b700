import type { PubSubMessageData } from '../../events/cloud-events.js';
import type { CloudEventLike } from '../../events/cloud-events.js';
import type { DeadLettered } from '../../events/schemas.js';
import { STAGES } from '../../shared/domain/generation.js';
import { ErrorCodes } from '../../shared/errors.js';
import { addToInvocationRecord } from '../../shared/runtime/invocation-context.js';
import type { Ports } from '../../shared/runtime/ports.js';
import type { StageResult } from '../../shared/runtime/run-stage.js';

/** The stage whose subscription gave up: subscription ids end with the stage name (`understand`, `vividly-render`, ...). */
export function stageOfSubscription(subscription: string | undefined): string {
  const id = (subscription ?? '').split('/').pop() ?? '';
  return STAGES.find((s) => id === s || id.endsWith(`-${s}`) || id.endsWith(`.${s}`)) ?? 'unknown';
}

/**
 * dead-letter: a message that exhausted its retries fails its generation, with the stage and the
 * last error recorded. Its invocation record says `dead-lettered`, with the stage that gave up and
 * the code it died of, which is what the dead-letter metric and alert count. A second delivery of
 * the same dead letter (the generation already failed) is a duplicate and is not counted again.
 */
export async function recordDeadLetter(payload: DeadLettered, ports: Ports, event: CloudEventLike): Promise<StageResult> {
  const attributes = (event.data as PubSubMessageData | undefined)?.message.attributes ?? {};
  const generationId = payload.generationId ?? attributes.generationId;
  const stage = stageOfSubscription(attributes.CloudPubSubDeadLetterSourceSubscription);
  const attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount ?? '?';
  addToInvocationRecord({ sourceStage: stage, errorCode: ErrorCodes.deadLettered });
  if (!generationId) {
    ports.log.error('dead-lettered message without a generation', { stage: 'dead-letter', sourceStage: stage, attempts });
    return { outcome: 'dead-lettered', generationId: '' };
  }
  const generation = await ports.state.getGeneration(generationId);
  if (!generation) {
    ports.log.error('dead-lettered message for an unknown generation', { stage: 'dead-letter', sourceStage: stage, generationId, attempts });
    return { outcome: 'dead-lettered', generationId };
  }
  const last = generation.stages[stage]?.lastError;
  const code = last?.code ?? ErrorCodes.deadLettered;
  addToInvocationRecord({ errorCode: code });
  const failed = await ports.state.fail(generationId, {
    stage,
    code,
    message: `${stage} gave up after ${attempts} attempts${last ? `: ${last.message}` : ''}`,
  });
  return { outcome: failed ? 'dead-lettered' : 'duplicate', generationId, status: failed?.status ?? generation.status };
}
