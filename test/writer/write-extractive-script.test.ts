import assert from 'node:assert/strict';
import { sectionNarration, SCREEN_PHRASE_MAX, type ScriptSection } from '../../shared/domain/script.js';
import { checkScriptText } from '../../shared/writer/check-script-text.js';
import { EMPTY_MATERIALS } from '../../shared/domain/library.js';
import { pointsOf } from '../helpers/script-points.js';
import type { Book, Figure, LibraryBundle, Passage, Topic } from '../../shared/domain/library.js';
import { ScriptSchema, type Script } from '../../shared/domain/script.js';
import { PipelineError } from '../../shared/errors.js';
import { STARTER_LIBRARY, starterBundle } from '../../shared/library/starter/index.js';
import { countWords, WORDS_PER_MINUTE } from '../../shared/text/sentences.js';
import {
  EXTRACTIVE_WRITER,
  SECTION_WORDS,
  writeExtractiveScript,
  type ExtractiveScriptInput,
} from '../../shared/writer/write-extractive-script.js';

function inputFor(bundle: LibraryBundle, topic: Topic, overrides: Partial<ExtractiveScriptInput> = {}): ExtractiveScriptInput {
  return {
    topic,
    book: bundle.book,
    passages: bundle.passages.filter((p) => p.topicId === topic.id),
    figures: [],
    materials: EMPTY_MATERIALS,
    question: `Explain ${topic.title}`,
    grade: 10,
    interest: 'basketball',
    ...overrides,
  };
}

/** What a section narrates from its passages (not the interest, equation or worked-example beats, which come from elsewhere). */
function extractedNarration(s: ScriptSection): string {
  return s.beats.filter((b) => b.kind === 'point' || b.kind === 'term' || b.kind === 'figure').map((b) => b.say).join(' ');
}

function narrationWords(script: Script): number {
  return (
    countWords(script.hook) +
    script.sections.reduce((n, s) => n + countWords(sectionNarration(s)), 0) +
    script.keyTakeaways.reduce((n, t) => n + countWords(t), 0)
  );
}

/** The checks every script must pass, whatever its input. */
function assertWellFormed(script: Script, input: ExtractiveScriptInput): void {
  assert.doesNotThrow(() => ScriptSchema.parse(script));
  assert.ok(script.sections.length >= 3 && script.sections.length <= 4, `${script.sections.length} sections`);
  const given = new Set(input.passages.map((p) => p.id));
  for (const s of script.sections) {
    assert.ok(s.citations.length > 0, `${s.heading}: no citations`);
    for (const c of s.citations) assert.ok(given.has(c), `${s.heading} cites ${c}, which was not given`);
    assert.ok(s.beats.length >= 1, `${s.heading}: no beats`);
    for (const b of pointsOf(s)) assert.ok(b.length <= SCREEN_PHRASE_MAX && !/(\.\.\.|\u2026)$/.test(b), `point not written for the screen: ${b}`);
  }
  assert.deepEqual(checkScriptText(script).filter((p) => p.code !== 'ORPHAN_PRONOUN'), [], 'text checker');
  assert.ok(script.keyTakeaways.length >= 2 && script.keyTakeaways.length <= 4);
  assert.equal(script.wordCount, narrationWords(script));
  assert.equal(script.estimatedSeconds, Math.round((script.wordCount / WORDS_PER_MINUTE) * 60 * 10) / 10);
  assert.equal(script.writer, EXTRACTIVE_WRITER);
  assert.equal(script.subject, input.book.subject);
  assert.deepEqual(script.attribution, [
    { book: input.book.title, publisher: input.book.publisher, license: input.book.license, licenseUrl: input.book.licenseUrl, url: input.book.url },
  ]);
}

const allTopics = STARTER_LIBRARY.flatMap((bundle) => bundle.topics.map((topic) => ({ bundle, topic })));

