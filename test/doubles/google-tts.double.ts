/**
 * GoogleTtsApiDouble: a loopback HTTP server speaking the REST form of Cloud Text-to-Speech
 * v1beta1 `text:synthesize`, as google-gax's HTTP/1.1 transport (`fallback: true`) sends it, so the
 * real @google-cloud/text-to-speech client (request encoding, enums as numbers, error decoding,
 * deadlines) runs unchanged in tests:
 *
 *   POST /v1beta1/text:synthesize?$alt=json;enum-encoding=int
 *     body { input: { ssml | text }, voice: { languageCode, name }, audioConfig: { audioEncoding,
 *            sampleRateHertz, speakingRate }, enableTimePointing: [SSML_MARK] }
 *     -> { audioContent: base64(WAV of 16-bit mono PCM), timepoints: [{ markName, timeSeconds }], audioConfig }
 *   errors: status + { error: { code, message, status } }
 *
 * Synthesis is a stand-in with exact, checkable timing: 50 ms of lead-in silence, then a 200 Hz tone
 * of `msPerChar` per spoken character (entities decoded, whitespace collapsed), `<break time>` as
 * silence, a timepoint at every `<mark>` (at the sample where it falls), 120 ms of tail silence.
 * Like the real API it requires SSML that is well-formed XML with a `<speak>` root, at most 5000
 * bytes of input, an en-US voice name, LINEAR16/MP3 encodings, and credentials (an API key header
 * or a bearer token), answering 400/401 otherwise.
 *
 * Faults are scripted per request (`queue`) or for every request (`always`): 429, 500, 503, 401,
 * 403, a hang (no answer until the client's deadline), a malformed JSON body, a 200 without
 * timepoints, a 200 whose audio is not a WAV file.
 */
import { DOMParser } from '@xmldom/xmldom';
import http from 'node:http';
import { listenOnLoopback } from './loopback.js';
import { encodeWav } from '../../shared/speech/wav.js';

export const GOOGLE_DOUBLE_API_KEY = 'google-tts-double-key';

export type GoogleTtsFault = '429' | '500' | '503' | '401' | '403' | 'hang' | 'malformed' | 'no-timepoints' | 'not-wav';

/** What the double received, enums normalised to their names. */
export interface GoogleTtsRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body as sent. */
  body: {
    input?: { ssml?: string; text?: string };
    voice?: { languageCode?: string; name?: string };
    audioConfig?: { audioEncoding?: number | string; sampleRateHertz?: number; speakingRate?: number };
    enableTimePointing?: Array<number | string>;
  };
  ssml: string | undefined;
  voiceName: string | undefined;
  audioEncoding: string | undefined;
  sampleRateHertz: number | undefined;
  enableTimePointing: string[];
  /** The fault answered, or 'ok' / 'bad-request'. */
  answer: GoogleTtsFault | 'ok' | 'bad-request';
}

const AUDIO_ENCODINGS: Record<number, string> = { 0: 'AUDIO_ENCODING_UNSPECIFIED', 1: 'LINEAR16', 2: 'MP3', 3: 'OGG_OPUS', 4: 'MP3_64_KBPS', 5: 'MULAW', 6: 'ALAW', 7: 'PCM', 8: 'M4A' };
const TIMEPOINT_TYPES: Record<number, string> = { 0: 'TIMEPOINT_TYPE_UNSPECIFIED', 1: 'SSML_MARK' };
const enumName = (table: Record<number, string>, v: unknown): string | undefined => (typeof v === 'number' ? table[v] ?? `#${v}` : typeof v === 'string' ? v : undefined);

