import assert from 'node:assert/strict';
import { buildChapters, buildChaptersVtt, CHAPTER_TITLES } from '../../shared/media/build-chapters.js';
import { sampleScript, sampleSegments } from './fixtures.js';

describe('media: WebVTT chapters', () => {
  const script = sampleScript();
  const duration = 120;
  const segments = sampleSegments(duration - 1.5, script);
  const chapters = buildChapters(script, segments, duration);

  it('has one chapter per section, between the introduction and the takeaways, check and sources', () => {
    assert.deepEqual(
      chapters.map((c) => c.title),
      [CHAPTER_TITLES.intro, ...script.sections.map((s) => s.heading), CHAPTER_TITLES.takeaways, CHAPTER_TITLES.check, CHAPTER_TITLES.credits],
    );
  });

  it('starts each section where its first beat is spoken and covers the video with no gap or overlap', () => {
    script.sections.forEach((s, i) => {
      const first = segments.find((seg) => seg.slide === 'section' && seg.index === i)!;
      assert.equal(chapters.find((c) => c.title === s.heading)!.start, first.start, s.heading);
    });
    assert.equal(chapters[0].start, 0);
    assert.equal(chapters.at(-1)!.end, duration);
    for (let i = 1; i < chapters.length; i++) assert.equal(chapters[i].start, chapters[i - 1].end, `chapter ${i} starts where ${i - 1} ends`);
    for (const c of chapters) assert.ok(c.end > c.start, c.title);
  });

  it('orders chapters by time whatever the order of the segments', () => {
    assert.deepEqual(buildChapters(script, [...segments].reverse(), duration), chapters);
  });

  it('leaves out a part the narration has no segment for, and a section index the script does not have', () => {
    const noCheck = segments.filter((s) => s.slide !== 'check').concat([{ slide: 'section', index: 9, beat: 0, start: 50, end: 51 }]);
    const titles = buildChapters(script, noCheck, duration).map((c) => c.title);
    assert.ok(!titles.includes(CHAPTER_TITLES.check));
    assert.equal(titles.length, chapters.length - 1);
  });

  it('writes a WebVTT document with one cue per chapter, titles escaped', () => {
    const hostile = sampleScript({ sections: script.sections.map((s, i) => (i === 0 ? { ...s, heading: 'Forces <b>&</b> pairs --> more' } : s)) });
    const vtt = buildChaptersVtt(buildChapters(hostile, segments, duration));
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    const cues = vtt.trim().split('\n\n').slice(1);
    assert.equal(cues.length, chapters.length);
    const [id, timing, text] = cues[1].split('\n');
    assert.equal(id, 'chapter-2');
    assert.match(timing, /^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/);
    assert.equal(text, 'Forces &lt;b&gt;&amp;&lt;/b&gt; pairs --&gt; more');
    assert.match(cues[0], /^chapter-1\n00:00:00\.000 --> /);
    assert.match(cues.at(-1)!, /--> 00:02:00\.000\nSources$/);
  });
});
