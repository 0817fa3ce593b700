import assert from 'node:assert/strict';
import type { Cue, NarrationSegment } from '../../shared/domain/generation.js';
import { CHIP_MAX_CHARS, keyPhrases, MAX_HOLD_SECONDS, planReveals, type PhasedSegment } from '../../shared/media/reveal-plan.js';
import { planFrames } from '../../shared/media/frame-plan.js';

const seg = (slide: NarrationSegment['slide'], index: number, beat: number, start: number, end: number): NarrationSegment => ({ slide, index, beat, start, end });
const cue = (start: number, end: number, text: string): Cue => ({ start, end, text });

/** Longest time between two changes of one screen, to the next screen's start. */
function longestHold(phases: PhasedSegment[], duration: number): number {
  const times = phases.map((p) => p.start).sort((a, b) => a - b);
  return Math.max(...times.map((t, i) => (times[i + 1] ?? duration) - t));
}

// Real OpenStax sentences (Chemistry 2e, 9.2 "Relating Pressure, Volume, Amount, and Temperature").
const AMONTONS =
  'Under either name, it states that the pressure of a given amount of gas is directly proportional to its temperature on the kelvin scale when the volume is held constant.';
const EXAMPLE = 'A sample of carbon dioxide, CO2, occupies 0.300 L at 10 °C and 750 torr.';

