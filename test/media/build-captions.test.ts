import assert from 'node:assert/strict';
import { buildWebVtt, escapeVttText, formatVttTimestamp, splitCues, wrapCaption } from '../../shared/media/build-captions.js';

const TS = /^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/;

/** Parses our own output back: [start, end, lines][] */
function parse(vtt: string): Array<{ start: string; end: string; lines: string[] }> {
  const blocks = vtt.split('\n\n').slice(1).filter((b) => b.trim());
  return blocks.map((b) => {
    const [, timing, ...lines] = b.split('\n');
    assert.match(timing, TS);
    const [start, end] = timing.split(' --> ');
    return { start, end, lines: lines.filter((l) => l.length > 0) };
  });
}

const toSeconds = (ts: string) => {
  const [h, m, s] = ts.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
};

describe('media: WebVTT captions', () => {
  it('formats timestamps as HH:MM:SS.mmm', () => {
    assert.equal(formatVttTimestamp(0), '00:00:00.000');
    assert.equal(formatVttTimestamp(1.2345), '00:00:01.235');
    assert.equal(formatVttTimestamp(61.5), '00:01:01.500');
    assert.equal(formatVttTimestamp(3723.004), '01:02:03.004');
    assert.equal(formatVttTimestamp(59.9996), '00:01:00.000');
    assert.equal(formatVttTimestamp(-3), '00:00:00.000');
    assert.equal(formatVttTimestamp(Number.NaN), '00:00:00.000');
  });

  it('starts with the WEBVTT header and numbers the cues', () => {
    const vtt = buildWebVtt([
      { start: 0, end: 1.5, text: 'Hello.' },
      { start: 1.5, end: 3, text: 'World.' },
    ]);
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    assert.equal(vtt, 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello.\n\n2\n00:00:01.500 --> 00:00:03.000\nWorld.\n');
  });

  it('escapes &, < and > so no markup or arrow survives', () => {
    assert.equal(escapeVttText('a & b <c.x>y</c> -->'), 'a &amp; b &lt;c.x&gt;y&lt;/c&gt; --&gt;');
    const vtt = buildWebVtt([{ start: 0, end: 2, text: 'Tom & Jerry <script>alert(1)</script> --> 00:00:09.000 --> x' }]);
    const body = vtt.split('\n').slice(4).join('\n'); // after WEBVTT, blank, id, timing
    assert.ok(!body.includes('-->'), body);
    assert.ok(!/[<>]/.test(body));
    assert.ok(body.includes('Tom &amp; Jerry &lt;script&gt;'));
  });

  it('removes line breaks and control characters from cue text (a blank line would end the cue)', () => {
    const vtt = buildWebVtt([{ start: 0, end: 2, text: 'line one\n\nWEBVTT\r\n2\n00:00:00.000 --> 00:00:01.000\u0007 end' }]);
    const cues = parse(vtt);
    assert.equal(cues.length, 1);
    assert.ok(cues[0].lines.join(' ').startsWith('line one WEBVTT 2 00:00:00.000 --&gt; 00:00:01.000 end'));
  });

  it('wraps at 42 characters, at most 2 lines per cue, splitting long cues in time by characters', () => {
    const text =
      'Newton’s third law says that for every action there is an equal and opposite reaction, ' +
      'so when a basketball player pushes down on the court the court pushes back up on the player with the same force.';
    const cues = splitCues([{ start: 10, end: 20, text }]);
    assert.ok(cues.length >= 3, `split into ${cues.length}`);
    for (const c of cues) {
      assert.ok(c.lines.length >= 1 && c.lines.length <= 2);
      for (const l of c.lines) assert.ok([...l].length <= 42, `${l} (${[...l].length})`);
    }
    assert.equal(cues[0].start, 10);
    assert.equal(cues[cues.length - 1].end, 20);
    for (let i = 1; i < cues.length; i++) assert.equal(cues[i].start, cues[i - 1].end);
    // Time is proportional to characters.
    const chars = cues.map((c) => c.lines.join('').length);
    const total = chars.reduce((a, b) => a + b, 0);
    cues.forEach((c, i) => assert.ok(Math.abs(c.end - c.start - (10 * chars[i]) / total) < 0.01));
    // The words all survive, in order.
    assert.equal(cues.flatMap((c) => c.lines).join(' '), text);

    const vtt = buildWebVtt([{ start: 10, end: 20, text }]);
    const parsed = parse(vtt);
    assert.equal(parsed.length, cues.length);
    for (const p of parsed) {
      assert.ok(p.lines.length <= 2);
      assert.ok(toSeconds(p.end) > toSeconds(p.start));
    }
  });

  it('cuts words longer than a line', () => {
    const lines = wrapCaption(`${'x'.repeat(100)} end`, 42);
    assert.deepEqual(lines, ['x'.repeat(42), 'x'.repeat(42), `${'x'.repeat(16)} end`]);
    assert.ok(lines.every((l) => l.length <= 42));
  });

  it('skips empty cues and survives zero-length and reversed times', () => {
    const cues = splitCues([
      { start: 0, end: 1, text: '   ' },
      { start: 2, end: 2, text: 'zero' },
      { start: 5, end: 4, text: 'reversed' },
    ]);
    assert.equal(cues.length, 2);
    for (const c of cues) assert.ok(c.end > c.start);
  });
});
