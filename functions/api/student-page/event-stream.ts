/// <reference lib="dom" />
/**
 * The page's reader of `GET /v1/generations/{id}/events`. fetch rather than EventSource, because
 * EventSource cannot send `Authorization` (API keys); it does what EventSource does: parses the
 * SSE format, reconnects after the server's `retry:` delay when the stream ends before the
 * terminal event, sends `Last-Event-ID` so nothing is sent twice, and stops on 204.
 */

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface FollowOptions {
  headers?: Record<string, string>;
  onEvent(e: StreamEvent): void;
  /** Connection state for the page: `open`, `reconnecting` (after a drop), `closed` (terminal or 204). */
  onState?(state: 'open' | 'reconnecting' | 'closed'): void;
  /** An answer that is not a stream (401, 404, ...): following stops. */
  onHttpError(status: number, body: unknown): void;
  isTerminal(e: StreamEvent): boolean;
}

const MAX_FAILURES = 8;

export function followEvents(url: string, opts: FollowOptions): { close(): void } {
  let lastId: string | undefined;
  let retryMs = 2000;
  let failures = 0;
  let closed = false;
  let abort: AbortController | undefined;

  const run = async (): Promise<void> => {
    while (!closed) {
      abort = new AbortController();
      let terminal = false;
      try {
        const res = await fetch(url, {
          headers: { accept: 'text/event-stream', ...opts.headers, ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: abort.signal,
          cache: 'no-store',
        });
        if (res.status === 204) break;
        if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          opts.onHttpError(res.status, await res.json().catch(() => null));
          break;
        }
        opts.onState?.('open');
        failures = 0;
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
            const e = parseBlock(block, (ms) => (retryMs = ms));
            if (!e) continue;
            if (e.id) lastId = e.id;
            opts.onEvent(e);
            if (opts.isTerminal(e)) terminal = true;
          }
          if (terminal) break;
        }
      } catch {
        if (closed) return;
        failures++;
        if (failures > MAX_FAILURES) {
          opts.onHttpError(0, null);
          break;
        }
      }
      if (terminal || closed) break;
      opts.onState?.('reconnecting');
      await new Promise((r) => setTimeout(r, retryMs * Math.min(4, 1 + failures)));
    }
    abort?.abort();
    if (!closed) opts.onState?.('closed');
  };
  void run();
  return {
    close() {
      closed = true;
      abort?.abort();
    },
  };
}

function parseBlock(block: string, setRetry: (ms: number) => void): StreamEvent | null {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const name = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (name === 'id') id = value;
    else if (name === 'event') event = value;
    else if (name === 'data') data.push(value);
    else if (name === 'retry' && /^\d+$/.test(value)) setRetry(Number(value));
  }
  if (!data.length) return null;
  let parsed: unknown = data.join('\n');
  try {
    parsed = JSON.parse(parsed as string);
  } catch {
    // kept as text
  }
  return { id, event, data: parsed };
}
