import assert from 'node:assert/strict';
import type { NarrationSegment } from '../../shared/domain/generation.js';
import { planClips, planFrames, totalFrames, type SlideId } from '../../shared/media/frame-plan.js';

const SLIDES: SlideId[] = [
  { slide: 'intro', index: 0, beat: 0 },
  { slide: 'section', index: 0, beat: 0 },
  { slide: 'section', index: 1, beat: 0 },
  { slide: 'section', index: 2, beat: 0 },
  { slide: 'takeaways', index: 0, beat: 0 },
  { slide: 'credits', index: 0, beat: 0 },
];

function seg(slide: NarrationSegment['slide'], index: number, start: number, end: number, beat = 0): NarrationSegment {
  return { slide, index, beat, start, end };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('media: frame plan', () => {
  it('each beat of a section is its own screen, switching at the beat\'s first sentence', () => {
    const slides: SlideId[] = [
      { slide: 'intro', index: 0, beat: 0 },
      { slide: 'section', index: 0, beat: 0 },
      { slide: 'section', index: 0, beat: 1 },
      { slide: 'section', index: 0, beat: 2 },
      { slide: 'credits', index: 0, beat: 0 },
    ];
    const plan = planFrames([seg('intro', 0, 0, 2), seg('section', 0, 2, 4, 0), seg('section', 0, 4, 7.5, 1), seg('section', 0, 7.5, 9, 2), seg('credits', 0, 9, 10)], 10, { slides });
    assert.deepEqual(
      plan.map((e) => [e.slide, e.index, e.beat, e.startFrame, e.frames]),
      [['intro', 0, 0, 0, 60], ['section', 0, 0, 60, 60], ['section', 0, 1, 120, 105], ['section', 0, 2, 225, 45], ['credits', 0, 0, 270, 30]],
    );
  });

  it('total frames is round(duration * 30)', () => {
    assert.equal(totalFrames(180), 5400);
    assert.equal(totalFrames(180.37), 5411);
    assert.equal(totalFrames(12.016), 360);
    assert.equal(totalFrames(12.017), 361);
    assert.equal(totalFrames(0), 0);
    assert.equal(totalFrames(Number.NaN), 0);
  });

  it('slides switch at the frame nearest each segment start and the counts sum to the total', () => {
    const segments = [
      seg('intro', 0, 0.2, 5.1),
      seg('section', 0, 5.35, 60.2), // 160.5 -> round 161
      seg('section', 1, 60.5, 110), // 1815
      seg('section', 2, 110.016, 150), // 3300.48 -> 3300
      seg('takeaways', 0, 150.3, 170), // 4509
      seg('credits', 0, 170.25, 180.1), // 5107.5 -> 5108
    ];
    const plan = planFrames(segments, 180.37, { slides: SLIDES });
    assert.deepEqual(
      plan.map((e) => [e.slide, e.index, e.startFrame, e.frames]),
      [
        ['intro', 0, 0, 161],
        ['section', 0, 161, 1654],
        ['section', 1, 1815, 1485],
        ['section', 2, 3300, 1209],
        ['takeaways', 0, 4509, 599],
        ['credits', 0, 5108, 303],
      ],
    );
    assert.equal(sum(plan.map((e) => e.frames)), 5411);
  });

  it('the first slide starts at frame 0 even when its narration starts later; gaps keep the previous slide', () => {
    const plan = planFrames([seg('intro', 0, 1.5, 2), seg('section', 0, 4, 6)], 10, { slides: SLIDES, creditsSeconds: 0 });
    assert.deepEqual(plan.map((e) => [e.slide, e.startFrame, e.frames]), [['intro', 0, 120], ['section', 120, 180]]);
  });

  it('orders by start time, ignores unknown slides and duplicates, and keeps starts monotonic', () => {
    const plan = planFrames(
      [seg('section', 1, 5, 7), seg('intro', 0, 0, 2), seg('section', 9, 3, 4), seg('section', 0, 2, 5), seg('section', 0, 6, 8), seg('takeaways', 0, 9.5, 10.5), seg('credits', 0, 9.99, 10)],
      10,
      { slides: SLIDES, creditsSeconds: 0 },
    );
    // credits starts at 9.99 s = frame 299.7 -> 300 = the end: it gets no frames and is left out.
    assert.deepEqual(plan.map((e) => `${e.slide}${e.index}:${e.frames}`), ['intro0:60', 'section0:90', 'section1:135', 'takeaways0:15']);
    assert.equal(sum(plan.map((e) => e.frames)), 300);
    for (let i = 1; i < plan.length; i++) assert.equal(plan[i].startFrame, plan[i - 1].startFrame + plan[i - 1].frames);
  });

  it('segments past the end are clamped; slides shorter than 2 frames merge into the previous one', () => {
    const plan = planFrames([seg('intro', 0, 0, 1), seg('section', 0, 1.0, 2), seg('section', 1, 1.02, 3), seg('section', 2, 50, 60)], 3, { slides: SLIDES, creditsSeconds: 0 });
    // section0 would get 1 frame (30..31): merged into intro; section2 starts after the end: dropped.
    assert.deepEqual(plan.map((e) => [`${e.slide}${e.index}`, e.startFrame, e.frames]), [['intro0', 0, 31], ['section1', 31, 59]]);
    assert.ok(plan.every((e) => e.frames >= 2));
  });

  it('reserves the tail for credits when the narration has no credits span', () => {
    const plan = planFrames([seg('intro', 0, 0, 5), seg('section', 0, 5, 30), seg('takeaways', 0, 30, 40)], 40, { slides: SLIDES });
    const last = plan[plan.length - 1];
    assert.equal(last.slide, 'credits');
    assert.equal(last.frames, 90);
    assert.equal(last.startFrame, 1110);
    assert.equal(sum(plan.map((e) => e.frames)), 1200);
  });

  it('without any segment, shares the duration equally between the slides', () => {
    const plan = planFrames([], 6, { slides: SLIDES });
    assert.deepEqual(plan.map((e) => e.frames), [30, 30, 30, 30, 30, 30]);
  });

  it('a zero or invalid duration gives an empty plan', () => {
    assert.deepEqual(planFrames([seg('intro', 0, 0, 1)], 0, { slides: SLIDES }), []);
  });

  describe('clips of a hold', () => {
    it('whole 1 s units plus the remainder', () => {
      assert.deepEqual(planClips(95), [30, 30, 30, 5]);
      assert.deepEqual(planClips(90), [30, 30, 30]);
      assert.deepEqual(planClips(29), [29]);
      assert.deepEqual(planClips(30), [30]);
      assert.deepEqual(planClips(2), [2]);
      assert.deepEqual(planClips(0), []);
    });
    it('never a 1-frame clip (two IDR pictures in a row) unless the hold is 1 frame', () => {
      assert.deepEqual(planClips(31), [16, 15]);
      assert.deepEqual(planClips(61), [30, 16, 15]);
      assert.deepEqual(planClips(1), [1]);
      for (let n = 2; n < 400; n++) {
        const c = planClips(n);
        assert.equal(sum(c), n, `sum for ${n}`);
        assert.ok(c.every((x) => x >= 2 && x <= 30), `clip sizes for ${n}: ${c}`);
      }
    });
  });
});
