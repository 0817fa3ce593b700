import type { Script } from '../../shared/domain/script.js';
import type { NarrationSegment, Cue } from '../../shared/domain/generation.js';

/** A small but complete script in the shape the writer produces. */
export function sampleScript(overrides: Partial<Script> = {}): Script {
  return {
    title: "Newton's Third Law on the Basketball Court",
    hook: 'Ever wonder why you jump higher when you push harder on the floor? The floor pushes back, and that is physics you can feel on every rebound.',
    sections: [
      {
        heading: 'Forces come in pairs',
        beats: [
          { kind: 'point', say: 'Whenever one object pushes on another, the second pushes back.', text: 'Every force has a partner force' },
          { kind: 'term', say: 'The two forces are called an action-reaction pair.', term: 'Action-reaction pair', definition: 'Two forces of equal size and opposite direction, acting on two different objects' },
          { kind: 'equation', say: 'In symbols, the force of A on B equals minus the force of B on A.', math: { format: 'tex', source: '\\vec{F}_{AB} = -\\vec{F}_{BA}' }, label: "Newton's third law" },
        ],
        citations: ['p1'],
      },
      {
        heading: 'Jumping for a rebound',
        beats: [
          { kind: 'point', say: 'Your legs push down on the floor.', text: 'You push down on the floor' },
          { kind: 'figure', say: 'The floor pushes you up with the same force.', figureId: 'fig-1', caption: 'A jumper pushes on the floor; the floor pushes back.' },
          { kind: 'interest', say: 'On a rebound, the harder you push the floor, the harder it pushes you up to the rim.', text: 'Push the floor harder, rise higher for the rebound', icon: 'sports' },
        ],
        citations: ['p2'],
      },
      {
        heading: 'Passing the ball',
        beats: [
          { kind: 'point', say: 'When you throw a chest pass the ball pushes back on your hands.', text: 'The ball pushes your hands back' },
          { kind: 'example', say: 'A 0.6 kilogram ball is pushed with 12 newtons. What is its acceleration?', title: 'A chest pass', step: 0, text: 'A 0.6 kg ball is pushed with 12 N. Find its acceleration.' },
          { kind: 'example', say: 'Acceleration is force divided by mass: 12 over 0.6 is 20 metres per second squared.', title: 'A chest pass', step: 1, text: 'Divide the force by the mass', math: { format: 'tex', source: 'a = \\frac{F}{m} = \\frac{12\\,\\text{N}}{0.6\\,\\text{kg}} = 20\\,\\text{m/s}^2' } },
          { kind: 'interest', say: 'That is why a crisp pass stings your palms a little.', text: 'A crisp pass pushes back on your palms', icon: 'sports' },
        ],
        citations: ['p3'],
      },
    ],
    keyTakeaways: ['Forces always come in action-reaction pairs', 'The two forces act on different objects', 'They are equal in size and opposite in direction'],
    check: { question: 'You push a wall with 50 newtons. How hard does the wall push on you?', answer: 'With 50 newtons, in the opposite direction.' },
    attribution: [
      {
        book: 'University Physics Volume 1',
        publisher: 'OpenStax',
        license: 'CC BY 4.0',
        licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
        url: 'https://openstax.org/books/university-physics-volume-1/pages/5-5-newtons-third-law',
      },
    ],
    subject: 'physics',
    interest: 'basketball',
    gradeBand: 'high',
    wordCount: 420,
    estimatedSeconds: 180,
    writer: 'test',
    ...overrides,
  };
}

/**
 * Segments splitting `duration` seconds over the screens of `script` (intro, each beat, each
 * takeaway, check question and answer, credits) with the given weights, separated by small pauses.
 */
export function sampleSegments(duration: number, script: Script = sampleScript(), weights = { intro: 1, beat: 1, takeaway: 0.4, check: 0.6, credits: 0.6 }): NarrationSegment[] {
  const parts: Array<{ slide: NarrationSegment['slide']; index: number; beat: number; w: number }> = [
    { slide: 'intro', index: 0, beat: 0, w: weights.intro },
    ...script.sections.flatMap((s, i) => s.beats.map((_b, j) => ({ slide: 'section' as const, index: i, beat: j, w: weights.beat }))),
    ...script.keyTakeaways.map((_t, j) => ({ slide: 'takeaways' as const, index: 0, beat: j, w: weights.takeaway })),
    { slide: 'check', index: 0, beat: 0, w: weights.check },
    { slide: 'check', index: 0, beat: 1, w: weights.check },
    { slide: 'credits', index: 0, beat: 0, w: weights.credits },
  ];
  const total = parts.reduce((n, p) => n + p.w, 0);
  let t = 0;
  return parts.map((p) => {
    const len = (duration * p.w) / total;
    const seg = { slide: p.slide, index: p.index, beat: p.beat, start: Number(t.toFixed(3)), end: Number(Math.max(t, t + len - 0.25).toFixed(3)) };
    t += len;
    return seg;
  });
}

/** One cue per sentence-ish chunk across the duration. */
export function sampleCues(duration: number, texts: string[]): Cue[] {
  const step = duration / texts.length;
  return texts.map((text, i) => ({ start: i * step, end: (i + 1) * step - 0.05, text }));
}
