import assert from 'node:assert/strict';
import { findFormulas } from '../../shared/library/formula-index.js';
import { mathKinds } from '../../shared/library/math-kinds.js';
import { analyzeQuestion, type QueryLexicon } from '../../shared/library/search-text.js';

/** English words for the formula finder: anything of three letters or more that is not a function name. */
const isWord = (w: string): boolean => /^[a-z]{3,}$/.test(w) && !['sin', 'cos', 'tan', 'log'].includes(w);
const kinds = (q: string): string[] =>
  mathKinds(
    q,
    findFormulas(q, isWord).map((f) => f.text),
  ).map((k) => k.phrase);

describe('library: the kind of mathematics a student typed', () => {
  const cases: [string, string[]][] = [
    ['solve 3(x - 2) + 4 = 2x + 7', ['linear equation']],
    ['how do i solve x^2 - 5x + 6 = 0', ['quadratic equation']],
    ['solve x^3 - 8 = 0', ['polynomial equation']],
    ['h(t) = -16t^2 + 80t + 40', ['quadratic function']],
    ['2x + 3 > 7', ['linear inequality']],
    ['solve |x - 3| < 5', ['absolute value inequality']],
    ['solve 1/x + 2 = 5', ['rational equation']],
    ['solve 3^x = 20', ['exponential equation']],
    ['x^2/25 + y^2/9 = 1', ['ellipse']],
    ['x^2 + y^2 = 25', ['circle']],
    ['f(g(x))', ['composite function']],
    ['8^(2/3)', ['rational exponents']],
    ['simplify √72', ['radical']],
    ['arcsin(1/2)', ['inverse trigonometric functions']],
    ['what does n! mean', ['factorial']],
    ['sin^2(x) + cos^2(x) = 1', ['trigonometric identities']],
    ['solve 2 sin x - 1 = 0 on [0, 2π)', ['trigonometric equations']],
    ['3, 6, 12, 24', ['geometric sequence']],
    ['5, 8, 11, 14', ['arithmetic sequence']],
    ['how do i turn 0.363636... into a fraction', ['geometric series']],
  ];
  for (const [q, expected] of cases) it(`reads "${q}" as ${expected.join(', ')}`, () => assert.deepEqual(kinds(q), expected));

  it('leaves the formulas of physics and chemistry alone (products of named quantities)', () => {
    for (const q of ['F = ma', 'PV = nRT', 'E = mc^2', 'V = IR', 'M1V1 = M2V2', 't1/2 = 0.693/k', 'a^2 + b^2 = c^2']) assert.deepEqual(kinds(q), [], q);
  });

  it('does not read a value ("x = 3") or a function of an angle ("y = 3 sin(2x)") as an equation to solve', () => {
    assert.deepEqual(kinds('what is f(x) when x = 3'), []);
    assert.deepEqual(kinds('amplitude and period of y = 3 sin(2x)'), []);
  });

  describe('in a question', () => {
    const lexicon: QueryLexicon = {
      hasTerm: () => true,
      hasWord: (w) => isWord(w),
      correct: () => null,
      abbreviation: () => undefined,
    };
    const kindConcept = (q: string) => analyzeQuestion(q, lexicon).concepts.find((c) => c.alternatives.some((a) => a.join(' ') === 'exponenti equat'));

    it('is a concept of the question, in the books\' words', () => {
      assert.equal(kindConcept('solve 3^x = 20')?.context, false);
      assert.equal(kindConcept('graph of 3^x = 20 with its horizontal asymptote')?.context, false);
    });
  });
});
