import assert from 'node:assert/strict';
import { sectionNarration } from '../../shared/domain/script.js';
import { EMPTY_MATERIALS } from '../../shared/domain/library.js';
import type { Book, Passage, Topic } from '../../shared/domain/library.js';
import { ScriptSchema } from '../../shared/domain/script.js';
import {
  definitionStrength,
  definitionTerms,
  isProcedural,
  isSpokenFormula,
  leansOnPrevious,
  toTakeaway,
  usableSentences,
} from '../../shared/writer/extract.js';
import { TAKEAWAY_MAX_CHARS, writeExtractiveScript, type ExtractiveScriptInput } from '../../shared/writer/write-extractive-script.js';

describe('writer: definitions, procedures and connectives', () => {
  const terms = definitionTerms("Newton's Third Law of Motion", ['Newton’s third law of motion', 'normal force', 'thrust']);

  it('takes the title, its multi-word parts and the key terms as the terms a topic defines', () => {
    assert.deepEqual(terms, ['Newton’s third law of motion', 'normal force', 'thrust', "Newton's Third Law"]);
    assert.deepEqual(definitionTerms('4.2 Speed and Velocity: Motion', ['speed', 'velocity']), ['speed', 'velocity', 'Speed and Velocity']);
  });

  const strengths: Array<[string, number]> = [
    ["Newton's third law of motion states that whenever one object exerts a force on another, it feels an equal and opposite force.", 3],
    ['The force that pushes a rocket forward is called thrust.', 3],
    ['The normal force is the outward force that a surface applies to an object.', 2],
    ['Thrust is a force that pushes an object forward.', 2],
    ['Newton’s third law of motion tells us that forces always occur in pairs.', 2.5],
    ['Newton’s third law is useful for figuring out which forces are external to a system.', 1],
    ['This reaction force is called thrust.', 3],
    ['If you have ever stubbed your toe, you have felt the floor push back.', 0],
    ['The substances undergoing reaction are called reactants.', 1],
  ];
  for (const [sentence, expected] of strengths) {
    it(`definitionStrength ${expected}: ${sentence.slice(0, 60)}`, () => assert.equal(definitionStrength(sentence, terms), expected));
  }

  it('finds the definition of a key term as the object of "is called"', () => {
    const quadratic = definitionTerms('Quadratic Equations', ['quadratic equation', 'quadratic formula']);
    assert.equal(definitionStrength('An equation containing a second-degree polynomial is called a quadratic equation.', quadratic), 3);
    assert.equal(definitionStrength('Proportionally, the monitors appear very similar.', quadratic), 0);
  });

  const procedures: Array<[string, boolean]> = [
    ['Next, make a list of knowns and unknowns and assign variable names to the quantities given in the problem.', true],
    ['Figure out which variables need to be calculated; these are the unknowns.', true],
    ['First, identify the physical principles involved.', true],
    ['Given a quadratic equation with the leading coefficient of 1, factor it.', true],
    ['With the quadratic in standard form, a x squared plus b x plus c equals 0, multiply a times c.', true],
    ['Recall that identifying external forces is important when setting up a problem.', true],
    ['Rockets move forward by expelling gas backward at a high velocity.', false],
    ['Military strategies changed as the war went on.', false],
  ];
  for (const [sentence, expected] of procedures) {
    it(`isProcedural ${expected}: ${sentence.slice(0, 60)}`, () => assert.equal(isProcedural(sentence), expected));
  }

  const leaning: Array<[string, boolean]> = [
    ['This is exactly what happens whenever one object exerts a force on another.', true],
    ['Similarly, a car accelerates because the ground pushes forward on its wheels.', true],
    ['Recall that identifying external forces is important.', true],
    ['In this case, there are two different systems.', true],
    ['Other examples of Newton’s third law are easy to find.', true],
    ['Extending this symbolism to quantities involves writing a chemical equation.', true],
    ['It has long been known that pure carbon occurs in different forms.', false],
    ['It is sometimes convenient to use fractions as intermediate coefficients.', false],
    ['Rockets move forward by expelling gas backward.', false],
  ];
  for (const [sentence, expected] of leaning) {
    it(`leansOnPrevious ${expected}: ${sentence.slice(0, 60)}`, () => assert.equal(leansOnPrevious(sentence), expected));
  }

  it('recognises a formula read out in words', () => {
    assert.ok(isSpokenFormula('C sub 2 H sub 6 plus 7 over 2 O sub 2 yields 3 H sub 2 O plus 2 CO sub 2.'));
    assert.ok(isSpokenFormula('v sub avg equals distance over time.'));
    assert.ok(!isSpokenFormula('Average speed is the distance traveled divided by the time.'));
  });

  it('narrates a sentence without its pointer to a figure or another section', () => {
    assert.deepEqual(usableSentences('Consider a swimmer pushing off from the side of a pool, as illustrated in the figure. She pushes hard.'), [
      'Consider a swimmer pushing off from the side of a pool.',
      'She pushes hard.',
    ]);
    assert.deepEqual(usableSentences('The chemical equation described in section 4.1 is balanced, meaning that atoms are conserved.'), [
      'The chemical equation is balanced, meaning that atoms are conserved.',
    ]);
  });

  it('makes short takeaways: whole sentences, clean clauses, or nothing', () => {
    assert.equal(toTakeaway('Thrust is a force that pushes an object forward.', TAKEAWAY_MAX_CHARS), 'Thrust is a force that pushes an object forward.');
    assert.equal(toTakeaway('However, rockets and airplanes are pushed forward by thrust.', TAKEAWAY_MAX_CHARS), 'Rockets and airplanes are pushed forward by thrust.');
    const cut = toTakeaway(
      'When an object rests on a surface, the surface applies a force on the object that opposes the weight of the object, which keeps it from sinking.',
      TAKEAWAY_MAX_CHARS,
    );
    assert.ok(cut && cut.length <= TAKEAWAY_MAX_CHARS && !cut.includes('\u2026'), String(cut));
  });
});

