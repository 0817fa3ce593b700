import * as functions from '@google-cloud/functions-framework';
import '../../shared/runtime/default-ports.js';
import { storageFunction } from '../../shared/runtime/invoke.js';
import { runStage } from '../../shared/runtime/run-stage.js';
import { identifyNarration, renderStage } from './render.js';

export const render = storageFunction('render', identifyNarration, (object, ports) => runStage(renderStage, object.generationId, ports));

functions.cloudEvent('render', render as never);
