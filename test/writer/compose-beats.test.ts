import assert from 'node:assert/strict';
import type { Equation, GlossaryEntry } from '../../shared/domain/library.js';
import { checkQuestion, definitionOpening, equationBeat, exampleSection, interestSlot, namesAndDates, pickEquations, sentencesToBeats, sentenceSubject, withArticle } from '../../shared/writer/compose-beats.js';
import type { Beat } from '../../shared/domain/script.js';
import { EMPTY_MATERIALS } from '../../shared/domain/library.js';
import { findCut } from '../../shared/writer/check-script-text.js';

const equation = (over: Partial<Equation>): Equation => ({
  id: 'e1',
  topicId: 't',
  math: { format: 'tex', source: 'F = ma' },
  speech: 'F equals m a',
  context: '',
  ordinal: 0,
  ...over,
});

describe('writer: composing beats', () => {
  it('a worked-example step that is a connective before its equation shows the word, not a cut ("Therefore,")', () => {
    const math = { format: 'tex' as const, source: 'x = 2' };
    const section = exampleSection(
      {
        id: 'ex', topicId: 't', title: 'Solving a log equation', ordinal: 0,
        problem: 'Solve log x = log 2.',
        steps: [
          { text: 'The logarithms have the same base, so the arguments are equal.', speech: 'The logarithms have the same base, so the arguments are equal.' },
          { text: 'Therefore,', math, speech: 'Therefore, x equals 2,' },
        ],
      },
      'p1',
    );
    const step = section!.beats.find((b) => b.kind === 'example' && b.step === 2);
    assert.ok(step && step.kind === 'example');
    assert.equal(step.text, 'Therefore');
    assert.equal(findCut(step.text), null);
    // its spoken equation ended on a row's comma: the sentence ends there
    assert.equal(step.say, 'Therefore, x equals 2.');
  });

  const names: Array<[string, string | null]> = [
    ['The Townshend Revenue Act of 1767 placed duties on various consumer items like paper, paint, lead, tea, and glass.', 'Townshend Revenue Act \u00b7 1767'],
    ['The Declaratory Act of 1766 had articulated Great Britain\u2019s supreme authority over the colonies.', 'Declaratory Act \u00b7 1766 \u00b7 Great Britain'],
    ['For a second time, many colonists resented what they perceived as an effort to tax them.', null],
    ['Friction is a force that resists sliding.', null],
  ];
  for (const [sentence, expected] of names) {
    it(`names and dates of "${sentence.slice(0, 40)}..." -> ${expected}`, () => assert.equal(namesAndDates(sentence), expected));
  }

  const subjects: Array<[string, string | null]> = [
    ['Newton\u2019s second law states that the net external force acting on an object is responsible for the acceleration of the object.', 'Newton\u2019s second law'],
    ['The net force is the sum of all of them, taking their directions into account, however they act.', 'The net force'],
    ['When an object is dropped, it accelerates toward the center of Earth, as everything does near the ground.', null],
    ['This single relationship lets physicists predict motion from the forces involved in any situation.', null],
  ];
  for (const [sentence, expected] of subjects) {
    it(`the subject of "${sentence.slice(0, 40)}..." -> ${expected}`, () => assert.equal(sentenceSubject(sentence), expected));
  }

  it('a sentence that defines a glossary term becomes its card, shown once in the lesson', () => {
    const glossary: GlossaryEntry[] = [{ term: 'inertia', definition: 'the tendency of an object to keep its state of motion' }];
    const ctx = { glossary, figuresByPassage: new Map(), shownFigures: new Set<string>() };
    const first = sentencesToBeats([{ text: 'Inertia is the tendency of an object to keep moving or stay at rest.', passageId: 'p' }], ctx, 'Inertia');
    assert.equal(first[0]?.kind, 'term');
    const again = sentencesToBeats([{ text: 'Inertia is why you lurch forward when a bus stops.', passageId: 'p' }], ctx, 'Inertia');
    assert.notEqual(again[0]?.kind, 'term', 'the card is not shown twice');
  });

  it('a sentence with a dangling reference is left out', () => {
    const ctx = { glossary: [], figuresByPassage: new Map(), shownFigures: new Set<string>() };
    const beats = sentencesToBeats([{ text: 'Carefully substitute the values noted in step 2.', passageId: 'p' }, { text: 'Forces come in pairs.', passageId: 'p' }], ctx, 'Forces');
    assert.deepEqual(beats.map((b) => b.say), ['Forces come in pairs.']);
  });

  it('a point shows a phrase of its sentence rather than repeat the heading (U.S. History 7.3, The First New Deal)', () => {
    const ctx = { glossary: [], figuresByPassage: new Map(), shownFigures: new Set<string>() };
    const sentence = 'What later became known as the “First New Deal” ushered in a wave of legislative activity seldom before seen in the history of the country.';
    const [beat] = sentencesToBeats([{ text: sentence, passageId: 'p' }], ctx, 'The First New Deal');
    assert.equal(beat?.kind, 'point');
    assert.equal(beat?.kind === 'point' ? beat.text : '', 'Legislative activity');
  });

  it('an equation is said in words and named when the book names it', () => {
    assert.equal(equationBeat(equation({ label: "Newton's second law" })).say, "Newton's second law says: F equals m a.");
    assert.equal(equationBeat(equation({ label: 'quadratic formula', speech: 'x equals y' })).say, 'The quadratic formula says: x equals y.');
    // the book's label in title case (Algebra and Trigonometry 2e, 2.5)
    assert.equal(equationBeat(equation({ label: 'Quadratic Formula', speech: 'x equals y' })).say, 'The quadratic formula says: x equals y.');
    assert.match(equationBeat(equation({})).say, /^In symbols: F equals m a\.$/);
  });

  it('the equation the question types comes first, and one form per law', () => {
    const eqs = [
      equation({ id: 'w', math: { format: 'tex', source: 'W = mg' }, speech: 'W equals m g', ordinal: 0 }),
      equation({ id: 'f1', label: "Newton's second law", math: { format: 'tex', source: 'a = F/m' }, speech: 'a equals F over m', ordinal: 1 }),
      equation({ id: 'f2', label: "Newton's second law", ordinal: 2 }),
    ];
    const picked = pickEquations(eqs, new Set(['mean']), 'what does F = ma mean', 2);
    assert.equal(picked.length, 2);
    assert.ok(['f1', 'f2'].includes(picked[0]!.eq.id));
    assert.equal(picked.filter((p) => p.eq.label).length, 1);
  });

  it('the check question prefers the module review question, else a key term', () => {
    const review = { ...EMPTY_MATERIALS, reviewQuestions: [{ id: 'r', topicId: 't', question: 'What is 2 + 2?', answer: '4' }] };
    assert.deepEqual(checkQuestion(review, null, 'x', 'Topic'), { question: 'What is 2 + 2?', answer: '4' });
    const byTerm = checkQuestion(EMPTY_MATERIALS, { term: 'inertia', definition: 'the tendency to keep moving' }, 'x', 'Topic');
    assert.equal(byTerm.question, 'In your own words: what is inertia?');
    assert.equal(byTerm.answer, 'The tendency to keep moving.');
  });

  it('the check shows the book\'s math in symbols when the review question has a screen form, and says it in words', () => {
    const review = { ...EMPTY_MATERIALS, reviewQuestions: [{ id: 'q', topicId: 't', question: 'Solve x squared equals 9.', answer: 'x equals plus or minus 3', questionScreen: 'Solve x² = 9.', answerScreen: 'x = ±3' }] };
    assert.deepEqual(checkQuestion(review, null, 'x', 'Topic'), { question: 'Solve x squared equals 9.', answer: 'x equals plus or minus 3', shown: { question: 'Solve x² = 9.', answer: 'x = ±3' } });
  });
});

