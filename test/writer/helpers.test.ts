import assert from 'node:assert/strict';
import { toBullet, usableSentences } from '../../shared/writer/extract.js';
import { INTEREST_PHRASE_MAX_CHARS, sanitizeInterest } from '../../shared/writer/interest.js';
import { hookText, topicPhrase } from '../../shared/writer/templates.js';

describe('writer helpers', () => {
  describe('sanitizeInterest', () => {
    const cases: Array<[unknown, string | null]> = [
      ['basketball', 'basketball'],
      ['  Video   Games ', 'Video Games'],
      ['', null],
      ['general', null],
      ['N/A', null],
      ['none', null],
      [undefined, null],
      [42, null],
      ['<speak>', null],
      ['<speak>opera</speak>', 'opera'],
      ['rock &amp; roll', 'rock roll'],
      ['rock & roll', 'rock and roll'],
      [']]>', null],
      ['"ignore previous instructions"', 'ignore previous instructions'],
      ["it's", 'it\u2019s'],
      ["'quoted'", 'quoted'],
      ['x-ray crystallography', 'x-ray crystallography'],
      ['- dashes -', 'dashes'],
      ['a:b\\c[d]e,f;g=h', 'a b c d e f'],
      ['line\nbreak\ttab', 'line break tab'],
      ['zero\u200bwidth', 'zerowidth'],
      ['\u202eevil', 'evil'],
      ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
      ['fútbol', 'fútbol'],
      ['サッカー', 'サッカー'],
      // NFKC composes z and the acute accent; two of the remaining marks are kept.
      ['z\u0301\u0302\u0303\u0304\u0305ebra', '\u017a\u0302\u0303ebra'],
      ['🏀🏀🏀', null],
      ['one two three four five six seven', 'one two three four five six'],
      ['supercalifragilisticexpialidocious and more words here', 'supercalifragilisticexpialidocious and'],
      ['a'.repeat(500), 'a'.repeat(INTEREST_PHRASE_MAX_CHARS)],
    ];
    for (const [raw, expected] of cases) {
      it(`${JSON.stringify(raw)} -> ${JSON.stringify(expected)}`, () => {
        assert.equal(sanitizeInterest(raw), expected);
      });
    }

    it('never returns anything but letters, marks, digits, spaces, inner hyphens and apostrophes', () => {
      const samples = ['<a href="x">y</a>', "'; DROP TABLE users; --", '${process.exit()}', '`rm -rf`', 'a\u0000b', '%0A%0D', '\\N{NULL}'];
      for (const s of samples) {
        const out = sanitizeInterest(s);
        if (out !== null) {
          assert.match(out, /^[\p{L}\p{M}\p{N}\u2019 -]+$/u, out);
          assert.ok(out.length <= INTEREST_PHRASE_MAX_CHARS);
        }
      }
    });
  });

  describe('usableSentences', () => {
    const cases: Array<[string, string[]]> = [
      ['Forces come in pairs. See Figure 4.3 for a sketch.', ['Forces come in pairs.']],
      ['A rocket pushes gas back (see Figure 2) and moves forward.', ['A rocket pushes gas back and moves forward.']],
      ['The steps are as follows: First, count the atoms on each side.', ['First, count the atoms on each side.']],
      ['Check your understanding. Mass is measured in kilograms.', ['Mass is measured in kilograms.']],
      ['In this section, you will learn about waves. Waves carry energy.', ['Waves carry energy.']],
      ['x = 2y + 3z - 4; y = z^2. Slope measures steepness.', ['Slope measures steepness.']],
      ['At 25 °C, a pH < 7 indicates an acidic solution.', ['At 25 degrees Celsius, a pH less than 7 indicates an acidic solution.']],
      ['Too short. Energy is conserved in a closed system', ['Energy is conserved in a closed system.']],
      ['Visit https://example.org for more. Atoms bond.', []],
    ];
    for (const [text, expected] of cases) {
      it(JSON.stringify(text), () => assert.deepEqual(usableSentences(text), expected));
    }
  });

  describe('toBullet', () => {
    const cases: Array<[string, string]> = [
      ['Forces always come in pairs.', 'Forces always come in pairs'],
      ['For example, a rocket pushes gas backward.', 'A rocket pushes gas backward'],
      [
        'Cellular respiration, which happens in the mitochondria of both plants and animals, uses glucose and oxygen to release energy, giving off carbon dioxide and water.',
        'Cellular respiration uses glucose and oxygen to release energy',
      ],
      [
        'In 1781, American and French forces trapped a British army at Yorktown, Virginia, and forced it to surrender.',
        'American and French forces trapped a British army at Yorktown, Virginia',
      ],
      [
        'Eukaryotic cells, found in plants, animals, fungi and protists, keep their DNA inside a nucleus surrounded by a membrane.',
        'Eukaryotic cells keep their DNA inside a nucleus surrounded by a membrane',
      ],
      [
        "Newton's third law of motion states that whenever one object exerts a force on a second object, the second object exerts a force of equal size and opposite direction on the first.",
        'The second object exerts a force of equal size and opposite direction on the first',
      ],
    ];
    for (const [sentence, expected] of cases) {
      it(sentence.slice(0, 60), () => {
        const b = toBullet(sentence, 90);
        assert.equal(b, expected);
        assert.ok(b.length <= 90);
      });
    }

    it('cuts an unsplittable sentence at a word, with an ellipsis, within the limit', () => {
      const b = toBullet('Photosynthesis is the process that plants, algae and some bacteria use to capture the energy of sunlight and store it in sugar.', 90);
      assert.ok(b.length <= 90, b);
      assert.ok(b.endsWith('\u2026'), b);
    });
  });

  describe('templates', () => {
    const phrases: Array<[string, string[], string[], string]> = [
      ["Newton's Third Law of Motion", ["Newton's third law", 'force'], ["State Newton's third law of motion."], "Newton's third law of motion"],
      ['The Pythagorean Theorem', ['Pythagorean theorem', 'hypotenuse'], [], 'the Pythagorean theorem'],
      ['The Civil Rights Movement', ['civil rights movement', 'Civil Rights Act'], [], 'the civil rights movement'],
      ['The Causes of World War I', ['World War I', 'militarism'], [], 'the causes of World War I'],
      ['DNA and Genes', ['DNA', 'gene'], [], 'DNA and genes'],
      ['Cells: The Basic Units of Life', ['cell'], [], 'cells'],
      ['4.3 Newton’s Second Law of Motion: Concept of a System', [], [], 'Newton’s second law of motion'],
      ['Introduction', [], [], 'introduction'],
    ];
    for (const [title, keyTerms, objectives, expected] of phrases) {
      it(`topicPhrase(${JSON.stringify(title)})`, () => assert.equal(topicPhrase(title, '', keyTerms, objectives), expected));
    }

    it('falls back to the chapter for an introduction', () => {
      assert.equal(topicPhrase('Introduction', 'Acid-Base Equilibria'), 'acid-base equilibria');
      assert.equal(topicPhrase('14.1 Introduction', '14 Acid-Base Equilibria'), 'acid-base equilibria');
    });

    it('writes a hook around the interest, or a general one without it', () => {
      assert.match(hookText('physics', 'waves', 'surfing'), /^What could surfing possibly have to do with waves\? [^?]+\.$/);
      assert.doesNotMatch(hookText('physics', 'waves', null), /general|null|undefined/);
    });
  });
});
