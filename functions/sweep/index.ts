import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { sweepStalled } from './sweep.js';

/** Cloud Scheduler publishes a tick to `sweep.tick`; each tick examines the stalled generations. */
export const sweep = pubsubFunction('sweep', TOPICS.sweepTick, async (_tick, ports) => {
  const summary = await sweepStalled(ports);
  if (summary.examined) ports.log.info('sweep finished', { stage: 'sweep', ...summary });
  return { outcome: 'ok', generationId: '' };
});

functions.cloudEvent('sweep', sweep as never);
