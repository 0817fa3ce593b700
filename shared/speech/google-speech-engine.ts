import type { ClientOptions } from 'google-gax';
import type { protos, v1beta1 } from '@google-cloud/text-to-speech';
import type { Voice } from '../domain/generation.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { SpeechErrorCodes, type MarkedSpeech, type SpeechEngine, type SpokenUtterance } from '../ports/speech.port.js';
import { DEFAULT_SPEECH_RETRY, withSpeechRetries, type SpeechRetryOptions } from './speech-retry.js';
import { parseWav } from './wav.js';

/**
 * Speech on Google Cloud Text-to-Speech, through the v1beta1 client of @google-cloud/text-to-speech
 * (timepoints of SSML `<mark>`s exist only in v1beta1).
 *
 * Voices: Neural2, because Neural2 voices take the whole SSML we write, `<mark>` included, and
 * return timepoints for it. Studio voices reject `<mark>`, `<emphasis>` and `<prosody pitch>`;
 * Chirp 3 HD and Journey voices take no SSML marks (no timepoints). Audio: LINEAR16 at 24000 Hz,
 * so that documents join sample-exactly (the API wraps LINEAR16 in a WAV header, which is parsed
 * and dropped); the narration is encoded to MP3 24 kHz afterwards like every other engine's.
 *
 * Client construction:
 * - cloud (default, `clientOptions` omitted): `new v1beta1.TextToSpeechClient({})`: gRPC to
 *   texttospeech.googleapis.com:443 with Application Default Credentials (the function's service
 *   account in Cloud Functions; texttospeech.googleapis.com must be enabled in its project).
 * - tests / a local stand-in: `{ fallback: true, protocol: 'http', apiEndpoint: '127.0.0.1', port,
 *   apiKey }`: google-gax's HTTP/1.1 REST transport (`POST /v1beta1/text:synthesize`, JSON, enums
 *   as numbers), plain http, and an API key, which google-auth-library sends as `x-goog-api-key`
 *   without looking for credentials or calling a token endpoint (an `authClient` with a fixed
 *   token works too). `GoogleTtsApiDouble.clientOptions()` returns exactly that.
 * In both, gax's own retries are switched off (`clientConfig`, below): this engine retries 429,
 * 5xx and timeouts itself, `maxAttempts` times with backoff, each attempt bounded by `timeoutMs`.
 */

export interface GoogleVoice {
  /** A voice name from `voices.list`, e.g. en-US-Neural2-F. */
  name: string;
  languageCode: string;
  /** AudioConfig.speakingRate, 0.25-4 (1 = the voice's normal rate). */
  speakingRate: number;
}

export const GOOGLE_VOICES: Record<Voice, GoogleVoice> = {
  // Warm, engaging (default): a clear, friendly female Neural2 voice.
  female_professional: { name: 'en-US-Neural2-F', languageCode: 'en-US', speakingRate: 1.0 },
  // Authoritative, clear: the deeper male Neural2 voice, a touch slower.
  male_professional: { name: 'en-US-Neural2-D', languageCode: 'en-US', speakingRate: 0.96 },
  // Dynamic, enthusiastic: the brighter male Neural2 voice, faster (the SSML raises its hook pitch more).
  male_energetic: { name: 'en-US-Neural2-J', languageCode: 'en-US', speakingRate: 1.08 },
};

export const GOOGLE_SAMPLE_RATE_HZ = 24000;
/** SynthesisInput limit: 5000 bytes of text or SSML per request. */
export const GOOGLE_MAX_INPUT_BYTES = 5000;

const SERVICE = 'google.cloud.texttospeech.v1beta1.TextToSpeech';
/** Turns off gax's retries of SynthesizeSpeech (it would retry UNAVAILABLE for up to 10 minutes). */
const NO_GAX_RETRIES = { interfaces: { [SERVICE]: { retry_codes: { vividly_none: [] }, methods: { SynthesizeSpeech: { retry_codes_name: 'vividly_none' } } } } };

