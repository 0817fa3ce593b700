import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { isTerminal, type Generation } from '../../shared/domain/generation.js';
import { InvocationMetrics } from '../../shared/observability/metrics.js';
import type { StateStore } from '../../shared/ports/state-store.port.js';
import type { Ports } from '../../shared/runtime/ports.js';
import { generationView } from './generation-view.js';
import { durationsFromMetrics, estimateTimeLeft, mergeDurations, ObservedDurations } from './time-left.js';

/**
 * `GET /v1/generations/{id}/events`: the generation's changes as Server-Sent Events.
 *
 * Every event is a snapshot: the generation's view as `GET /v1/generations/{id}` answers it
 * (status, overall progress, each stage's state, progress and attempts, the topic; the result
 * when completed, the error when failed) plus `timeLeft` (see time-left.ts). Event names:
 * `progress` while it runs, then one terminal event, `completed` or `failed`, after which the
 * stream ends. Changes in quick succession may come as one event (the latest).
 *
 * Event ids are `<updatedAt in ms>-<digest of the stored document>`. A client that reconnects
 * with `Last-Event-ID` gets nothing it already has: the current state is sent only when its id
 * differs from the one given; when the generation is finished and the client already has its
 * terminal event, the answer is 204 (EventSource stops reconnecting on 204).
 *
 * A comment line (`: heartbeat`) every HEARTBEAT_MS keeps proxies from closing an idle stream;
 * the stream ends by itself after MAX_STREAM_MS (the api function's timeout is 60 s in the
 * cloud), and the client resumes with Last-Event-ID.
 *
 * All streams of a generation in one process share one watch of the state store (Firestore
 * snapshot listener, SQLite in-process notifications; see GenerationWatchHub).
 */
export const HEARTBEAT_MS = 15_000;
export const MAX_STREAM_MS = 50_000;
/** Reconnection delay the stream asks of EventSource clients (the `retry:` field), in ms. */
export const RETRY_MS = 2_000;

export interface EventStreamOptions {
  heartbeatMs?: number;
  maxStreamMs?: number;
}

export type GenerationEventName = 'progress' | 'completed' | 'failed';

/** The id of the event a stored document gives: ordered by update time, unique by content. */
export function eventIdOf(g: Generation): string {
  const digest = createHash('sha256').update(stableJson(g)).digest('base64url').slice(0, 12);
  return `${Date.parse(g.updatedAt) || 0}-${digest}`;
}

export function eventNameOf(g: Generation): GenerationEventName {
  return g.status === 'completed' ? 'completed' : g.status === 'failed' ? 'failed' : 'progress';
}

/**
 * Streams the generation's events until its terminal event, the client leaving, or MAX_STREAM_MS.
 * `g` is the generation as found (and authorised) by the API. Resolves with the HTTP status as
 * soon as the stream is open, so the api's invocation record measures opening the stream, not how
 * long the student watched it (the stream goes on; the response stays open until it ends).
 */
export async function streamGenerationEvents(req: Request, res: Response, g: Generation, ports: Ports, opts: EventStreamOptions = {}): Promise<number> {
  const hub = watchHubOf(ports.state);
  const given = lastEventIdOf(req);
  if (isTerminal(g.status) && given === eventIdOf(g)) {
    res.status(204).set('cache-control', 'no-store').end();
    return 204;
  }
  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  res.write(`retry: ${RETRY_MS}\n\n`);

  {
    let lastSent = given;
    let ended = false;
    // Sends are chained: a completed view signs URLs (async), and order must hold.
    let chain = Promise.resolve();
    const end = () => {
      if (ended) return;
      ended = true;
      openStreams.delete(end);
      clearInterval(heartbeat);
      clearTimeout(deadline);
      unsubscribe();
      req.off('close', end);
      res.off('close', end);
      void chain.finally(() => {
        if (!res.writableEnded) res.end();
      });
    };
    const send = (doc: Generation) => {
      const id = eventIdOf(doc);
      if (id === lastSent) return;
      lastSent = id;
      chain = chain.then(async () => {
        if (ended && !isTerminal(doc.status)) return;
        const view = await generationView(doc, ports);
        const data = { ...view, timeLeft: estimateTimeLeft(doc, hub.durations(ports), ports.now()) };
        if (res.writableEnded) return;
        res.write(`id: ${id}\nevent: ${eventNameOf(doc)}\ndata: ${JSON.stringify(data)}\n\n`);
      });
      chain = chain.catch((err) => {
        ports.log.error('event stream: could not send an event', { stage: 'api', generationId: doc.id, error: String((err as Error)?.message ?? err) });
        end();
      });
      if (isTerminal(doc.status)) end();
    };
    const heartbeat = setInterval(() => void (!res.writableEnded && res.write(`: heartbeat ${ports.now().toISOString()}\n\n`)), opts.heartbeatMs ?? HEARTBEAT_MS);
    const deadline = setTimeout(end, opts.maxStreamMs ?? MAX_STREAM_MS);
    const unsubscribe = hub.subscribe(g.id, {
      onChange: (doc) => {
        // Gone (a TTL deletion): nothing more will come.
        if (!doc) return end();
        send(doc);
      },
      onError: (err) => {
        ports.log.warn('event stream: the state watch stopped; the client will reconnect', { stage: 'api', generationId: g.id, error: String(err?.message ?? err) });
        end();
      },
    });
    req.once('close', end);
    res.once('close', end);
    openStreams.add(end);
  }
  return 200;
}

