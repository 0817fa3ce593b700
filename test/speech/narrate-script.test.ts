import type { Script } from '../../shared/domain/script.js';
import assert from 'node:assert/strict';
import type { Voice } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import type { SpeechEngine, SpokenUtterance } from '../../shared/ports/speech.port.js';
import { utteranceSsml } from '../../shared/speech/build-ssml.js';
import { EspeakSpeechEngine } from '../../shared/speech/espeak-speech-engine.js';
import { narrateScript, type NarratedScript } from '../../shared/speech/narrate-script.js';
import { planNarration } from '../../shared/speech/narration-plan.js';
import { rms, trimSilence } from '../../shared/speech/pcm.js';
import { countWords, splitSentences } from '../../shared/text/sentences.js';
import { isZero } from './audio-check.js';
import { FIXTURE_SCRIPT, FIXTURE_SPOKEN_SENTENCES, tinyScript } from './fixtures.js';

const EXPECTED_CUES = FIXTURE_SPOKEN_SENTENCES;

/** Invariants every narration must satisfy. */
function checkNarration(n: NarratedScript, script: Script = FIXTURE_SCRIPT): void {
  const eps = 1e-9;
  assert.equal(n.durationSeconds, n.pcm.length / 2 / n.sampleRateHz);
  // one segment per screen: intro, each beat, each takeaway, check, answer, credits
  assert.deepEqual(
    n.segments.map((x) => `${x.slide}:${x.index}:${x.beat}`),
    planNarration(script).map((x) => `${x.slide}:${x.index}:${x.beat}`),
  );
  assert.equal(n.segments.filter((x) => x.slide === 'section').length, script.sections.reduce((k, s) => k + s.beats.length, 0));
  assert.equal(n.segments[0]!.start, 0);
  assert.equal(n.segments.at(-1)!.end, n.durationSeconds);
  n.segments.forEach((seg, i) => {
    assert.ok(seg.end > seg.start, `segment ${i} is empty`);
    if (i > 0) assert.equal(seg.start, n.segments[i - 1]!.end, `gap before segment ${i}`);
  });
  n.cues.forEach((cue, i) => {
    assert.ok(cue.end >= cue.start, `cue ${i} ends before it starts`);
    if (i > 0) assert.ok(cue.start >= n.cues[i - 1]!.end - eps, `cue ${i} overlaps the previous one`);
    const inside = n.segments.filter((seg) => cue.start >= seg.start - eps && cue.end <= seg.end + eps);
    assert.equal(inside.length >= 1, true, `cue ${i} (${cue.start}-${cue.end}) is not inside a segment`);
  });
}

