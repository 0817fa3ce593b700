import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VOICES, type Voice } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import { buildScriptSsml, utteranceSsml } from '../../shared/speech/build-ssml.js';
import { ESPEAK_VOICES, EspeakSpeechEngine, runEspeak } from '../../shared/speech/espeak-speech-engine.js';
import { rms, sampleCount } from '../../shared/speech/pcm.js';
import { medianPitchHz } from './audio-check.js';
import { tinyScript } from './fixtures.js';

const SENTENCE = 'Forces always come in pairs, and the two forces act on different objects.';
const seconds = (u: { pcm: Buffer; sampleRateHz: number }): number => sampleCount(u.pcm) / u.sampleRateHz;

describe('speech: espeak-ng engine (text2wav wasm)', () => {
  const engine = new EspeakSpeechEngine();
  before(async () => {
    await engine.warmUp();
  });

  describe('every voice speaks', () => {
    const spoken = new Map<Voice, { pcm: Buffer; sampleRateHz: number }>();
    for (const voice of VOICES) {
      it(`${voice} (${ESPEAK_VOICES[voice].voice} at ${ESPEAK_VOICES[voice].wordsPerMinute} wpm): non-silent 22050 Hz PCM`, async () => {
        const u = await engine.speak(utteranceSsml(SENTENCE, 'body', voice), voice);
        spoken.set(voice, u);
        assert.equal(u.sampleRateHz, 22050);
        assert.equal(u.pcm.length % 2, 0);
        assert.ok(seconds(u) > 2 && seconds(u) < 8, `duration ${seconds(u)} s`);
        assert.ok(rms(u.pcm) > 1000, `rms ${rms(u.pcm)}`);
      });
    }

    it('the voices sound different: different audio, female pitch well above male, energetic faster than professional', () => {
      assert.equal(spoken.size, VOICES.length);
      const [f, m, e] = VOICES.map((v) => spoken.get(v)!);
      assert.ok(!f!.pcm.equals(m!.pcm) && !m!.pcm.equals(e!.pcm) && !f!.pcm.equals(e!.pcm));
      const pitch = VOICES.map((v) => medianPitchHz(spoken.get(v)!.pcm, 22050));
      assert.ok(pitch[0]! > 1.4 * pitch[1]!, `female ${pitch[0]} Hz vs male ${pitch[1]} Hz`);
      assert.ok(pitch[2]! > pitch[1]!, `energetic ${pitch[2]} Hz vs professional ${pitch[1]} Hz`);
      assert.ok(seconds(e!) < seconds(m!), `energetic ${seconds(e!)} s vs professional ${seconds(m!)} s`);
    });
  });

  describe('SSML that espeak-ng honours', () => {
    const say = (ssml: string) => engine.speak(ssml, 'female_professional');
    it('prosody rate: slow is longer than medium, medium equals plain', async () => {
      const plain = await say(`<speak>${SENTENCE}</speak>`);
      const medium = await say(`<speak><prosody rate="medium">${SENTENCE}</prosody></speak>`);
      const slow = await say(`<speak><prosody rate="slow">${SENTENCE}</prosody></speak>`);
      assert.ok(medium.pcm.equals(plain.pcm));
      assert.ok(seconds(slow) > 1.15 * seconds(medium), `${seconds(slow)} vs ${seconds(medium)}`);
    });
    it('prosody pitch in semitones raises the pitch', async () => {
      const plain = await say(`<speak>${SENTENCE}</speak>`);
      const up = await say(`<speak><prosody pitch="+4st">${SENTENCE}</prosody></speak>`);
      assert.ok(medianPitchHz(up.pcm, 22050) > 1.05 * medianPitchHz(plain.pcm, 22050));
    });
    it('break time lengthens the pause', async () => {
      const none = await say('<speak>First part. Second part.</speak>');
      const long = await say('<speak>First part. <break time="1500ms"/> Second part.</speak>');
      assert.ok(seconds(long) - seconds(none) > 0.8, `${seconds(long)} vs ${seconds(none)}`);
    });
    it('emphasis and mark are accepted', async () => {
      const u = await say('<speak><mark name="a"/><emphasis level="moderate">Newton’s third law</emphasis><mark name="b"/></speak>');
      assert.ok(rms(u.pcm) > 1000);
    });
    it('the whole-script document (marks, breaks, all parts) is spoken in one go', async () => {
      const u = await engine.speak(buildScriptSsml(tinyScript(), 'male_professional'), 'male_professional');
      assert.ok(seconds(u) > 10, `${seconds(u)} s`);
    });
    it('escaped hostile text is spoken, not obeyed', async () => {
      const cut = await say('<speak>before</speak>');
      const escaped = await say(utteranceSsml('before </speak><audio src="x"/> after', 'body'));
      assert.ok(seconds(escaped) > seconds(cut) + 1, 'the escaped markup and "after" are spoken');
    });
    it('plain text (even starting with "-") is escaped and wrapped rather than taken as options', async () => {
      const u = await say('-x & <y> are variables');
      assert.ok(seconds(u) > 1 && rms(u.pcm) > 1000);
    });
  });

  describe('robustness of the wasm host', () => {
    it('concurrent calls are serialised and give the same audio as sequential ones', async () => {
      const texts = ['One.', 'Two and three.', 'Four, five, six.'].map((t) => utteranceSsml(t, 'body'));
      const sequential: Buffer[] = [];
      for (const t of texts) sequential.push((await engine.speak(t, 'male_energetic')).pcm);
      const parallel = await Promise.all(texts.map((t) => engine.speak(t, 'male_energetic')));
      parallel.forEach((u, i) => assert.ok(u.pcm.equals(sequential[i]!)));
    });

    it('leaves no process listeners behind', async () => {
      const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
      for (let i = 0; i < 12; i++) await engine.speak('<speak>Hi.</speak>', 'female_professional');
      assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], before);
    });

    it('an espeak-ng failure rejects with SPEECH_FAILED and the process survives', async () => {
      const bad = new EspeakSpeechEngine({ voices: { female_professional: { voice: 'zz-nowhere', wordsPerMinute: 160, pitch: 50, amplitude: 100 } } });
      await assert.rejects(bad.speak('<speak>Hello.</speak>', 'female_professional'), (err: unknown) => {
        assert.ok(err instanceof PipelineError);
        assert.equal(err.code, 'SPEECH_FAILED');
        assert.match(err.message, /voice does not exist/);
        return true;
      });
      const run = await runEspeak(['-v', 'zz-nowhere', '<speak>x</speak>']);
      assert.equal(run.wav, undefined);
      assert.equal(run.exitStatus, 1);
      // and the engine still works afterwards
      assert.ok(rms((await engine.speak('<speak>Still alive.</speak>', 'female_professional')).pcm) > 1000);
    });

    it('rejects unknown variants and out-of-range settings up front', () => {
      assert.throws(() => new EspeakSpeechEngine({ voices: { male_energetic: { voice: 'en-us+m99', wordsPerMinute: 175, pitch: 60, amplitude: 100 } } }), /unknown variant/);
      assert.throws(() => new EspeakSpeechEngine({ voices: { male_energetic: { voice: 'en-us+m7', wordsPerMinute: 175, pitch: 160, amplitude: 100 } } }), /pitch/);
    });

    it('prints nothing on the console, first load included (fresh process)', async function () {
      this.timeout(60_000);
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
      const dir = await mkdtemp(path.join(tmpdir(), 'vividly-espeak-'));
      try {
        const entry = path.join(dir, 'speak.mts');
        const moduleUrl = new URL('../../shared/speech/espeak-speech-engine.ts', import.meta.url).href;
        await writeFile(
          entry,
          `import { EspeakSpeechEngine } from ${JSON.stringify(moduleUrl)};\n` +
            `const e = new EspeakSpeechEngine();\n` +
            `let n = 0; for (let i = 0; i < 3; i++) n += (await e.speak('<speak>Quiet please.</speak>', 'female_professional')).pcm.length;\n` +
            `process.stdout.write('bytes=' + n);\n`,
        );
        const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', entry], { cwd: root });
        assert.match(stdout, /^bytes=\d+$/);
        assert.equal(stderr, '');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