/** The streams open in this process, by the function that ends each. */
const openStreams = new Set<() => void>();

/**
 * Ends every open event stream of this process (its clients reconnect with Last-Event-ID). For a
 * server that is closing: an open stream would otherwise hold `server.close()` until it ends.
 */
export function endEventStreams(): number {
  const n = openStreams.size;
  for (const end of [...openStreams]) end();
  return n;
}

interface WatchListener {
  onChange(g: Generation | null): void;
  onError(err: Error): void;
}

interface Watch {
  listeners: Set<WatchListener>;
  stop: () => void;
  /** The last document the store reported (undefined: none yet). */
  latest: Generation | null | undefined;
}

/**
 * One state-store watch per generation per process, shared by every event stream of that
 * generation: the first stream starts it, the last one to leave stops it. A stream that joins a
 * running watch gets the latest document at once. Also keeps the stage durations of the
 * generations it sees finish, for the time-left estimate where the process has no metrics.
 */
export class GenerationWatchHub {
  private readonly watches = new Map<string, Watch>();
  readonly observed = new ObservedDurations();

  constructor(private readonly state: StateStore) {}

  /** Watches open on the store (one per generation followed). */
  get watchCount(): number {
    return this.watches.size;
  }

  /** Listeners across all watches. */
  get listenerCount(): number {
    let n = 0;
    for (const w of this.watches.values()) n += w.listeners.size;
    return n;
  }

  subscribe(id: string, listener: WatchListener): () => void {
    let watch = this.watches.get(id);
    if (!watch) {
      const w: Watch = { listeners: new Set(), latest: undefined, stop: () => {} };
      this.watches.set(id, w);
      w.stop = this.state.watchGeneration(
        id,
        (doc) => {
          w.latest = doc;
          if (doc && isTerminal(doc.status)) this.observed.observe(doc);
          for (const l of [...w.listeners]) l.onChange(doc);
        },
        (err) => {
          // The watch has stopped: its listeners end (clients reconnect and start a new one).
          if (this.watches.get(id) === w) this.watches.delete(id);
          for (const l of [...w.listeners]) l.onError(err);
          w.listeners.clear();
        },
      );
      watch = w;
    } else if (watch.latest !== undefined) {
      const w = watch;
      queueMicrotask(() => w.listeners.has(listener) && w.latest !== undefined && listener.onChange(w.latest));
    }
    watch.listeners.add(listener);
    const w = watch;
    return () => {
      w.listeners.delete(listener);
      if (w.listeners.size === 0 && this.watches.get(id) === w) {
        this.watches.delete(id);
        w.stop();
      }
    };
  }

  /** Typical stage durations: the process's invocation metrics where it has them, else what it observed. */
  durations(ports: Ports) {
    const metrics = (ports as { metrics?: unknown }).metrics;
    return mergeDurations(metrics instanceof InvocationMetrics ? durationsFromMetrics(metrics) : {}, this.observed.durations());
  }
}

const hubs = new WeakMap<StateStore, GenerationWatchHub>();

/** The process's hub for a state store. */
export function watchHubOf(state: StateStore): GenerationWatchHub {
  let hub = hubs.get(state);
  if (!hub) hubs.set(state, (hub = new GenerationWatchHub(state)));
  return hub;
}

function lastEventIdOf(req: Request): string | undefined {
  const v = req.get('last-event-id')?.trim();
  return v && /^\d{1,16}-[A-Za-z0-9_-]{1,32}$/.test(v) ? v : undefined;
}

/** JSON with object keys sorted, so equal documents give equal text whatever order a store returns fields in. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}
