import assert from 'node:assert/strict';
import { narratedSection } from '../helpers/narrated-section.js';
import { VOICES, type Voice } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import { buildMarkedDocuments, cueMarkName, utteranceSsml } from '../../shared/speech/build-ssml.js';
import { GOOGLE_VOICES, GoogleSpeechEngine } from '../../shared/speech/google-speech-engine.js';
import { narrateScript } from '../../shared/speech/narrate-script.js';
import { planNarration } from '../../shared/speech/narration-plan.js';
import { rms } from '../../shared/speech/pcm.js';
import { GOOGLE_DOUBLE_API_KEY, GoogleTtsApiDouble, synthesizeLikeDouble } from '../doubles/google-tts.double.js';
import { isZero } from './audio-check.js';
import { FIXTURE_SCRIPT, tinyScript } from './fixtures.js';
import { elements, parseStrict } from './xml-check.js';

const RATE = 24000;
const SSML_ELEMENTS = new Set(['speak', 'prosody', 'emphasis', 'break', 'mark']);

/** Rejects with a PipelineError of `code`; returns it. */
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

/** A script whose text attacks the SSML: closing tags, injected elements, entities, quotes. */
const HOSTILE = tinyScript({
  title: 'Forces </speak><audio src="http://evil/x.mp3"/> & "friends"',
  hook: 'Ever wondered <break time="99s"/> why? Tom &amp; Jerry say ]]> hi.',
  sections: [
    narratedSection({ heading: "<mark name='cue-0'/>Part one", narration: 'This is <prosody rate="x-fast">fast</prosody>. It is 5 < 6 & 7 > 3.', citations: ['p'] }),
    narratedSection({ heading: 'Part two', narration: 'A second part. With two sentences.', citations: ['p'] }),
    narratedSection({ heading: 'Part three', narration: 'Third part\u0000 with a NUL. Done.', citations: ['p'] }),
  ],
});

/** A script several 5000-byte documents long. */
function longScript() {
  const sentence = (i: number, j: number) => `Section ${i + 1} sentence ${j + 1} explains how forces act in pairs on the court.`;
  return tinyScript({
    sections: [0, 1, 2].map((i) => (narratedSection({ heading: `Part ${i + 1}`, narration: Array.from({ length: 40 }, (_, j) => sentence(i, j)).join(' '), citations: ['p'], }))),
  });
}

