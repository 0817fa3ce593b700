import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { retrieveStage } from './retrieve.js';

export const retrieve = pubsubFunction('retrieve', TOPICS.topicResolved, (event, ports) => runStage(retrieveStage, event.generationId, ports));

functions.cloudEvent('retrieve', retrieve as never);