describe('writeExtractiveScript: the core idea', () => {
  const book: Book = {
    id: 'test-book',
    title: 'Test Physics',
    subject: 'physics',
    publisher: 'Test Press',
    license: 'CC BY 4.0',
    licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
    url: 'https://example.org/book',
  };
  const topic: Topic = {
    id: 'test-book/third-law',
    bookId: book.id,
    title: 'Newton’s Third Law of Motion',
    subject: 'physics',
    chapter: 'Forces',
    moduleId: null,
    objectives: ['Describe Newton’s third law.'],
    keyTerms: ['Newton’s third law of motion', 'thrust'],
    ordinal: 0,
  };
  const passage = (n: number, heading: string, text: string): Passage => ({
    id: `${topic.id}#p${n}`,
    topicId: topic.id,
    ordinal: n,
    heading,
    text,
    figureIds: [],
  });
  const sources: Passage[] = [
    passage(
      0,
      'Describing the law',
      'If you have ever stubbed your toe on a heavy table leg in the dark, you have noticed that the table seems to push back on your toe just as hard as you hit it. ' +
        'Although the first thought that crosses your mind is probably about the pain rather than about physics, that painful push is a real force acting on you. ' +
        'This is exactly what happens whenever one object exerts a force on another object of any kind. ' +
        'Newton’s third law of motion states that whenever a first object exerts a force on a second object, the first object experiences a force equal in magnitude but opposite in direction. ' +
        'Newton’s third law of motion tells us that forces always occur in pairs, and one object cannot push on another without being pushed back.',
    ),
    passage(
      1,
      'Describing the law',
      'Other examples of Newton’s third law are easy to find. As a teacher paces in front of a whiteboard, he exerts a force backward on the floor. ' +
        'The floor exerts a reaction force forward on the teacher that causes him to accelerate forward. ' +
        'A car accelerates because the ground pushes forward on its wheels in reaction to the wheels pushing backward on the ground. ' +
        'Helicopters create lift by pushing air down, creating an upward reaction force on the blades.',
    ),
    passage(
      2,
      'Applying the law',
      'Rockets move forward by expelling gas backward at a high velocity. The rocket pushes backward on the gas, and the gas pushes forward on the rocket in response. ' +
        'This reaction force is called thrust. A common misconception is that rockets push on the air behind them, but they work even better in the vacuum of space.',
    ),
    passage(
      3,
      'Applying the law',
      'Swimmers use the same idea when they push off from the wall of a pool with their feet. The wall pushes back on the swimmer with a force of equal size. ' +
        'The swimmer then glides away from the wall in the direction opposite to her push. Skaters, runners and jumpers all move by pushing back on something.',
    ),
    passage(
      4,
      'Problem-solving strategy',
      'Next, make a list of knowns and unknowns and assign variable names to the quantities given in the problem. Figure out which variables need to be calculated. ' +
        'Label the forces carefully, and make sure that their lengths are proportional to the magnitude of the forces. Then solve the problem for the unknowns.',
    ),
    passage(
      5,
      'Section Summary',
      'Newton’s third law of motion states that when one body exerts a force on a second body, the first body experiences a force that is equal in magnitude and opposite in direction. ' +
        'Thrust is a force that pushes an object forward in response to the backward ejection of mass by the object. Rockets and airplanes are pushed forward by thrust.',
    ),
  ];
  const input: ExtractiveScriptInput = {
    topic,
    book,
    passages: sources,
    figures: [],
    materials: EMPTY_MATERIALS,
    question: 'why do I get pushed back when I jump off a skateboard',
    grade: 10,
    interest: 'skateboarding',
  };

  it('states the law in the first section, past the vivid opening', () => {
    const script = writeExtractiveScript(input);
    assert.doesNotThrow(() => ScriptSchema.parse(script));
    assert.match(sectionNarration(script.sections[0]), /third law of motion states that/);
    assert.doesNotMatch(sectionNarration(script.sections[0]), /^This is exactly/);
  });

  it('takes the takeaways from the summary and cites it, never filler or a procedure', () => {
    const script = writeExtractiveScript(input);
    assert.ok(script.keyTakeaways.some((t) => /states that/.test(t) && /equal/.test(t) && /opposite/.test(t)), JSON.stringify(script.keyTakeaways));
    assert.ok(script.keyTakeaways.some((t) => /^Thrust is a force/.test(t)), JSON.stringify(script.keyTakeaways));
    for (const t of script.keyTakeaways) assert.doesNotMatch(t, /easy to find|list of knowns|^This\b/);
    assert.ok(script.sections.some((s) => s.citations.includes(`${topic.id}#p5`)), 'the summary is cited');
    assert.ok(!script.sections.some((s) => s.heading === 'Section Summary'), 'the summary is not narrated as a section');
    const narration = script.sections.map((s) => sectionNarration(s)).join(' ');
    assert.doesNotMatch(narration, /list of knowns|Figure out which variables/);
    for (const s of script.sections) assert.doesNotMatch(sectionNarration(s), /^(?:This|These|Similarly|Therefore|However|In this case|Recall that|Other examples)\b/);
  });

  it('borrows the statement for the first section when it comes later in the sources', () => {
    const later: ExtractiveScriptInput = {
      ...input,
      passages: [
        passage(
          0,
          'Introduction',
          'Skateboarders, swimmers and astronauts all share a secret about how they get moving. Watch any of them closely and you will notice something surprising about the direction of their push. ' +
            'A skater who wants to roll forward pushes backward against the ground with one foot. A swimmer who wants to glide away from a wall pushes toward the wall with both feet.',
        ),
        ...sources.slice(1, 4).map((p) => ({ ...p, ordinal: p.ordinal + 1 })),
        passage(
          9,
          'Stating the law',
          'Newton’s third law of motion states that whenever a first object exerts a force on a second object, the first object experiences a force equal in magnitude but opposite in direction. ' +
            'Forces therefore always come in pairs that act on two different objects, which is why they do not cancel each other out.',
        ),
      ],
    };
    const script = writeExtractiveScript(later);
    assert.match(sectionNarration(script.sections[0]), /third law of motion states that/);
    assert.ok(script.sections[0].citations.includes(`${topic.id}#p9`));
    // Sections are still in reading order of their own passages.
    assert.equal(script.sections[0].citations[0], `${topic.id}#p0`);
  });

  it('is deterministic and independent of the order of the passages', () => {
    assert.deepEqual(writeExtractiveScript(input), writeExtractiveScript({ ...input, passages: [...sources].reverse() }));
  });
});