// gRPC status codes (google-gax Status), as both transports report them on a GoogleError.
const Status = { CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

type TtsClient = v1beta1.TextToSpeechClient;
type Tts = typeof protos.google.cloud.texttospeech.v1beta1;
type SynthesizeRequest = protos.google.cloud.texttospeech.v1beta1.ISynthesizeSpeechRequest;
type SynthesizeResponse = protos.google.cloud.texttospeech.v1beta1.ISynthesizeSpeechResponse;
// The typings allow only the numeric enum here; protobufjs takes the name as well, which reads better on the wire.
const SSML_MARK = 'SSML_MARK' as unknown as InstanceType<Tts['SynthesizeSpeechRequest']>['enableTimePointing'][number];

export interface GoogleSpeechEngineOptions extends SpeechRetryOptions {
  /** Options of the v1beta1 TextToSpeechClient; default `{}` (gRPC, ADC). See the module comment. */
  clientOptions?: ClientOptions;
  /** Override the voice of some of our voices. */
  voices?: Partial<Record<Voice, GoogleVoice>>;
}

/** Map any failure of one synthesizeSpeech call to a PipelineError with a stable speech code. */
export function googleSpeechError(err: unknown): PipelineError {
  if (err instanceof PipelineError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; cause?: unknown; httpStatusCode?: unknown };
  const message = `google: ${typeof e.message === 'string' ? e.message.slice(0, 300) : String(err)}`;
  const make = (code: string, retryable: boolean): PipelineError => new PipelineError(code, message, { retryable, cause: err });
  // The API's own error body is more precise than the code some transports attach (often UNKNOWN).
  const code = statusFromBody(e.message) ?? (typeof e.code === 'number' ? e.code : undefined);
  // A body that did not decode (REST: JSON.parse threw) is reported by gax as UNAVAILABLE without an HTTP status.
  if (e.cause instanceof SyntaxError || (err instanceof SyntaxError && code === undefined)) return make(SpeechErrorCodes.responseInvalid, false);
  switch (code) {
    case Status.RESOURCE_EXHAUSTED:
      return make(SpeechErrorCodes.quota, true);
    case Status.DEADLINE_EXCEEDED:
    case Status.CANCELLED:
      return make(SpeechErrorCodes.timeout, true);
    case Status.UNAVAILABLE:
    case Status.INTERNAL:
    case Status.UNKNOWN:
    case Status.ABORTED:
      return make(SpeechErrorCodes.unavailable, true);
    case Status.UNAUTHENTICATED:
    case Status.PERMISSION_DENIED:
      return make(SpeechErrorCodes.auth, false);
    case Status.INVALID_ARGUMENT:
    case Status.NOT_FOUND:
    case Status.FAILED_PRECONDITION:
    case Status.OUT_OF_RANGE:
    case Status.UNIMPLEMENTED:
      return make(SpeechErrorCodes.rejected, false);
  }
  // No gRPC code: google-auth-library failing to find or use credentials, or a transport error.
  if (/credential|authenticat|access token|unauthori[sz]ed/i.test(String(e.message))) return make(SpeechErrorCodes.auth, false);
  return make(SpeechErrorCodes.unavailable, true);
}

/**
 * The gRPC status of an error whose message is the API's JSON error body (the REST transport of
 * google-gax 5 reports some failures this way, without a numeric code).
 */
function statusFromBody(message: unknown): number | undefined {
  if (typeof message !== 'string' || !message.trimStart().startsWith('{')) return undefined;
  try {
    const body = JSON.parse(message) as { error?: { status?: unknown; code?: unknown } };
    const name = body.error?.status;
    if (typeof name === 'string' && name in Status) return Status[name as keyof typeof Status];
    const http = body.error?.code;
    if (typeof http !== 'number') return undefined;
    if (http === 429) return Status.RESOURCE_EXHAUSTED;
    if (http === 401) return Status.UNAUTHENTICATED;
    if (http === 403) return Status.PERMISSION_DENIED;
    if (http === 400) return Status.INVALID_ARGUMENT;
    if (http === 404) return Status.NOT_FOUND;
    if (http === 504 || http === 408) return Status.DEADLINE_EXCEEDED;
    return http >= 500 ? Status.UNAVAILABLE : undefined;
  } catch {
    return undefined;
  }
}

/** Bound a call by our own timer: the transport's own timeout is not honoured by every google-gax transport. */
function withDeadline<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: Status.DEADLINE_EXCEEDED })), ms);
  });
  return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
}

/** Mark names of an SSML document, in order (the names as written, attribute-escaped). */
function markNamesOf(ssml: string): string[] {
  const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, n: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[n]!);
  return [...ssml.matchAll(/<mark\s+name="([^"]*)"\s*\/>/g)].map((m) => unescape(m[1]!));
}

export class GoogleSpeechEngine implements SpeechEngine {
  readonly provider = 'google';
  readonly maxMarkedBytes = GOOGLE_MAX_INPUT_BYTES;
  private readonly voices: Record<Voice, GoogleVoice>;
  private readonly retry: SpeechRetryOptions;
  private readonly timeoutMs: number;
  private client: Promise<TtsClient> | undefined;
  /** Requests sent (every attempt counts), for tests and logs. */
  requests = 0;

