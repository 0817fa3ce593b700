import type { Voice } from '../domain/generation.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { SpeechErrorCodes, type SpeechEngine, type SpokenUtterance } from '../ports/speech.port.js';
import { DEFAULT_SPEECH_RETRY, retryAfterMs, withSpeechRetries, type SpeechRetryOptions } from './speech-retry.js';

/**
 * Speech on ElevenLabs, by plain fetch:
 *
 *   POST {baseUrl}/v1/text-to-speech/{voice_id}?output_format=pcm_24000
 *   xi-api-key: <key>   content-type: application/json
 *   { text, model_id, voice_settings: { stability, similarity_boost, style, use_speaker_boost } }
 *   -> raw 16-bit little-endian mono PCM at 24 kHz
 *
 * ElevenLabs takes no SSML and reports no mark timings (so this engine has no `speakMarked`, and
 * `narrateScript` drives it utterance by utterance, laying out the pauses itself). The utterance
 * SSML is turned into plain text: tags dropped, entities decoded, `<break time>` kept in the
 * `<break time="1.5s" />` form ElevenLabs' v2 models honour. A literal `<` or `>` in the script's
 * text is spoken as words, never passed on, so script text cannot inject a break (or any other
 * tag ElevenLabs might read).
 *
 * Errors: 429 (too many concurrent requests, system busy) -> SPEECH_QUOTA, retried; 401 with
 * `quota_exceeded` (credits used up) -> SPEECH_QUOTA, not retried; other 401 and 403 -> SPEECH_AUTH;
 * 400/404/422 -> SPEECH_REJECTED; 5xx and network errors -> SPEECH_UNAVAILABLE, retried; no answer
 * within `timeoutMs` -> SPEECH_TIMEOUT, retried; a 200 that is not PCM -> SPEECH_RESPONSE_INVALID.
 */

export const ELEVENLABS_BASE_URL = 'https://api.elevenlabs.io';
/** Multilingual v2: ElevenLabs' most stable narration model, and one that honours `<break>`. */
export const ELEVENLABS_MODEL = 'eleven_multilingual_v2';
export const ELEVENLABS_SAMPLE_RATE_HZ = 24000;

export interface ElevenLabsVoice {
  /** A premade voice id (in every account's voice list, no Voice Library copy needed). */
  voiceId: string;
  /** For the record: the premade voice's name. */
  name: string;
  stability: number;
  similarityBoost: number;
  style: number;
}

export const ELEVENLABS_VOICES: Record<Voice, ElevenLabsVoice> = {
  // Warm, engaging (default): Sarah, a young adult American female voice for narration.
  female_professional: { voiceId: 'EXAVITQu4vr4xnSDxMaL', name: 'Sarah', stability: 0.5, similarityBoost: 0.75, style: 0.15 },
  // Authoritative, clear: Brian, a deep middle-aged American male narration voice.
  male_professional: { voiceId: 'nPczCjzI2devNBz1zQrb', name: 'Brian', stability: 0.6, similarityBoost: 0.75, style: 0.1 },
  // Dynamic, enthusiastic: Liam, a young energetic American male voice; less stability, more style.
  male_energetic: { voiceId: 'TX3LPaxmHKxFdv7VOQHJ', name: 'Liam', stability: 0.35, similarityBoost: 0.75, style: 0.45 },
};

export interface ElevenLabsSpeechEngineOptions extends SpeechRetryOptions {
  apiKey: string;
  /** Default https://api.elevenlabs.io (tests: the double's loopback URL). */
  baseUrl?: string;
  modelId?: string;
  voices?: Partial<Record<Voice, ElevenLabsVoice>>;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** `<break time="...">` value in seconds (ElevenLabs' form, at most 3 s), or undefined. */
function breakSeconds(attr: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$/i.exec(attr);
  if (!m) return undefined;
  const s = Number(m[1]) / (m[2]!.toLowerCase() === 'ms' ? 1000 : 1);
  return Math.min(3, Math.round(s * 100) / 100);
}

/**
 * Plain text for ElevenLabs from one SSML document: tags removed (a tag boundary counts as a
 * space), `<break time>` kept as `<break time="Ns" />`, entities decoded, and the text's own `<`
 * and `>` spoken as "less than" / "greater than".
 */
export function ssmlToElevenLabsText(ssml: string): string {
  const out: string[] = [];
  const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  const text = (s: string): void => {
    out.push(
      decodeEntities(s)
        .replace(/</g, ' less than ')
        .replace(/>/g, ' greater than '),
    );
  };
  for (let m = TAG.exec(ssml); m; m = TAG.exec(ssml)) {
    text(ssml.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'break' && !m[1]) {
      const time = /\btime\s*=\s*"([^"]*)"/.exec(m[3] ?? '')?.[1];
      const s = time === undefined ? undefined : breakSeconds(decodeEntities(time));
      out.push(s !== undefined && s > 0 ? ` <break time="${s}s" /> ` : ' ');
    } else out.push(' ');
  }
  text(ssml.slice(last));
  return out
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .trim();
}

