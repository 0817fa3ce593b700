import assert from 'node:assert/strict';
import { cleanText, ELLIPSIS, ellipsize, fitBlocks, fitText, graphemes, readLines, wrapClamped, wrapText, type Measure } from '../../shared/media/text-layout.js';

/** 10 px per grapheme at size 20, proportional to size. */
const measureAt = (size: number): Measure => (t) => graphemes(t).length * size * 0.5;
const m20 = measureAt(20);

describe('media: text layout', () => {
  it('readLines: the words read so far, in their places (a line cut where the reading is), all of it at the end', () => {
    const lines = ['What is the volume of a sample', 'of ethane at 467 K and 1.1 atm?'];
    assert.deepEqual(readLines(lines, 0.5), ['What is the volume of a sample', 'of']);
    assert.deepEqual(readLines(lines, 0.25), ['What is the volume']);
    assert.deepEqual(readLines(lines, 1), lines);
    assert.deepEqual(readLines(lines, undefined), lines);
    assert.deepEqual(readLines(lines, 0.01), ['What'], 'at least one word once reading has begun');
    assert.deepEqual(readLines(lines, 0), [], 'nothing before it begins (a screen that builds)');
  });

  it('cleans untrusted text: controls, bidi overrides and line breaks become spaces', () => {
    assert.equal(cleanText('  a\tb\n\nc\u0000d\u202Eevil\u202C  '), 'a b c d evil');
    assert.equal(cleanText('\u2066x\u2069'), 'x');
    assert.equal(cleanText(undefined), '');
    assert.equal(cleanText(42), '42');
    const long = cleanText('y'.repeat(5000), 100);
    assert.equal(graphemes(long).length, 100);
    assert.ok(long.endsWith(ELLIPSIS));
  });

  it('wraps greedily by width and breaks words wider than a line', () => {
    assert.deepEqual(wrapText('aaa bbb ccc', 70, m20), ['aaa bbb', 'ccc']);
    assert.deepEqual(wrapText('abcdefghij', 40, m20), ['abcd', 'efgh', 'ij']);
    assert.deepEqual(wrapText('', 100, m20), []);
    for (const line of wrapText('x'.repeat(300) + ' y z', 95, m20)) assert.ok(m20(line) <= 95);
  });

  it('never splits a grapheme cluster', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const lines = wrapText(family.repeat(5), 20, m20);
    assert.ok(lines.every((l) => graphemes(l).every((g) => g === family)));
  });

  it('ellipsizes to fit, preferring a word boundary', () => {
    const out = ellipsize('the quick brown fox jumps', 120, m20);
    assert.ok(out.endsWith(ELLIPSIS));
    assert.ok(m20(out) <= 120);
    assert.equal(out, `the quick${ELLIPSIS}`);
    assert.equal(ellipsize('short', 120, m20), 'short');
  });

  it('clamps to a number of lines with an ellipsis on the last', () => {
    const r = wrapClamped('one two three four five six seven eight', 80, 2, m20);
    assert.equal(r.lines.length, 2);
    assert.ok(r.truncated);
    assert.ok(r.lines[1].endsWith(ELLIPSIS));
    assert.ok(r.lines.every((l) => m20(l) <= 80));
  });

  it('fitBlocks picks the largest size at which everything fits', () => {
    const layout = fitBlocks(['aaaa bbbb', 'cccc'], { maxWidth: 200, maxHeight: 130, maxSize: 60, minSize: 20, lineHeight: 1, gap: 0, measureAt });
    // At size s a grapheme is s/2 px wide: "aaaa bbbb" (9) fits one line when 4.5 s <= 200 -> s <= 44;
    // above that it takes two lines, and 3 lines * s <= 130 needs s <= 43: so 44 with 2 lines.
    assert.equal(layout.size, 44);
    assert.deepEqual(layout.blocks, [['aaaa bbbb'], ['cccc']]);
    assert.equal(layout.truncated, false);
    assert.ok(layout.height <= 130);
  });

  it('fitBlocks never overflows: at the minimum size it shares lines out and ellipsizes', () => {
    const hostile = Array.from({ length: 5 }, (_, i) => `${i} ${'word '.repeat(200)}`);
    const layout = fitBlocks(hostile, { maxWidth: 300, maxHeight: 250, maxSize: 60, minSize: 44, lineHeight: 1.3, gap: 0.6, measureAt });
    assert.equal(layout.size, 44);
    assert.ok(layout.truncated);
    assert.ok(layout.height <= 250, `height ${layout.height}`);
    const m = measureAt(44);
    for (const block of layout.blocks) for (const line of block) assert.ok(m(line) <= 300);
    // Every block that is shown ends with an ellipsis; the first block is always shown.
    assert.ok(layout.blocks[0].length > 0);
    for (const b of layout.blocks) if (b.length > 0) assert.ok(b[b.length - 1].endsWith(ELLIPSIS));
  });

  it('fitText respects maxLines', () => {
    const layout = fitText('alpha beta gamma delta epsilon zeta eta theta', { maxWidth: 200, maxHeight: 1000, maxSize: 40, minSize: 30, lineHeight: 1.2, maxLines: 2, measureAt });
    assert.ok(layout.blocks[0].length <= 2);
    assert.ok(layout.size >= 30 && layout.size <= 40);
  });
});
