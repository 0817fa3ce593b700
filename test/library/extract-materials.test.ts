import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EMPTY_MATERIALS, TopicMaterialsSchema, type LibraryBundle, type TopicMaterials } from '../../shared/domain/library.js';
import {
  MAX_ANSWER_CHARS,
  MAX_EXAMPLE_STEPS,
  exerciseMarkupMayHoldMaterials,
  extractMaterials,
  isTrivialMath,
  labelFromContext,
  serializeMathMl,
  type ExtractedMaterials,
} from '../../shared/library/extract-materials.js';
import { isDropped, parseCnxmlModule, removeMalformedMath } from '../../shared/library/parse-cnxml-module.js';
import { readOpenStaxBookFolder } from '../../shared/library/read-openstax-collection.js';
import { STARTER_LIBRARY } from '../../shared/library/starter/index.js';
import { parseXml } from '../../shared/library/xml.js';
import { requireOerDir } from './oer.js';

const M = 'xmlns:m="http://www.w3.org/1998/Math/MathML"';
const mathDoc = (xml: string) => parseXml(`<root ${M}>${xml}</root>`, 'test').documentElement!.firstChild as unknown as Parameters<typeof serializeMathMl>[0];
const F_MA = '<m:math><m:mrow><m:mi>F</m:mi><m:mo>=</m:mo><m:mi>m</m:mi><m:mi>a</m:mi></m:mrow></m:math>';

