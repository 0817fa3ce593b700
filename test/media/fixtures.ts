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
        narration: 'Whenever one object pushes on another, the second pushes back.',
        bullets: ['Every force has a partner force', 'The pair acts on two different objects', 'Equal in size, opposite in direction'],
        citations: ['p1'],
      },
      {
        heading: 'Jumping for a rebound',
        narration: 'Your legs push down on the floor and the floor pushes you up.',
        bullets: ['You push down on the floor', 'The floor pushes up on you with the same force', 'That upward push launches your jump'],
        citations: ['p2'],
        figureId: 'fig-1',
      },
      {
        heading: 'Passing the ball',
        narration: 'When you throw a chest pass the ball pushes back on your hands.',
        bullets: ['Hands push the ball forward', 'The ball pushes your hands back', 'Mass decides who accelerates more'],
        citations: ['p3'],
      },
    ],
    keyTakeaways: ['Forces always come in action-reaction pairs', 'The two forces act on different objects', 'They are equal in size and opposite in direction'],
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
 * Segments splitting `duration` seconds over intro, n sections, takeaways, credits with the
 * given weights (intro, each section, takeaways, credits), separated by small pauses.
 */
export function sampleSegments(duration: number, sections: number, weights = { intro: 1, section: 3, takeaways: 1.2, credits: 0.6 }): NarrationSegment[] {
  const parts: Array<{ slide: NarrationSegment['slide']; index: number; w: number }> = [
    { slide: 'intro', index: 0, w: weights.intro },
    ...Array.from({ length: sections }, (_, i) => ({ slide: 'section' as const, index: i, w: weights.section })),
    { slide: 'takeaways', index: 0, w: weights.takeaways },
    { slide: 'credits', index: 0, w: weights.credits },
  ];
  const total = parts.reduce((n, p) => n + p.w, 0);
  let t = 0;
  return parts.map((p) => {
    const len = (duration * p.w) / total;
    const seg = { slide: p.slide, index: p.index, start: Number(t.toFixed(3)), end: Number(Math.max(t, t + len - 0.25).toFixed(3)) };
    t += len;
    return seg;
  });
}

/** One cue per sentence-ish chunk across the duration. */
export function sampleCues(duration: number, texts: string[]): Cue[] {
  const step = duration / texts.length;
  return texts.map((text, i) => ({ start: i * step, end: (i + 1) * step - 0.05, text }));
}