const ERRORS: Record<string, { code: number; status: string; message: string }> = {
  '400': { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid request.' },
  '401': { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.' },
  '403': { code: 403, status: 'PERMISSION_DENIED', message: 'Cloud Text-to-Speech API has not been used in project 0 before or it is disabled.' },
  '429': { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for quota metric \'Requests\' and limit \'Requests per minute\'.' },
  '500': { code: 500, status: 'INTERNAL', message: 'Internal error encountered.' },
  '503': { code: 503, status: 'UNAVAILABLE', message: 'The service is currently unavailable.' },
};

export interface SynthesisResult {
  /** 16-bit mono PCM. */
  pcm: Buffer;
  timepoints: Array<{ markName: string; timeSeconds: number }>;
}

const LEAD_MS = 50;
const TAIL_MS = 120;

/** The double's synthesis of one SSML document (exported so tests can compute expected timings). */
export function synthesizeLikeDouble(ssml: string, sampleRateHz: number, msPerChar: number): SynthesisResult {
  const doc = new DOMParser().parseFromString(ssml, 'text/xml');
  const chunks: Buffer[] = [];
  const timepoints: SynthesisResult['timepoints'] = [];
  let samples = 0;
  let phase = 0;
  const silence = (ms: number): void => {
    const n = Math.round((ms * sampleRateHz) / 1000);
    chunks.push(Buffer.alloc(n * 2));
    samples += n;
  };
  const tone = (ms: number): void => {
    const n = Math.round((ms * sampleRateHz) / 1000);
    const b = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++, phase++) b.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 200 * phase) / sampleRateHz)), i * 2);
    chunks.push(b);
    samples += n;
  };
  const walk = (node: { nodeType: number; nodeName: string; nodeValue: string | null; firstChild: unknown; nextSibling: unknown; getAttribute?: (n: string) => string | null }): void => {
    if (node.nodeType === 3 || node.nodeType === 4) {
      // text (entities decoded): spoken characters, whitespace runs collapsed to one
      const chars = (node.nodeValue ?? '').replace(/\s+/g, ' ').trim().length;
      if (chars) tone(chars * msPerChar);
      return;
    }
    if (node.nodeType === 1) {
      if (node.nodeName === 'mark') timepoints.push({ markName: node.getAttribute!('name') ?? '', timeSeconds: samples / sampleRateHz });
      if (node.nodeName === 'break') {
        const t = node.getAttribute!('time') ?? '';
        const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(t);
        if (m) silence(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
      }
    }
    for (let c = node.firstChild as typeof node | null; c; c = c.nextSibling as typeof node | null) walk(c);
  };
  silence(LEAD_MS);
  walk(doc.documentElement as never);
  silence(TAIL_MS);
  return { pcm: Buffer.concat(chunks), timepoints };
}

export class GoogleTtsApiDouble {
  readonly requests: GoogleTtsRequest[] = [];
  /** Faults for every request once the queue is empty (undefined: answer normally). */
  always: GoogleTtsFault | undefined;
  /** Milliseconds of tone per spoken character. */
  msPerChar = 10;
  private readonly queued: Array<GoogleTtsFault | 'ok'> = [];

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<GoogleTtsApiDouble> {
    const { server, port } = await listenOnLoopback();
    const double = new GoogleTtsApiDouble(server, port);
    server.on('request', (req, res) => void double.handle(req, res));
    return double;
  }

  /**
   * TextToSpeechClient options that point the real client at this double: google-gax's REST
   * transport over plain http to 127.0.0.1:port, authenticated with an API key (google-auth-library
   * sends it as `x-goog-api-key` and looks for no credentials).
   */
  clientOptions(): { fallback: true; protocol: 'http'; apiEndpoint: string; port: number; apiKey: string } {
    return { fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port: this.port, apiKey: GOOGLE_DOUBLE_API_KEY };
  }

  /** Answers for the next requests, in order ('ok': a normal answer), then `always`. */
  queue(...faults: Array<GoogleTtsFault | 'ok'>): void {
    this.queued.push(...faults);
  }

