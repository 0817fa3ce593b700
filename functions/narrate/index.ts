import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { narrateStage } from './narrate.js';

export const narrate = pubsubFunction('narrate', TOPICS.scriptWritten, (event, ports) => runStage(narrateStage, event.generationId, ports));

functions.cloudEvent('narrate', narrate as never);
