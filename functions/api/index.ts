import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from 'express';
import '../../shared/runtime/default-ports.js';
import { getPorts } from '../../shared/runtime/ports.js';
import { handleApiRequest } from './api.js';
import { studentPageRoute } from './student-page/route.js';

export async function api(req: Request, res: Response): Promise<void> {
  const ports = await getPorts();
  // The student page at `/`, on the API's origin.
  await handleApiRequest(req, res, ports, [studentPageRoute(ports)]);
}

functions.http('api', api as never);