/** Map an HTTP failure of ElevenLabs to a PipelineError with a stable speech code. */
export function elevenLabsHttpError(status: number, body: string, retryAfter?: string | null): PipelineError {
  let detail: { status?: string; message?: string } = {};
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    if (parsed && typeof parsed.detail === 'object' && parsed.detail) detail = parsed.detail as typeof detail;
    else if (typeof parsed?.detail === 'string') detail = { message: parsed.detail };
  } catch {
    // not JSON: keep the status only
  }
  const message = `elevenlabs: HTTP ${status}${detail.status ? ` ${detail.status}` : ''}${detail.message ? `: ${String(detail.message).slice(0, 300)}` : ''}`;
  const make = (code: string, retryable: boolean): PipelineError =>
    new PipelineError(code, message, { retryable, details: { httpStatus: status, retryAfterMs: retryAfterMs(retryAfter) } });
  if (status === 401 && detail.status === 'quota_exceeded') return make(SpeechErrorCodes.quota, false);
  if (status === 401 || status === 403) return make(SpeechErrorCodes.auth, false);
  if (status === 429) return make(SpeechErrorCodes.quota, true);
  if (status === 408 || status >= 500) return make(SpeechErrorCodes.unavailable, true);
  return make(SpeechErrorCodes.rejected, false);
}

export class ElevenLabsSpeechEngine implements SpeechEngine {
  readonly provider = 'elevenlabs';
  private readonly voices: Record<Voice, ElevenLabsVoice>;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retry: SpeechRetryOptions;
  private readonly fetch: typeof fetch;
  /** Requests sent (every attempt counts). */
  requests = 0;

  constructor(private readonly opts: ElevenLabsSpeechEngineOptions) {
    if (!opts.apiKey) throw new Error('ElevenLabsSpeechEngine needs an API key');
    this.voices = { ...ELEVENLABS_VOICES, ...opts.voices };
    this.baseUrl = (opts.baseUrl ?? ELEVENLABS_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SPEECH_RETRY.timeoutMs;
    this.retry = { maxAttempts: opts.maxAttempts, backoffMs: opts.backoffMs, onRetry: opts.onRetry };
    this.fetch = opts.fetch ?? fetch;
  }

  async speak(ssml: string, voice: Voice): Promise<SpokenUtterance> {
    const v = this.voices[voice];
    if (!v) throw new PipelineError(ErrorCodes.invalidRequest, `unknown voice "${String(voice)}"`);
    const text = ssmlToElevenLabsText(ssml);
    if (!text) throw new PipelineError(SpeechErrorCodes.rejected, 'elevenlabs: nothing to say in this utterance');
    const url = `${this.baseUrl}/v1/text-to-speech/${encodeURIComponent(v.voiceId)}?output_format=pcm_${ELEVENLABS_SAMPLE_RATE_HZ}`;
    const body = JSON.stringify({
      text,
      model_id: this.opts.modelId ?? ELEVENLABS_MODEL,
      voice_settings: { stability: v.stability, similarity_boost: v.similarityBoost, style: v.style, use_speaker_boost: true },
    });
    return withSpeechRetries(this.provider, this.retry, async () => {
      this.requests++;
      let res: Response;
      let bytes: Buffer;
      const signal = AbortSignal.timeout(this.timeoutMs);
      try {
        res = await this.fetch(url, { method: 'POST', headers: { 'xi-api-key': this.opts.apiKey, 'content-type': 'application/json' }, body, signal });
        bytes = Buffer.from(await res.arrayBuffer()); // the body is read under the same deadline
      } catch (err) {
        const timedOut = signal.aborted || (err as Error)?.name === 'TimeoutError';
        throw new PipelineError(timedOut ? SpeechErrorCodes.timeout : SpeechErrorCodes.unavailable, `elevenlabs: ${timedOut ? `no answer within ${this.timeoutMs} ms` : (err as Error)?.message ?? String(err)}`, {
          retryable: true,
          cause: err,
        });
      }
      if (!res.ok) throw elevenLabsHttpError(res.status, bytes.toString('utf8', 0, 4096), res.headers.get('retry-after'));
      return this.decode(bytes, res.headers.get('content-type'));
    });
  }

  /** The body of a 200 must be 16-bit PCM: not JSON, not HTML, not empty. */
  private decode(bytes: Buffer, contentType: string | null): SpokenUtterance {
    const invalid = (why: string): PipelineError => new PipelineError(SpeechErrorCodes.responseInvalid, `elevenlabs: ${why}`, { retryable: false });
    if (contentType && /json|html|text\//i.test(contentType)) throw invalid(`answered ${contentType} instead of audio`);
    if (bytes.length < 2) throw invalid('empty audio');
    // Text (a JSON or HTML body under an audio content type) is printable ASCII throughout; PCM
    // starts in near-silence, full of 0x00 and 0xFF bytes. Container formats have magic numbers.
    const head = bytes.subarray(0, 64);
    if (head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d)) throw invalid('the answer is text, not audio');
    if (/^(RIFF|ID3|OggS|fLaC)/.test(head.toString('latin1', 0, 4))) throw invalid('the audio is in a container, raw PCM expected');
    return { pcm: bytes.subarray(0, bytes.length - (bytes.length % 2)), sampleRateHz: ELEVENLABS_SAMPLE_RATE_HZ };
  }
}