describe('speech: narrateScript', () => {
  describe('with espeak-ng (fixture script, 3 sections, ~400 words) @slow', () => {
    const engine = new EspeakSpeechEngine();
    let narration: NarratedScript;
    const progress: number[] = [];
    let wallSeconds = 0;

    before(async function () {
      this.timeout(120_000);
      await engine.warmUp();
      const t0 = performance.now();
      narration = await narrateScript(FIXTURE_SCRIPT, 'female_professional', engine, { onProgress: (f) => progress.push(f) });
      wallSeconds = (performance.now() - t0) / 1000;
      const words = countWords(EXPECTED_CUES.join(' '));
      console.log(
        `      [measure] espeak-ng: ${words} words -> ${narration.durationSeconds.toFixed(1)} s of audio in ${wallSeconds.toFixed(2)} s wall ` +
          `(${(narration.durationSeconds / wallSeconds).toFixed(0)}x real time, ${narration.cues.length} utterances, ` +
          `${((words / narration.durationSeconds) * 60).toFixed(0)} words per minute incl. pauses)`,
      );
    });

    it('segments are contiguous from 0 to the duration; cues are monotonic and inside their segments', () => {
      checkNarration(narration);
      assert.equal(narration.sampleRateHz, 22050);
      assert.ok(narration.durationSeconds > 100 && narration.durationSeconds < 240, `${narration.durationSeconds} s`);
    });

    it('one cue per sentence, in spoken order, with the sentence text', () => {
      assert.equal(narration.cues.length, EXPECTED_CUES.length);
      assert.deepEqual(
        narration.cues.map((c) => c.text),
        EXPECTED_CUES,
      );
    });

    it('each cue is speech, and the gaps between cues are exact digital silence of the planned length', () => {
      const rate = narration.sampleRateHz;
      const plan = planNarration(FIXTURE_SCRIPT).flatMap((seg) => seg.utterances);
      narration.cues.forEach((cue, i) => {
        const a = Math.round(cue.start * rate);
        const b = Math.round(cue.end * rate);
        assert.ok(rms(narration.pcm.subarray(a * 2, b * 2)) > 500, `cue ${i} is silent`);
        const next = i + 1 < narration.cues.length ? Math.round(narration.cues[i + 1]!.start * rate) : Math.round(narration.durationSeconds * rate);
        assert.equal(next - b, Math.round((plan[i]!.pauseAfterMs * rate) / 1000), `pause after cue ${i}`);
        assert.ok(isZero(narration.pcm, b, next), `pause after cue ${i} is not silent`);
      });
      // the reference notes' pauses: 800 ms after the hook, 700 ms between sections, 400 ms between beats
      const hookEnd = narration.cues[splitSentences(FIXTURE_SCRIPT.hook).length]!.end;
      assert.ok(Math.abs(narration.segments[1]!.start - hookEnd - 0.8) < 1 / rate);
      narration.segments.forEach((seg, i) => {
        if (seg.slide !== 'section') return;
        const next = narration.segments[i + 1]!;
        const lastCue = narration.cues.filter((c) => c.end <= seg.end).at(-1)!;
        const want = next.slide === 'section' && next.index === seg.index ? 0.4 : 0.7;
        assert.ok(Math.abs(seg.end - lastCue.end - want) < 1 / rate, `pause after section ${seg.index} beat ${seg.beat}`);
      });
    });

    it('counts the SSML characters sent and reports progress up to 1', () => {
      const sent = planNarration(FIXTURE_SCRIPT)
        .flatMap((seg) => seg.utterances)
        .reduce((n, u) => n + utteranceSsml(u.text, u.part, 'female_professional').length, 0);
      assert.equal(narration.characters, sent);
      assert.equal(progress.at(-1), 1);
      assert.ok(progress.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > progress[i - 1]!)));
      assert.equal(progress.length, narration.cues.length);
    });

    it('a small script narrates with every voice', async () => {
      for (const voice of ['male_professional', 'male_energetic'] as Voice[]) {
        const n = await narrateScript(tinyScript(), voice, engine);
        checkNarration(n, tinyScript());
        // title, hook, 3 x (heading + 2 sentences), "Key takeaways." + 2, "Check yourself." + question + answer, credits
        assert.equal(n.cues.length, 1 + 1 + 3 * 3 + 1 + 2 + 3 + 1);
      }
    });
  });

  describe('with a fake engine (exact arithmetic)', () => {
    /** Speaks 10 ms of a constant per SSML character, with 50 ms of leading and trailing silence. */
    class FakeEngine implements SpeechEngine {
      readonly provider = 'fake';
      calls: string[] = [];
      constructor(private readonly rates: number[] = [16000]) {}
      async speak(ssml: string, _voice: Voice): Promise<SpokenUtterance> {
        const rate = this.rates[Math.min(this.calls.length, this.rates.length - 1)]!;
        this.calls.push(ssml);
        const pad = Buffer.alloc((rate / 20) * 2);
        const body = Buffer.alloc((ssml.length * rate) / 100 * 2);
        for (let i = 0; i < body.length; i += 2) body.writeInt16LE(1000, i);
        return { pcm: Buffer.concat([pad, body, pad]), sampleRateHz: rate };
      }
    }

    it('trims the engine silence and lays utterances out exactly', async () => {
      const engine = new FakeEngine();
      const script = tinyScript();
      const n = await narrateScript(script, 'female_professional', engine, { trimSilence: { padMs: 0 } });
      checkNarration(n, script);
      const plan = planNarration(script).flatMap((seg) => seg.utterances);
      assert.equal(engine.calls.length, plan.length);
      let t = 0;
      n.cues.forEach((cue, i) => {
        const speech = engine.calls[i]!.length / 100;
        assert.ok(Math.abs(cue.start - t) < 1e-9 && Math.abs(cue.end - (t + speech)) < 1e-9, `cue ${i}`);
        t += speech + plan[i]!.pauseAfterMs / 1000;
      });
      assert.ok(Math.abs(n.durationSeconds - t) < 1e-9);
      assert.equal(n.characters, engine.calls.join('').length);
    });

    it('keeps the engine silence when trimming is off', async () => {
      const a = await narrateScript(tinyScript(), 'female_professional', new FakeEngine(), { trimSilence: false });
      const b = await narrateScript(tinyScript(), 'female_professional', new FakeEngine(), { trimSilence: { padMs: 0 } });
      assert.ok(Math.abs(a.durationSeconds - b.durationSeconds - a.cues.length * 0.1) < 1e-9);
    });

    it('fails with SPEECH_FAILED when the engine changes sample rate mid-script', async () => {
      await assert.rejects(narrateScript(tinyScript(), 'female_professional', new FakeEngine([16000, 16000, 24000])), (err: unknown) => {
        assert.ok(err instanceof PipelineError && err.code === 'SPEECH_FAILED');
        return true;
      });
    });

    it('trimSilence keeps the requested padding and empties an all-silent buffer', () => {
      const pcm = Buffer.alloc(2 * 1000);
      pcm.writeInt16LE(5000, 2 * 400);
      pcm.writeInt16LE(-5000, 2 * 599);
      assert.equal(trimSilence(pcm, 1000, { padMs: 10 }).length, 2 * (200 + 20));
      assert.equal(trimSilence(Buffer.alloc(200), 1000).length, 0);
    });
  });
});
