import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createGeneration } from '../../functions/api/api.js';
import { narrateStage } from '../../functions/narrate/narrate.js';
import type { Config } from '../../shared/config.js';
import { PipelineError } from '../../shared/errors.js';
import { Logger } from '../../shared/observability/logger.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { EspeakSpeechEngine } from '../../shared/speech/espeak-speech-engine.js';
import { GoogleSpeechEngine } from '../../shared/speech/google-speech-engine.js';
import { planNarration } from '../../shared/speech/narration-plan.js';
import { rms } from '../../shared/speech/pcm.js';
import { createSpeechChain, SpeechChain, speechProviderNames, type SpeechChainOptions } from '../../shared/speech/speech-chain.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { ElevenLabsApiDouble, ELEVENLABS_DOUBLE_KEY } from '../doubles/elevenlabs.double.js';
import { GoogleTtsApiDouble } from '../doubles/google-tts.double.js';
import { AlwaysFailingSpeechEngineDouble } from '../helpers/doubles.js';
import { startTestPipeline, testConfig, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';
import { ffprobe } from '../helpers/ffprobe.js';
import { FIXTURE_SCRIPT, tinyScript } from './fixtures.js';

describe('speech: provider chain (ElevenLabs -> Google -> espeak-ng)', function () {
  this.timeout(180_000);
  let google: GoogleTtsApiDouble;
  let eleven: ElevenLabsApiDouble;
  const espeak = new EspeakSpeechEngine();
  const logs: Record<string, unknown>[] = [];
  const log = new Logger('debug', (line) => logs.push(JSON.parse(line)));
  const chains: SpeechChain[] = [];

  /** A chain built from config exactly as production does, its cloud engines pointed at the doubles. */
  function chainFor(speech: string, env: Record<string, string> = {}): { chain: SpeechChain; config: Config } {
    const config = testConfig({ VIVIDLY_SPEECH: speech, VIVIDLY_MODEL_MAX_ATTEMPTS: '3', VIVIDLY_MODEL_TIMEOUT_MS: '5000', ...env });
    const opts: SpeechChainOptions = {
      log,
      espeak,
      google: { clientOptions: google.clientOptions(), backoffMs: 5 },
      elevenLabs: { baseUrl: eleven.baseUrl, backoffMs: 5 },
    };
    const chain = createSpeechChain(config, opts);
    chains.push(chain);
    return { chain, config };
  }

  before(async () => {
    [google, eleven] = await Promise.all([GoogleTtsApiDouble.start(), ElevenLabsApiDouble.start()]);
    await espeak.warmUp();
  });
  after(async () => {
    for (const c of chains) for (const e of c.engines) if (e instanceof GoogleSpeechEngine) await e.close();
    await Promise.all([google.close(), eleven.close()]);
  });
  beforeEach(() => {
    google.reset();
    eleven.requests.length = 0;
    eleven.always = undefined;
    logs.length = 0;
  });

  describe('built from config', () => {
    it('orders providers as configured, skips ElevenLabs without a key, always ends in espeak-ng', () => {
      const providers = (speech: string, env: Record<string, string> = {}) => chainFor(speech, env).chain.engines.map((e) => e.provider);
      assert.deepEqual(providers('elevenlabs,google,espeak', { ELEVENLABS_API_KEY: ELEVENLABS_DOUBLE_KEY }), ['elevenlabs', 'google', 'espeak-ng']);
      assert.deepEqual(providers('elevenlabs,google,espeak'), ['google', 'espeak-ng']);
      assert.ok(logs.some((l) => /elevenlabs skipped/.test(String(l.message))));
      assert.deepEqual(providers('google'), ['google', 'espeak-ng']);
      assert.deepEqual(providers('google,elevenlabs', { ELEVENLABS_API_KEY: 'k' }), ['google', 'elevenlabs', 'espeak-ng']);
      assert.deepEqual(providers('espeak'), ['espeak-ng']);
      assert.deepEqual(speechProviderNames({ speech: 'espeak,google' }), ['espeak'], 'nothing after the local engine');
      assert.deepEqual(speechProviderNames({ speech: 'google,google' }), ['google', 'espeak']);
    });

    it('the embedded default is espeak-ng alone', async () => {
      const ports = createEmbeddedPorts(testConfig(), { logSink: () => {} });
      try {
        assert.equal(ports.speech.provider, 'espeak-ng', 'the providers in order: espeak-ng alone');
      } finally {
        await ports.close();
      }
    });
  });

  describe('fallback per narration @slow', () => {
    it('ElevenLabs speaks first when its key is configured; Google is not asked', async () => {
      const { chain } = chainFor('elevenlabs,google,espeak', { ELEVENLABS_API_KEY: ELEVENLABS_DOUBLE_KEY });
      const n = await chain.narrate(tinyScript(), 'female_professional');
      assert.equal(n.provider, 'elevenlabs');
      assert.equal(n.fallbackFrom, undefined);
      assert.equal(eleven.requests.length, n.cues.length);
      assert.equal(google.requests.length, 0);
    });

    it('without an ElevenLabs key Google speaks, timed by its marks', async () => {
      const { chain } = chainFor('elevenlabs,google,espeak');
      const n = await chain.narrate(tinyScript(), 'male_professional');
      assert.equal(n.provider, 'google');
      assert.equal(n.timing, 'marks');
      assert.equal(eleven.requests.length, 0);
      assert.equal(google.requests.length, 1);
    });

    it('Google answering 500 every time: the whole script is narrated by espeak-ng, with fallbackFrom SPEECH_UNAVAILABLE and real audio', async () => {
      google.always = '500';
      const { chain } = chainFor('google,espeak');
      const progress: number[] = [];
      const n = await chain.narrate(FIXTURE_SCRIPT, 'female_professional', { onProgress: (f) => progress.push(f) });
      assert.equal(n.provider, 'espeak-ng');
      assert.deepEqual({ ...n.fallbackFrom, message: undefined }, { provider: 'google', code: 'SPEECH_UNAVAILABLE', message: undefined });
      assert.match(n.fallbackFrom!.message, /Internal error/);
      assert.equal(google.requests.length, 3, 'three attempts (VIVIDLY_MODEL_MAX_ATTEMPTS), then fallback');
      // real speech from espeak-ng, one cue per sentence
      assert.equal(n.sampleRateHz, 22050);
      assert.equal(n.cues.length, planNarration(FIXTURE_SCRIPT).flatMap((s) => s.utterances).length);
      for (const cue of n.cues) assert.ok(rms(n.pcm.subarray(Math.round(cue.start * 22050) * 2, Math.round(cue.end * 22050) * 2)) > 500);
      const warn = logs.find((l) => l.message === 'speech provider failed; narrating the whole script with the next provider');
      assert.equal(warn?.provider, 'google');
      assert.equal(warn?.code, 'SPEECH_UNAVAILABLE');
      assert.equal(warn?.next, 'espeak-ng');
      assert.equal(logs.filter((l) => l.message === 'speech request failed; retrying').length, 2);
      assert.ok(progress.every((f, i) => i === 0 || f > progress[i - 1]!), 'progress never goes back');
      assert.equal(progress.at(-1), 1);
    });

    it('Google answering 401: SPEECH_AUTH, immediate fallback after exactly one request', async () => {
      google.always = '401';
      const { chain } = chainFor('google,espeak');
      const n = await chain.narrate(tinyScript(), 'male_energetic');
      assert.equal(n.provider, 'espeak-ng');
      assert.equal(n.fallbackFrom?.code, 'SPEECH_AUTH');
      assert.equal(google.requests.length, 1);
    });

    it('a malformed Google answer: SPEECH_RESPONSE_INVALID, fallback', async () => {
      google.always = 'malformed';
      const { chain } = chainFor('google,espeak');
      const n = await chain.narrate(tinyScript(), 'female_professional');
      assert.equal(n.provider, 'espeak-ng');
      assert.equal(n.fallbackFrom?.code, 'SPEECH_RESPONSE_INVALID');
      assert.equal(google.requests.length, 1);
    });

    it('429 once: Google retries and speaks, no fallback', async () => {
      google.queue('429');
      const { chain } = chainFor('google,espeak');
      const n = await chain.narrate(tinyScript(), 'female_professional');
      assert.equal(n.provider, 'google');
      assert.equal(n.fallbackFrom, undefined);
      assert.deepEqual(google.requests.map((r) => r.answer), ['429', 'ok']);
    });

    it('the voice never changes mid-video: ElevenLabs failing on the third utterance hands the whole script to Google', async () => {
      eleven.queue('ok', 'ok', '500', '500', '500');
      const { chain } = chainFor('elevenlabs,google,espeak', { ELEVENLABS_API_KEY: ELEVENLABS_DOUBLE_KEY });
      const n = await chain.narrate(tinyScript(), 'female_professional');
      assert.equal(n.provider, 'google');
      assert.equal(n.fallbackFrom?.provider, 'elevenlabs');
      assert.equal(n.fallbackFrom?.code, 'SPEECH_UNAVAILABLE');
      assert.deepEqual(eleven.requests.map((r) => r.answer), ['ok', 'ok', '500', '500', '500']);
      assert.equal(n.timing, 'marks', 'every cue timed by Google, none by ElevenLabs');
      assert.equal(google.requests.length, 1);
    });

    it('both cloud providers failing: espeak-ng, fallbackFrom names the first and lists the next', async () => {
      eleven.always = '403';
      google.always = '503';
      const { chain } = chainFor('elevenlabs,google,espeak', { ELEVENLABS_API_KEY: ELEVENLABS_DOUBLE_KEY });
      const n = await chain.narrate(tinyScript(), 'female_professional');
      assert.equal(n.provider, 'espeak-ng');
      assert.equal(n.fallbackFrom?.provider, 'elevenlabs');
      assert.equal(n.fallbackFrom?.code, 'SPEECH_AUTH');
      assert.match(n.fallbackFrom!.message, /\(then google: SPEECH_UNAVAILABLE\)$/);
      assert.deepEqual(n.failures.map((f) => f.provider), ['elevenlabs', 'google']);
    });

    it('a one-engine chain: its failure is the narration failure', async () => {
      const failing = new AlwaysFailingSpeechEngineDouble();
      await assert.rejects(new SpeechChain([failing]).narrate(tinyScript(), 'female_professional'), (err: unknown) => err instanceof PipelineError && err.code === 'SPEECH_UNAVAILABLE');
      assert.equal(failing.calls, 1);
    });

    it('pinned to a recorded provider: no fallback to another voice', async () => {
      google.always = '500';
      const { chain } = chainFor('google,espeak');
      await assert.rejects(chain.narrate(tinyScript(), 'female_professional', { provider: 'google' }), (err: unknown) => err instanceof PipelineError && err.code === 'SPEECH_UNAVAILABLE');
    });
  });

  describe('the narrate stage @slow', () => {
    it('records the provider that spoke and the failure it stood in for', async () => {
      const config = testConfig({ VIVIDLY_SPEECH: 'google,espeak' });
      const ports = createEmbeddedPorts(config, { logSink: () => {} });
      try {
        const { chain } = chainFor('google,espeak');
        ports.speech = chain;
        const g = { ...newGeneration(), status: 'script_written' as const, script: tinyScript() };

        google.always = '500';
        const fallback = await narrateStage.work(g, ports, async () => {});
        assert.equal(fallback.patch.narration?.provider, 'espeak-ng');
        assert.deepEqual(fallback.patch.providers?.speech?.fallbackFrom?.code, 'SPEECH_UNAVAILABLE');
        assert.equal(fallback.patch.providers?.speech?.provider, 'espeak-ng');
        const probe = await ffprobe(fallback.artefact!.file);
        assert.equal(probe.streams[0]?.codec_name, 'mp3');
        assert.ok(Math.abs(Number(probe.format.duration) - fallback.patch.narration!.durationSeconds) < 0.2);
        await narrateStage.cleanup!(fallback.artefact!);
        assert.ok(!existsSync(fallback.artefact!.file));

        google.reset();
        const spoken = await narrateStage.work(g, ports, async () => {});
        assert.equal(spoken.patch.narration?.provider, 'google');
        assert.deepEqual(spoken.patch.providers, { speech: { provider: 'google' } });
        assert.equal(spoken.patch.narration?.segments.length, planNarration(tinyScript()).length);
        await narrateStage.cleanup!(spoken.artefact!);
      } finally {
        await ports.close();
      }
    });
  });

  describe('end to end on the embedded pipeline, Google TTS double speaking @slow', () => {
    let t: TestPipeline;
    after(async () => t?.ports.close());

    it('a generation completes narrated by Google, timed by its marks', async () => {
      t = await startTestPipeline({ env: { VIVIDLY_SPEECH: 'google,espeak' } });
      const { chain } = chainFor('google,espeak');
      t.ports.speech = chain;
      const { body } = await createGeneration({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }, 'test', t.ports);
      const g = await waitForTerminal(t.ports, (body as { id: string }).id);
      assert.equal(g.status, 'completed', JSON.stringify(g.error));
      assert.equal(g.narration?.provider, 'google');
      assert.deepEqual(g.providers?.speech, { provider: 'google' });
      assert.ok(google.requests.length >= 1 && google.requests.every((r) => r.answer === 'ok'));
      assert.ok(g.video && g.video.durationSeconds > 0);
      assert.ok(Math.abs(g.video.durationSeconds - g.narration.durationSeconds) < 1);
    });
  });
});
