import assert from 'node:assert/strict';
import type { Passage } from '../../shared/domain/library.js';
import { rankPassages } from '../../shared/library/topic-index.js';

function passages(specs: Array<[heading: string, text: string]>): Passage[] {
  return specs.map(([heading, text], i) => ({ id: `t#p${i}`, topicId: 't', ordinal: i, heading, text, figureIds: [] }));
}

const FILLER = 'Ordinary words about gardens, weather and lunch fill this passage without teaching anything in particular.';

describe('library: rankPassages', () => {
  const topic = passages([
    ['Momentum', 'A skateboarder who jumps off a skateboard pushes the board backward. The board rolls away behind the rider.'],
    ['Momentum', `${FILLER} Momentum is mentioned once.`],
    ['Momentum', 'Momentum is defined as the product of mass and velocity. Momentum is a vector quantity.'],
    ['Momentum', `${FILLER} ${FILLER}`],
    ['Momentum', 'The skateboard rolls backward when the rider jumps forward off the skateboard.'],
    ['Momentum', FILLER],
    ['Momentum', `${FILLER} Gardens again.`],
    ['Section Summary', 'Momentum is the product of mass and velocity. In a closed system, momentum is conserved.'],
  ]);

  it('keeps a summary passage, and returns the passages in reading order', () => {
    const got = rankPassages(topic, 'why does my skateboard roll backward when I jump off', 'Momentum', 4);
    assert.equal(got.length, 4);
    assert.ok(
      got.some((p) => p.heading === 'Section Summary'),
      got.map((p) => p.heading).join(' | '),
    );
    assert.deepEqual(
      got.map((p) => p.ordinal),
      [...got.map((p) => p.ordinal)].sort((a, b) => a - b),
    );
    // The passages about the question are still chosen.
    assert.ok(got.some((p) => p.ordinal === 0) && got.some((p) => p.ordinal === 4));
  });

  it('favours a passage that defines the topic title over one that only mentions it', () => {
    const got = rankPassages(topic, 'why does my skateboard roll backward when I jump off', 'Momentum', 4).map((p) => p.ordinal);
    assert.ok(got.includes(2), `${got}`);
    assert.ok(!got.includes(1), `${got}`);
  });

  it('does not give the summary a slot of its own below three passages', () => {
    const got = rankPassages(topic, 'why does my skateboard roll backward when I jump off', 'Momentum', 2).map((p) => p.ordinal);
    assert.deepEqual(got, [0, 4]);
  });

  it('chooses the most relevant summary when there are several; ties go to the earliest passages', () => {
    const two = passages([
      ['Waves', FILLER],
      ['Waves', FILLER],
      ['Waves', FILLER],
      ['Waves', FILLER],
      ['Key Concepts', 'Sound is a longitudinal wave.'],
      ['Key Concepts', 'Light is an electromagnetic wave that travels in a vacuum.'],
    ]);
    // One slot for the light summary; then the other summary (it names a wave), then the first filler.
    const got = rankPassages(two, 'does light travel in a vacuum', 'Waves', 3);
    assert.deepEqual(
      got.map((p) => p.ordinal),
      [0, 4, 5],
    );
    assert.deepEqual(
      rankPassages(two, 'does light travel in a vacuum', 'Optics', 3).map((p) => p.ordinal),
      [0, 1, 5],
    );
  });

  it('returns every passage, in reading order, when there are no more than asked for', () => {
    const few = passages([
      ['A', 'Second.'],
      ['Summary', 'First.'],
    ]).reverse();
    assert.deepEqual(
      rankPassages(few, 'anything', 'A', 6).map((p) => p.ordinal),
      [0, 1],
    );
  });
});
