/** One Server-Sent Event as a client sees it (the `data:` lines joined, parsed as JSON when they are). */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
  /** ms since the request was sent. */
  at: number;
}

export interface SseRead {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Comment lines (`: ...`), e.g. heartbeats, with when they came. */
  comments: { text: string; at: number }[];
  /** The `retry:` field, if sent. */
  retry?: number;
  /** True when the server ended the stream (false when we stopped reading). */
  endedByServer: boolean;
  /** The body when the answer was not an event stream. */
  body?: string;
}

/**
 * Reads an event stream with fetch, as the student page does (fetch, so it can send
 * Authorization and Last-Event-ID), parsing the SSE wire format. Stops when the server ends the
 * stream or when `stop(event, all)` returns true (then the request is aborted: the client left).
 */
export async function readEventStream(
  url: string,
  opts: { headers?: Record<string, string>; stop?: (e: SseEvent, all: SseEvent[]) => boolean; onEvent?: (e: SseEvent) => void; timeoutMs?: number } = {},
): Promise<SseRead> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`event stream still open after ${opts.timeoutMs ?? 300_000} ms`)), opts.timeoutMs ?? 300_000);
  try {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...opts.headers }, signal: abort.signal });
    const out: SseRead = { status: res.status, headers: res.headers, events: [], comments: [], endedByServer: false };
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) {
      out.body = await res.text();
      out.endedByServer = true;
      return out;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let stopped = false;
    while (!stopped) {
      const { done, value } = await reader.read();
      if (done) {
        out.endedByServer = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while (!stopped && (cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
        const at = performance.now() - started;
        const fields: { id?: string; event?: string; data: string[] } = { data: [] };
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) {
            out.comments.push({ text: line.slice(1).trim(), at });
            continue;
          }
          const i = line.indexOf(':');
          const name = i < 0 ? line : line.slice(0, i);
          const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (name === 'id') fields.id = value;
          else if (name === 'event') fields.event = value;
          else if (name === 'data') fields.data.push(value);
          else if (name === 'retry') out.retry = Number(value);
        }
        if (!fields.data.length) continue;
        const text = fields.data.join('\n');
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        const e: SseEvent = { id: fields.id, event: fields.event ?? 'message', data, at };
        out.events.push(e);
        opts.onEvent?.(e);
        if (opts.stop?.(e, out.events)) stopped = true;
      }
    }
    if (stopped) abort.abort();
    return out;
  } finally {
    clearTimeout(timer);
  }
}
