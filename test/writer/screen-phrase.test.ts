import assert from 'node:assert/strict';
import { SCREEN_PHRASE_MAX } from '../../shared/domain/script.js';
import { findCut, findDanglingReference } from '../../shared/writer/check-script-text.js';
import { toScreenPhrase } from '../../shared/writer/screen-phrase.js';

/**
 * Sentences quoted from OpenStax Physics, Chemistry 2e, Algebra and Trigonometry and U.S. History
 * (CC BY 4.0), with the phrase expected on screen, or null when no strategy makes one fit.
 */
const OPENSTAX: Array<[sentence: string, expected: string | null, strategy: string]> = [
  ['Thrust is a force that pushes an object forward.', 'Thrust is a force that pushes an object forward', 'whole sentence'],
  ['Note that the restoring force is proportional to the deformation x.', 'The restoring force is proportional to the deformation x', 'opener'],
  ['Thus, heat capacity is an extensive property, and specific heat is an intensive one.', 'Heat capacity is an extensive property', 'opener, first clause'],
  [
    'However, many northerners feared the impact of the Fugitive Slave Act, which made it a crime not only to help enslaved people escape, but also to fail to help capture them.',
    'Many northerners feared the impact of the Fugitive Slave Act',
    'opener, which',
  ],
  ['Light travels about one million times faster than sound, which travels about one hundred times faster than water waves.', 'Light travels about one million times faster than sound', 'which'],
  ['Congress passed the Force Bill of 1833, which gave the federal government the right to use federal troops to ensure compliance with federal law.', 'Congress passed the Force Bill of 1833', 'which'],
  ['In many cases, acceleration is not uniform because the force acting on the accelerating object is not constant over time.', 'In many cases, acceleration is not uniform', 'because'],
  ['Note that F and x have opposite signs because they are in opposite directions—the restoring force is up, and the displacement is down.', 'F and x have opposite signs', 'opener, because'],
  [
    'The more active metals (lower reduction potential) are called sacrificial anodes because as they get used up as they corrode (oxidize) at the anode.',
    'The more active metals are called sacrificial anodes',
    'because, parentheticals',
  ],
  ['Average speed is a scalar, so we do not include direction in the answer.', 'Average speed is a scalar', 'first clause'],
  ['White light is a combination of all colors, so when all colors are added together on the additive color wheel, the result is white.', 'White light is a combination of all colors', 'first clause'],
  ['Positively charged ions are called cations, and negatively charged ions are called anions.', 'Positively charged ions are called cations', 'first clause'],
  ['Acceleration is the rate of change of velocity; we will discuss acceleration more in another chapter.', 'Acceleration is the rate of change of velocity', 'semicolon'],
  ['The maximum displacement from equilibrium is called the amplitude X.', 'Amplitude X: the maximum displacement from equilibrium', 'X is called Y'],
  ['Why not write down all the digits your calculator produces?', 'Why not write down all the digits your calculator produces?', 'question, whole'],
  // The aside sits mid-sentence: cutting at ", which" would leave a bare name.
  [
    'The Mayflower Compact, which forty-one Pilgrim men signed on board the Mayflower in Plymouth Harbor, has been called the first American governing document, predating the U.S.',
    null,
    'none',
  ],
  // A list is not two clauses: never "Ancient civilizations knew about iron, copper, silver".
  ['Ancient civilizations knew about iron, copper, silver, and gold.', null, 'none'],
  ['The slow decline of the Federalists, which began under Jefferson, led to a period of one-party rule in national politics.', null, 'none'],
  ['(b) Use Equation 1 to calculate average velocity; use Equation 2 to calculate velocity; and use Equation 3 to calculate acceleration.', null, 'none: points at equations'],
  ['What is the difference between the input and the output of a function?', null, 'none: a question is not cut'],
  ['Static electricity is the study of phenomena that involve an imbalance of electrical charge.', null, 'none'],
  ['Upon heating, they decompose, forming the transition metal oxides.', null, 'none'],
  ['Recall that a vector’s magnitude is represented by the length of the arrow.', null, 'none: 62 characters without its opener'],
  ['The speed of sound in a medium is determined by a combination of the medium’s rigidity (or compressibility in gases) and its density.', null, 'none'],
  ['Regression analysis is the process of finding an equation that best fits a given set of data points.', null, 'none'],
];