  /** Successful syntheses' SSML, in order. */
  get spokenSsml(): string[] {
    return this.requests.filter((r) => r.answer === 'ok').map((r) => r.ssml ?? '');
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.length = 0;
    this.always = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://double');
    if (req.method !== 'POST' || url.pathname !== '/v1beta1/text:synthesize') return sendError(res, 404, { code: 404, status: 'NOT_FOUND', message: `no such method: ${req.method} ${url.pathname}` });
    let body: GoogleTtsRequest['body'] = {};
    try {
      body = JSON.parse(raw) as GoogleTtsRequest['body'];
    } catch {
      // recorded below as a bad request
    }
    const record: GoogleTtsRequest = {
      path: req.url ?? '',
      headers: req.headers,
      body,
      ssml: body.input?.ssml,
      voiceName: body.voice?.name,
      audioEncoding: enumName(AUDIO_ENCODINGS, body.audioConfig?.audioEncoding),
      sampleRateHertz: body.audioConfig?.sampleRateHertz,
      enableTimePointing: (body.enableTimePointing ?? []).map((v) => enumName(TIMEPOINT_TYPES, v) ?? String(v)),
      answer: 'ok',
    };
    this.requests.push(record);

    const next = this.queued.shift();
    const fault = next === 'ok' ? undefined : next ?? this.always;
    if (fault === 'hang') {
      record.answer = 'hang';
      return; // the client's deadline ends it; close() drops the socket
    }
    if (fault && fault in ERRORS) {
      record.answer = fault;
      return sendError(res, Number(fault), ERRORS[fault]!);
    }
    const authorised = req.headers['x-goog-api-key'] === GOOGLE_DOUBLE_API_KEY || /^Bearer \S+/.test(String(req.headers.authorization ?? ''));
    if (!authorised) {
      record.answer = '401';
      return sendError(res, 401, ERRORS['401']!);
    }
    const problem = this.validate(record, raw);
    if (problem) {
      record.answer = 'bad-request';
      return sendError(res, 400, { ...ERRORS['400']!, message: problem });
    }
    if (fault === 'malformed') {
      record.answer = 'malformed';
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      res.end('{"audioContent": "UklGRiQAAABXQVZFZm10IBAAAAABAAEAwF0AAIC7AAACABAAZGF0YQAAAAA=", "timepoints": [{"markName": "cue-0", "timeS');
      return;
    }
    const rate = record.sampleRateHertz || 24000;
    const ssml = record.ssml ?? `<speak>${escapeText(body.input?.text ?? '')}</speak>`;
    const result = synthesizeLikeDouble(ssml, rate, this.msPerChar);
    const audio = fault === 'not-wav' ? Buffer.from('ID3\u0003 definitely not a RIFF/WAVE file') : encodeWav(result.pcm, rate);
    const wantsMarks = record.enableTimePointing.includes('SSML_MARK') && fault !== 'no-timepoints';
    record.answer = fault ?? 'ok';
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(
      JSON.stringify({
        audioContent: audio.toString('base64'),
        ...(wantsMarks ? { timepoints: result.timepoints } : {}),
        audioConfig: { audioEncoding: 1, sampleRateHertz: rate, speakingRate: body.audioConfig?.speakingRate ?? 1 },
      }),
    );
  }

  /** The real API's checks that matter here; a message for a 400, or undefined. */
  private validate(r: GoogleTtsRequest, raw: string): string | undefined {
    if (!raw || !r.body || typeof r.body !== 'object') return 'Invalid JSON payload received.';
    const { ssml } = r;
    const text = r.body.input?.text;
    if (ssml === undefined && text === undefined) return 'Either `input.text` or `input.ssml` must be set.';
    const input = ssml ?? text ?? '';
    if (Buffer.byteLength(input, 'utf8') > 5000) return 'Either `input.text` or `input.ssml` is longer than the limit of 5000 bytes. This limit is different from quotas.';
    if (ssml !== undefined) {
      const errors: string[] = [];
      const doc = new DOMParser({ onError: (level, message) => void errors.push(`${level}: ${message}`) }).parseFromString(ssml, 'text/xml');
      if (errors.length || doc.documentElement?.nodeName !== 'speak') return `Invalid SSML: ${errors[0] ?? 'the root element must be <speak>'}`;
    }
    if (!r.voiceName || !/^en-US-[A-Za-z0-9]+-[A-Z]$/.test(r.voiceName)) return `Voice '${r.voiceName}' does not exist.`;
    if (r.body.voice?.languageCode !== 'en-US') return 'Requested language is not supported by the voice.';
    if (r.audioEncoding !== 'LINEAR16' && r.audioEncoding !== 'MP3') return `AudioEncoding ${r.audioEncoding} is not supported here.`;
    return undefined;
  }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sendError(res: http.ServerResponse, status: number, error: { code: number; status: string; message: string }): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error }));
}
