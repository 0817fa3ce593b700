import * as functions from '@google-cloud/functions-framework';
import '../../shared/runtime/default-ports.js';
import { storageFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { identifyVideo, publishStage } from './publish.js';

export const publish = storageFunction('publish', identifyVideo, (object, ports) => runStage(publishStage, object.generationId, ports));

functions.cloudEvent('publish', publish as never);