/** A module with one of everything the materials pass keeps or leaves out. */
function fixture(extra = ''): string {
  const steps = Array.from({ length: 10 }, (_, i) => `<para>Step number ${i + 1} of a long solution.</para>`).join('');
  return `<document xmlns="http://cnx.rice.edu/cnxml" ${M}>
<title>Forces</title>
<content>
<para>This motion is described by <term>Newton’s second law of motion</term>, which relates force and mass. Mathematically, the second law is written as</para>
<equation id="eq-fma"><label/>${F_MA}</equation>
<para>where F is the force. A bare symbol on its own line says nothing:</para>
<equation id="eq-trivial"><m:math><m:mi>x</m:mi><m:mo>,</m:mo></m:math></equation>
<para>Combining the laws yields the ideal gas law, a relation of pressure and volume: <m:math display="block"><m:mi>P</m:mi><m:mi>V</m:mi><m:mo>=</m:mo><m:mi>n</m:mi><m:mi>R</m:mi><m:mi>T</m:mi></m:math></para>
<para>A broken fraction follows.</para>
<equation id="eq-bad"><m:math><m:mfrac><m:mi>a</m:mi></m:mfrac></m:math></equation>
<note class="os-teacher"><para>Teachers only:</para><equation id="eq-teacher"><m:math><m:mi>T</m:mi><m:mo>=</m:mo><m:mn>2</m:mn></m:math></equation></note>
<note id="qf"><title>The Quadratic Formula</title><para>Any quadratic equation can be solved with</para>
<equation id="eq-qf"><m:math><m:mi>x</m:mi><m:mo>=</m:mo><m:mfrac><m:mrow><m:mo>−</m:mo><m:mi>b</m:mi></m:mrow><m:mrow><m:mn>2</m:mn><m:mi>a</m:mi></m:mrow></m:mfrac></m:math></equation></note>
<note class="worked-example"><title>Pushing a Mower</title>
<exercise id="ex-mower"><problem><para>The net force on a mower is 51 N and its mass is 240 kg. What is its acceleration?</para>
<note><title>Strategy</title><para>Use Newton’s second law.</para></note></problem>
<solution><title>Solution</title><para>Solving for the acceleration gives</para><para><equation><m:math><m:mi>a</m:mi><m:mo>=</m:mo><m:mfrac><m:mn>51</m:mn><m:mn>240</m:mn></m:mfrac></m:math></equation></para><para>so the acceleration is small.</para></solution>
<commentary><title>Discussion</title><para>The acceleration is reasonable.</para></commentary></exercise></note>
<example id="ex-chem"><para><title>Using the Ideal Gas Law</title>What volume does 2 mol of gas take up?</para>
<para><title>Solution</title>Rearrange the law:</para>
<equation><m:math><m:mi>V</m:mi><m:mo>=</m:mo><m:mfrac><m:mrow><m:mi>n</m:mi><m:mi>R</m:mi><m:mi>T</m:mi></m:mrow><m:mi>P</m:mi></m:mfrac></m:math></equation>
<para><title>Check Your Learning</title>What pressure do 3 mol of gas exert in a 10 L tank at 300 K?</para>
<note><title>Answer:</title><para>7.4 atm</para></note></example>
<example id="ex-nosolution"><exercise><problem><title>No Solution Here</title><para>Think about it.</para></problem></exercise></example>
<example id="ex-long"><exercise><problem><title>A Long One</title><para>Do many things in order.</para></problem><solution>${steps}<para>Finally:</para><equation>${F_MA}</equation></solution></exercise></example>
<example id="ex-picture"><exercise><problem><title>Needs a Picture</title><para>Find the side of the triangle in the figure.</para></problem><solution><para>It is 5.</para></solution></exercise></example>
<note class="worked-example"><title>Circuit Below</title><exercise><problem><para>What current flows in the circuit shown below?</para><figure id="fc"><media alt="a circuit"><image mime-type="image/png" src="c.png"/></media></figure></problem><solution><para>It is 2 A.</para></solution></exercise></note>
<note class="try"><exercise id="try1"><problem><para>Solve the equation: ${F_MA}</para></problem><solution><para>F equals m times a.</para></solution></exercise></note>
<section class="review-questions"><title>Review Questions</title>
<exercise id="mc"><problem><para>________ became wealthy trading with the East.</para><list list-type="enumerated" number-style="upper-alpha"><item>Rome</item><item>Venice</item></list></problem><solution><para>B</para></solution></exercise>
<exercise id="mc-in-para"><problem><para>The winner of the 1840 election was ________.<list list-type="enumerated" number-style="upper-alpha"><item>a Democrat</item><item>a Whig</item></list></para></problem><solution><para>B</para></solution></exercise>
<exercise id="long-answer"><problem><para>Why did the empire fall apart so fast?</para></problem><solution><para>${'Because of many reasons. '.repeat(20)}</para></solution></exercise>
<exercise id="following"><problem><para>Which of the following is a force?</para></problem><solution><para>A push.</para></solution></exercise>
<exercise id="figure-q"><problem><para>What does the graph show about the speed?</para><figure id="f1"><media alt="graph"><image mime-type="image/png" src="x.png"/></media></figure></problem><solution><para>It rises.</para></solution></exercise>
<exercise id="bare"><problem><para>${F_MA}</para></problem><solution><para>yes</para></solution></exercise>
<exercise id="no-solution"><problem><para>What is the unit of force called?</para></problem></exercise>
<exercise id="ok"><problem><para>What is the unit of force called?</para></problem><solution><para>The newton.</para></solution></exercise>
</section>
${extra}
</content>
<glossary><definition><term>net force</term><meaning>the sum of all forces on an object</meaning></definition></glossary>
</document>`;
}

function materialsOf(xml: string): ExtractedMaterials {
  return parseCnxmlModule(xml, { file: '/nowhere/modules/m1/index.cnxml', moduleId: 'm1' }).materials;
}

