import assert from 'node:assert/strict';
import { analyzeQuestion, indexTerms, stem, tokenize, type QueryLexicon } from '../../shared/library/search-text.js';

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

  it('drops contractions typed without their apostrophe, chat words and homework framing', () => {
    const terms = (q: string): string[] => analyzeQuestion(q).concepts.flatMap((c) => c.terms);
    assert.deepEqual(terms('whats the difference between speed and velocity, i dont get it'), ['speed', 'veloc']);
    assert.deepEqual(terms("why doesnt ice sink lol idk, it's for my homework quiz"), ['ic', 'sink']);
    assert.deepEqual(terms('what is a shell'), ['shell'], '"she\'ll" without its apostrophe is a word');
    assert.deepEqual(terms("why can't any engine ever be efficient"), ['engin', 'effici']);
    assert.deepEqual(terms('if i drop one ball and then another which one lands first'), ['drop', 'ball', 'land', 'first'], '"one" is not the stem "on"');
  });

  it('expands student shorthand and keeps a subject name as a hint, not content', () => {
    const a = analyzeQuestion('what caused ww2 for my history test');
    assert.deepEqual(
      a.concepts.flatMap((c) => c.terms),
      ['caus', 'world', 'war', 'ii'],
    );
    assert.deepEqual(a.subjects, ['history']);
    assert.deepEqual(
      analyzeQuestion('what is chemistry').concepts.flatMap((c) => c.terms),
      ['chemistri'],
      'a question about the subject itself keeps it',
    );
  });

  it('notices a school subject outside the library named as the subject of the question', () => {
    assert.equal(analyzeQuestion('what is opportunity cost in economics').otherSubject, 'economics');
    assert.equal(analyzeQuestion('help with my spanish homework').otherSubject, 'spanish');
    assert.equal(analyzeQuestion('the economics of cotton in the south').otherSubject, undefined);
  });

  it('adds what "how far" asks for', () => {
    const c = analyzeQuestion('how far does a ball go').concepts[0];
    assert.ok(c.alternatives.some((a) => a.join(' ') === 'rang'));
  });

  describe('with the library vocabulary', () => {
    const words = new Set(['first', 'law', 'motion', 'newton', 'greatest', 'common', 'factor', 'ball', 'mean', 'does', 'what']);
    const lexicon: QueryLexicon = {
      hasTerm: (t) => [...words].some((w) => stem(w) === t),
      hasWord: (w) => words.has(w),
      correct: (w) => (w === 'frist' ? { word: 'first', distance: 1 } : null),
      abbreviation: (w) => (w === 'gcf' ? 'greatest common factor' : undefined),
    };

    it('keeps an everyday word that is part of a phrase the books name as it is ("cold war" is not cold)', () => {
      const phrases = { ...lexicon, hasPhrase: (a: string, b: string) => a === 'cold' && b === 'war' };
      const alternatives = (q: string, l: QueryLexicon): string[][] => analyzeQuestion(q, l).concepts.find((c) => c.text === 'cold')?.alternatives ?? [];
      assert.deepEqual(alternatives('how did the cold war end', phrases), [['cold']]);
      assert.ok(alternatives('why does a cold drink sweat', phrases).some((a) => a.includes('temperatur')), 'cold drink: everyday cold');
      assert.ok(alternatives('how did the cold war end', lexicon).some((a) => a.includes('temperatur')), 'without the library phrase: everyday cold');
    });

    it('does not correct two library words written together ("sideways" is not a misspelt "sidewalk")', () => {
      const words2 = new Set([...words, 'side', 'ways', 'sidewalk', 'rebel', 'ion']);
      const l: QueryLexicon = {
        ...lexicon,
        hasWord: (w) => words2.has(w),
        correct: (w) => (w === 'sideways' ? { word: 'sidewalk', distance: 2 } : w === 'rebelion' ? { word: 'rebellion', distance: 1 } : null),
      };
      assert.equal(analyzeQuestion('throw a ball sideways', l).concepts.some((c) => c.text === 'sidewalk'), false);
      assert.ok(analyzeQuestion('shays rebelion', l).concepts.some((c) => c.text === 'rebellion'), 'a short second part ("ion") is a misspelling');
    });

    it('corrects a misspelt word and says so', () => {
      const c = analyzeQuestion('newtons frist law', lexicon).concepts.find((x) => x.text === 'first');
      assert.deepEqual(c && { terms: c.terms, corrected: c.corrected }, { terms: ['first'], corrected: 1 });
    });

    it('expands an abbreviation the books define, keeping the abbreviation', () => {
      const c = analyzeQuestion('how do i find the gcf', lexicon).concepts.find((x) => x.text === 'gcf');
      assert.deepEqual(c?.alternatives, [['gcf'], ['greatest', 'common', 'factor']]);
    });

    it('reads a typed formula as a formula concept, its letters not as words', () => {
      const a = analyzeQuestion('what does F = ma mean', lexicon);
      assert.equal(a.concepts.length, 1);
      assert.equal(a.concepts[0].text, 'F = ma');
      assert.equal(a.concepts[0].formula?.length, 4);
    });

    it('counts numbers and chemical formulas the library does not use only where they are found', () => {
      const a = analyzeQuestion('how many grams of ch2cl2 in 1200 ball', lexicon);
      const byText = Object.fromEntries(a.concepts.map((c) => [c.text, c.context]));
      assert.deepEqual(byText, { grams: false, ch2cl2: true, '1200': true, ball: false });
    });
  });
});