describe('media: reveal plan (what a screen reveals while it is narrated)', () => {
  it('a section opens on its heading alone; the body appears when its first sentence starts', () => {
    const segments = [seg('section', 0, 0, 0, 6), seg('section', 0, 1, 6, 9)];
    const cues = [cue(0, 1.6, 'Pressure and Temperature'), cue(2.1, 5.6, 'The pressure rises with the temperature.'), cue(6, 8.8, 'Gases expand.')];
    const phases = planReveals(segments, cues, 9, () => '');
    const first = phases.filter((p) => p.beat === 0);
    assert.deepEqual(first.map((p) => [p.phase, p.start, p.reveal.headed, p.reveal.lines]), [
      [0, 0, true, 1],
      [1, 2.1, true, 2],
    ]);
    // the second beat has no heading: everything at once
    assert.deepEqual(phases.filter((p) => p.beat === 1).map((p) => [p.phase, p.reveal.headed]), [[0, false]]);
  });

  it('the hook appears sentence by sentence after the title', () => {
    const cues = [cue(0, 3, 'Gas laws, through baking bread'), cue(3.5, 7, 'What could bread have to do with gases?'), cue(7.3, 12, 'Everything rises when it is warm.')];
    const phases = planReveals([seg('intro', 0, 0, 0, 12.5)], cues, 12.5, () => '');
    assert.deepEqual(phases.map((p) => [p.start, p.reveal.lines]), [
      [0, 1],
      [3.5, 2],
      [7.3, 3],
    ]);
    assert.ok(phases.every((p) => p.reveal.chips.length === 0), 'no key phrases over the title card');
  });

  it('a long sentence gets key phrases of what is being said, as it is said, so no stretch outlasts the hold', () => {
    const phases = planReveals([seg('section', 1, 2, 10, 22)], [cue(10, 21.5, AMONTONS)], 22, () => 'Amontons’s law');
    assert.ok(phases.length >= 2, 'at least one key phrase');
    assert.ok(longestHold(phases, 22) <= MAX_HOLD_SECONDS, `longest hold ${longestHold(phases, 22)} s`);
    const chips = phases.at(-1)!.reveal.chips;
    for (const chip of chips) {
      assert.ok(AMONTONS.includes(chip), `"${chip}" is said in the sentence`);
      assert.ok(chip.length <= CHIP_MAX_CHARS);
    }
    // each phrase comes when its words are spoken (character position within the sentence, ±1.5 s)
    for (const p of phases.slice(1)) {
      const chip = p.reveal.chips.at(-1)!;
      const at = 10 + (11.5 * (AMONTONS.indexOf(chip) + chip.length / 2)) / AMONTONS.length;
      assert.ok(Math.abs(p.start - at) < 1.5, `"${chip}" at ${p.start.toFixed(1)} s, spoken about ${at.toFixed(1)} s`);
    }
    // the layout keeps room for the row from the first phase on, so nothing moves when one appears
    assert.ok(phases.every((p) => p.reveal.chipRow));
  });

  it('never repeats what the screen already shows, and keeps a number with its unit', () => {
    const phrases = keyPhrases(EXAMPLE, 'carbon dioxide').map((c) => c.text);
    assert.ok(!phrases.some((p) => p.toLowerCase() === 'carbon dioxide'), phrases.join(' | '));
    assert.ok(phrases.includes('0.300 L'), phrases.join(' | '));
    assert.ok(phrases.includes('750 torr'), phrases.join(' | '));
    assert.ok(!phrases.some((p) => /^(?:the|of|a|at|and)$/i.test(p)), 'no function words alone');
  });

  it("prefers the book's key terms to other words of the sentence", () => {
    const phrases = keyPhrases(AMONTONS, '', ['kelvin scale', 'Amontons’s law']).sort((a, b) => b.score - a.score);
    assert.equal(phrases[0]!.text, 'kelvin scale');
    // a lone word only when nothing better is said: it ranks below every phrase of two words or more
    const lone = phrases.filter((p) => !p.text.includes(' '));
    const longer = phrases.filter((p) => p.text.includes(' '));
    assert.ok(lone.length > 0 && longer.length > 0);
    assert.ok(Math.max(...lone.map((p) => p.score)) < Math.min(...longer.map((p) => p.score)), phrases.map((p) => `${p.text} ${p.score}`).join(' | '));
    const phases = planReveals([seg('section', 1, 2, 10, 22)], [cue(10, 21.5, AMONTONS)], 22, () => '', { keyTerms: ['kelvin scale'] });
    assert.ok(phases.some((p) => p.reveal.chips.includes('kelvin scale')));
  });

  it('a phrase the book quotes as a name is a key phrase; a scare-quoted word is not', () => {
    // Precalculus 2e, 1.7 Inverse Functions
    const INVERSE = 'Like any other function, we can use any variable name as the input for f to the power minus 1, so we will often write f to the power minus 1 times x, which we read as “f inverse of x.”';
    assert.equal(keyPhrases(INVERSE, '')[0]!.text, 'f inverse of x');
    // Chemistry 2e, 3.1 Formula Mass and the Mole Concept
    const BALLPARK = 'The given mass of K (4.7 g) is a bit more than one-tenth the molar mass (39.10 g), so a reasonable “ballpark” estimate of the number of moles would be slightly greater than 0.1 mol.';
    assert.ok(!keyPhrases(BALLPARK, '').some((c) => c.text.includes('ballpark') && c.score >= 16));
  });

  it('a name keeps its words ("United States") and loses the verb after it ("Jefferson began"): U.S. History, 7.4', () => {
    const expansion = 'The great expansion of the United States did have its critics, however, especially northerners who feared the addition of more slave states.';
    assert.ok(keyPhrases(expansion, '').some((c) => c.text === 'United States'));
    assert.ok(!keyPhrases(expansion, '').some((c) => c.text === 'United'));
    const began = keyPhrases('In 1800, another close election swung the other way, and Jefferson began a long period of Democratic-Republican government.', '');
    assert.ok(began.some((c) => c.text === 'Jefferson') && !began.some((c) => /began/.test(c.text)), JSON.stringify(began));
  });

  it('a phrase said late in a long stretch is shown closer to the next screen when nothing else is there', () => {
    // The phrase falls 1.5 s before the next screen: too close for the usual 2 s, shown rather than leave 11 s unchanged.
    const text = 'So we will often write it like this, which we read as “f inverse of x.”';
    const phases = planReveals([seg('section', 1, 1, 0, 12), seg('section', 1, 2, 12, 15)], [cue(0.2, 11.8, text), cue(12, 14.8, 'Next.')], 15, () => 'Inverse functions');
    const chip = phases.find((p) => p.beat === 1 && p.reveal.chips.includes('f inverse of x'));
    assert.ok(chip, JSON.stringify(phases.map((p) => [p.start, p.reveal.chips])));
    assert.ok(chip.start > 10 && chip.start <= 11, `at ${chip.start}`);
  });

  it('a figure (it zooms by itself) and a short screen get no key phrases', () => {
    const long = planReveals([seg('section', 0, 1, 0, 12)], [cue(0, 11.5, AMONTONS)], 12, () => null);
    assert.equal(long.length, 1);
    const short = planReveals([seg('section', 0, 1, 0, 5)], [cue(0, 4.8, AMONTONS)], 5, () => '');
    assert.equal(short.length, 1);
  });

  it('a takeaway read aloud appears line by line as it is read, and gets no key phrases (its words are on screen)', () => {
    const phases = planReveals([seg('takeaways', 0, 1, 0, 13)], [cue(0.2, 12.6, AMONTONS)], 13, () => AMONTONS);
    assert.deepEqual(phases.map((p) => p.reveal.read), [0.5, 1]);
    assert.ok(Math.abs(phases[1]!.start - 6.4) < 0.01, 'the second half when half of the sentence is read');
    assert.ok(phases.every((p) => p.reveal.chips.length === 0));
  });

  it('a worked-example step (its text is what is read) appears as it is read, when render says the screen reads', () => {
    const step = 'To factor x squared plus x minus 6 equals 0, we look for two numbers whose product equals minus 6 and whose sum equals 1.';
    const phases = planReveals([seg('section', 3, 1, 0, 9.6)], [cue(0, 9.2, step)], 9.6, () => step, { reads: (s) => s.beat === 1 });
    assert.deepEqual(phases.map((p) => p.reveal.read), [0.5, 1]);
    const notReading = planReveals([seg('section', 3, 1, 0, 9.6)], [cue(0, 9.2, step)], 9.6, () => step);
    assert.ok(notReading.every((p) => p.reveal.read === undefined));
  });

  it('a screen that builds (a key-term card whose definition is not said) shows its second part part way through a long body, and only then', () => {
    const cues = [cue(0, 2.5, 'Formula Mass for Ionic Compounds'), cue(3, 14, 'The formula mass for an ionic compound is calculated in the same way as for covalent compounds.')];
    const long = planReveals([seg('section', 1, 0, 0, 14.5)], cues, 14.5, () => 'Formula Mass for Ionic Compounds formula mass', { builds: () => true });
    // the body runs 3-14 s: the definition at 40 % of it
    assert.equal(+long.find((p) => p.reveal.read === 1)!.start.toFixed(1), 7.4);
    assert.equal(long[0]!.reveal.read, 0, 'the card starts with its term alone');
    const short = planReveals([seg('section', 1, 0, 0, 6)], [cue(0, 1, 'Mass'), cue(1.2, 5.8, 'Mass is how much matter there is.')], 6, () => 'Mass', { builds: () => true });
    assert.ok(short.every((p) => p.reveal.read === undefined), 'a short body shows the card whole');
  });

  it('the check question shows that it is time to think during the pause before the answer', () => {
    const segments = [seg('check', 0, 0, 0, 7), seg('check', 0, 1, 7, 9)];
    const cues = [cue(0, 1, 'Check yourself.'), cue(1.5, 4.8, 'What is the volume at 30 °C?'), cue(7, 8.5, '0.321 L')];
    const phases = planReveals(segments, cues, 9, () => '');
    const thinking = phases.find((p) => p.reveal.thinking);
    assert.ok(thinking && thinking.beat === 0 && thinking.start > 4.8 && thinking.start < 7);
  });

  it('frame planning keeps every phase in order and sums to the duration', () => {
    const segments = [seg('section', 0, 0, 0, 14), seg('section', 0, 1, 14, 20)];
    const cues = [cue(0, 1.5, 'Amontons’s law'), cue(2, 13.5, AMONTONS), cue(14, 19.5, 'Gases expand when warm.')];
    const phases = planReveals(segments, cues, 20, () => '');
    const plan = planFrames(phases, 20, { slides: phases.map((p) => ({ slide: p.slide, index: p.index, beat: p.beat, phase: p.phase })) });
    assert.equal(plan.reduce((n, e) => n + e.frames, 0), 600);
    assert.deepEqual(
      plan.map((e) => [e.beat, e.phase]),
      phases.map((p) => [p.beat, p.phase]),
    );
    // the beat's first frame is at its sentence's mark
    const second = plan.find((e) => e.beat === 1)!;
    assert.equal(second.startFrame, 14 * 30);
  });
});