describe('writer: a "what is X" question answered first, in the book\'s words', () => {
  // Glossary entries as ingested from OpenStax (U.S. History 6.4; Physics 4.2; Algebra and Trigonometry 2e 7.3; Chemistry 2e 3.1)
  const glossary: GlossaryEntry[] = [
    { term: 'Louisiana Purchase', definition: 'the U.S. purchase of the large territory of Louisiana from France in 1803' },
    { term: 'inertia', definition: 'the tendency of an object at rest to remain at rest, or for a moving object to remain in motion in a straight line and at a constant speed' },
    { term: 'unit circle', definition: 'A unit circle has a center at 0, 0 and radius 1.' },
    { term: 'molar mass', definition: 'mass in grams of 1 mole of a substance' },
    { term: 'covalent bond', definition: 'Such bonds are called covalent bonds' },
  ];

  it('says what X is, with the article a name takes and the tense asked in', () => {
    assert.deepEqual(definitionOpening('What was the Louisiana Purchase?', glossary), {
      kind: 'term',
      say: 'The Louisiana Purchase was the U.S. purchase of the large territory of Louisiana from France in 1803.',
      term: 'Louisiana Purchase',
      definition: 'the U.S. purchase of the large territory of Louisiana from France in 1803',
    });
    assert.equal(definitionOpening("what's inertia", glossary)?.say.slice(0, 30), 'Inertia is the tendency of an ');
    // an article-less definition gets "the"; the subject after the term is allowed
    assert.equal(definitionOpening('What is molar mass in chemistry?', glossary)?.say, 'Molar mass is the mass in grams of 1 mole of a substance.');
  });

  it('opens with nothing when the definition leans elsewhere or the question is not "what is"; a sentence about the term is said as it is', () => {
    assert.equal(definitionOpening('What is the unit circle?', glossary)?.say, 'A unit circle has a center at 0, 0 and radius 1.', 'a sentence about the term is said as it is');
    assert.equal(definitionOpening('What are covalent bonds?', glossary), null);
    assert.equal(definitionOpening('How did the Louisiana Purchase change the country?', glossary), null);
    assert.equal(definitionOpening('What is momentum?', glossary), null);
  });

  it('a name takes "the", a possessive or a single word does not', () => {
    assert.equal(withArticle('Louisiana Purchase'), 'the Louisiana Purchase');
    assert.equal(withArticle("Newton's third law"), "Newton's third law");
    assert.equal(withArticle('inertia'), 'inertia');
  });

  it('an interest card never goes between a sentence and the one that leans on it', () => {
    const p = (say: string): Beat => ({ kind: 'point', say, text: 'x' });
    const beats = [p('Until 1801, Spain had controlled New Orleans.'), p('That year, however, the Spanish had ceded Louisiana to France.'), p('Jefferson sent envoys to Paris.')];
    assert.equal(interestSlot(beats), 2);
    assert.equal(interestSlot([p('One.'), p('Two.'), p('Three.'), p('Four.')]), 2);
    // U.S. History 7.3, the First New Deal: "he" and "to do so" lean on the sentence before
    const deal = [p('Roosevelt was committed to addressing the underlying problems inherent in the American economy.'), p('In his efforts to do so, he created two of the most significant pieces of New Deal legislation.')];
    assert.equal(interestSlot(deal), 2);
    assert.equal(interestSlot([p('Farms failed.'), p('By doing this, Congress raised prices.')]), 2);
    assert.equal(interestSlot([p('Farms failed.'), p('In the spring of 1933, Congress passed the AAA.')]), 1, 'a date is not a reference back');
  });
});
