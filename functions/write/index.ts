import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { writeStage } from './write.js';

export const write = pubsubFunction('write', TOPICS.sourcesRetrieved, (event, ports) => runStage(writeStage, event.generationId, ports));

functions.cloudEvent('write', write as never);
