/**
 * ElevenLabsApiDouble: a loopback HTTP server speaking ElevenLabs' text-to-speech endpoint:
 *
 *   POST /v1/text-to-speech/{voice_id}?output_format=pcm_24000
 *   xi-api-key: <key>
 *   { text, model_id, voice_settings } -> 200 raw 16-bit little-endian mono PCM (content-type audio/pcm)
 *   errors: status + { detail: { status, message } }
 *
 * Synthesis: 40 ms of silence, a 180 Hz tone of `msPerChar` per character of text (break tags
 * removed, each `<break time="Ns" />` adding N s of silence), 80 ms of silence. It checks what the
 * real API checks that matters here: the key (401 invalid_api_key), a known voice id (404
 * voice_not_found), a pcm_ output format, non-empty text of at most 10,000 characters (400).
 * Faults are scripted per request (`queue`) or for every request (`always`).
 */
import http from 'node:http';
import { listenOnLoopback } from './loopback.js';

export const ELEVENLABS_DOUBLE_KEY = 'elevenlabs-double-key';

export type ElevenLabsFault = '429' | '500' | '401' | 'quota' | '403' | 'hang' | 'malformed' | 'empty';

export interface ElevenLabsRequest {
  voiceId: string;
  outputFormat: string | null;
  headers: http.IncomingHttpHeaders;
  body: { text?: string; model_id?: string; voice_settings?: Record<string, unknown> };
  answer: ElevenLabsFault | 'ok' | 'bad-request';
}

const FAULTS: Record<string, { status: number; detail: { status: string; message: string } }> = {
  '429': { status: 429, detail: { status: 'too_many_concurrent_requests', message: 'Your current subscription is associated with a maximum of 2 concurrent requests.' } },
  '500': { status: 500, detail: { status: 'internal_error', message: 'An internal server error occurred.' } },
  '401': { status: 401, detail: { status: 'invalid_api_key', message: 'Invalid API key' } },
  quota: { status: 401, detail: { status: 'quota_exceeded', message: 'This request exceeds your quota. You have 12 credits remaining, while 240 credits are required for this request.' } },
  '403': { status: 403, detail: { status: 'missing_permissions', message: 'The API key you used is missing the permission text_to_speech.' } },
};

export class ElevenLabsApiDouble {
  readonly requests: ElevenLabsRequest[] = [];
  always: ElevenLabsFault | undefined;
  msPerChar = 10;
  /** Voice ids the double knows (default: the premade voices the engine maps to). */
  knownVoices = new Set(['EXAVITQu4vr4xnSDxMaL', 'nPczCjzI2devNBz1zQrb', 'TX3LPaxmHKxFdv7VOQHJ']);
  private readonly queued: Array<ElevenLabsFault | 'ok'> = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<ElevenLabsApiDouble> {
    const { server, baseUrl } = await listenOnLoopback();
    const double = new ElevenLabsApiDouble(server, baseUrl);
    server.on('request', (req, res) => void double.handle(req, res));
    return double;
  }

  /** Answers for the next requests, in order ('ok': a normal answer), then `always`. */
  queue(...faults: Array<ElevenLabsFault | 'ok'>): void {
    this.queued.push(...faults);
  }

  /** Text of successful syntheses, in order. */
  get spokenTexts(): string[] {
    return this.requests.filter((r) => r.answer === 'ok').map((r) => r.body.text ?? '');
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', this.baseUrl);
    const m = /^\/v1\/text-to-speech\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return send(res, 404, { detail: { status: 'not_found', message: `${req.method} ${url.pathname}` } });
    let body: ElevenLabsRequest['body'] = {};
    try {
      body = JSON.parse(raw) as ElevenLabsRequest['body'];
    } catch {
      // a bad request, below
    }
    const record: ElevenLabsRequest = { voiceId: decodeURIComponent(m[1]!), outputFormat: url.searchParams.get('output_format'), headers: req.headers, body, answer: 'ok' };
    this.requests.push(record);

    const next = this.queued.shift();
    const fault = next === 'ok' ? undefined : next ?? this.always;
    if (fault === 'hang') {
      record.answer = 'hang';
      return;
    }
    if (fault && fault in FAULTS) {
      record.answer = fault;
      const f = FAULTS[fault]!;
      return send(res, f.status, { detail: f.detail }, fault === '429' ? { 'retry-after': '0' } : {});
    }
    if (req.headers['xi-api-key'] !== ELEVENLABS_DOUBLE_KEY) {
      record.answer = '401';
      return send(res, 401, { detail: FAULTS['401']!.detail });
    }
    if (!this.knownVoices.has(record.voiceId)) {
      record.answer = 'bad-request';
      return send(res, 404, { detail: { status: 'voice_not_found', message: `A voice with the voice_id ${record.voiceId} was not found.` } });
    }
    const rate = /^pcm_(\d+)$/.exec(record.outputFormat ?? '')?.[1];
    const text = typeof body.text === 'string' ? body.text : '';
    if (!rate || !text.trim() || text.length > 10_000 || !body.model_id) {
      record.answer = 'bad-request';
      return send(res, 400, { detail: { status: 'invalid_request', message: 'output_format must be pcm_<rate>; text must be 1-10000 characters; model_id is required' } });
    }
    if (fault === 'malformed') {
      record.answer = 'malformed';
      res.writeHead(200, { 'content-type': 'audio/pcm' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body>upstream sent an invalid response</body></html>');
      return;
    }
    if (fault === 'empty') {
      record.answer = 'empty';
      res.writeHead(200, { 'content-type': 'audio/pcm' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/pcm' });
    res.end(synthesizePcm(text, Number(rate), this.msPerChar));
  }
}

/** The double's PCM for `text`: silence, tone per character, `<break time="Ns" />` as silence, silence. */
export function synthesizePcm(text: string, rate: number, msPerChar: number): Buffer {
  const parts: Buffer[] = [];
  let phase = 0;
  const silence = (ms: number): void => void parts.push(Buffer.alloc(Math.round((ms * rate) / 1000) * 2));
  const tone = (ms: number): void => {
    const n = Math.round((ms * rate) / 1000);
    const b = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++, phase++) b.writeInt16LE(Math.round(5000 * Math.sin((2 * Math.PI * 180 * phase) / rate)), i * 2);
    parts.push(b);
  };
  silence(40);
  const BREAK = /<break time="(\d+(?:\.\d+)?)s" \/>/g;
  let last = 0;
  for (let m = BREAK.exec(text); m; m = BREAK.exec(text)) {
    const chars = text.slice(last, m.index).trim().length;
    if (chars) tone(chars * msPerChar);
    silence(Number(m[1]) * 1000);
    last = m.index + m[0].length;
  }
  const chars = text.slice(last).trim().length;
  if (chars) tone(chars * msPerChar);
  silence(80);
  return Buffer.concat(parts);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
