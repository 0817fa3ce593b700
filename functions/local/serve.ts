import express, { type NextFunction, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { z } from 'zod';
import type { FileObjectStore } from '../../shared/adapters/file-object-store.js';
import type { Config } from '../../shared/config.js';
import { codeOf, PipelineError } from '../../shared/errors.js';
import { buildOpsData } from '../../shared/observability/ops-stats.js';
import type { EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { handleApiRequest, type HostRoute } from '../api/api.js';
import { endEventStreams } from '../api/generation-events.js';
import { apiKeysOf } from '../api/api-keys.js';
import { loadStudentPage } from '../api/student-page/assets.js';
import { studentPageRoute } from '../api/student-page/route.js';
import { opsPageHtml } from './ops-page.js';

/**
 * The local HTTP server: the api function behind a strict JSON body parser (16 KB), whose
 * malformed-JSON and too-large errors answer with the API's JSON error shape, never a stack trace,
 * plus what the cloud's managed services do there: the signed object URLs of the file store
 * (Cloud Storage's job) and the operations endpoints (Cloud Monitoring's). The student page at `/`
 * is the api function's own (functions/api/student-page/).
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
  mountOps(app, ports);
  // The student page at `/` (as the api function serves it in the cloud), bundled now so the first visit does not wait.
  void loadStudentPage().catch((err) => ports.log.error('student page: the bundle failed', { stage: 'api', error: String((err as Error)?.message ?? err) }));
  const routes = [signedObjectRoute(ports.objects), studentPageRoute(ports)];
  app.all('/{*splat}', (req, res) => void handleApiRequest(req, res, ports, routes));
  app.all('/', (req, res) => void handleApiRequest(req, res, ports, routes));
  return app;
}

const OBJECT_PATH = /^\/v1\/objects\/([^/]+)\/(.+)$/;

/**
 * `GET|HEAD /v1/objects/{bucket}/{name}?expires&signature`: the file store's signed URLs, served
 * by the local server as Cloud Storage serves its own in the cloud (the api function has no such
 * route). It runs inside the API's request handling, so errors keep the API's JSON shape and
 * codes (URL_EXPIRED, URL_SIGNATURE_INVALID, NOT_FOUND) and each request its invocation record.
 */
export function signedObjectRoute(objects: FileObjectStore): HostRoute {
  return async (req, res) => {
    const match = OBJECT_PATH.exec(req.path);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
    const [, bucket, name] = match;
    const q = z.object({ expires: z.string(), signature: z.string() }).safeParse(req.query);
    if (!q.success) throw new PipelineError('URL_SIGNATURE_INVALID', 'missing expires or signature', { httpStatus: 403 });
    const file = objects.resolveSigned(bucket, name, q.data.expires, q.data.signature);
    const info = await objects.stat(bucket, name);
    if (!info) throw new PipelineError('NOT_FOUND', 'no such object', { httpStatus: 404 });
    await new Promise<void>((resolve, reject) =>
      res.sendFile(file, { headers: { 'content-type': info.contentType, 'cache-control': 'private, max-age=3600' }, dotfiles: 'allow' }, (err) => (err && !res.headersSent ? reject(err) : resolve())),
    );
    return res.statusCode;
  };
}

/**
 * The local operations endpoints: `/metrics` (Prometheus text), `/ops/data` (JSON) and `/ops`
 * (the page that shows it). They expose counts, latencies, error codes and generation ids, never
 * student text. When VIVIDLY_API_KEYS is set they need a key like the API does (Prometheus sends
 * it with `authorization: { credentials: <key> }`); the page itself is static and asks for the key.
 */
function mountOps(app: express.Express, ports: EmbeddedPorts): void {
  const keys = apiKeysOf(ports.config.apiKeys);
  const requireKey = (req: Request, res: Response, next: NextFunction) => {
    if (keys.open || keys.keyOf(req.get('authorization')) !== undefined) return next();
    res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer <api key>' } });
  };
  const answer = (produce: (res: Response) => Promise<void>) => async (_req: Request, res: Response) => {
    try {
      res.set('cache-control', 'no-store');
      await produce(res);
    } catch (err) {
      ports.log.error('ops endpoint failed', { stage: 'api', errorCode: codeOf(err), error: String((err as Error)?.message ?? err) });
      if (!res.headersSent) res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
    }
  };
  app.get(
    '/metrics',
    requireKey,
    answer(async (res) => void res.type(ports.metrics.contentType).send(await ports.metrics.metricsText())),
  );
  app.get(
    '/ops/data',
    requireKey,
    answer(async (res) => void res.json(await buildOpsData(ports.metrics, { state: ports.state, router: ports.router, stallSeconds: ports.config.stallSeconds, now: ports.now }, 'server'))),
  );
  app.get(
    '/ops',
    answer(async (res) => {
      const nonce = randomBytes(16).toString('base64');
      res.set({
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.type('html').send(opsPageHtml(nonce));
    }),
  );
}

export function listen(app: express.Express, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, () => resolve(server));
    server.once('error', reject);
    // An event stream stays open until its generation ends (or 50 s): closing the server ends them
    // first, so Ctrl-C does not wait for students watching a lesson being made.
    const close = server.close.bind(server);
    server.close = ((callback?: (err?: Error) => void) => {
      endEventStreams();
      const closing = close(callback);
      // Their connections are idle once the ends are written: let them go too.
      setImmediate(() => server.closeIdleConnections());
      return closing;
    }) as Server['close'];
  });
}