  constructor(private readonly opts: GoogleSpeechEngineOptions = {}) {
    this.voices = { ...GOOGLE_VOICES, ...opts.voices };
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SPEECH_RETRY.timeoutMs;
    this.retry = { maxAttempts: opts.maxAttempts, backoffMs: opts.backoffMs, onRetry: opts.onRetry };
  }

  /** The client library is loaded on first use (~0.2 s), so a process that never speaks through Google never pays for it. */
  private getClient(): Promise<TtsClient> {
    this.client ??= import('@google-cloud/text-to-speech').then(async ({ v1beta1 }) => {
      const options = this.opts.clientOptions ?? {};
      const client = new v1beta1.TextToSpeechClient({ ...options, clientConfig: NO_GAX_RETRIES } as ClientOptions);
      // Load protos and set up the transport now, so a call's deadline measures only the call.
      await client.initialize();
      return client;
    }).catch((err: unknown) => {
      this.client = undefined; // try again on the next call
      throw googleSpeechError(err);
    });
    return this.client;
  }

  private voice(voice: Voice): GoogleVoice {
    const v = this.voices[voice];
    if (!v) throw new PipelineError(ErrorCodes.invalidRequest, `unknown voice "${String(voice)}"`);
    return v;
  }

  /** One SSML utterance, no timepoints. */
  async speak(ssml: string, voice: Voice): Promise<SpokenUtterance> {
    const { pcm, sampleRateHz } = await this.synthesize(ssml, voice, false);
    return { pcm, sampleRateHz };
  }

  /** A whole SSML document with `<mark>`s; every mark's time comes from the API's timepoints. */
  async speakMarked(ssml: string, voice: Voice): Promise<MarkedSpeech> {
    return this.synthesize(ssml, voice, true);
  }

  private async synthesize(ssml: string, voice: Voice, marks: boolean): Promise<MarkedSpeech> {
    const v = this.voice(voice);
    const request: SynthesizeRequest = {
      input: { ssml },
      voice: { languageCode: v.languageCode, name: v.name },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: GOOGLE_SAMPLE_RATE_HZ, speakingRate: v.speakingRate },
      ...(marks ? { enableTimePointing: [SSML_MARK] } : {}),
    };
    const client = await this.getClient();
    return withSpeechRetries(this.provider, this.retry, async () => {
      this.requests++;
      let response: SynthesizeResponse | undefined;
      try {
        [response] = await withDeadline(client.synthesizeSpeech(request, { timeout: this.timeoutMs }), this.timeoutMs);
      } catch (err) {
        throw googleSpeechError(err);
      }
      return this.decode(response, marks ? markNamesOf(ssml) : []);
    });
  }

  /** Check and unpack a SynthesizeSpeechResponse: WAV-wrapped 16-bit mono PCM, and a timepoint per mark. */
  private decode(response: SynthesizeResponse | undefined, expectedMarks: string[]): MarkedSpeech {
    const invalid = (why: string): PipelineError => new PipelineError(SpeechErrorCodes.responseInvalid, `google: ${why}`, { retryable: false });
    const audio = response?.audioContent;
    if (!audio || typeof audio === 'string' || audio.length === 0) throw invalid('no audio in the response');
    let wav;
    try {
      wav = parseWav(Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    } catch (err) {
      throw invalid(`LINEAR16 audio is not a readable WAV file (${(err as Error).message})`);
    }
    if (wav.channels !== 1) throw invalid(`${wav.channels} channels, mono expected`);
    if (wav.pcm.length === 0) throw invalid('empty audio');
    const durationSeconds = wav.pcm.length / 2 / wav.sampleRateHz;
    const marks = (response.timepoints ?? []).map((t) => ({ name: t.markName ?? '', seconds: t.timeSeconds as number }));
    for (const m of marks) {
      // A timepoint may sit a hair past the last sample (the mark after the last word): clamp that, reject nonsense.
      if (typeof m.seconds !== 'number' || !Number.isFinite(m.seconds) || m.seconds < 0 || m.seconds > durationSeconds + 0.5) {
        throw invalid(`timepoint of mark "${m.name.slice(0, 40)}" is ${String(m.seconds)}`);
      }
      m.seconds = Math.min(m.seconds, durationSeconds);
    }
    const got = new Set(marks.map((m) => m.name));
    const missing = expectedMarks.filter((name) => !got.has(name));
    if (missing.length) throw invalid(`no timepoint for ${missing.length} of ${expectedMarks.length} marks (first: "${missing[0]!.slice(0, 40)}")`);
    return { pcm: Buffer.from(wav.pcm), sampleRateHz: wav.sampleRateHz, marks };
  }

  /** Close the client's channel (tests, shutdown). */
  async close(): Promise<void> {
    if (!this.client) return;
    const client = await this.client.catch(() => undefined);
    this.client = undefined;
    await client?.close();
  }
}
