import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBSUB_MESSAGE_PUBLISHED, PubSubMessageDataSchema, toBinaryHttp, type CloudEventLike, type PubSubMessageData } from '../../../events/cloud-events.js';
import { PIPELINE, type Trigger } from '../../../shared/domain/pipeline.js';
import { freePort, stopChild } from './emulators.js';

/**
 * Functions Framework servers, one child process per function as Cloud Functions runs them, and
 * the push relay that turns Pub/Sub push requests into the CloudEvents Eventarc delivers.
 *
 * Why a relay: a raw push body POSTed to a `cloudevent` function is converted by the Functions
 * Framework 5.0.5 itself (pubsub_middleware + background_event_to_cloud_event), but not the way
 * Eventarc does it: the `subscription` (which the dead-letter function reads) and
 * `deliveryAttempt` are dropped, `message` gains an `@type`, the topic in `source` is taken from
 * the URL path (`null` when the path has none), and a message with empty data is not converted at
 * all. The relay sends the function a binary-mode CloudEvent of type
 * google.cloud.pubsub.topic.v1.messagePublished with source
 * //pubsub.googleapis.com/projects/P/topics/T and data {message, subscription, deliveryAttempt},
 * and answers the emulator with the function's own status, so a non-2xx is redelivered.
 */

export type SignatureType = 'cloudevent' | 'http';

export interface FunctionSpec {
  /** The name the module registers (functions.cloudEvent('understand', ...)) and FF's --target. */
  target: string;
  /** The module that registers it, relative to the repository root or absolute. */
  source: string;
  signatureType: SignatureType;
  /** Environment for this function only, over the shared one. */
  env?: Record<string, string>;
}

export interface RunningFunction {
  target: string;
  signatureType: SignatureType;
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Environment for every function, over this process's own (PORT and FUNCTION_* are set per server). */
  env?: Record<string, string>;
  /** Milliseconds to wait for a server to listen (default 120 s: tsx compiles the module graph first; all nine take ~25 s on 2 busy cores). */
  readyTimeoutMs?: number;
  /** Each line a function prints (default: kept, the last lines shown if it fails to start). */
  onOutput?: (target: string, line: string) => void;
}

/** The repository root (this file is functions/local/emulators/function-servers.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The deployed functions of the pipeline and what triggers each: the pipeline table's rows (functions/local/pipeline.ts wires the same in-process). */
export const PIPELINE_FUNCTIONS: (FunctionSpec & { trigger: Trigger })[] = PIPELINE.map((row) => ({
  target: row.function,
  source: row.entry,
  signatureType: 'http' in row.trigger ? 'http' : 'cloudevent',
  trigger: row.trigger,
}));

const requireHere = createRequire(import.meta.url);
/** FF's CLI entry; the package exports no sub-path for it, so find it beside its main module. */
const FF_MAIN = path.join(path.dirname(requireHere.resolve('@google-cloud/functions-framework')), 'main.js');

/**
 * Start one function as `node --import tsx <FF main.js> --target --signature-type --source --port`
 * and resolve once it accepts connections (FF loads the module before it listens).
 */
export async function startFunctionServer(spec: FunctionSpec, opts: StartOptions = {}): Promise<RunningFunction> {
  const port = await freePort();
  const source = path.resolve(REPO_ROOT, spec.source);
  const args = ['--import', 'tsx', FF_MAIN, `--target=${spec.target}`, `--signature-type=${spec.signatureType}`, `--source=${source}`, `--port=${port}`];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Local servers are never on Google Cloud: stop the client libraries probing the metadata server.
      METADATA_SERVER_DETECTION: 'none',
      // As on Cloud Functions: FF then answers a failed invocation with a bare status, no error text.
      NODE_ENV: 'production',
      ...opts.env,
      ...spec.env,
      PORT: String(port),
      FUNCTION_TARGET: spec.target,
      FUNCTION_SIGNATURE_TYPE: spec.signatureType,
    },
  });
  const output: string[] = [];
  const onData = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line) continue;
      if (opts.onOutput) opts.onOutput(spec.target, line);
      else {
        output.push(line);
        if (output.length > 200) output.shift();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  killOnExit(child);
  const stop = () => stopChild(child);
  try {
    await waitForPort(port, child, opts.readyTimeoutMs ?? 120_000);
  } catch (err) {
    await stop();
    throw new Error(`function ${spec.target} did not start: ${(err as Error).message}\n${output.slice(-30).join('\n')}`);
  }
  return { target: spec.target, signatureType: spec.signatureType, url: `http://127.0.0.1:${port}/`, port, pid: child.pid!, stop };
}

export interface FunctionServers {
  functions: Record<string, RunningFunction>;
  relay: PushRelay;
  /** The push endpoint for a subscription on Pub/Sub topic id `topicId` that delivers to `target`. */
  pushEndpoint(target: string, topicId: string): string;
  stop(): Promise<void>;
}

