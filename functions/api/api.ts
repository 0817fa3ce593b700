import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { TOPICS } from '../../events/schemas.js';
import { notCoveredKey, requestKey } from '../../shared/domain/cache-keys.js';
import { GenerationRequestSchema, type Generation, type GenerationRequest } from '../../shared/domain/generation.js';
import { codeOf, PipelineError } from '../../shared/errors.js';
import { INVOCATION_KIND } from '../../shared/observability/invocation-record.js';
import { traceOfHttpRequest } from '../../shared/observability/logger.js';
import { nextEventFor } from '../../shared/runtime/input-event.js';
import type { Ports } from '../../shared/runtime/ports.js';
import { apiKeysOf, ownerOfKey } from './api-keys.js';
import { streamGenerationEvents } from './generation-events.js';
import { generationView } from './generation-view.js';

const GENERATION_PATH = /^\/v1\/generations\/([^/]+)$/;
const GENERATION_EVENTS_PATH = /^\/v1\/generations\/([^/]+)\/events$/;
const ID_RE = /^gen_[A-Za-z0-9_-]{8,64}$/;

/**
 * A route the host of the API adds to it (the local server serves the file store's signed URLs,
 * which Cloud Storage serves in the cloud): it answers and returns the HTTP status, or returns
 * undefined when the request is not its own. It gets the API's JSON errors and invocation record.
 */
export type HostRoute = (req: Request, res: Response) => Promise<number | undefined>;

/**
 * The HTTP API: validate and authenticate; answer a repeat from the request cache, and a question
 * the library does not cover from the not-covered cache; coalesce identical requests in flight;
 * otherwise create the generation and publish `generation.requested`.
 * It knows only the ports: routes that need a particular adapter come from the host (`hostRoutes`).
 */
export async function handleApiRequest(req: Request, res: Response, ports: Ports, hostRoutes: readonly HostRoute[] = []): Promise<void> {
  const started = performance.now();
  let status = 500;
  let errorCode: string | undefined;
  let generationId: string | undefined;
  try {
    applyCors(req, res, ports);
    const path = req.path;
    if (req.method === 'OPTIONS') {
      status = 204;
      res.status(204).end();
      return;
    }
    if (path === '/healthz' && req.method === 'GET') {
      status = 200;
      res.status(200).json({ ok: true });
      return;
    }
    if (path === '/v1/generations') {
      if (req.method !== 'POST') throw methodNotAllowed(['POST']);
      const owner = authenticate(req, ports);
      const answer = await createGeneration(req.body, owner, ports);
      generationId = (answer.body as { id?: string }).id;
      status = answer.status;
      res.status(answer.status).json(answer.body);
      return;
    }
    const events = GENERATION_EVENTS_PATH.exec(path);
    if (events) {
      if (req.method !== 'GET') throw methodNotAllowed(['GET']);
      const owner = authenticate(req, ports);
      const g = await findGeneration(decodeURIComponent(events[1]), owner, ports);
      generationId = g.id;
      status = await streamGenerationEvents(req, res, g, ports);
      return;
    }
    const gen = GENERATION_PATH.exec(path);
    if (gen) {
      if (req.method !== 'GET') throw methodNotAllowed(['GET']);
      const owner = authenticate(req, ports);
      const g = await findGeneration(decodeURIComponent(gen[1]), owner, ports);
      generationId = g.id;
      status = 200;
      res.status(200).set('cache-control', 'no-store').json(await generationView(g, ports));
      return;
    }
    for (const route of hostRoutes) {
      const answered = await route(req, res);
      if (answered !== undefined) {
        status = answered;
        return;
      }
    }
    throw new PipelineError('NOT_FOUND', `no route for ${req.method} ${path.slice(0, 100)}`, { httpStatus: 404 });
  } catch (err) {
    const e = err instanceof PipelineError ? err : new PipelineError('INTERNAL', 'internal error', { httpStatus: 500, cause: err });
    status = e.httpStatus;
    errorCode = e.code;
    if (status >= 500) ports.log.error('api request failed', { stage: 'api', errorCode: e.code, error: String((err as Error)?.stack ?? err) });
    if (!res.headersSent) res.status(status).json({ error: e.toJSON() });
  } finally {
    // One record per request, like every function's invocation. Client errors (4xx) are the
    // request's fault, not the service's: they keep outcome ok and carry their code, so the
    // error ratio tracks server failures while the codes still show what clients got wrong.
    ports.log.invocation(
      {
        kind: INVOCATION_KIND,
        stage: 'api',
        eventId: randomUUID(),
        generationId,
        outcome: status >= 500 ? 'failed' : 'ok',
        durationMs: Math.round(performance.now() - started),
        errorCode,
        httpStatus: status,
      },
      { trace: traceOfHttpRequest((name) => req.get(name)), project: ports.config.project },
    );
  }
}

