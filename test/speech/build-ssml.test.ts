import assert from 'node:assert/strict';
import { narratedSection } from '../helpers/narrated-section.js';
import { VOICES } from '../../shared/domain/generation.js';
import { ScriptSchema } from '../../shared/domain/script.js';
import {
  breakSsml,
  buildScriptSsml,
  cueMarkName,
  END_MARK,
  escapeXml,
  isXmlChars,
  markSsml,
  sanitizeXmlText,
  ssmlFragment,
  utteranceSsml,
  type SpeechPart,
} from '../../shared/speech/build-ssml.js';
import { creditsSentence, planNarration, spokenLicense, utteranceCount } from '../../shared/speech/narration-plan.js';
import { splitSentences } from '../../shared/text/sentences.js';
import { FIXTURE_SCRIPT, FIXTURE_SPOKEN_SENTENCES, tinyScript } from './fixtures.js';
import { elements, parseStrict, textOf } from './xml-check.js';

const PARTS: SpeechPart[] = ['title', 'hook', 'heading', 'body', 'takeaway', 'credits'];
const SSML_ELEMENTS = new Set(['speak', 'prosody', 'emphasis', 'break', 'mark']);

/** Hostile inputs and the words that must survive (after removal of XML-illegal characters). */
const HOSTILE: Array<{ name: string; text: string; spoken: string }> = [
  { name: 'closing speak and audio element', text: '</speak><audio src="x"/>', spoken: '</speak><audio src="x"/>' },
  { name: 'already-escaped entity', text: 'Tom &amp; Jerry', spoken: 'Tom &amp; Jerry' },
  { name: 'bare ampersand', text: 'forces & motion', spoken: 'forces & motion' },
  { name: 'double and single quotes', text: `He said "equal" and 'opposite'`, spoken: `He said "equal" and 'opposite'` },
  { name: 'CDATA terminator', text: 'a ]]> b <![CDATA[ c ]]>', spoken: 'a ]]> b <![CDATA[ c ]]>' },
  { name: 'emoji (surrogate pairs kept)', text: 'Slam dunk 🏀🔥 time', spoken: 'Slam dunk 🏀🔥 time' },
  { name: 'C0 control characters', text: 'bell\u0007 null\u0000 esc\u001b[31m red', spoken: 'bell null esc[31m red' },
  { name: 'C1 controls, NEL becomes a space', text: 'a\u0085b\u009bc', spoken: 'a bc' },
  { name: 'lone high surrogate', text: 'half \uD83C pair', spoken: 'half pair' },
  { name: 'lone low surrogate', text: 'half \uDFC0 pair', spoken: 'half pair' },
  { name: 'reversed surrogates', text: 'x\uDFC0\uD83Cy', spoken: 'xy' },
  { name: 'non-characters U+FFFE U+FFFF', text: 'a\uFFFEb\uFFFFc', spoken: 'abc' },
  { name: 'entity lookalikes', text: '&lt;b&gt; &#60; &#x3C; &nbsp;', spoken: '&lt;b&gt; &#60; &#x3C; &nbsp;' },
  { name: 'processing instruction and comment', text: '<?xml version="1.0"?><!-- hi --> ok', spoken: '<?xml version="1.0"?><!-- hi --> ok' },
  { name: 'SSML injection', text: '<break time="99s"/><prosody rate="x-fast">fast</prosody>', spoken: '<break time="99s"/><prosody rate="x-fast">fast</prosody>' },
  { name: 'tabs and newlines collapse', text: 'line one\n\tline\r\ntwo', spoken: 'line one line two' },
  { name: 'math symbols', text: 'F = m × a, x ≥ 2 − 1, 9.8 m/s²', spoken: 'F = m × a, x ≥ 2 − 1, 9.8 m/s²' },
];

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