/** Start every function (in parallel) and one push relay in front of them. */
export async function startFunctionServers(specs: FunctionSpec[], opts: StartOptions & { projectId: string; onDelivery?: (d: RelayDelivery) => void }): Promise<FunctionServers> {
  const started = await Promise.allSettled(specs.map((s) => startFunctionServer(s, opts)));
  const functions: Record<string, RunningFunction> = {};
  for (const r of started) if (r.status === 'fulfilled') functions[r.value.target] = r.value;
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(Object.values(functions).map((f) => f.stop()));
    throw failed.reason;
  }
  const relay = await startPushRelay({ projectId: opts.projectId, targets: (t) => functions[t]?.url, onDelivery: opts.onDelivery });
  return {
    functions,
    relay,
    pushEndpoint: (target, topicId) => relay.endpoint(target, topicId),
    async stop() {
      await relay.stop();
      await Promise.all(Object.values(functions).map((f) => f.stop()));
    },
  };
}

export interface RelayDelivery {
  target: string;
  topicId: string;
  subscription: string;
  messageId: string;
  attempt: number;
  /** The function's HTTP status, or 502 when it could not be reached, 400 for a body that is not a push. */
  status: number;
}

export interface PushRelay {
  url: string;
  port: number;
  /** http://127.0.0.1:PORT/<target>/projects/<project>/topics/<topicId> */
  endpoint(target: string, topicId: string): string;
  stop(): Promise<void>;
}

/** Deliveries counted per subscription and message, for the emulator that does not send deliveryAttempt. */
const MAX_TRACKED_MESSAGES = 10_000;

/**
 * The push relay: POST /<target>/projects/<P>/topics/<T> with a Pub/Sub push body becomes a
 * binary CloudEvent POSTed to the target's server. The emulator omits `deliveryAttempt`, so the
 * relay counts deliveries itself (per subscription and message id) and fills it in; a count the
 * push body carries wins.
 */
export async function startPushRelay(opts: { projectId: string; targets: (target: string) => string | undefined; port?: number; onDelivery?: (d: RelayDelivery) => void }): Promise<PushRelay> {
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    void relayOne(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function relayOne(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = parseRoute(req.url ?? '');
    const url = route && req.method === 'POST' ? opts.targets(route.target) : undefined;
    if (!route || !url) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'POST /<function>/projects/<project>/topics/<topic>' } }));
      return;
    }
    const body = await readBody(req);
    const json = parseJson(body);
    const push = PubSubMessageDataSchema.safeParse(json);
    if (!push.success) {
      opts.onDelivery?.({ target: route.target, topicId: route.topicId, subscription: '', messageId: '', attempt: 0, status: 400 });
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'EVENT_MALFORMED', message: 'not a Pub/Sub push body' } }));
      return;
    }
    // Forward the message as Pub/Sub sent it (publish_time, orderingKey, ...), not as the schema trimmed it.
    const message = (json as { message: PubSubMessageData['message'] }).message;
    const subscription = push.data.subscription ?? '';
    const messageId = message.messageId ?? message.message_id ?? '';
    const key = `${subscription}\n${messageId}`;
    const attempt = push.data.deliveryAttempt ?? (attempts.get(key) ?? 0) + 1;
    attempts.delete(key); // re-inserted last, so the map forgets the oldest first
    attempts.set(key, attempt);
    if (attempts.size > MAX_TRACKED_MESSAGES) attempts.delete(attempts.keys().next().value!);

    const { target, project, topicId } = route;
    const event: CloudEventLike<PubSubMessageData> = {
      specversion: '1.0',
      id: messageId,
      source: `//pubsub.googleapis.com/projects/${project}/topics/${topicId}`,
      type: PUBSUB_MESSAGE_PUBLISHED,
      time: message.publishTime ?? new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { message, subscription, deliveryAttempt: attempt },
    };
    const status = await forward(url, toBinaryHttp(event));
    if (status >= 200 && status < 300) attempts.delete(key);
    opts.onDelivery?.({ target, topicId, subscription, messageId, attempt, status });
    res.writeHead(status).end();
  }

  const port = opts.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    endpoint: (target, topicId) => `${url}/${encodeURIComponent(target)}/projects/${encodeURIComponent(opts.projectId)}/topics/${encodeURIComponent(topicId)}`,
    stop: () => closeServer(server),
  };
}

/** /<target>/projects/<project>/topics/<topicId>, or null. */
function parseRoute(url: string): { target: string; project: string; topicId: string } | null {
  const m = /^\/([^/?]+)\/projects\/([^/?]+)\/topics\/([^/?]+)$/.exec(url);
  if (!m) return null;
  try {
    return { target: decodeURIComponent(m[1]), project: decodeURIComponent(m[2]), topicId: decodeURIComponent(m[3]) };
  } catch {
    return null; // malformed %-escapes
  }
}

/** POST with node:http rather than fetch: undici would give up on a response after 300 s, and render may take longer. */
function forward(url: string, { headers, body }: { headers: Record<string, string>; body: string }): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 502));
      res.on('error', () => resolve(502));
    });
    req.on('error', () => resolve(502));
    req.end(body);
  });
}

/** Pub/Sub messages are at most 10 MB; base64 and JSON make the push body about a third larger. */
const MAX_PUSH_BYTES = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_PUSH_BYTES) req.destroy(new Error('push body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listening on port ${port} within ${timeoutMs} ms`);
}

/** Children still running; killed if this process exits without stopping them (one listener for all). */
const running = new Set<ChildProcess>();

function killOnExit(child: ChildProcess): void {
  if (!process.listeners('exit').includes(killRunning)) process.on('exit', killRunning);
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killRunning(): void {
  for (const child of running) child.kill('SIGKILL');
}

