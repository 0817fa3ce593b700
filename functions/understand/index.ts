import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { understandStage } from './understand.js';

export const understand = pubsubFunction('understand', TOPICS.generationRequested, (event, ports) => runStage(understandStage, event.generationId, ports));

functions.cloudEvent('understand', understand as never);
