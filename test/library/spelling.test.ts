import assert from 'node:assert/strict';
import { editDistance, findAbbreviations, letterDifference, maxEdits, Vocabulary } from '../../shared/library/spelling.js';

describe('library: spelling against the library vocabulary', () => {
  it('measures edits, a swap of neighbours being one, and stops early past the bound', () => {
    assert.equal(editDistance('frist', 'first'), 1);
    assert.equal(editDistance('mutaion', 'mutation'), 1);
    assert.equal(editDistance('coloumbs', 'coulombs'), 2);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('photosynthesis', 'photosynthesis'), 0);
    assert.equal(editDistance('entropy', 'enthalpy', 1), 2, 'max + 1 once the bound is passed');
    assert.equal(editDistance('a'.repeat(80), 'b'.repeat(80), 1), 2, 'long words too');
  });

  it('allows no correction under 5 letters, one edit to 7, two from 8', () => {
    assert.deepEqual([4, 5, 7, 8, 12].map(maxEdits), [0, 1, 1, 2, 2]);
  });

  it('counts the letters two words do not share', () => {
    assert.equal(letterDifference('coloumbs', 'coulombs'), 0);
    assert.equal(letterDifference('coloumbs', 'columbus'), 2);
  });

  // how many sections use each word
  const vocab = new Vocabulary(
    new Map([
      ['first', 120],
      ['fist', 3],
      ['coulombs', 4],
      ['columbus', 9],
      ['entropy', 6],
      ['photosynthesis', 2],
      ['mutation', 2],
      ['renaissance', 5],
      ['typoo', 1],
      ['cell', 50],
    ]),
  );

  it('corrects an unknown word to the closest library word: smallest distance, then same letters, then more sections', () => {
    assert.deepEqual(vocab.correct('frist'), { word: 'first', distance: 1 });
    assert.deepEqual(vocab.correct('entrophy'), { word: 'entropy', distance: 1 });
    assert.deepEqual(vocab.correct('photosynthisis'), { word: 'photosynthesis', distance: 1 });
    assert.deepEqual(vocab.correct('renessance'), { word: 'renaissance', distance: 2 });
    assert.deepEqual(vocab.correct('coloumbs'), { word: 'coulombs', distance: 2 }, 'a transposition-like slip keeps its letters');
  });

  it('leaves alone known words, short words, words with nothing close, and targets only words of two sections or more', () => {
    assert.equal(vocab.correct('first'), null);
    assert.equal(vocab.correct('cel'), null);
    assert.equal(vocab.correct('sourdough'), null);
    assert.equal(vocab.correct('typos'), null, '"typoo" is used by one section only');
    assert.equal(vocab.correct('frisbee'), null);
  });

  it('finds the abbreviations a text spells out, plural ones too', () => {
    const found = findAbbreviations(
      'Find the greatest common factor (GCF) first. Many light-emitting diodes (LEDs) glow. The kinetic molecular theory (KMT) explains it. A random word (XYZ) is not one.',
    );
    assert.deepEqual([...found.keys()].sort(), ['gcf', 'kmt', 'led']);
    assert.deepEqual([...found.get('gcf')!.keys()], ['greatest common factor']);
    assert.deepEqual([...found.get('led')!.keys()], ['light-emitting diodes']);
  });

  it('lets small words in the phrase go without an initial', () => {
    const found = findAbbreviations('the Food and Drug Administration (FDA) and the National Association for the Advancement of Colored People (NAACP)');
    assert.deepEqual([...found.get('fda')!.keys()], ['food and drug administration']);
    assert.deepEqual([...found.get('naacp')!.keys()], ['national association for the advancement of colored people']);
  });
});
