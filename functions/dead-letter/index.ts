import * as functions from '@google-cloud/functions-framework';
import { TOPICS } from '../../events/schemas.js';
import '../../shared/runtime/default-ports.js';
import { pubsubFunction } from '../../shared/runtime/invoke.js';
import { recordDeadLetter } from './dead-letter.js';

export const deadLetter = pubsubFunction('dead-letter', TOPICS.deadLetter, recordDeadLetter);

functions.cloudEvent('dead-letter', deadLetter as never);
