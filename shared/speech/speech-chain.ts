import type { Config } from '../config.js';
import type { Voice } from '../domain/generation.js';
import type { Script } from '../domain/script.js';
import { codeOf } from '../errors.js';
import type { NarrationLog, NarrationOptions, Narrator, ScriptNarration, SpeechEngine, SpeechFallback, SpokenUtterance } from '../ports/speech.port.js';
import { ElevenLabsSpeechEngine, type ElevenLabsSpeechEngineOptions } from './elevenlabs-speech-engine.js';
import { EspeakSpeechEngine } from './espeak-speech-engine.js';
import { GoogleSpeechEngine, type GoogleSpeechEngineOptions } from './google-speech-engine.js';
import { narrateScript, type NarratedScript, type NarrateOptions } from './narrate-script.js';
import type { SpeechRetryOptions } from './speech-retry.js';

/**
 * Speech with provider fallback. The provider is chosen per narration, never per utterance: the
 * whole script is narrated by the first provider; if it fails (after its own retries), the whole
 * script is narrated again by the next one, so one video never changes voice mid-way. The chain
 * built from config always ends in the local espeak-ng engine: a narration never ends in silence
 * because a cloud provider is down, out of quota, or misconfigured.
 */

export type SpeechLog = NarrationLog;
export type { SpeechFallback };

export interface ChainNarration extends NarratedScript, ScriptNarration {
  /** Every provider that failed before `provider` spoke, in order. */
  failures: SpeechFallback[];
}

/** The Narrator port: the engines in order, each narrating the whole script until one succeeds. */
export class SpeechChain implements Narrator {
  readonly engines: readonly SpeechEngine[];
  /** The providers in order, e.g. `elevenlabs>google>espeak-ng` (a one-engine chain: that engine's name). */
  readonly provider: string;

  constructor(
    engines: SpeechEngine[],
    readonly log?: SpeechLog,
  ) {
    if (engines.length === 0) throw new Error('a speech chain needs at least one engine');
    this.engines = [...engines];
    this.provider = engines.map((e) => e.provider).join('>');
  }

  /**
   * One utterance from the first provider that speaks it. For a single line only (a preview): a
   * narration goes through `narrate`, which keeps one provider for the whole script.
   */
  async speak(ssml: string, voice: Voice): Promise<SpokenUtterance> {
    for (const [i, engine] of this.engines.entries()) {
      try {
        return await engine.speak(ssml, voice);
      } catch (err) {
        if (i === this.engines.length - 1) throw err;
        this.log?.warn('speech provider failed; trying the next', { provider: engine.provider, code: codeOf(err), reason: (err as Error).message, next: this.engines[i + 1]!.provider });
      }
    }
    throw new Error('unreachable');
  }

  narrate(script: Script, voice: Voice, opts: FallbackOptions = {}): Promise<ChainNarration> {
    return narrateWithFallback(script, voice, this.engines, { ...opts, log: opts.log ?? this.log });
  }
}

/** The port's options, and the narration's own (plan, silence trimming, marks). */
export interface FallbackOptions extends NarrateOptions, NarrationOptions {}

/**
 * Narrate `script` with the first of `engines` that speaks all of it: each one narrates the whole
 * script, the next only when it fails (a single engine: its failure is the narration's failure).
 * The last provider's error is thrown as it is when every provider fails.
 */