describe('speech: Google Cloud TTS engine (v1beta1 REST, against GoogleTtsApiDouble)', function () {
  let double: GoogleTtsApiDouble;
  let engine: GoogleSpeechEngine;
  const make = (opts: Partial<ConstructorParameters<typeof GoogleSpeechEngine>[0]> = {}) =>
    new GoogleSpeechEngine({ clientOptions: double.clientOptions(), maxAttempts: 3, timeoutMs: 5000, backoffMs: 5, ...opts });

  /** An engine with other options, closed after the test. */
  const special: GoogleSpeechEngine[] = [];
  const makeSpecial = (opts: Partial<ConstructorParameters<typeof GoogleSpeechEngine>[0]>) => {
    const e = make(opts);
    special.push(e);
    return e;
  };

  before(async () => {
    double = await GoogleTtsApiDouble.start();
    engine = make(); // one client for most tests: building one loads the protos (~1 s)
  });
  after(async () => {
    await engine.close();
    await double.close();
  });
  beforeEach(() => double.reset());
  afterEach(async () => {
    for (const e of special.splice(0)) await e.close();
  });

  it('sends each voice as its Neural2 voice, LINEAR16 at 24 kHz, with SSML_MARK timepointing, to v1beta1 text:synthesize', async () => {
    for (const voice of VOICES as readonly Voice[]) {
      const r = await engine.speakMarked(`<speak><mark name="a"/>Hello there.<mark name="end"/></speak>`, voice);
      assert.equal(r.sampleRateHz, RATE);
      assert.deepEqual(r.marks.map((m) => m.name), ['a', 'end']);
    }
    assert.equal(double.requests.length, VOICES.length);
    double.requests.forEach((req, i) => {
      const voice = VOICES[i] as Voice;
      assert.match(req.path, /^\/v1beta1\/text:synthesize\?/);
      assert.equal(req.voiceName, GOOGLE_VOICES[voice].name);
      assert.match(req.voiceName!, /^en-US-Neural2-[A-Z]$/);
      assert.equal(req.body.voice?.languageCode, 'en-US');
      assert.equal(req.audioEncoding, 'LINEAR16');
      assert.equal(req.sampleRateHertz, 24000);
      assert.deepEqual(req.enableTimePointing, ['SSML_MARK']);
      assert.equal(req.headers['x-goog-api-key'], GOOGLE_DOUBLE_API_KEY);
    });
    assert.deepEqual(new Set(double.requests.map((r) => r.voiceName)).size, 3, 'three distinct voices');
    // speak (no marks) asks for no timepoints
    double.reset();
    const plain = await engine.speak(utteranceSsml('Hi.', 'body'), 'male_energetic');
    assert.ok(plain.pcm.length > 0);
    assert.deepEqual(double.requests[0]!.enableTimePointing, []);
  });

  it('strips the WAV header: the PCM is exactly the synthesised samples', async () => {
    const ssml = '<speak><mark name="a"/>Twelve chars<mark name="end"/></speak>';
    const r = await engine.speakMarked(ssml, 'female_professional');
    const expected = synthesizeLikeDouble(ssml, RATE, double.msPerChar);
    assert.ok(r.pcm.equals(expected.pcm));
    assert.deepEqual(
      r.marks.map((m) => [m.name, m.seconds]),
      expected.timepoints.map((t) => [t.markName, t.timeSeconds]),
    );
  });

  it('narrates a script as SSML documents with a mark before every utterance; hostile text is escaped, never obeyed', async () => {
    const n = await narrateScript(HOSTILE, 'male_professional', engine);
    assert.equal(n.timing, 'marks');
    const plan = planNarration(HOSTILE);
    const utterances = plan.flatMap((s) => s.utterances);
    assert.equal(double.spokenSsml.length, n.requests);
    const marks: string[] = [];
    for (const ssml of double.spokenSsml) {
      const doc = parseStrict(ssml); // well-formed XML, every metacharacter escaped
      for (const el of elements(doc)) assert.ok(SSML_ELEMENTS.has(el.nodeName), `unexpected <${el.nodeName}> on the wire`);
      for (const el of elements(doc)) if (el.nodeName === 'mark') marks.push(el.getAttribute('name')!);
      assert.ok(Buffer.byteLength(ssml) <= 5000);
      assert.ok(!/<audio|time="99s"|rate="x-fast"/.test(ssml), 'injected markup must not survive as markup');
    }
    // one cue mark per utterance, in order; segment marks; nothing else but `end`
    const cueMarks = marks.filter((m) => m.startsWith('cue-'));
    assert.deepEqual(cueMarks, utterances.map((_, i) => cueMarkName(i)));
    assert.deepEqual(marks.filter((m) => !m.startsWith('cue-') && m !== 'end'), plan.map((s) => s.mark));
    // the hostile words are spoken as text
    const wire = double.spokenSsml.join('');
    assert.ok(wire.includes('Forces &lt;/speak&gt;&lt;audio src=&quot;http://evil/x.mp3&quot;/&gt; &amp; &quot;friends&quot;'));
    assert.ok(wire.includes('&lt;break time=&quot;99s&quot;/&gt;'));
    assert.ok(wire.includes('5 &lt; 6 &amp; 7 &gt; 3'));
    assert.ok(!wire.includes('\u0000'));
    assert.deepEqual(n.cues.map((c) => c.text), utterances.map((u) => u.text));
  });

  it('cue and segment times are the timepoints the API returned (one document)', async () => {
    const script = tinyScript();
    const n = await narrateScript(script, 'female_professional', engine);
    assert.equal(double.spokenSsml.length, 1);
    const ssml = double.spokenSsml[0]!;
    const { pcm, timepoints } = synthesizeLikeDouble(ssml, RATE, double.msPerChar);
    const at = new Map(timepoints.map((t) => [t.markName, t.timeSeconds]));
    const plan = planNarration(script);
    const [doc] = buildMarkedDocuments(plan, 'female_professional');
    assert.equal(doc!.ssml, ssml);

    n.cues.forEach((cue, i) => {
      assert.equal(cue.start, at.get(cueMarkName(i)), `cue ${i} start`);
      // a cue ends at the next mark, less the break written between them
      const k = doc!.marks.indexOf(cueMarkName(i));
      const breakMs = doc!.cues.find((c) => c.index === i)!.breakAfterMs;
      assert.ok(Math.abs(cue.end - (at.get(doc!.marks[k + 1]!)! - breakMs / 1000)) < 0.5 / RATE, `cue ${i} end`);
      assert.ok(rms(n.pcm.subarray(Math.round(cue.start * RATE) * 2, Math.round(cue.end * RATE) * 2)) > 1000, `cue ${i} is tone`);
    });
    assert.equal(n.segments[0]!.start, 0);
    plan.forEach((s, i) => {
      if (i > 0) assert.equal(n.segments[i]!.start, at.get(s.mark), `segment ${s.mark} starts at its mark`);
      if (i > 0) assert.equal(n.segments[i - 1]!.end, n.segments[i]!.start);
    });
    // the audio is the API's audio plus the exact final pause, nothing trimmed
    assert.ok(n.pcm.subarray(0, pcm.length).equals(pcm));
    assert.equal(n.pcm.length, pcm.length + 2 * Math.round(0.5 * RATE));
    assert.ok(isZero(n.pcm, pcm.length / 2, n.pcm.length / 2));
    assert.equal(n.durationSeconds, n.pcm.length / 2 / RATE);
    assert.equal(n.segments.at(-1)!.end, n.durationSeconds);
    assert.equal(n.characters, ssml.length);
  });

  it('a slide with nothing to say still gets its mark and 700 ms, exactly', async () => {
    const script = tinyScript({
      sections: [
        narratedSection({ heading: 'Part one', narration: 'Something to say.', citations: ['p'] }),
        narratedSection({ heading: '...', narration: '— …', citations: ['p'] }),
        narratedSection({ heading: 'Part three', narration: 'More to say.', citations: ['p'] }),
      ],
    });
    const plan = planNarration(script);
    assert.equal(plan[2]!.utterances.length, 0);
    const n = await narrateScript(script, 'female_professional', engine);
    const ssml = double.spokenSsml[0]!;
    assert.ok(ssml.includes('<mark name="section-1-0"/><break time="700ms"/><mark name="section-2-0"/>'));
    assert.equal(Math.round((n.segments[2]!.end - n.segments[2]!.start) * RATE), 0.7 * RATE);
    n.segments.forEach((seg, i) => i > 0 && assert.equal(seg.start, n.segments[i - 1]!.end));
  });

  it('a long script is cut into documents under 5000 bytes; times carry the offset of the documents before', async () => {
    const script = longScript();
    const n = await narrateScript(script, 'male_energetic', engine);
    const docs = buildMarkedDocuments(planNarration(script), 'male_energetic', 5000);
    assert.ok(docs.length >= 3, `${docs.length} documents`);
    assert.deepEqual(double.spokenSsml, docs.map((d) => d.ssml));
    let offset = 0;
    for (const doc of docs) {
      assert.ok(Buffer.byteLength(doc.ssml) <= 5000);
      const { pcm, timepoints } = synthesizeLikeDouble(doc.ssml, RATE, double.msPerChar);
      const at = new Map(timepoints.map((t) => [t.markName, Math.round(t.timeSeconds * RATE)]));
      for (const c of doc.cues) assert.equal(n.cues[c.index]!.start, (offset + at.get(cueMarkName(c.index))!) / RATE, `cue ${c.index}`);
      assert.ok(n.pcm.subarray(offset * 2, offset * 2 + pcm.length).equals(pcm), 'document audio laid as received');
      const pause = Math.round((doc.pauseAfterMs * RATE) / 1000);
      assert.ok(isZero(n.pcm, offset + pcm.length / 2, offset + pcm.length / 2 + pause), 'exact silence after the document');
      offset += pcm.length / 2 + pause;
    }
    assert.equal(n.pcm.length / 2, offset);
    assert.equal(n.cues.length, planNarration(script).flatMap((s) => s.utterances).length);
    n.cues.forEach((c, i) => i > 0 && assert.ok(c.start >= n.cues[i - 1]!.end));
  });

  it('the fixture script (~400 words) is one request; reports its SSML characters', async () => {
    const n = await narrateScript(FIXTURE_SCRIPT, 'female_professional', engine);
    const words = FIXTURE_SCRIPT.wordCount;
    console.log(
      `      [measure] google (marked): ${words} words -> ${n.requests} request(s), ${n.characters} SSML characters ` +
        `(${Buffer.byteLength(double.spokenSsml.join(''))} bytes); per-utterance SSML would be ${planNarration(FIXTURE_SCRIPT)
          .flatMap((s) => s.utterances)
          .reduce((k, u) => k + utteranceSsml(u.text, u.part, 'female_professional').length, 0)} characters in ${n.cues.length} requests`,
    );
    assert.equal(n.requests, double.spokenSsml.length);
    assert.ok(n.requests <= 2);
  });

  it('429 then success: retried with backoff inside the engine', async () => {
    double.queue('429');
    const n = await narrateScript(tinyScript(), 'female_professional', engine);
    assert.deepEqual(double.requests.map((r) => r.answer), ['429', 'ok']);
    assert.ok(n.cues.length > 0);
  });

  it('500 on every attempt: SPEECH_UNAVAILABLE (retryable) after maxAttempts requests', async () => {
    double.always = '500';
    const err = await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_UNAVAILABLE');
    assert.equal(err.retryable, true);
    assert.equal(double.requests.length, 3);
  });

  it('429 on every attempt: SPEECH_QUOTA after maxAttempts requests', async () => {
    double.always = '429';
    await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_QUOTA');
    assert.equal(double.requests.length, 3);
  });

  it('no answer: each attempt ends at the timeout, then SPEECH_TIMEOUT', async () => {
    const engine = makeSpecial({ timeoutMs: 300, maxAttempts: 2 });
    double.always = 'hang';
    await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_TIMEOUT');
    assert.equal(double.requests.length, 2);
  });

  for (const fault of ['401', '403'] as const) {
    it(`${fault}: SPEECH_AUTH at once, one request, not retryable`, async () => {
      double.always = fault;
      const err = await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_AUTH');
      assert.equal(err.retryable, false);
      assert.equal(double.requests.length, 1);
    });
  }

  it('credentials the API does not accept (a wrong key): SPEECH_AUTH', async () => {
    const engine = makeSpecial({ clientOptions: { ...double.clientOptions(), apiKey: 'wrong-key' } });
    await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_AUTH');
    assert.equal(double.requests.length, 1);
  });

  for (const fault of ['malformed', 'no-timepoints', 'not-wav'] as const) {
    it(`${fault} response: SPEECH_RESPONSE_INVALID after one request`, async () => {
      double.always = fault;
      await rejectsWith(engine.speakMarked('<speak><mark name="a"/>Hi.</speak>', 'female_professional'), 'SPEECH_RESPONSE_INVALID');
      assert.equal(double.requests.length, 1);
    });
  }

  it('a voice the API does not know: SPEECH_REJECTED (400), not retried', async () => {
    const engine = makeSpecial({ voices: { female_professional: { name: 'xx-XX-Nope', languageCode: 'en-US', speakingRate: 1 } } });
    await rejectsWith(engine.speakMarked('<speak>Hi.</speak>', 'female_professional'), 'SPEECH_REJECTED');
    assert.equal(double.requests.length, 1);
  });

  it('a sentence longer than one request allows: SPEECH_REJECTED before anything is sent', async () => {
    const huge = 'word '.repeat(1200) + 'end.';
    const script = tinyScript({ hook: huge });
    await rejectsWith(narrateScript(script, 'female_professional', engine), 'SPEECH_REJECTED');
    assert.equal(double.requests.length, 0);
  });
});