describe('library: materials of a module (equations, worked examples, review questions, glossary)', () => {
  const m = materialsOf(fixture());

  describe('MathML', () => {
    it('serialises a <m:math> as standalone MathML: default namespace, no prefixes, no annotations', () => {
      const el = mathDoc(
        `<m:math display="block"><m:semantics><m:mrow> <m:msup><m:mi>x</m:mi><m:mn> 2 </m:mn></m:msup><m:mo>&lt;</m:mo><m:mn>1</m:mn></m:mrow><m:annotation encoding="TeX">x^2</m:annotation></m:semantics></m:math>`,
      );
      assert.equal(
        serializeMathMl(el),
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow><msup><mi>x</mi><mn>2</mn></msup><mo>&lt;</mo><mn>1</mn></mrow></semantics></math>',
      );
    });

    it('table: malformed MathML serialises to null', () => {
      const cases: [string, string][] = [
        ['a fraction with one child', '<m:math><m:mfrac><m:mi>a</m:mi></m:mfrac></m:math>'],
        ['a superscript with three children', '<m:math><m:msup><m:mi>a</m:mi><m:mn>2</m:mn><m:mn>3</m:mn></m:msup></m:math>'],
        ['an unknown element', '<m:math><m:mfoo>a</m:mfoo></m:math>'],
        ['a foreign element inside', '<m:math><para xmlns="http://cnx.rice.edu/cnxml">a</para></m:math>'],
        ['text directly in a row', '<m:math><m:mrow>a + b</m:mrow></m:math>'],
        ['an element inside a token', '<m:math><m:mi><m:mn>1</m:mn></m:mi></m:math>'],
      ];
      for (const [what, xml] of cases) assert.equal(serializeMathMl(mathDoc(xml)), null, what);
      assert.ok(serializeMathMl(mathDoc(F_MA)));
    });

    it('table: a single number or symbol is trivial', () => {
      const cases: [string, boolean][] = [
        ['<m:math><m:mi>x</m:mi></m:math>', true],
        ['<m:math><m:mn>42</m:mn><m:mo>.</m:mo></m:math>', true],
        ['<m:math><m:mrow><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>)</m:mo></m:mrow></m:math>', true],
        [F_MA, false],
        ['<m:math><m:msup><m:mi>x</m:mi><m:mn>2</m:mn></m:msup></m:math>', false],
      ];
      for (const [xml, trivial] of cases) assert.equal(isTrivialMath(mathDoc(xml)), trivial, xml);
    });
  });

  describe('labels', () => {
    it('table: a named law, formula or theorem in the context, expanded to the key term that contains it', () => {
      const terms = ['Newton’s second law of motion', 'ideal gas law', 'weight'];
      const cases: [string, string | undefined][] = [
        ['Mathematically, the second law is most often written as', 'Newton’s second law of motion'],
        ['Combining these four laws yields the ideal gas law, a relation between pressure and volume:', 'ideal gas law'],
        ['Any quadratic equation can be solved using the quadratic formula:', 'quadratic formula'],
        ['This relationship is known as Boyle’s law:', 'Boyle’s law'],
        ['The Pythagorean Theorem is given as', 'Pythagorean Theorem'],
        ['This is called the Henderson-Hasselbalch equation:', 'Henderson-Hasselbalch equation'],
        ['According to the law of cosines,', 'law of cosines'],
        ['Dalton’s law states that', 'Dalton’s law'],
        ['Let’s derive the sum formula:', 'sum formula'],
        // pointers and kinds are not names; a law something is derived from is not the equation's name
        ['Solve the quadratic equation using the following formula:', undefined],
        ['Substitute the values into the equation:', undefined],
        ['Write the quadratic equation in standard form:', undefined],
        ['Substituting these two expressions into Newton’s second law gives', undefined],
        ['We find the speed from the ideal gas law as', undefined],
        ['', undefined],
      ];
      for (const [context, label] of cases) assert.equal(labelFromContext(context, terms), label, context);
    });
  });

  describe('equations', () => {
    it('keeps display equations and block math of the exposition with speech, context and label', () => {
      const fma = m.equations.find((e) => e.xmlId === 'eq-fma');
      assert.ok(fma, JSON.stringify(m.equations.map((e) => e.xmlId)));
      assert.equal(fma.speech, 'F equals m a');
      assert.equal(fma.context, 'Mathematically, the second law is written as');
      assert.equal(fma.label, 'Newton’s second law of motion');
      assert.match(fma.math.source, /^<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"><mrow><mi>F<\/mi><mo>=<\/mo>/);
      const pv = m.equations.find((e) => e.speech === 'P V equals n R T');
      assert.ok(pv, 'standalone <m:math display="block">');
      assert.equal(pv.label, 'ideal gas law');
      assert.equal(pv.context, 'Combining the laws yields the ideal gas law, a relation of pressure and volume:');
    });

    it('names an equation after the note title that holds it', () => {
      assert.equal(m.equations.find((e) => e.xmlId === 'eq-qf')?.label, 'Quadratic Formula');
    });

    it('skips trivial math, malformed MathML, teacher notes and equations of examples and exercises', () => {
      assert.deepEqual(
        m.equations.map((e) => e.xmlId),
        ['eq-fma', null, 'eq-qf'],
      );
    });
  });

  describe('worked examples', () => {
    it('physics: title, problem without the strategy, strategy then solution steps each with its equation; no discussion', () => {
      const mower = m.examples.find((x) => x.title === 'Pushing a Mower');
      assert.ok(mower);
      assert.equal(mower.problem, 'The net force on a mower is 51 N and its mass is 240 kg. What is its acceleration?');
      assert.deepEqual(
        mower.steps.map((s) => [s.text, s.math?.format ?? null, s.speech]),
        [
          ['Use Newton’s second law.', null, 'Use Newton’s second law.'],
          ['Solving for the acceleration gives', 'mathml', 'Solving for the acceleration gives a equals 51 over 240'],
          ['so the acceleration is small.', null, 'so the acceleration is small.'],
        ],
      );
      assert.ok(!JSON.stringify(mower).includes('reasonable'), 'the discussion is left out');
    });

    it('chemistry: titled paragraphs give the example, and its Check Your Learning a review question', () => {
      const chem = m.examples.find((x) => x.title === 'Using the Ideal Gas Law');
      assert.ok(chem);
      assert.equal(chem.problem, 'What volume does 2 mol of gas take up?');
      assert.deepEqual(
        chem.steps.map((s) => s.speech),
        ['Rearrange the law: V equals n R T over P'],
      );
      assert.ok(m.reviewQuestions.some((q) => q.question === 'What pressure do 3 mol of gas exert in a 10 L tank at 300 K?' && q.answer === '7.4 atm'));
    });

    it(`skips examples without a solution or with a picture to look at; merges text steps to stay within ${MAX_EXAMPLE_STEPS}`, () => {
      const titles = m.examples.map((x) => x.title);
      assert.ok(!titles.includes('No Solution Here'));
      assert.ok(!titles.includes('Needs a Picture'));
      assert.ok(!titles.includes('Circuit Below'));
      const long = m.examples.find((x) => x.title === 'A Long One');
      assert.ok(long);
      assert.ok(long.steps.length <= MAX_EXAMPLE_STEPS);
      assert.equal(long.steps.length, 1);
      assert.match(long.steps[0].text, /^Step number 1 of a long solution\. .* Step number 10 of a long solution\. Finally:$/);
      assert.equal(long.steps[0].math?.format, 'mathml');
    });

    it('an example with more steps than allowed even after merging is skipped, never cut short', () => {
      const eqSteps = Array.from({ length: MAX_EXAMPLE_STEPS + 1 }, (_, i) => `<para>Step ${i}:</para><equation><m:math><m:mi>x</m:mi><m:mo>=</m:mo><m:mn>${i}</m:mn></m:math></equation>`).join('');
      const extra = `<example><exercise><problem><title>Too Long</title><para>Go.</para></problem><solution>${eqSteps}</solution></exercise></example>`;
      assert.ok(!materialsOf(fixture(extra)).examples.some((x) => x.title === 'Too Long'));
    });
  });

  describe('worked examples on screen', () => {
    it('the problem and a step show inline math in symbols; what is said keeps it in words', () => {
      const inline = (inner: string) => `<m:math>${inner}</m:math>`;
      const dt = inline('<m:mi>Δ</m:mi><m:mi>t</m:mi><m:mo>=</m:mo><m:mn>2</m:mn><m:mo>×</m:mo><m:msup><m:mn>10</m:mn><m:mrow><m:mo>−</m:mo><m:mn>3</m:mn></m:mrow></m:msup><m:mtext> s</m:mtext>');
      const x = `<example><exercise><problem><title>Lightning</title><para>A strike lasts ${dt}. What current flows?</para></problem><solution><para>The time ${dt} is the duration of the strike.</para><equation><m:math><m:mi>I</m:mi><m:mo>=</m:mo><m:mfrac><m:mi>Q</m:mi><m:mi>t</m:mi></m:mfrac></m:math></equation></solution></exercise></example>`;
      const ex = materialsOf(fixture(x)).examples.find((e) => e.title === 'Lightning');
      assert.ok(ex);
      assert.equal(ex.problem, 'A strike lasts delta t equals 2 times 10 to the power minus 3 s. What current flows?');
      assert.equal(ex.problemScreen, 'A strike lasts Δt = 2 × 10⁻³ s. What current flows?');
      assert.equal(ex.steps[0]!.screen, 'The time Δt = 2 × 10⁻³ s is the duration of the strike.');
      assert.match(ex.steps[0]!.speech, /^The time delta t equals 2 times 10 to the power minus 3 s is/);
      // the step's equation follows a full stop: its speech starts a sentence
      assert.match(ex.steps[0]!.speech, /the strike\. I equals Q over t$/);
    });

    it('a review question and its answer show their math in symbols too', () => {
      const x2 = '<m:math><m:msup><m:mi>x</m:mi><m:mn>2</m:mn></m:msup><m:mo>=</m:mo><m:mn>9</m:mn></m:math>';
      const ans = '<m:math><m:mi>x</m:mi><m:mo>=</m:mo><m:mo>±</m:mo><m:mn>3</m:mn></m:math>';
      const x = `<exercise id="rq-sq"><problem><para>Solve ${x2} for x.</para></problem><solution><para>${ans}</para></solution></exercise>`;
      const q = materialsOf(fixture(x)).reviewQuestions.find((r) => r.xmlId === 'rq-sq');
      assert.ok(q, 'the question is kept');
      assert.equal(q.question, 'Solve x squared equals 9 for x.');
      assert.equal(q.questionScreen, 'Solve x² = 9 for x.');
      assert.equal(q.answerScreen, 'x = ±3');
    });
  });

  describe('review questions', () => {
    it('keeps questions with a short answer; multiple choice gets its choices and the chosen one as answer', () => {
      assert.deepEqual(
        m.reviewQuestions.map((q) => [q.question, q.answer]),
        [
          ['What pressure do 3 mol of gas exert in a 10 L tank at 300 K?', '7.4 atm'],
          ['Solve the equation: F equals m a', 'F equals m times a.'],
          ['Blank became wealthy trading with the East. (A) Rome (B) Venice', '(B) Venice'],
          ['The winner of the 1840 election was blank. (A) a Democrat (B) a Whig', '(B) a Whig'],
          ['What is the unit of force called?', 'The newton.'],
        ],
      );
    });

    it(`leaves out answers over ${MAX_ANSWER_CHARS} characters, "the following", figures, bare math and exercises without a solution`, () => {
      const ids = m.reviewQuestions.map((q) => q.xmlId);
      for (const id of ['long-answer', 'following', 'figure-q', 'bare', 'no-solution']) assert.ok(!ids.includes(id), id);
    });
  });

  describe('glossary', () => {
    it('has the glossary definitions, then key terms the glossary lacks with the sentence that introduces them', () => {
      assert.deepEqual(m.glossary.slice(0, 2), [
        { term: 'net force', definition: 'the sum of all forces on an object', coreqOnly: false },
        {
          term: 'Newton’s second law of motion',
          definition: 'This motion is described by Newton’s second law of motion, which relates force and mass.',
          coreqOnly: false,
        },
      ]);
    });
  });

  describe('parsing', () => {
    it('passages are the same with and without the materials pass', () => {
      const file = '/nowhere/modules/m1/index.cnxml';
      const a = parseCnxmlModule(fixture(), { file });
      const b = parseCnxmlModule(fixture(), { file, materials: false });
      assert.deepEqual(a.passages, b.passages);
      assert.deepEqual(a.keyTerms, b.keyTerms);
      assert.deepEqual(b.materials, { equations: [], examples: [], reviewQuestions: [], glossary: [] });
    });

    it('malformed MathML (not even XML) does not stop the module: that math is left out, the rest is kept', () => {
      const broken = '<equation id="eq-broken"><m:math><m:mi>y</m:mo><m:mo>=</m:mo><m:mn>2</m:mn></m:math></equation>';
      const xml = fixture(`<para>Here is a broken equation.</para>${broken}`);
      assert.throws(() => parseXml(xml, 'x'));
      const parsed = parseCnxmlModule(xml, { file: '/nowhere/modules/m1/index.cnxml' });
      assert.ok(parsed.passages.length > 0);
      assert.deepEqual(
        parsed.materials.equations.map((e) => e.xmlId),
        ['eq-fma', null, 'eq-qf'],
      );
      assert.ok(!removeMalformedMath(xml).includes('<m:mi>y</m:mo>'));
      assert.ok(removeMalformedMath(xml).includes(F_MA));
    });

    it('cutting exercises out before parsing loses no materials (same as parsing every exercise)', () => {
      const xml = fixture();
      const full = parseXml(xml, 'x').documentElement!;
      const parsed = parseCnxmlModule(xml, { file: '/nowhere/modules/m1/index.cnxml' });
      assert.deepEqual(extractMaterials(full, { isDropped, keyTerms: parsed.keyTerms.map((t) => t.term) }), parsed.materials);
    });

    it('table: which exercise markup is worth parsing', () => {
      const cases: [string, boolean, boolean][] = [
        ['<exercise><problem><para>What is a force?</para></problem></exercise>', false, false],
        ['<exercise><problem><para>x</para></problem><solution><para>1</para></solution></exercise>', true, true],
        ['<exercise><problem><para>What is a force?</para></problem><solution><para>A push.</para></solution></exercise>', false, true],
        ['<exercise><problem><para>What does the figure show?</para><figure/></problem><solution><para>A push.</para></solution></exercise>', false, false],
        ['<exercise><problem><para>Solve the following equation.</para></problem><solution><para>2</para></solution></exercise>', false, false],
        [`<exercise><problem><para>${F_MA}</para></problem><solution><para>2</para></solution></exercise>`, false, false],
        ['<exercise><problem><para>What is a force?</para></problem><solution><para>' + 'x'.repeat(700) + '</para></solution></exercise>', false, false],
      ];
      for (const [markup, inExample, keep] of cases) assert.equal(exerciseMarkupMayHoldMaterials(markup, inExample), keep, markup.slice(0, 80));
    });
  });
});

describe('library: materials of the OpenStax books @slow', function () {
  this.timeout(120_000);
  const bundles = new Map<string, LibraryBundle[]>();
  const folder = async (name: string): Promise<LibraryBundle[]> => {
    if (!bundles.has(name)) bundles.set(name, (await readOpenStaxBookFolder(requireOerDir(name))).bundles);
    return bundles.get(name)!;
  };
  /** The materials of the first topic of a book whose title matches. */
  const topicMaterials = async (name: string, bookId: string | null, title: RegExp): Promise<{ id: string; materials: TopicMaterials }> => {
    const all = await folder(name);
    const bundle = bookId ? all.find((b) => b.book.id === bookId) : all[0];
    assert.ok(bundle, `no book ${bookId} in ${name}`);
    const topic = bundle.topics.find((t) => title.test(t.title));
    assert.ok(topic, `no topic titled ${title} in ${bundle.book.id}`);
    return { id: topic.id, materials: bundle.materials?.[topic.id] ?? EMPTY_MATERIALS };
  };

  it("physics, Newton's second law: F = ma spoken and named, and a worked example with at least two steps", async () => {
    const { materials } = await topicMaterials('physics', null, /^Newton.s Second Law of Motion$/);
    const fma = materials.equations.find((e) => /^F sub net equals m a\b/.test(e.speech));
    assert.ok(fma, materials.equations.map((e) => e.speech).join(' | '));
    assert.match(fma.label ?? '', /second law of motion/i);
    assert.equal(fma.math.format, 'mathml');
    assert.ok(materials.equations.some((e) => /^W equals m g$/.test(e.speech)), 'weight');
    assert.ok(
      materials.examples.some((x) => x.steps.length >= 2 && /acceleration/i.test(x.problem)),
      JSON.stringify(materials.examples.map((x) => [x.title, x.steps.length])),
    );
    const mower = materials.examples.find((x) => /Lawn Mower/.test(x.title));
    assert.ok(mower && mower.steps.some((s) => /0\.21 m\/s squared/.test(s.speech)));
    assert.ok(materials.glossary.some((g) => /second law/i.test(g.term) && /acceleration/.test(g.definition)));
  });

  it('algebra, Quadratic Equations: the quadratic formula, named, and worked examples using it', async () => {
    const { materials } = await topicMaterials('algebra', 'algebra-and-trigonometry-2e', /^Quadratic Equations$/);
    const formula = materials.equations.find((e) => /quadratic formula/i.test(e.label ?? ''));
    assert.ok(formula, materials.equations.map((e) => `${e.label}: ${e.speech}`).join(' | '));
    assert.equal(formula.speech, 'x equals the fraction with numerator minus b plus or minus the square root of b squared minus 4 a c and denominator 2 a');
    assert.ok(materials.examples.some((x) => /quadratic formula/i.test(x.title) && x.steps.length >= 1));
    assert.ok(materials.reviewQuestions.some((q) => /quadratic formula/i.test(q.question)));
  });

  it('chemistry, the ideal gas law section: PV = nRT, named', async () => {
    const { materials } = await topicMaterials('chemistry', 'chemistry-2e', /Ideal Gas Law/);
    const pv = materials.equations.find((e) => e.speech === 'P V equals n R T');
    assert.ok(pv, materials.equations.map((e) => e.speech).join(' | '));
    assert.equal(pv.label, 'ideal gas law');
    assert.ok(materials.examples.some((x) => x.title === 'Using the Ideal Gas Law' && x.steps.length >= 2));
    assert.ok(materials.reviewQuestions.some((q) => /2520 moles of hydrogen/.test(q.question) && q.answer === '350 bar'));
  });

  it('U.S. history: no equations or worked examples; review questions and glossary', async () => {
    const [history] = await folder('us-history');
    const all = Object.values(history.materials ?? {});
    assert.ok(all.length > 100);
    assert.equal(all.reduce((n, m) => n + m.equations.length + m.examples.length, 0), 0);
    assert.ok(all.reduce((n, m) => n + m.reviewQuestions.length, 0) > 100);
    assert.ok(all.reduce((n, m) => n + m.glossary.length, 0) > 300);
    const { materials } = await topicMaterials('us-history', null, /^Europe on the Brink of Change$/);
    assert.equal(materials.equations.length, 0);
    assert.ok(materials.reviewQuestions.some((q) => q.answer === '(D) Venice'));
  });

  it('every book: materials match the schema; review answers are non-empty, short, and point at no figure or "the following"', async () => {
    for (const name of ['physics', 'chemistry', 'algebra', 'us-history']) {
      for (const bundle of await folder(name)) {
        const topicIds = new Set(bundle.topics.map((t) => t.id));
        for (const [topicId, materials] of Object.entries(bundle.materials ?? {})) {
          assert.ok(topicIds.has(topicId), topicId);
          TopicMaterialsSchema.parse(materials);
          for (const q of materials.reviewQuestions) {
            assert.ok(q.question.trim() && q.answer.trim(), q.id);
            assert.ok(q.answer.length <= MAX_ANSWER_CHARS, q.id);
            assert.ok(!/the following|\bFigure \d/i.test(`${q.question} ${q.answer}`), q.id);
          }
          for (const x of materials.examples) assert.ok(x.steps.length >= 1 && x.steps.length <= MAX_EXAMPLE_STEPS && x.problem, x.id);
          for (const e of materials.equations) assert.ok(e.speech && e.math.source.startsWith('<math xmlns="http://www.w3.org/1998/Math/MathML"'), e.id);
        }
      }
    }
  });

  it('corequisite-only materials appear only in the corequisite book', async () => {
    const all = await folder('algebra');
    const coreq = all.find((b) => /corequisite/.test(b.book.id))!;
    const college = all.find((b) => b.book.id === 'college-algebra-2e')!;
    const count = (b: LibraryBundle) => Object.values(b.materials ?? {}).reduce((n, m) => n + m.examples.length + m.equations.length, 0);
    assert.ok(count(coreq) > count(college), `${count(coreq)} vs ${count(college)}`);
  });

  it('cutting exercises out before parsing loses no materials, on real modules', () => {
    const modules: [string, string][] = [
      ['algebra', 'm51256'],
      ['chemistry', 'm68751'],
      ['physics', 'm54142'],
      ['us-history', 'm49968'],
    ];
    for (const [book, id] of modules) {
      const file = path.join(requireOerDir(book, 'modules', id), 'index.cnxml');
      const xml = readFileSync(file, 'utf8');
      const parsed = parseCnxmlModule(xml, { file });
      const full = parseXml(xml.replace(/<!--[\s\S]*?-->/g, ''), file).documentElement!;
      assert.deepEqual(extractMaterials(full, { isDropped, keyTerms: parsed.keyTerms.map((t) => t.term) }), parsed.materials, `${book}/${id}`);
      assert.deepEqual(parseCnxmlModule(xml, { file, materials: false }).passages, parsed.passages, `${book}/${id} passages`);
    }
  });
});

describe('library: starter materials', () => {
  it('math, physics and chemistry topics have TeX equations, a worked example, a review question and a glossary of their key terms', () => {
    for (const bundle of STARTER_LIBRARY.filter((b) => ['math', 'physics', 'chemistry'].includes(b.book.subject))) {
      for (const topic of bundle.topics) {
        const m = bundle.materials?.[topic.id];
        assert.ok(m, topic.id);
        TopicMaterialsSchema.parse(m);
        assert.ok(m.examples.length >= 1 && m.reviewQuestions.length >= 1, topic.id);
        assert.deepEqual(
          m.glossary.map((g) => g.term),
          topic.keyTerms,
          topic.id,
        );
        for (const e of m.equations) assert.equal(e.math.format, 'tex');
        for (const s of m.examples.flatMap((x) => x.steps)) assert.ok(s.speech.startsWith(s.text), s.speech);
      }
    }
  });

  it('has the key equations: F = ma, kinetic energy, the quadratic formula, Pythagoras, slope', () => {
    const tex = STARTER_LIBRARY.flatMap((b) => Object.values(b.materials ?? {}).flatMap((m) => m.equations.map((e) => e.math.source)));
    for (const want of ['F = ma', String.raw`KE = \frac{1}{2}mv^2`, String.raw`x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}`, 'a^2 + b^2 = c^2', String.raw`m = \frac{y_2 - y_1}{x_2 - x_1}`]) {
      assert.ok(tex.includes(want), want);
    }
  });

  it('its worked examples compute correctly', () => {
    const all = STARTER_LIBRARY.flatMap((b) => Object.values(b.materials ?? {}).flatMap((m) => m.examples));
    const speech = (title: string) => all.find((x) => x.title === title)!.steps.map((s) => s.speech).join(' ');
    assert.match(speech('Kicking a soccer ball'), new RegExp(`or ${90 / 0.45} meters per second squared`));
    assert.match(speech('Two skaters push apart'), new RegExp(`or ${120 / 60} meters .* or ${120 / 40} meters`));
    assert.match(speech('A dropped ball'), new RegExp(`or ${2 * 10 * 5} joules .* v equals ${Math.sqrt((2 * 100) / 2)} meters per second`));
    assert.match(speech('The wavelength of a tuning fork'), new RegExp(`about ${(343 / 440).toFixed(2)} meters`));
    assert.match(speech('How high does the ladder reach?'), new RegExp(`b equals ${Math.sqrt(13 ** 2 - 5 ** 2)}`));
    const disc = 3 ** 2 - 4 * 2 * -2;
    assert.match(speech('Using the quadratic formula'), new RegExp(`or ${disc}.* one half, or x equals negative 8 over 4, or negative ${-((-3 - Math.sqrt(disc)) / 4)}`));
    assert.match(speech('A phone plan'), new RegExp(`which is ${5 * 4 + 15}`));
    assert.match(speech('Neutrons in carbon 14'), new RegExp(`or ${14 - 6}`));
    assert.match(speech('Two red marbles'), /nine sixty-fourths, about 0\.14/);
    assert.ok(Math.abs(9 / 64 - 0.14) < 0.005);
  });
});