async function narrateWithFallback(script: Script, voice: Voice, all: readonly SpeechEngine[], opts: FallbackOptions = {}): Promise<ChainNarration> {
  const log = opts.log;
  let engines = all;
  if (opts.provider) {
    const pinned = engines.filter((e) => e.provider === opts.provider);
    if (pinned.length) engines = pinned;
    else log?.warn('recorded speech provider is not in the chain; using the whole chain', { provider: opts.provider, chain: engines.map((e) => e.provider).join('>') });
  }
  // Progress never goes back: after a fallback it resumes once the next provider passes the mark.
  let high = 0;
  const report = opts.onProgress;
  const onProgress = report
    ? (f: number): void => {
        if (f > high) {
          high = f;
          report(f);
        }
      }
    : undefined;

  const failures: SpeechFallback[] = [];
  for (const [i, engine] of engines.entries()) {
    try {
      const narrated = await narrateScript(script, voice, engine, { ...opts, onProgress });
      const result: ChainNarration = { ...narrated, provider: engine.provider, failures };
      if (failures.length) {
        const [first, ...later] = failures;
        result.fallbackFrom = { ...first!, message: first!.message + later.map((f) => ` (then ${f.provider}: ${f.code})`).join('') };
        log?.info('narrated by a fallback speech provider', { provider: engine.provider, fallbackFrom: failures.map((f) => `${f.provider}:${f.code}`) });
      }
      return result;
    } catch (err) {
      failures.push({ provider: engine.provider, code: codeOf(err), message: err instanceof Error ? err.message : String(err) });
      if (i === engines.length - 1) throw err;
      log?.warn('speech provider failed; narrating the whole script with the next provider', {
        provider: engine.provider,
        code: codeOf(err),
        reason: err instanceof Error ? err.message : String(err),
        next: engines[i + 1]!.provider,
      });
    }
  }
  throw new Error('unreachable');
}

export type SpeechProviderName = 'elevenlabs' | 'google' | 'espeak';

export interface SpeechChainOptions {
  log?: SpeechLog;
  /** Extra options of the Google engine (tests: `clientOptions` pointing at a double). */
  google?: Partial<GoogleSpeechEngineOptions>;
  /** Extra options of the ElevenLabs engine (tests: `baseUrl` of a double). */
  elevenLabs?: Partial<ElevenLabsSpeechEngineOptions>;
  /** The local engine to end with (default: a new EspeakSpeechEngine). */
  espeak?: SpeechEngine;
}

/** The providers `config.speech` names, in order, up to and including espeak (appended when missing). */
export function speechProviderNames(config: Pick<Config, 'speech'>): SpeechProviderName[] {
  const names: SpeechProviderName[] = [];
  for (const raw of config.speech.split(',')) {
    const name = raw.trim() as SpeechProviderName;
    if (!name || names.includes(name)) continue;
    names.push(name);
    if (name === 'espeak') break; // nothing after the local engine is ever needed
  }
  if (names.at(-1) !== 'espeak') names.push('espeak');
  return names;
}

/**
 * The chain of `config.speech` ("elevenlabs,google,espeak"): ElevenLabs only when
 * ELEVENLABS_API_KEY is set (skipped, and logged, otherwise), espeak always last. Cloud engines
 * retry `config.modelMaxAttempts` times with backoff, each attempt bounded by `config.modelTimeoutMs`.
 */
export function createSpeechChain(config: Config, opts: SpeechChainOptions = {}): SpeechChain {
  const log = opts.log;
  const retry: SpeechRetryOptions = {
    maxAttempts: config.modelMaxAttempts,
    timeoutMs: config.modelTimeoutMs,
    // (a `message` field would replace the log line's own message)
    onRetry: ({ message, ...info }) => log?.warn('speech request failed; retrying', { ...info, reason: message }),
  };
  const engines: SpeechEngine[] = [];
  for (const name of speechProviderNames(config)) {
    if (name === 'elevenlabs') {
      if (!config.elevenLabsApiKey) {
        log?.info('speech provider elevenlabs skipped: ELEVENLABS_API_KEY is not set');
        continue;
      }
      engines.push(new ElevenLabsSpeechEngine({ ...retry, apiKey: config.elevenLabsApiKey, ...opts.elevenLabs }));
    } else if (name === 'google') {
      engines.push(new GoogleSpeechEngine({ ...retry, ...opts.google }));
    } else {
      engines.push(opts.espeak ?? new EspeakSpeechEngine());
    }
  }
  return new SpeechChain(engines, log);
}
