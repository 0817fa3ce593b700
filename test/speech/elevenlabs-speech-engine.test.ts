import assert from 'node:assert/strict';
import { VOICES, type Voice } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import { buildScriptSsml, utteranceSsml } from '../../shared/speech/build-ssml.js';
import { ELEVENLABS_MODEL, ELEVENLABS_VOICES, ElevenLabsSpeechEngine, ssmlToElevenLabsText } from '../../shared/speech/elevenlabs-speech-engine.js';
import { narrateScript } from '../../shared/speech/narrate-script.js';
import { planNarration } from '../../shared/speech/narration-plan.js';
import { rms } from '../../shared/speech/pcm.js';
import { ELEVENLABS_DOUBLE_KEY, ElevenLabsApiDouble, synthesizePcm } from '../doubles/elevenlabs.double.js';
import { isZero } from './audio-check.js';
import { tinyScript } from './fixtures.js';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<PipelineError> {
  let caught: unknown;
  await assert.rejects(p, (err: unknown) => {
    caught = err;
    assert.ok(err instanceof PipelineError, `not a PipelineError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
  return caught as PipelineError;
}

describe('speech: ElevenLabs engine (against ElevenLabsApiDouble)', () => {
  let double: ElevenLabsApiDouble;
  const make = (opts: Partial<ConstructorParameters<typeof ElevenLabsSpeechEngine>[0]> = {}) =>
    new ElevenLabsSpeechEngine({ apiKey: ELEVENLABS_DOUBLE_KEY, baseUrl: double.baseUrl, maxAttempts: 3, timeoutMs: 5000, backoffMs: 5, ...opts });

  before(async () => {
    double = await ElevenLabsApiDouble.start();
  });
  after(async () => {
    await double.close();
  });
  beforeEach(() => {
    double.requests.length = 0;
    double.always = undefined;
  });

  describe('SSML to ElevenLabs text', () => {
    it('drops tags, decodes entities, keeps breaks in seconds', () => {
      assert.equal(ssmlToElevenLabsText('<speak><prosody rate="medium">Tom &amp; Jerry&apos;s &quot;law&quot;.</prosody></speak>'), 'Tom & Jerry\'s "law".');
      assert.equal(ssmlToElevenLabsText('<speak><emphasis level="strong">Stop</emphasis><break time="500ms"/>Go<break time="1.2s"/>on.</speak>'), 'Stop <break time="0.5s" /> Go <break time="1.2s" /> on.');
      assert.equal(ssmlToElevenLabsText('<speak>Long<break time="9s"/>pause.</speak>'), 'Long <break time="3s" /> pause.', 'ElevenLabs breaks are at most 3 s');
      assert.equal(ssmlToElevenLabsText('<speak><mark name="cue-1"/>Hi.<mark name="end"/></speak>'), 'Hi.');
    });

    it('text that looks like markup is spoken, never passed on as a tag', () => {
      const ssml = utteranceSsml('Wait <break time="3s"/> then </speak> & 5 < 6 > 4', 'body');
      const text = ssmlToElevenLabsText(ssml);
      assert.ok(!/[<>]/.test(text), text);
      assert.equal(text, 'Wait less than break time="3s"/ greater than then less than /speak greater than & 5 less than 6 greater than 4');
    });

    it('the whole-script document keeps its pauses', () => {
      const text = ssmlToElevenLabsText(buildScriptSsml(tinyScript()));
      assert.ok(text.includes('<break time="0.8s" />'));
      assert.ok(text.includes('<break time="0.7s" />'));
      assert.ok(!text.includes('mark'));
    });
  });

  it('sends each voice as its premade voice id, pcm_24000, the key and the multilingual v2 model', async () => {
    const engine = make();
    for (const voice of VOICES as readonly Voice[]) {
      const r = await engine.speak(utteranceSsml('Forces & <motion>.', 'hook', voice), voice);
      assert.equal(r.sampleRateHz, 24000);
      assert.ok(r.pcm.equals(synthesizePcm('Forces & less than motion greater than.', 24000, double.msPerChar)), 'raw PCM body returned as is');
    }
    double.requests.forEach((req, i) => {
      const voice = VOICES[i] as Voice;
      assert.equal(req.voiceId, ELEVENLABS_VOICES[voice].voiceId);
      assert.equal(req.outputFormat, 'pcm_24000');
      assert.equal(req.headers['xi-api-key'], ELEVENLABS_DOUBLE_KEY);
      assert.equal(req.body.model_id, ELEVENLABS_MODEL);
      assert.equal(req.body.text, 'Forces & less than motion greater than.');
      assert.equal(typeof req.body.voice_settings?.stability, 'number');
    });
    assert.equal(new Set(double.requests.map((r) => r.voiceId)).size, 3);
  });

  it('narrates a script utterance by utterance, trimmed and laid out with exact pauses', async () => {
    const engine = make();
    const script = tinyScript();
    const n = await narrateScript(script, 'male_energetic', engine);
    const utterances = planNarration(script).flatMap((s) => s.utterances);
    assert.equal(n.timing, 'utterances');
    assert.equal(double.requests.length, utterances.length);
    assert.equal(n.sampleRateHz, 24000);
    assert.deepEqual(n.cues.map((c) => c.text), utterances.map((u) => u.text));
    n.cues.forEach((cue, i) => {
      const a = Math.round(cue.start * 24000);
      const b = Math.round(cue.end * 24000);
      assert.ok(rms(n.pcm.subarray(a * 2, b * 2)) > 1000, `cue ${i} is speech`);
      const next = i + 1 < n.cues.length ? Math.round(n.cues[i + 1]!.start * 24000) : n.pcm.length / 2;
      assert.equal(next - b, Math.round((utterances[i]!.pauseAfterMs * 24000) / 1000));
      assert.ok(isZero(n.pcm, b, next));
    });
  });

  it('429 then success: retried', async () => {
    double.queue('429');
    const r = await make().speak('<speak>Hi.</speak>', 'female_professional');
    assert.ok(r.pcm.length > 0);
    assert.deepEqual(double.requests.map((x) => x.answer), ['429', 'ok']);
  });

  it('500 on every attempt: SPEECH_UNAVAILABLE after maxAttempts requests', async () => {
    double.always = '500';
    const err = await rejectsWith(make().speak('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_UNAVAILABLE');
    assert.equal(err.retryable, true);
    assert.equal(double.requests.length, 3);
  });

  it('no answer: SPEECH_TIMEOUT after maxAttempts requests', async () => {
    double.always = 'hang';
    await rejectsWith(make({ timeoutMs: 200, maxAttempts: 2 }).speak('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_TIMEOUT');
    assert.equal(double.requests.length, 2);
  });

  for (const [fault, code] of [
    ['401', 'SPEECH_AUTH'],
    ['403', 'SPEECH_AUTH'],
    ['quota', 'SPEECH_QUOTA'],
    ['malformed', 'SPEECH_RESPONSE_INVALID'],
    ['empty', 'SPEECH_RESPONSE_INVALID'],
  ] as const) {
    it(`${fault}: ${code} after exactly one request`, async () => {
      double.always = fault;
      const err = await rejectsWith(make().speak('<speak>Hi.</speak>', 'female_professional'), code);
      assert.equal(err.retryable, false);
      assert.equal(double.requests.length, 1);
    });
  }

  it('a wrong key is answered 401: SPEECH_AUTH; an unknown voice 404: SPEECH_REJECTED', async () => {
    await rejectsWith(make({ apiKey: 'wrong' }).speak('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_AUTH');
    const other = make({ voices: { female_professional: { ...ELEVENLABS_VOICES.female_professional, voiceId: 'not-a-voice' } } });
    await rejectsWith(other.speak('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_REJECTED');
    assert.deepEqual(double.requests.map((r) => r.answer), ['401', 'bad-request']);
  });

  it('a connection refused is SPEECH_UNAVAILABLE (retried)', async () => {
    const closed = await ElevenLabsApiDouble.start();
    const url = closed.baseUrl;
    await closed.close();
    await rejectsWith(make({ baseUrl: url, maxAttempts: 2 }).speak('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_UNAVAILABLE');
  });
});
