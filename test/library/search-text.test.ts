import assert from 'node:assert/strict';
import { analyzeQuestion, indexTerms, tokenize } from '../../shared/library/search-text.js';

describe('library: query normalisation', () => {
  it('tokenizes: lower case, folded accents, possessives, hyphens, short numbers dropped', () => {
    assert.deepEqual(tokenize("Newton’s third-law, Le Châtelier's 2 x 1863"), ['newton', 'third', 'law', 'le', 'chatelier', '1863']);
  });

  it('indexes without stop words, stemmed', () => {
    assert.deepEqual(indexTerms('The forces are balanced when accelerating'), ['forc', 'balanc', 'acceler']);
  });

  const cases: [string, string[]][] = [
    ["Explain Newton's third law", ['newton', 'third', 'law']],
    ['What is the difference between speed and velocity?', ['speed', 'veloc']],
    ['how do I balance a chemical equation', ['balanc', 'chemic', 'equat']],
    ['Why does it happen?', []],
    ['how does a rocket work', ['rocket']],
  ];
  for (const [q, terms] of cases) {
    it(`removes question framing: "${q}"`, () => {
      assert.deepEqual(
        analyzeQuestion(q).concepts.flatMap((c) => c.terms),
        terms,
      );
    });
  }

  it('maps everyday phrasing to textbook terms (any inflection), keeping the student words', () => {
    for (const q of ['why do I get pushed back', 'it pushes back on me', 'why does a gun recoil']) {
      const c = analyzeQuestion(q).concepts.find((x) => x.alternatives.some((a) => a.join(' ') === 'third law'));
      assert.ok(c, q);
      assert.ok(c.alternatives.some((a) => a.join(' ') === 'reaction forc'), q);
    }
    const speed = analyzeQuestion('why do cars speed up').concepts.find((c) => c.text === 'speed up');
    assert.ok(speed?.alternatives.some((a) => a.includes('acceler')));
  });

  it('marks a situational clause as context, unless nothing else is left', () => {
    const a = analyzeQuestion('why do I get pushed back when I jump off a skateboard');
    assert.deepEqual(
      a.concepts.map((c) => [c.text, c.context]),
      [
        ['pushed back', false],
        ['jump', true],
        ['skateboard', true],
      ],
    );
    assert.ok(a.terms.get('skateboard')! < a.terms.get('push')!);
    const b = analyzeQuestion('what happens when an acid reacts with a base');
    assert.ok(b.concepts.every((c) => !c.context));
  });
});
