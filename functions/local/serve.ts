import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { Config } from '../../shared/config.js';
import type { EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { handleApiRequest } from '../api/api.js';

/**
 * The local HTTP server: the api function behind a strict JSON body parser (16 KB), whose
 * malformed-JSON and too-large errors answer with the API's JSON error shape, never a stack trace.
 */
export function createLocalApp(ports: EmbeddedPorts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '16kb', type: ['application/json', 'application/*+json'] }));
  app.use((err: { type?: string; status?: number } | undefined, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    if (err.type === 'entity.too.large') return res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than 16 KB' } });
    if (err.type === 'entity.parse.failed') return res.status(400).json({ error: { code: 'INVALID_JSON', message: 'request body is not valid JSON' } });
    return res.status(err.status ?? 400).json({ error: { code: 'INVALID_REQUEST', message: 'request could not be read' } });
  });
  app.all('/{*splat}', (req, res) => void handleApiRequest(req, res, ports));
  app.all('/', (req, res) => void handleApiRequest(req, res, ports));
  return app;
}

export function listen(app: express.Express, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, () => resolve(server));
    server.once('error', reject);
  });
}
