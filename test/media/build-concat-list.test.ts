import assert from 'node:assert/strict';
import { buildConcatList, parseConcatList, quoteConcatPath, unquoteToken } from '../../shared/media/build-concat-list.js';

describe('media: concat list', () => {
  it('single-quotes paths and writes a quote inside a path as \'\\\'\'', () => {
    assert.equal(quoteConcatPath('/tmp/a b/clip.mp4'), "'/tmp/a b/clip.mp4'");
    assert.equal(quoteConcatPath("/tmp/it's/clip 1.mp4"), "'/tmp/it'\\''s/clip 1.mp4'");
    assert.equal(unquoteToken(quoteConcatPath("/tmp/it's/clip 1.mp4")), "/tmp/it's/clip 1.mp4");
    assert.equal(unquoteToken(quoteConcatPath("'''")), "'''");
  });

  it('keeps backslashes, $ and other shell-ish characters literal', () => {
    for (const p of ['/tmp/a\\b.mp4', '/tmp/$(rm -rf)/x.mp4', '/tmp/#hash/x.mp4', '/tmp/semi;colon/x.mp4', '/tmp/"dq"/x.mp4']) {
      assert.equal(unquoteToken(quoteConcatPath(p)), p);
    }
  });

  it('refuses line breaks and NUL (they cannot be represented)', () => {
    assert.throws(() => quoteConcatPath('/tmp/a\nfile /etc/passwd'));
    assert.throws(() => quoteConcatPath('/tmp/a\r.mp4'));
    assert.throws(() => quoteConcatPath('/tmp/a\0.mp4'));
    assert.throws(() => quoteConcatPath(''));
  });

  it('writes a header, one file line per entry and explicit durations', () => {
    const text = buildConcatList([
      { path: "/w/it's/clip-0-30.mp4", durationSeconds: 1 },
      { path: '/w/clip-0-10.mp4', durationSeconds: 10 / 30 },
      { path: '/w/clip-1-30.mp4' },
    ]);
    assert.equal(
      text,
      ["ffconcat version 1.0", "file '/w/it'\\''s/clip-0-30.mp4'", 'duration 1.000000', "file '/w/clip-0-10.mp4'", 'duration 0.333333', "file '/w/clip-1-30.mp4'", ''].join('\n'),
    );
    assert.deepEqual(parseConcatList(text), [
      { path: "/w/it's/clip-0-30.mp4", durationSeconds: 1 },
      { path: '/w/clip-0-10.mp4', durationSeconds: 0.333333 },
      { path: '/w/clip-1-30.mp4' },
    ]);
  });

  it('refuses non-positive durations', () => {
    assert.throws(() => buildConcatList([{ path: '/a.mp4', durationSeconds: 0 }]));
    assert.throws(() => buildConcatList([{ path: '/a.mp4', durationSeconds: Number.NaN }]));
  });
});