export async function createGeneration(body: unknown, owner: string, ports: Ports): Promise<{ status: number; body: unknown }> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new PipelineError('INVALID_REQUEST', 'send a JSON object: {"question": "...", "grade": 1-12, "interest": "...", "voice": "...", "topicId"?: "..."}', { httpStatus: 400 });
  }
  const parsed = GenerationRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new PipelineError('INVALID_REQUEST', 'invalid generation request', {
      httpStatus: 400,
      details: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  const request = { ...parsed.data, question: stripControl(parsed.data.question), interest: stripControl(parsed.data.interest) || 'general' };
  if (request.topicId && !(await ports.library.getTopic(request.topicId))) {
    throw new PipelineError('UNKNOWN_TOPIC', 'the library has no topic with this topicId: use an id from a not-covered answer\'s alternatives', {
      httpStatus: 422,
      details: [{ field: 'topicId', message: 'no such topic in the library' }],
    });
  }
  const key = requestKey(request);

  const cached = await ports.state.getCache('request', key);
  if (cached) {
    const done = await ports.state.getGeneration(cached.generationId);
    if (done?.status === 'completed' && done.video && (await ports.objects.stat(done.video.bucket, done.video.object))) {
      return { status: 200, body: await generationView(done, ports, { cacheHit: true, answeredFrom: 'request-cache' }) };
    }
  }
  // A request naming its topic is never "not covered".
  if (!request.topicId) {
    const notCovered = await cachedNotCovered(request, ports);
    if (notCovered) throw notCovered;
  }

  const id = `gen_${randomUUID().replace(/-/g, '')}`;
  const now = ports.now().toISOString();
  const generation: Generation = {
    id,
    owner,
    request,
    requestKey: key,
    status: 'requested',
    createdAt: now,
    updatedAt: now,
    stages: { api: { state: 'done', attempts: 1, progress: 1, startedAt: now, finishedAt: now } },
  };
  // Create first, then claim the request key: a claim always names a generation that exists, so an
  // identical request arriving in between coalesces onto it instead of taking the key over.
  await ports.state.createGeneration(generation);
  const claimed = await ports.state.claimInflight(key, id);
  if (claimed !== id) {
    const live = await ports.state.getGeneration(claimed);
    if (live) {
      // Ours was never queued: close it so nothing runs it.
      await ports.state.fail(id, { stage: 'api', code: 'COALESCED', message: `coalesced onto ${claimed}` });
      return { status: 202, body: accepted(live, true) };
    }
  }
  const next = nextEventFor(generation)!;
  try {
    await ports.bus.publish(TOPICS.generationRequested, next.payload, { eventType: next.topic, schemaVersion: '1', generationId: id });
  } catch (err) {
    await ports.state.fail(id, { stage: 'api', code: 'PUBLISH_FAILED', message: 'could not queue the generation' });
    throw new PipelineError('UNAVAILABLE', 'the pipeline is not accepting work right now; retry shortly', { httpStatus: 503, cause: err });
  }
  return { status: 202, body: accepted(generation, false) };
}

/**
 * The answer of the not-covered cache: a generation failed with TOPIC_NOT_COVERED for the same
 * normalised question on the same library version (and threshold and chooser). It is 422 with that
 * generation's message and alternatives, and no generation is created. An entry whose generation
 * is not (or no longer) failed that way is no answer. The cache is an optimisation: when the
 * library's version cannot be read, the question goes through the pipeline as before.
 */
async function cachedNotCovered(request: GenerationRequest, ports: Ports): Promise<PipelineError | null> {
  let libraryVersion: string;
  try {
    libraryVersion = await ports.library.version();
  } catch (err) {
    ports.log.warn('library version unavailable; not-covered cache skipped', { stage: 'api', errorCode: codeOf(err) });
    return null;
  }
  const key = notCoveredKey(request.question, { libraryVersion, minConfidence: ports.config.minConfidence, chooser: ports.chooser.provider });
  const entry = await ports.state.getCache('notCovered', key);
  if (!entry) return null;
  const failed = await ports.state.getGeneration(entry.generationId);
  if (failed?.status !== 'failed' || failed.error?.code !== 'TOPIC_NOT_COVERED') return null;
  return new PipelineError('TOPIC_NOT_COVERED', failed.error.message, {
    httpStatus: 422,
    details: { alternatives: failed.error.details?.alternatives ?? [], answeredFrom: 'not-covered-cache' },
  });
}

function accepted(g: Generation, coalesced: boolean) {
  return { id: g.id, status: g.status, statusUrl: `/v1/generations/${g.id}`, coalesced };
}

async function findGeneration(id: string, owner: string, ports: Ports): Promise<Generation> {
  if (!ID_RE.test(id)) throw new PipelineError('NOT_FOUND', 'no such generation', { httpStatus: 404 });
  const g = await ports.state.getGeneration(id);
  // Someone else's generation is reported as missing, not as forbidden: ids are not to be probed.
  if (!g || (ports.config.apiKeys && g.owner !== owner)) throw new PipelineError('NOT_FOUND', 'no such generation', { httpStatus: 404 });
  return g;
}

function authenticate(req: Request, ports: Ports): string {
  const keys = apiKeysOf(ports.config.apiKeys);
  if (keys.open) return 'anonymous';
  const key = keys.keyOf(req.get('authorization'));
  if (key === undefined) throw new PipelineError('UNAUTHORIZED', 'send Authorization: Bearer <api key>', { httpStatus: 401 });
  return ownerOfKey(key);
}

function applyCors(req: Request, res: Response, ports: Ports): void {
  const origin = req.get('origin');
  if (!origin) return;
  const allowed = ports.config.corsOrigins.split(',').map((o) => o.trim());
  if (allowed.includes('*') || allowed.includes(origin)) {
    res.set('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
    res.set('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.set('access-control-allow-headers', 'authorization, content-type');
    res.set('vary', 'origin');
  }
}

function methodNotAllowed(allow: string[]): PipelineError {
  return new PipelineError('METHOD_NOT_ALLOWED', `use ${allow.join(' or ')}`, { httpStatus: 405 });
}

function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}
