import assert from 'node:assert/strict';
import { TAKEAWAY_MAX } from '../../shared/domain/script.js';
import type { Beat, Script } from '../../shared/domain/script.js';
import { checkScriptText, DANGLING_REFERENCES, findCut, findDanglingReference, opensWithOrphanPronoun } from '../../shared/writer/check-script-text.js';

/** A script with nothing wrong in its text; each test breaks one thing. */
function cleanScript(): Script {
  return {
    title: "Newton's Third Law on the Basketball Court",
    hook: 'Why do you rise higher when you push harder on the floor? The floor pushes back, and you can feel it on every rebound.',
    sections: [
      {
        heading: 'Forces come in pairs',
        beats: [
          { kind: 'point', say: 'Whenever one object pushes on another, the second pushes back. It never pushes any less.', text: 'Every force has a partner force' },
          { kind: 'term', say: 'These two forces are called an action-reaction pair.', term: 'Action-reaction pair', definition: 'Two equal and opposite forces acting on two different objects' },
          {
            kind: 'equation',
            say: 'In symbols, the force of A on B equals minus the force of B on A.',
            math: { format: 'tex', source: '\\vec{F}_{AB} = -\\vec{F}_{BA}' },
            label: "Newton's third law",
          },
        ],
        citations: ['p1'],
      },
      {
        heading: 'Jumping for a rebound',
        beats: [
          { kind: 'point', say: 'Your legs push down on the floor.', text: 'You push down on the floor' },
          { kind: 'figure', say: 'The figure shows the floor pushing you up with the same force.', figureId: 'fig-1', caption: '(a) A jumper pushes on the floor. (b) The floor pushes back.' },
          { kind: 'interest', say: 'In basketball, the harder you push the floor on a rebound, the harder it pushes you up to the rim.', text: 'Push the floor harder, rise higher for the rebound', icon: 'sports' },
        ],
        citations: ['p2'],
      },
      {
        heading: 'Passing the ball',
        beats: [
          { kind: 'point', say: 'When you throw a chest pass, the ball pushes back on your hands.', text: 'The ball pushes your hands back' },
          { kind: 'example', say: 'A 0.6 kilogram ball is pushed with 12 newtons. What is its acceleration?', title: 'A chest pass', step: 0, text: 'A 0.6 kg ball is pushed with 12 N. Find its acceleration.' },
          { kind: 'interest', say: 'That is why a crisp pass stings your palms a little.', text: 'A crisp pass pushes back on your palms', icon: 'sports' },
        ],
        citations: ['p3'],
      },
    ],
    keyTakeaways: ['Forces always come in action-reaction pairs', 'The two forces act on different objects'],
    check: { question: 'You push a wall with 50 newtons. How hard does the wall push on you?', answer: 'It pushes back with 50 newtons, in the opposite direction.' },
    attribution: [{ book: 'Physics', publisher: 'OpenStax', license: 'CC BY 4.0', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/', url: 'https://openstax.org/details/books/physics' }],
    subject: 'physics',
    interest: 'basketball',
    gradeBand: 'high',
    wordCount: 200,
    estimatedSeconds: 90,
    writer: 'test',
  };
}

function withBeat(script: Script, section: number, beat: number, replacement: Beat): Script {
  script.sections[section].beats[beat] = replacement;
  return script;
}

const codesAt = (script: Script): string[] => checkScriptText(script).map((p) => `${p.code} ${p.where}`);

describe('writer: checkScriptText', () => {
  describe('findDanglingReference: what a sentence points at that the viewer never got', () => {
    const dangling: Array<[string, string]> = [
      ['In step 2, we divide both sides by the mass.', 'step 2'],
      ['Now go back to what we found in step three.', 'step three'],
      ['The fourth method uses a table of values.', 'The fourth method'],
      ['Method 3 is the fastest way to solve it.', 'Method 3'],
      ['Case 1 has no friction at all.', 'Case 1'],
      ['Figure 3 shows a ball in flight.', 'Figure 3'],
      ['The results are plotted in Fig. 4.2 for each trial.', 'Fig. 4.2'],
      ['Table 1 lists the densities of common metals.', 'Table 1'],
      ['Example 5.3 works through the same idea.', 'Example 5.3'],
      ['Substitute this value into Equation 2.', 'Equation 2'],
      ['The answer to part (b) is 12 newtons.', 'part (b)'],
      ['In (a), the ball is at rest.', '(a)'],
      ['Part B asks for the final speed.', 'Part B'],
      ['As shown above, forces come in pairs.', 'shown above'],
      ['The steps are listed below.', 'listed below'],
      ['Use the table above to find the density.', 'table above'],
      ['Solve the following problems.', 'the following'],
      ['Consider the following.', 'the following'],
      ['The law can be stated as follows:', 'as follows:'],
      ['We met vectors in the previous section.', 'previous section'],
      ['The next section covers friction.', 'next section'],
      ['In this chapter, you will learn about energy.', 'this chapter'],
      ['Chapter 7 introduces momentum.', 'Chapter 7'],
      ['See Section 4.2 for the details.', 'Section 4.2'],
      ['The graph shows the speed rising over time.', 'The graph'],
      ['Look at the diagram to see both forces.', 'Look at the diagram'],
      ['This photo was taken on the Moon.', 'This photo'],
      ['The forces are pictured here as arrows.', 'pictured here'],
      ['As discussed earlier, energy is conserved.', 'As discussed earlier'],
      ['Read more about it in your textbook.', 'textbook'],
      ['Try It #3 asks you to find the slope.', 'Try It #3'],
      ['Open the Link to Learning simulation and drag the ball.', 'Link to Learning'],
      ['The forces are shown in , and they balance.', 'shown in'],
    ];
    for (const [sentence, match] of dangling) {
      it(`finds "${match}" in: ${sentence}`, () => assert.equal(findDanglingReference(sentence), match));
    }

    // Ordinary words that look like references; the decisions are in the comments.
    const fine: string[] = [
      "Newton's first law says an object keeps moving unless a force acts on it.",
      'The third law is about pairs of forces.',
      'The ball is 2 meters above the ground.',
      'The rocket climbed above the clouds.',
      'Temperatures fell below zero overnight.',
      // A time, not a list: "the following day" is fine.
      'The following day, the treaty was signed.',
      'The following year, Congress passed the act.',
      // Introducing a step is fine; only numbered steps point at a list the viewer never saw.
      'The first step is to draw every force on the object.',
      'In the next step, divide both sides by 4.',
      'Take it one step at a time.',
      'For example 5 is a prime number.',
      'Solve the equation 2x + 3 = 7 for x.',
      // The mathematical object, not a picture on the page.
      'The graph of a linear function is a straight line.',
      'This chapter in American history began in 1861.',
      'It was a dark chapter of the war.',
      'The value of f(a) is the height of the curve at a.',
      'Many firms filed for Chapter 11 bankruptcy.',
      'Type 2 diabetes changes how the body uses sugar.',
      'The ball rolls off the table and falls.',
      'In case one of the forces is zero, the object keeps moving.',
      'Both gravity and friction act on the sled.',
      'The plot of the novel turns on a secret.',
      'Hundreds of students took part in the march.',
      'It follows that the two forces are equal.',
      'Seen from above, the orbit is almost a circle.',
      // Feature boxes are matched as the books print them.
      'Slow it down and you can watch physics frame by frame.',
    ];
    for (const sentence of fine) {
      it(`finds nothing in: ${sentence}`, () => assert.equal(findDanglingReference(sentence), null));
    }

    it('lets a sentence point at the figure on screen, but never at a numbered one', () => {
      assert.equal(findDanglingReference('The graph shows the speed rising over time.', { figureOnScreen: true }), null);
      assert.equal(findDanglingReference('Look at the diagram to see both forces.', { figureOnScreen: true }), null);
      assert.equal(findDanglingReference('Figure 3 shows a ball in flight.', { figureOnScreen: true }), 'Figure 3');
    });

    it('keeps the patterns as named data', () => {
      assert.ok(DANGLING_REFERENCES.length >= 15);
      assert.equal(new Set(DANGLING_REFERENCES.map((r) => r.name)).size, DANGLING_REFERENCES.length);
    });
  });

  describe('findDanglingReference on sentences of the OpenStax books, verbatim (figure links removed as ingestion removes them)', () => {
    const flagged: Array<[string, string]> = [
      // Physics m54142 (Newton's second law)
      ['Calculate the magnitude of force exerted by each rocket, called its thrust, T, for the four-rocket propulsion system shown below.', 'shown below'],
      ['See the free-body diagram in Figure 4.8.', 'Figure 4.8'],
      // (flagged first for "(g)", read as a part label; "this section" alone would flag it too)
      ['Before beginning this section, review forces, acceleration, acceleration due to gravity (g), friction, inertia, and Newton’s first law.', ''],
      // Physics m54162 (projectile motion)
      ['During a fireworks display like the one illustrated in , a shell is shot into the air with an initial speed of 70.0 m/s at an angle of 75° above the horizontal.', 'illustrated in'],
      // Chemistry 2e m68724 (energy basics)
      ['This property can be used to measure temperature changes, as shown in .', 'shown in'],
      ['Calculate the heat capacity, in joules and in calories per degree, of the following:', 'the following'],
    ];
    for (const [sentence, expected] of flagged) {
      it(`flags "${expected || 'a reference'}": ${sentence.slice(0, 60)}...`, () => {
        const ref = findDanglingReference(sentence);
        assert.ok(ref, 'flagged');
        if (expected) assert.ok(ref.toLowerCase().includes(expected.toLowerCase().split(' ')[0]!), `${ref} names ${expected}`);
      });
    }
    const clean = [
      // Physics m54162, m54142; Chemistry 2e m68724
      'The fuse is timed to ignite the shell just as it reaches its highest point above the ground.',
      'Although most of the world uses newtons as the unit of force, in the United States the most familiar unit of force is the pound (lb), where 1 N = 0.225 lb.',
    ];
    for (const sentence of clean) it(`leaves alone: ${sentence.slice(0, 60)}...`, () => assert.equal(findDanglingReference(sentence), null));
  });

  describe('opensWithOrphanPronoun', () => {
    const cases: Array<[string, string | null, boolean]> = [
      ['This is why rockets work in space.', null, true],
      ['They push back with an equal force.', null, true],
      ['It accelerates toward the ground.', null, true],
      ['These forces act on different objects.', null, true],
      ['Those forces cancel out.', null, true],
      ['Such forces always come in pairs.', null, true],
      ['Both forces have the same size.', null, true],
      ['So this is why the cart moves.', null, true],
      ['"They" is what the coach called the other team.', null, true],
      ['This matters.', '', true],
      ['This is why rockets work in space.', 'A rocket pushes gas out of its engine.', false],
      ['They push back with an equal force.', 'Your hands push on the wall.', false],
      ['It is easy to see why the cart moves.', null, false],
      ['It turns out that forces come in pairs.', null, false],
      ['It is gravity that pulls the apple down.', null, false],
      ['Those who train hard improve faster.', null, false],
      ['Both gravity and friction act on the sled.', null, false],
      ['This year, millions of people will ride a bike.', null, false],
      ['Forces come in pairs.', null, false],
      ['Thistles grow on the hill.', null, false],
      ['Items in motion stay in motion.', null, false],
    ];
    for (const [sentence, previous, expected] of cases) {
      it(`${expected ? 'orphan' : 'fine'}: ${sentence} (after ${JSON.stringify(previous)})`, () => assert.equal(opensWithOrphanPronoun(sentence, previous), expected));
    }
  });

  describe('findCut', () => {
    const cut: Array<[string, string]> = [
      ['Forces come in pairs...', 'ellipsis'],
      ['Forces come in pairs…', 'ellipsis'],
      ['The net force (the sum of all forces', 'unclosed parenthesis'],
      ['Some forces act at a distance (i.e', 'unclosed parenthesis'],
      ['Some forces act at a distance, e.g.', 'abbreviation with nothing after it'],
      ['Forces act on objects and', 'trailing conjunction or preposition'],
      ['The rate of', 'trailing "to" or "of"'],
      ['The force on the', 'trailing conjunction or preposition'],
      ['Energy flows from hot to', 'trailing "to" or "of"'],
      ['Every force has a', 'trailing article'],
      ['Momentum is conserved —', 'trailing dash'],
      ['Momentum is conserved,', 'trailing comma, colon or semicolon'],
    ];
    for (const [text, reason] of cut) it(`cut (${reason}): ${text}`, () => assert.equal(findCut(text), reason));
    const whole = ['Forces come in pairs.', 'Forces come in pairs', 'What does this lead to?', 'It has to.', 'Ask what the Sun is made of.', 'You need vitamin A', 'Apples, pears, etc.', 'Forces come in pairs (action and reaction)',
      // the quadratic formula as OpenStax's MathML is spoken: "a" is a variable
      'x equals the fraction with numerator minus b plus or minus the square root of b squared minus 4 a c and denominator 2 a.'];
    for (const text of whole) it(`whole: ${text}`, () => assert.equal(findCut(text), null));
  });

  describe('checkScriptText', () => {
    it('finds nothing wrong in a clean script', () => assert.deepEqual(checkScriptText(cleanScript()), []));

    it('flags a pronoun opening the hook, a section or the check question, and nowhere else', () => {
      const s = cleanScript();
      s.hook = 'This is why you rise higher when you push harder. The floor pushes back.';
      s.sections[1].beats[0] = { kind: 'point', say: 'They push down on the floor.', text: 'You push down on the floor' };
      s.check.question = 'It pushes a wall with 50 newtons. How hard does the wall push back?';
      assert.deepEqual(codesAt(s), ['ORPHAN_PRONOUN hook', 'ORPHAN_PRONOUN sections[1].beats[0].say', 'ORPHAN_PRONOUN check.question']);
      const problem = checkScriptText(s)[1];
      assert.equal(problem.text, 'They push down on the floor.');
    });

    it('lets a pronoun lean on the sentence before in the same beat or the beat before in the same section', () => {
      const s = cleanScript();
      // sections[0].beats[0] has "It never pushes any less." after its first sentence; beats[1] opens with "These".
      assert.match(s.sections[0].beats[0].say, /\. It /);
      assert.match(s.sections[0].beats[1].say, /^These /);
      assert.deepEqual(checkScriptText(s), []);
    });

    it('does not split sentences at abbreviations or initials', () => {
      const s = withBeat(cleanScript(), 0, 0, { kind: 'point', say: 'Forces act between objects, e.g. Players and the floor.', text: 'Every force has a partner force' });
      assert.deepEqual(checkScriptText(s), []);
    });

    it('flags a figure reference in narration, but lets a figure beat talk about the figure on screen', () => {
      const s = cleanScript();
      s.sections[1].beats[0] = { kind: 'point', say: 'The figure shows your legs pushing down on the floor.', text: 'You push down on the floor' };
      s.sections[2].beats[0] = { kind: 'point', say: 'As shown in Figure 4, the ball pushes back on your hands.', text: 'The ball pushes your hands back' };
      const problems = checkScriptText(s);
      assert.deepEqual(
        problems.map((p) => [p.code, p.where]),
        [
          ['DANGLING_REFERENCE', 'sections[1].beats[0].say'],
          ['DANGLING_REFERENCE', 'sections[2].beats[0].say'],
        ],
      );
      assert.match(problems[1].detail, /Figure 4/);
    });

    it('flags a dangling reference in a takeaway, the check and on-screen text, but not in a figure caption', () => {
      const s = cleanScript();
      s.keyTakeaways[1] = 'The two forces in the previous section act on different objects';
      s.check.answer = 'Use the method in step 2 to find it.';
      s.sections[0].beats[1] = { kind: 'term', say: 'These two forces are called an action-reaction pair.', term: 'Action-reaction pair', definition: 'The pair of forces shown in Table 2' };
      assert.deepEqual(codesAt(s), ['DANGLING_REFERENCE sections[0].beats[1].definition', 'DANGLING_REFERENCE keyTakeaways[1]', 'DANGLING_REFERENCE check.answer']);
    });

    it('flags cut text on screen and in narration', () => {
      const s = cleanScript();
      s.sections[0].beats[1] = { kind: 'term', say: 'These two forces are called an action-reaction pair.', term: 'Action-reaction pair', definition: 'Two equal and opposite forces acting on two different objects and' };
      s.sections[1].beats[1] = { kind: 'figure', say: 'The floor pushes you up with the same force.', figureId: 'fig-1', caption: 'A jumper pushes on the floor (the floor pushes back' };
      s.sections[2].beats[2] = { kind: 'interest', say: 'That is why a crisp pass stings your palms…', text: 'A crisp pass pushes back on your palms —', icon: 'sports' };
      s.keyTakeaways[0] = 'Forces always come in action-reaction pairs of the';
      s.sections[2].beats[1] = { kind: 'example', say: 'A 0.6 kilogram ball is pushed with 12 newtons.', title: 'A chest pass', step: 0, text: 'A 0.6 kg ball is pushed with 12 N (i.e' };
      assert.deepEqual(codesAt(s), [
        'CUT_TEXT sections[0].beats[1].definition',
        'CUT_TEXT sections[1].beats[1].caption',
        'CUT_TEXT sections[2].beats[1].text',
        'CUT_TEXT sections[2].beats[2].say',
        'CUT_TEXT sections[2].beats[2].text',
        'CUT_TEXT keyTakeaways[0]',
      ]);
    });

    it('lets a worked-example step lead into its equation with a colon, but not a step without one', () => {
      const s = cleanScript();
      const math = { format: 'tex' as const, source: 'V_2 = \\frac{V_1 T_2}{T_1}' };
      // Chemistry 2e, 9.2, Example 9.5
      const text = 'Taking V1 and T1 as the initial values, T2 as the temperature at which the volume is unknown and V2 as the unknown volume, and converting °C into K we have:';
      s.sections[2].beats[1] = { kind: 'example', say: 'Taking the initial values, we have V 2 equals V 1 T 2 over T 1.', title: 'Charles', step: 1, text, math };
      assert.deepEqual(codesAt(s), []);
      s.sections[2].beats[1] = { kind: 'example', say: 'Taking the initial values, we have V 2 equals V 1 T 2 over T 1.', title: 'Charles', step: 1, text };
      assert.deepEqual(codesAt(s), ['CUT_TEXT sections[2].beats[1].text']);
    });

    it('flags a point over 60 characters and a takeaway over TAKEAWAY_MAX (200)', () => {
      const s = cleanScript();
      s.sections[0].beats[0] = { kind: 'point', say: 'Whenever one object pushes on another, the second pushes back.', text: 'Every force has a partner force, equal in size and opposite too' };
      s.keyTakeaways[1] = `The two forces of a pair act on two different objects, which is why they never cancel ${'each other '.repeat(15)}`.trim();
      assert.equal(s.sections[0].beats[0].kind === 'point' && s.sections[0].beats[0].text.length, 63);
      assert.deepEqual(codesAt(s), ['SCREEN_TEXT_TOO_LONG sections[0].beats[0].text', 'SCREEN_TEXT_TOO_LONG keyTakeaways[1]']);
      const exactly = cleanScript();
      exactly.sections[0].beats[0] = { kind: 'point', say: 'Whenever one object pushes on another, the second pushes back.', text: 'x'.repeat(60) };
      exactly.keyTakeaways[1] = 'y'.repeat(TAKEAWAY_MAX);
      assert.deepEqual(checkScriptText(exactly), []);
    });

    it('needs two interest beats when the student gave an interest, none for general', () => {
      const one = withBeat(cleanScript(), 2, 2, { kind: 'point', say: 'That is why a crisp pass stings your palms a little.', text: 'A crisp pass stings' });
      const problems = checkScriptText(one);
      assert.deepEqual(
        problems.map((p) => [p.code, p.where, p.text]),
        [['INTEREST_MISSING', 'sections', 'basketball']],
      );
      assert.match(problems[0].detail, /has 1 interest beat/);
      assert.deepEqual(checkScriptText({ ...one, interest: 'general' }), []);
      const none = cleanScript();
      none.sections[1].beats[2] = { kind: 'point', say: 'The harder you push the floor, the harder it pushes you up.', text: 'Push harder, rise higher' };
      none.sections[2].beats[2] = { kind: 'point', say: 'That is why a crisp pass stings your palms a little.', text: 'A crisp pass stings' };
      assert.deepEqual(codesAt({ ...none, interest: 'General' }), []);
      assert.deepEqual(codesAt(none), ['INTEREST_MISSING sections']);
    });

    it('flags blank text (a blank beat leaves the next one nothing to lean on)', () => {
      const s = cleanScript();
      s.hook = '   ';
      s.sections[0].heading = ' ';
      s.sections[0].beats[0] = { kind: 'point', say: ' ', text: 'Every force has a partner force' };
      s.sections[0].beats[2] = { kind: 'equation', say: 'In symbols, the force of A on B equals minus the force of B on A.', math: { format: 'tex', source: ' ' } };
      s.keyTakeaways[0] = '\t';
      assert.deepEqual(codesAt(s), [
        'EMPTY_TEXT hook',
        'EMPTY_TEXT sections[0].heading',
        'EMPTY_TEXT sections[0].beats[0].say',
        'ORPHAN_PRONOUN sections[0].beats[1].say',
        'EMPTY_TEXT sections[0].beats[2].math.source',
        'EMPTY_TEXT keyTakeaways[0]',
      ]);
    });

    it('reports each problem with the text at fault and a reason', () => {
      const s = cleanScript();
      s.hook = 'This is the fourth method. It works.';
      const [orphan, reference] = [...checkScriptText(s)].sort((a, b) => a.code.localeCompare(b.code)).reverse();
      assert.deepEqual([orphan.code, orphan.text], ['ORPHAN_PRONOUN', 'This is the fourth method.']);
      assert.deepEqual([reference.code, reference.text], ['DANGLING_REFERENCE', 'This is the fourth method.']);
      assert.match(reference.detail, /"the fourth method" \(ordinal method or case\)/);
    });
  });
});