describe('writer: toScreenPhrase', () => {
  for (const [sentence, expected, strategy] of OPENSTAX) {
    it(`${strategy}: ${sentence.slice(0, 70)}`, () => {
      const phrase = toScreenPhrase(sentence);
      assert.equal(phrase, expected);
      if (phrase === null) return;
      assert.ok(phrase.length <= SCREEN_PHRASE_MAX, `${phrase.length} characters`);
      assert.equal(findCut(phrase), null);
      assert.equal(findDanglingReference(phrase), null);
      assert.doesNotMatch(phrase, /(?:\.|\.\.\.|…)$/);
      assert.match(phrase, /^[\p{Lu}\p{N}]/u);
    });
  }

  it('never returns a phrase over max, cut, or ending in a full stop, for any max', () => {
    for (const max of [30, 45, 60, 80]) {
      for (const [sentence] of OPENSTAX) {
        const phrase = toScreenPhrase(sentence, max);
        if (phrase === null) continue;
        assert.ok(phrase.length <= max, `${max}: ${phrase}`);
        assert.equal(findCut(phrase), null, phrase);
        assert.doesNotMatch(phrase, /\.$/, phrase);
      }
    }
  });

  it('takes a longer max into account', () => {
    const gravity = 'Gravity is the force that causes nonsupported objects to accelerate downward—or, more precisely, toward the center of Earth.';
    assert.equal(toScreenPhrase(gravity), null);
    assert.equal(toScreenPhrase(gravity, 80), 'Gravity is the force that causes nonsupported objects to accelerate downward');
  });

  it('turns "Y is called X" and "X is a Y" into "X: Y" when the sentence does not fit', () => {
    const thrust = 'The force that pushes a rocket forward is called thrust.';
    assert.equal(toScreenPhrase(thrust), 'The force that pushes a rocket forward is called thrust');
    assert.equal(toScreenPhrase(thrust, 50), 'Thrust: the force that pushes a rocket forward');
    const inertia = 'Inertia is the tendency of an object to resist a change in motion.';
    assert.equal(toScreenPhrase(inertia, 65), 'Inertia is the tendency of an object to resist a change in motion');
    assert.equal(toScreenPhrase(inertia, 64), 'Inertia: the tendency of an object to resist a change in motion');
  });

  it('drops figure pointers, citations and a final "etc." before anything else', () => {
    assert.equal(toScreenPhrase('Metals conduct heat well (see Figure 3).'), 'Metals conduct heat well');
    assert.equal(toScreenPhrase('Metals conduct heat well [4].'), 'Metals conduct heat well');
    assert.equal(toScreenPhrase('Metals include iron, copper, etc.'), 'Metals include iron, copper');
    assert.equal(toScreenPhrase('In other words, forces come in pairs.'), 'Forces come in pairs');
    assert.equal(toScreenPhrase('The mechanisms, however, are clearly different.'), 'The mechanisms are clearly different');
  });

  it('keeps a reason that an adverb points at: no clause left saying nothing (U.S. History, 7.4)', () => {
    assert.equal(toScreenPhrase('The purchase of Louisiana came about largely because of circumstances beyond Jefferson’s control, though he certainly recognized the implications of the transaction.'), null);
    assert.equal(toScreenPhrase('The Federalists lost support in the South because they favored a strong national bank and closer ties to Britain.'), 'The Federalists lost support in the South');
  });

  it('returns null for nothing, and for a phrase that leans on the sentence before', () => {
    assert.equal(toScreenPhrase(''), null);
    assert.equal(toScreenPhrase('   .'), null);
    assert.equal(toScreenPhrase('They decompose when heated.'), null);
    assert.equal(toScreenPhrase('As shown above, forces come in pairs.'), null);
  });
});
