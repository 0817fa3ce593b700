import assert from 'node:assert/strict';
import { chunkBlocks, type TextBlock } from '../../shared/library/chunk-passages.js';
import { countWords, splitSentences } from '../../shared/text/sentences.js';

/** A paragraph of `n` sentences of 10 words each, numbered so cuts are visible. */
function para(tag: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `Sentence ${tag}${i} has exactly ten words in it for counting.`).join(' ');
}

const block = (heading: string, text: string, figureIds: string[] = [], group = 'main'): TextBlock => ({ heading, text, figureIds, group });

describe('library: passage chunking', () => {
  it('packs paragraphs of one heading into passages of 60..220 words without cutting sentences', () => {
    const blocks = Array.from({ length: 12 }, (_, i) => block('Motion', para(`p${i}`, 5))); // 12 x 50 words
    const chunks = chunkBlocks(blocks);
    assert.ok(chunks.length >= 3);
    for (const c of chunks) {
      assert.ok(c.words >= 60 && c.words <= 220, `${c.words} words`);
      for (const s of splitSentences(c.text)) assert.match(s, /^Sentence \w+ has exactly ten words in it for counting\.$/);
    }
    assert.equal(chunks.map((c) => c.text).join(' '), blocks.map((b) => b.text).join(' '), 'all text kept, in order');
  });

  it('splits a paragraph longer than the maximum at sentence boundaries', () => {
    const chunks = chunkBlocks([block('Long', para('x', 50))]); // 500 words
    assert.ok(chunks.length >= 3);
    for (const c of chunks) {
      assert.ok(c.words <= 220, `${c.words} words`);
      assert.match(c.text, /\.$/);
    }
  });

  it('never mixes headings except to absorb a short piece, and never mixes groups', () => {
    const chunks = chunkBlocks([
      block('Intro', para('a', 2)), // 20 words: too short alone, joins the next section
      block('Section A', para('b', 8)),
      block('Section A', para('c', 8)),
      block('Coreq', para('d', 8), [], 'coreq'),
    ]);
    assert.equal(chunks[0].heading, 'Section A');
    assert.match(chunks[0].text, /^Sentence a0/);
    assert.ok(chunks.every((c) => !(c.text.includes('Sentence d0') && c.text.includes('Sentence c0'))));
    assert.equal(chunks.at(-1)!.group, 'coreq');
  });

  it('carries figure ids of the paragraphs it contains', () => {
    const chunks = chunkBlocks([block('H', para('a', 8), ['fig1']), block('H', para('b', 8), ['fig2']), block('H', para('c', 8))]);
    assert.deepEqual(chunks.flatMap((c) => c.figureIds), ['fig1', 'fig2']);
  });

  it('table: sizes stay within bounds for many paragraph shapes', () => {
    for (const sizes of [[1], [3, 3, 3], [25], [6, 6, 30, 2], [12, 1, 12, 1, 12], [22, 22]]) {
      const chunks = chunkBlocks(sizes.map((n, i) => block('H', para(`s${i}_`, n))));
      const total = sizes.reduce((a, b) => a + b, 0) * 10;
      assert.equal(chunks.reduce((a, c) => a + countWords(c.text), 0), total, `sizes ${sizes}`);
      for (const c of chunks) assert.ok(c.words <= 275, `sizes ${sizes}: ${c.words} words`);
      if (total >= 60) for (const c of chunks) assert.ok(c.words >= 60 || chunks.length === 1, `sizes ${sizes}: ${c.words} words`);
    }
  });
});