describe('speech: SSML builders', () => {
  describe('escaping and sanitising', () => {
    const cases: Array<[string, string]> = [
      ['a & b', 'a &amp; b'],
      ['<x>', '&lt;x&gt;'],
      [`"q" 'a'`, '&quot;q&quot; &apos;a&apos;'],
      ['&amp;', '&amp;amp;'],
      [']]>', ']]&gt;'],
      ['ok\u0001\u0002', 'ok'],
      ['🏀', '🏀'],
      ['\uD800', ''],
      ['tab\tkept\nand LF', 'tab\tkept\nand LF'],
    ];
    for (const [input, expected] of cases) {
      it(`escapeXml(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => {
        assert.equal(escapeXml(input), expected);
      });
    }

    it('sanitizeXmlText keeps every legal character and drops the rest', () => {
      let all = '';
      for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
      const clean = sanitizeXmlText(all + '\uD83D\uDE00\uFFFE\uFFFF\uE000');
      assert.ok(isXmlChars(clean));
      assert.ok(clean.includes('\uD83D\uDE00') && clean.includes('\uE000') && clean.includes('\t\n\r') && clean.includes('AB'));
      assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(clean));
    });

    it('the strict checker itself rejects malformed SSML (negative controls)', () => {
      for (const bad of ['<speak>a & b</speak>', '<speak>a < b</speak>', '<speak>]]></speak>', '<speak>\u0001</speak>', '<speak><b></speak>', '<speak>&bogus;</speak>', '<speak>x</speak><audio/>']) {
        assert.throws(() => parseStrict(bad), Error, bad);
      }
    });
  });

  describe('one utterance per part, hostile text', () => {
    for (const { name, text, spoken } of HOSTILE) {
      it(`${name}: well-formed for every part and voice, words kept`, () => {
        for (const voice of VOICES) {
          for (const part of PARTS) {
            const ssml = utteranceSsml(text, part, voice);
            const doc = parseStrict(ssml);
            const root = doc.documentElement!;
            assert.equal(root.nodeName, 'speak');
            const names = elements(root).map((e) => e.nodeName);
            assert.ok(names.every((n) => SSML_ELEMENTS.has(n)), `unexpected elements ${names.join(',')} in ${ssml}`);
            assert.equal(names.length, 2, ssml); // speak + the part's wrapper: the text injected nothing
            assert.equal(textOf(root), norm(spoken));
          }
        }
      });
    }
  });

  describe('prosody of each part (reference notes style)', () => {
    const table: Array<[SpeechPart, string]> = [
      ['hook', '<prosody rate="medium" pitch="+2st">Why?</prosody>'],
      ['title', '<emphasis level="moderate">Why?</emphasis>'],
      ['heading', '<emphasis level="moderate">Why?</emphasis>'],
      ['body', '<prosody rate="medium">Why?</prosody>'],
      ['takeaway', '<prosody rate="slow">Why?</prosody>'],
      ['credits', '<prosody rate="medium">Why?</prosody>'],
    ];
    for (const [part, expected] of table) {
      it(`${part} -> ${expected}`, () => {
        assert.equal(ssmlFragment('Why?', part, 'female_professional'), expected);
        assert.equal(utteranceSsml('Why?', part), `<speak>${expected}</speak>`);
      });
    }
    it('the energetic voice lifts the hook more and emphasises titles strongly', () => {
      assert.equal(ssmlFragment('Go!', 'hook', 'male_energetic'), '<prosody rate="medium" pitch="+3st">Go!</prosody>');
      assert.equal(ssmlFragment('Go', 'title', 'male_energetic'), '<emphasis level="strong">Go</emphasis>');
    });
    it('break and mark helpers', () => {
      assert.equal(breakSsml(800), '<break time="800ms"/>');
      assert.equal(breakSsml(0), '');
      assert.equal(markSsml('a"<b>'), '<mark name="a&quot;&lt;b&gt;"/>');
    });
  });

  describe('narration plan', () => {
    it('intro, every beat of every section, each takeaway, the check and its answer, credits in order with one utterance per sentence', () => {
      const plan = planNarration(FIXTURE_SCRIPT);
      const beats = FIXTURE_SCRIPT.sections.flatMap((s, i) => s.beats.map((_b, j) => `section:${i}:${j}:section-${i}-${j}`));
      const takeaways = FIXTURE_SCRIPT.keyTakeaways.map((_t, j) => `takeaways:0:${j}:takeaway-${j}`);
      assert.deepEqual(
        plan.map((s) => `${s.slide}:${s.index}:${s.beat}:${s.mark}`),
        ['intro:0:0:intro', ...beats, ...takeaways, 'check:0:0:check', 'check:0:1:answer', 'credits:0:0:credits'],
      );
      const expected = FIXTURE_SPOKEN_SENTENCES;
      assert.deepEqual(plan.flatMap((x) => x.utterances.map((u) => u.text)), expected);
      assert.equal(utteranceCount(plan), expected.length);
      // pauses: 500 after titles, 250 between sentences, 800 after the hook, 400 between beats, 700 between sections
      assert.deepEqual(plan[0]!.utterances.map((u) => u.pauseAfterMs), [500, 250, 250, 800]);
      const first = plan[1]!;
      assert.deepEqual(first.utterances.map((u) => u.pauseAfterMs), [500, ...Array(splitSentences(FIXTURE_SCRIPT.sections[0]!.beats[0]!.say).length - 1).fill(250), 400]);
      const lastBeatOfSection0 = plan[FIXTURE_SCRIPT.sections[0]!.beats.length]!;
      assert.equal(lastBeatOfSection0.utterances.at(-1)!.pauseAfterMs, 700);
      const check = plan.find((s) => s.mark === 'check')!;
      assert.equal(check.utterances.at(-1)!.pauseAfterMs, 2000, 'two seconds to think before the answer');
      assert.deepEqual(plan.filter((s) => s.slide === 'takeaways').flatMap((s) => s.utterances.map((u) => u.part)), ['heading', 'takeaway', 'takeaway', 'takeaway']);
    });

    it('drops unspeakable fragments and strips illegal characters', () => {
      const plan = planNarration(tinyScript({ hook: 'Ready? \u0007 🏀! ... Go now.' }));
      assert.deepEqual(plan[0]!.utterances.map((u) => u.text), ['Forces', 'Ready?', 'Go now.']);
    });

    const licenses: Array<[string, string]> = [
      ['CC BY 4.0', 'Creative Commons Attribution 4.0'],
      ['CC-BY-4.0', 'Creative Commons Attribution 4.0'],
      ['cc by-sa 3.0', 'Creative Commons Attribution-ShareAlike 3.0'],
      ['CC BY-NC-SA 4.0', 'Creative Commons Attribution-NonCommercial-ShareAlike 4.0'],
      ['Public domain', 'Public domain'],
    ];
    for (const [license, spoken] of licenses) {
      it(`spokenLicense(${license}) = ${spoken}`, () => assert.equal(spokenLicense(license), spoken));
    }

    it('credits name each book once and join several', () => {
      const a = FIXTURE_SCRIPT.attribution[0]!;
      assert.equal(
        creditsSentence([a, { ...a }, { ...a, book: 'Biology 2e' }, { ...a, book: 'Chemistry 2e' }]),
        'This lesson draws on College Physics 2e by OpenStax, Biology 2e by OpenStax, and Chemistry 2e by OpenStax, licensed under Creative Commons Attribution 4.0.',
      );
      assert.equal(
        creditsSentence([a, { ...a, book: 'Old Notes', publisher: 'Someone', license: 'CC BY-SA 3.0' }]),
        'This lesson draws on College Physics 2e by OpenStax (licensed under Creative Commons Attribution 4.0) and Old Notes by Someone (licensed under Creative Commons Attribution-ShareAlike 3.0).',
      );
    });
  });

  describe('buildScriptSsml', () => {
    it('is well-formed, marks every segment boundary and utterance, breaks as the reference notes', () => {
      for (const voice of VOICES) {
        const ssml = buildScriptSsml(FIXTURE_SCRIPT, voice);
        const root = parseStrict(ssml).documentElement!;
        assert.equal(root.nodeName, 'speak');
        const marks = elements(root).filter((e) => e.nodeName === 'mark').map((e) => e.getAttribute('name'));
        const segmentMarks = marks.filter((m) => !m!.startsWith('cue-'));
        assert.deepEqual(segmentMarks, [...planNarration(FIXTURE_SCRIPT).map((seg) => seg.mark), END_MARK]);
        assert.deepEqual(segmentMarks.slice(0, 3), ['intro', 'section-0-0', 'section-0-1']);
        const n = utteranceCount(planNarration(FIXTURE_SCRIPT));
        assert.deepEqual(marks.filter((m) => m!.startsWith('cue-')), Array.from({ length: n }, (_, i) => cueMarkName(i)));
        // the hook's last sentence is followed by 800 ms, each section's last sentence by 700 ms, a beat's by 400 ms
        assert.match(ssml, /Let’s find out how it works, one play at a time\.<\/prosody><break time="800ms"\/><mark name="section-0-0"\/>/);
        assert.equal((ssml.match(/<break time="700ms"\/><mark name="(section-[12]-0|check|credits)"\/>/g) ?? []).length, 4);
        assert.ok((ssml.match(/<break time="400ms"\/><mark name="section-\d-[1-9]"\/>/g) ?? []).length >= 3);
        assert.match(ssml, /<break time="2000ms"\/><mark name="answer"\/>/);
        assert.match(ssml, /<emphasis level="(moderate|strong)">The jump shot<\/emphasis><break time="500ms"\/>/);
        assert.match(ssml, /<prosody rate="slow">Forces always come in pairs that are equal in size and opposite in direction\.<\/prosody>/);
      }
    });

    it('stays well-formed with hostile script fields', () => {
      const hostile = ScriptSchema.parse({
        ...tinyScript(),
        title: '</speak><speak>Hijack & "quote" \u0000',
        hook: 'Go ]]> now! <mark name="x"/> \uD800 done.',
        sections: [0, 1, 2].map((i) => (narratedSection({ heading: `<h${i}>'s & <b>`, narration: `Text ${i} <audio src="evil.mp3"/>. More 🏀.`, citations: ['c'] }))),
        attribution: [{ ...tinyScript().attribution[0]!, book: 'Book <with> & "marks"', publisher: "O'Reilly" }],
      });
      const ssml = buildScriptSsml(hostile, 'male_energetic');
      const root = parseStrict(ssml).documentElement!;
      const names = new Set(elements(root).map((e) => e.nodeName));
      assert.ok([...names].every((x) => SSML_ELEMENTS.has(x)), [...names].join(','));
      const text = textOf(root);
      for (const words of ['</speak><speak>Hijack & "quote"', '<mark name="x"/>', '<audio src="evil.mp3"/>', `<h1>'s & <b>`, 'Book <with> & "marks" by O\'Reilly']) {
        assert.ok(text.includes(words), `${words} missing from ${text}`);
      }
    });
  });
});
