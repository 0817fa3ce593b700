import { ScriptSchema, type Script } from '../../shared/domain/script.js';
import { countWords, splitSentences } from '../../shared/text/sentences.js';

/** Two sentences per beat, each beat showing the next point (the last point repeats when points run out). */
function beatsOf(narration: string, points: string[]): Script['sections'][number]['beats'] {
  const sentences = splitSentences(narration);
  const beats: Script['sections'][number]['beats'] = [];
  for (let i = 0; i < sentences.length; i += 2) {
    beats.push({ kind: 'point', say: sentences.slice(i, i + 2).join(' '), text: points[Math.min(points.length - 1, i / 2)]! });
  }
  return beats;
}

/** A hand-made script of about 400 spoken words (3 sections), shaped like the writer's output. */
function makeScript(): Script {
  const drafts = [
    {
      heading: 'What is Newton\u2019s third law?',
      narration:
        'Newton\u2019s third law says that forces always come in pairs. When one object pushes on a second object, the second object pushes back on the first with a force of equal size. The two forces point in opposite directions. They act on different objects, which is why they do not cancel out. Scientists call them an action and reaction pair, but neither force comes first. Both forces appear at the same instant and vanish at the same instant. If you lean on a wall, the wall leans on you just as hard. Swimmers, rockets, and birds all move forward by pushing something else backward.',
      bullets: ['Forces come in pairs', 'Equal size, opposite direction', 'They act on different objects'],
      citations: ['p1'],
    },
    {
      heading: 'The jump shot',
      narration:
        'Think about a player rising for a jump shot. Her legs push down on the hardwood floor. At the same moment the floor pushes up on her with an equal force. That upward push from the floor is what lifts her into the air. The harder she pushes down, the harder the floor pushes up, and the higher she goes. The floor does not seem to move, because the Earth is enormous compared with a person. The same pair of forces acts on both, but the Earth barely notices. Coaches who understand this teach players to drive hard into the floor before every leap.',
      bullets: ['Legs push down on the floor', 'Floor pushes up on the player', 'A bigger push means a higher jump'],
      citations: ['p2'],
    },
    {
      heading: 'Passing and rebounding',
      narration:
        'A chest pass shows the law again. As your hands push the ball forward, the ball pushes your hands backward. You feel that push in your wrists and arms. When a rebound slams into your palms, your palms push back on the ball and stop it. Every contact on the court is a pair of forces. Spotting the pairs helps you explain why players move the way they do. It also helps engineers design shoes, floors, and even the ball itself. Next time you watch a game, try to name both forces in every pair you see.',
      bullets: ['Hands push the ball, the ball pushes back', 'Catching is a pair of forces too', 'Every contact is a force pair'],
      citations: ['p3'],
    },
  ];
  const sections = drafts.map((d) => ({ heading: d.heading, beats: beatsOf(d.narration, d.bullets), citations: d.citations }));
  const script = {
    title: 'Newton\u2019s Third Law on the Basketball Court',
    hook: 'Ever wonder how basketball players seem to fly toward the rim? The secret is a rule about forces that works every single time. Let\u2019s find out how it works, one play at a time.',
    sections,
    keyTakeaways: [
      'Forces always come in pairs that are equal in size and opposite in direction.',
      'The two forces in a pair act on different objects, so they never cancel.',
      'Jumping, passing, and catching all depend on force pairs.',
    ],
    check: { question: 'You lean on a wall with a force of 40 newtons. How hard does the wall push on you?', answer: 'Also 40 newtons, in the opposite direction.' },
    attribution: [
      {
        book: 'College Physics 2e',
        publisher: 'OpenStax',
        license: 'CC BY 4.0',
        licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
        url: 'https://openstax.org/details/books/college-physics-2e',
      },
    ],
    subject: 'physics',
    interest: 'basketball',
    gradeBand: 'high',
    wordCount: 1,
    estimatedSeconds: 1,
    writer: 'test-fixture',
  };
  const spoken = [script.title, script.hook, ...drafts.flatMap((s) => [s.heading, s.narration]), ...script.keyTakeaways, script.check.question, script.check.answer].join(' ');
  script.wordCount = countWords(spoken);
  script.estimatedSeconds = (script.wordCount / 150) * 60;
  return ScriptSchema.parse(script);
}

export const FIXTURE_SCRIPT: Script = makeScript();

/** A minimal valid script (one short sentence per field) for quick runs. */
export function tinyScript(overrides: Partial<Script> = {}): Script {
  return ScriptSchema.parse({
    ...FIXTURE_SCRIPT,
    title: 'Forces',
    hook: 'Forces come in pairs.',
    sections: [0, 1, 2].map((i) => ({ heading: `Part ${i + 1}`, beats: [{ kind: 'point', say: `This is part ${i + 1}. It is short.`, text: 'x' }], citations: ['p'] })),
    keyTakeaways: ['Pairs are equal.', 'Pairs are opposite.'],
    check: { question: 'Which way does the wall push?', answer: 'Back on you.' },
    ...overrides,
  });
}

/** The fixture's sentences in spoken order, derived independently of the narration plan. */
export const FIXTURE_SPOKEN_SENTENCES: string[] = [
  FIXTURE_SCRIPT.title,
  ...splitSentences(FIXTURE_SCRIPT.hook),
  ...FIXTURE_SCRIPT.sections.flatMap((x) => [x.heading, ...x.beats.flatMap((b) => splitSentences(b.say))]),
  'Key takeaways.',
  ...FIXTURE_SCRIPT.keyTakeaways.flatMap((t) => splitSentences(t)),
  'Check yourself.',
  ...splitSentences(FIXTURE_SCRIPT.check.question),
  ...splitSentences(FIXTURE_SCRIPT.check.answer),
  'This lesson draws on College Physics 2e by OpenStax, licensed under Creative Commons Attribution 4.0.',
];
