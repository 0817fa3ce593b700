import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import '../../shared/runtime/default-ports.js';
import { getPorts } from '../../shared/runtime/ports.js';
import { handleApiRequest } from './api.js';

export async function api(req: Request, res: Response): Promise<void> {
  await handleApiRequest(req, res, await getPorts());
}

functions.http('api', api as never);