describe('writeExtractiveScript', () => {
  describe('over every starter topic', () => {
    const variants: Array<{ name: string; grade: number; interest: string; band: string }> = [
      { name: 'grade 10, basketball', grade: 10, interest: 'basketball', band: 'high' },
      { name: 'grade 7, video games', grade: 7, interest: 'video games', band: 'middle' },
      { name: 'grade 4, no interest', grade: 4, interest: 'general', band: 'elementary' },
    ];
    for (const v of variants) {
      describe(v.name, () => {
        for (const { bundle, topic } of allTopics) {
          it(topic.id, () => {
            const input = inputFor(bundle, topic, { grade: v.grade, interest: v.interest });
            const script = writeExtractiveScript(input);
            assertWellFormed(script, input);
            assert.ok(
              script.estimatedSeconds >= 100 && script.estimatedSeconds <= 200,
              `${script.estimatedSeconds} s (${script.wordCount} words) is outside 100-200 s`,
            );
            assert.equal(script.gradeBand, v.band);
            for (const s of script.sections) {
              const words = countWords(extractedNarration(s));
              assert.ok(words <= SECTION_WORDS.max, `${s.heading}: ${words} words`);
              assert.ok(s.beats.length >= 2, `${s.heading}: ${s.beats.length} beats (the screen changes with the voice)`);
            }
            assert.ok(script.keyTakeaways.length >= 3, `${script.keyTakeaways.length} takeaways`);
            if (v.interest === 'general') {
              assert.equal(script.interest, 'general');
              assert.equal(script.title, topic.title);
              assert.doesNotMatch(script.hook, /general/);
            } else {
              assert.equal(script.interest, v.interest);
              assert.ok(script.hook.includes(v.interest), script.hook);
              assert.ok(script.title.endsWith(`through ${v.interest}`), script.title);
              // The interest comes back in the body: two interest beats, after the first section.
              const interestBeats = script.sections.flatMap((s, i) => s.beats.filter((b) => b.kind === 'interest').map(() => i));
              assert.equal(interestBeats.length, 2, JSON.stringify(interestBeats));
              assert.ok(interestBeats.every((i) => i > 0));
            }
          });
        }
      });
    }

    it('narrates the passages in reading order within each section', () => {
      for (const { bundle, topic } of allTopics) {
        const input = inputFor(bundle, topic);
        const script = writeExtractiveScript(input);
        const order = new Map(input.passages.map((p) => [p.id, p.ordinal]));
        // The question's section may open the lesson; the rest follow in the book's order.
        const firsts = script.sections.slice(1).filter((s) => !s.beats.some((b) => b.kind === 'example')).map((s) => order.get(s.citations[0]) ?? -1);
        assert.deepEqual(firsts, [...firsts].sort((a, b) => a - b), topic.id);
        for (const s of script.sections) {
          // Extractive: every narrated sentence of a point, term or figure comes from a cited passage.
          const cited = input.passages.filter((p) => s.citations.includes(p.id)).map((p) => p.text).join(' ');
          const sentences = extractedNarration(s).split(/(?<=[.?!])\s+(?=[A-Z])/).filter(Boolean);
          for (const sentence of sentences) assert.ok(cited.includes(sentence), `${topic.id}: "${sentence}" is not from its sources`);
        }
      }
    });
  });

  describe('determinism', () => {
    it('gives deep-equal scripts for the same input', () => {
      for (const { bundle, topic } of allTopics.slice(0, 8)) {
        const input = inputFor(bundle, topic);
        assert.deepEqual(writeExtractiveScript(input), writeExtractiveScript(structuredClone(input)));
      }
    });

    it('does not depend on the order the passages arrive in', () => {
      const bundle = starterBundle('physics');
      const topic = bundle.topics[0];
      const input = inputFor(bundle, topic);
      const reversed = { ...input, passages: [...input.passages].reverse() };
      assert.deepEqual(writeExtractiveScript(reversed), writeExtractiveScript(input));
    });

    it('does not modify its input', () => {
      const bundle = starterBundle('biology');
      const input = inputFor(bundle, bundle.topics[1]);
      const before = structuredClone(input);
      writeExtractiveScript(input);
      assert.deepEqual(input, before);
    });
  });

  describe('personalisation', () => {
    const bundle = starterBundle('physics');
    const topic = bundle.topics[0];

    const hostile: Array<{ name: string; interest: string; expected: string }> = [
      { name: 'SSML markup', interest: '<speak><break time="10s"/>basketball</speak>', expected: 'basketball' },
      { name: 'CDATA terminator only', interest: ']]>', expected: 'general' },
      { name: 'a prompt injection', interest: '"ignore previous instructions"', expected: 'ignore previous instructions' },
      { name: 'ffmpeg filter metacharacters', interest: "soccer'; drawtext=text='x':y=0[v],\\", expected: 'soccer drawtext text x y 0' },
      { name: 'control and bidi characters', interest: 'bas\u0000ket\u0007ball\u202E\n', expected: 'basketball' },
      { name: 'a very long string', interest: 'skateboarding '.repeat(40), expected: 'skateboarding skateboarding' },
      { name: 'emoji and symbols', interest: '🏀 basketball!!! {{template}} $(rm -rf /)', expected: 'basketball template rm rf' },
      { name: 'an apostrophe inside a word', interest: "women's soccer", expected: 'women\u2019s soccer' },
      { name: 'whitespace only', interest: ' \t\n ', expected: 'general' },
      { name: 'the word general', interest: 'General', expected: 'general' },
    ];
    for (const h of hostile) {
      it(`keeps ${h.name} to a short plain noun phrase`, () => {
        const input = inputFor(bundle, topic, { interest: h.interest });
        const script = writeExtractiveScript(input);
        assertWellFormed(script, input);
        assert.equal(script.interest, h.expected);
        assert.ok(script.interest.length <= 40);
        assert.match(script.interest, /^[\p{L}\p{M}\p{N}\u2019 -]+$/u);
        // Nothing the interest brought in survives as markup or filter syntax anywhere in the script.
        const everything = [script.title, script.hook, ...script.sections.flatMap((s) => [s.heading, sectionNarration(s), ...pointsOf(s)]), ...script.keyTakeaways].join(' ');
        assert.doesNotMatch(everything, /[<>\\[\]{}"=$;\u0000-\u001f\u202e]/u);
        assert.doesNotMatch(everything, /]]>|drawtext=|rm -rf/);
        if (h.expected === 'general') assert.equal(script.title, topic.title);
        else {
          assert.ok(script.hook.includes(h.expected), script.hook);
          assert.equal(script.title, `${topic.title}, through ${h.expected}`);
        }
      });
    }

    it('keeps the same teaching content whatever the interest', () => {
      const a = writeExtractiveScript(inputFor(bundle, topic, { interest: 'basketball' }));
      const b = writeExtractiveScript(inputFor(bundle, topic, { interest: 'cooking' }));
      assert.deepEqual(
        a.sections.map((s) => s.citations),
        b.sections.map((s) => s.citations),
      );
      assert.deepEqual(a.keyTakeaways, b.keyTakeaways);
    });
  });

  describe('sources', () => {
    const book: Book = {
      id: 'test-book',
      title: 'Test Book',
      subject: 'physics',
      publisher: 'Test Press',
      license: 'CC BY 4.0',
      licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
      url: 'https://example.org/book',
    };
    const topic: Topic = {
      id: 'test-book/friction',
      bookId: book.id,
      title: 'Friction',
      subject: 'physics',
      chapter: 'Forces',
      moduleId: null,
      objectives: ['Describe friction.', 'Compare static and kinetic friction.'],
      keyTerms: ['friction', 'static friction', 'kinetic friction'],
      ordinal: 0,
    };
    const passage = (n: number, text: string, figureIds: string[] = []): Passage => ({
      id: `${topic.id}#p${n}`,
      topicId: topic.id,
      ordinal: n - 1,
      heading: `Heading ${n}`,
      text,
      figureIds,
    });
    const base = (passages: Passage[], figures: Figure[] = [], grade = 10): ExtractiveScriptInput => ({
      topic,
      book,
      passages,
      figures,
      materials: EMPTY_MATERIALS,
      question: 'What is friction?',
      grade,
      interest: 'basketball',
    });
    const LONG_SENTENCE =
      'Friction that acts between two surfaces that are pressed together depends on how hard they are pressed and on what they are made of, which is why rubber soles grip a dry wooden court much better than smooth leather soles do.';

    it('throws NO_SOURCES when there are no passages', () => {
      assert.throws(
        () => writeExtractiveScript(base([])),
        (err: unknown) => err instanceof PipelineError && err.code === 'NO_SOURCES',
      );
    });

    it('throws NO_SOURCES when no passage has usable text', () => {
      const unusable = [
        passage(1, 'See Figure 4.3. Table 2.1 lists the values.'),
        passage(2, 'Check your understanding. The steps are as follows:'),
        passage(3, 'F = mu N; mu = 0.3 (N = 10).  '),
        passage(4, '   '),
      ];
      assert.throws(
        () => writeExtractiveScript(base(unusable)),
        (err: unknown) => err instanceof PipelineError && err.code === 'NO_SOURCES' && !err.retryable,
      );
    });

    it('leaves out figure and exercise references, list openers and symbol soup', () => {
      const passages = [
        passage(
          1,
          'Friction is a force that resists sliding between two surfaces in contact. See Figure 4.3 for a diagram. ' +
            'It always acts along the surfaces, opposite to the direction of sliding. The two kinds of friction are the following: ' +
            'Friction turns some energy of motion into thermal energy.',
        ),
        passage(
          2,
          'Static friction keeps a resting object from starting to slide. F = mu N; mu = 0.3 (N = 10) -> 3 N. ' +
            'Check your understanding: what holds a parked car on a hill? Static friction can grow until it reaches a maximum value.',
        ),
        passage(
          3,
          'Kinetic friction acts on an object that is already sliding. Table 5.1 lists coefficients of friction. ' +
            'Kinetic friction is usually smaller than the maximum static friction. That is why a sliding box is easier to keep moving than to start.',
        ),
      ];
      const script = writeExtractiveScript(base(passages));
      const narration = script.sections.map((s) => sectionNarration(s)).join(' ');
      assert.doesNotMatch(narration, /Figure 4\.3|Table 5\.1|Check your understanding|following:|mu N/);
      assert.match(narration, /Friction is a force that resists sliding/);
      assert.match(narration, /Kinetic friction acts on an object/);
    });

    it('splits one passage into three sections', () => {
      const text =
        'Friction is a force that resists sliding between two surfaces in contact. It always acts along the surfaces. ' +
        'Static friction keeps a resting object from starting to slide. It can grow until it reaches a maximum value. ' +
        'Kinetic friction acts on an object that is already sliding. It is usually smaller than the maximum static friction. ' +
        'Rough surfaces usually produce more friction than smooth ones. Lubricants such as oil reduce friction between moving parts.';
      const input = base([passage(1, text)]);
      const script = writeExtractiveScript(input);
      assertWellFormed(script, input);
      assert.equal(script.sections.length, 3);
      for (const s of script.sections) assert.deepEqual(s.citations, [`${topic.id}#p1`]);
      assert.deepEqual(
        script.sections.map((s) => s.heading),
        ['Heading 1', 'Heading 1, part 2', 'Heading 1, part 3'],
      );
      // Every usable sentence is narrated once when the source is this short.
      const narration = script.sections.map((s) => sectionNarration(s)).join(' ');
      assert.ok(narration.includes('Lubricants such as oil reduce friction between moving parts.'));
      assert.equal(narration.split('Friction is a force').length, 2);
    });

    it('makes three sections from two passages', () => {
      const input = base([
        passage(1, 'Friction is a force that resists sliding between two surfaces. It always acts along the surfaces. It turns motion into heat.'),
        passage(2, 'Static friction keeps a resting object still. Kinetic friction acts on a sliding object. Kinetic friction is usually smaller.'),
      ]);
      const script = writeExtractiveScript(input);
      assertWellFormed(script, input);
      assert.equal(script.sections.length, 3);
    });

    it('shows a figure of a cited passage when it has alt text', () => {
      const figures: Figure[] = [
        { id: 'fig-no-alt', topicId: topic.id, alt: '  ', caption: 'A box.', path: null, mimeType: 'image/png' },
        { id: 'fig-alt', topicId: topic.id, alt: 'A box sliding on a rough floor.', caption: 'Friction.', path: '/library/figures/box.png', mimeType: 'image/png' },
        { id: 'fig-no-file', topicId: topic.id, alt: 'A box.', caption: 'A box.', path: null, mimeType: 'image/png' },
      ];
      const passages = [
        passage(1, 'Friction is a force that resists sliding between two surfaces in contact. It always acts along the surfaces.', ['fig-no-alt', 'fig-alt']),
        passage(2, 'Static friction keeps a resting object from starting to slide. It can grow until it reaches a maximum value.', ['fig-no-alt']),
        passage(3, 'Kinetic friction acts on an object that is already sliding. It is usually smaller than the maximum static friction.'),
      ];
      const script = writeExtractiveScript(base(passages, figures));
      const withFigure = script.sections.filter((s) => s.beats.some((b) => b.kind === 'figure'));
      assert.equal(withFigure.length, 1);
      const beat = withFigure[0]!.beats.find((b) => b.kind === 'figure');
      assert.equal(beat?.kind === 'figure' && beat.figureId, 'fig-alt', 'only a figure with alt text and a file is shown');
      assert.ok(withFigure[0]!.citations.includes(`${topic.id}#p1`));
    });

    it('prefers shorter sentences for younger students when there are alternatives', () => {
      const fillers = [
        'Rough surfaces usually produce more friction than smooth ones. Lubricants such as oil reduce friction between moving parts.',
        'Friction can be useful, as when tires grip a road. Without friction, walking would be like stepping on ice.',
        'Air resistance is a kind of friction that acts on moving objects. It grows as an object moves faster through the air.',
        'Friction turns some energy of motion into thermal energy. That is why rubbing your hands together warms them.',
      ];
      const passages = fillers.map((filler, i) =>
        passage(i + 1, `Friction idea number ${i + 1} is worth a short look. ${i === 0 ? LONG_SENTENCE : LONG_SENTENCE.replace('court', `court ${i}`)} ${filler}`),
      );
      const young = writeExtractiveScript(base(passages, [], 4));
      const older = writeExtractiveScript(base(passages, [], 11));
      assert.equal(young.gradeBand, 'elementary');
      assert.equal(older.gradeBand, 'high');
      const long = /rubber soles grip/;
      assert.ok(!young.sections.some((s) => long.test(sectionNarration(s))), 'a 41-word sentence was narrated for grade 4');
      assert.ok(older.sections.some((s) => long.test(sectionNarration(s))), 'the 41-word sentence was dropped for grade 11');
    });

    it('ignores a duplicated passage', () => {
      const p = [
        passage(1, 'Friction is a force that resists sliding between two surfaces. It always acts along the surfaces. It turns motion into heat.'),
        passage(2, 'Static friction keeps a resting object still. Kinetic friction acts on a sliding object. Kinetic friction is usually smaller.'),
        passage(3, 'Rough surfaces usually produce more friction than smooth ones. Lubricants such as oil reduce friction between moving parts.'),
      ];
      assert.deepEqual(writeExtractiveScript(base([...p, p[0]])), writeExtractiveScript(base(p)));
    });
  });
});
