import assert from 'node:assert/strict';
import { confidenceOf, definedPhrases, relatedStems, TopicIndex, type ConfidenceFeatures, type TopicText } from '../../shared/library/topic-index.js';

const M = (inner: string): string => `<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow>${inner}</mrow></math>`;
const F_MA = M('<mi>F</mi><mo>=</mo><mi>m</mi><mi>a</mi>');
const PV = M('<mi>P</mi><mi>V</mi><mo>=</mo><mi>n</mi><mi>R</mi><mi>T</mi>');

/** A section with filler passages around what it is about. */
function topic(id: string, title: string, extra: Partial<TopicText> = {}, about: string[] = []): TopicText {
  const passages = [
    ...about.map((text) => ({ heading: title, text })),
    { heading: title, text: `This section of the book is called ${title}.` },
    { heading: 'Section Summary', text: `In short: ${title}.` },
  ];
  return { topicId: `book/${id}`, bookId: 'book', moduleId: id, title, chapter: 'Chapter', keyTerms: [], objectives: [], passages, subject: 'physics', ...extra };
}

const TOPICS: TopicText[] = [
  topic('m1', 'Introduction', { ordinal: 0 }, ['Forces push and pull. Motion, acceleration, mass and force are what this chapter is about.']),
  topic('m2', "Newton's Second Law of Motion", { ordinal: 1, keyTerms: ["Newton's second law of motion"], equations: [{ math: { format: 'mathml', source: F_MA }, label: "Newton's second law of motion" }] }, [
    'The acceleration of a system is proportional to the net external force and inversely proportional to its mass.',
    'A lawn mower pushed harder speeds up more.',
  ]),
  topic('m3', 'Friction', { ordinal: 2, equations: [{ math: { format: 'mathml', source: F_MA } }], glossary: [{ term: 'kinetic friction', definition: 'a force that opposes the motion of two surfaces sliding past each other' }] }, [
    'Friction opposes motion between surfaces in contact. Rough surfaces grip each other.',
  ]),
  topic('m4', 'The Ideal Gas Law', { ordinal: 3, subject: 'chemistry', equations: [{ math: { format: 'mathml', source: PV } }] }, [
    'Pressure, volume, temperature and amount of gas are related.',
    'A balloon shrinks in the freezer.',
  ]),
  topic('m5', 'Catalysis', { ordinal: 4, subject: 'chemistry' }, ['Enzymes and metals speed up reactions without being used up.']),
  topic('m6', 'Momentum', { ordinal: 5, examples: [{ title: 'Catching a Baseball', problem: 'A baseball hits a catcher mitt and stops.' }] }, [
    'Momentum is mass times velocity.',
    'Collisions conserve momentum.',
  ]),
  topic('m7', 'Entropy', { ordinal: 6 }, ['Entropy measures disorder. The entropy of an isolated system never decreases.']),
  topic('m8', 'Entropy and Heat Engines', { ordinal: 7 }, ['Heat engines and entropy: no engine is perfectly efficient.']),
  // the same text under a chapter's introduction and under a lesson (the introduction first on a tie)
  topic('m10', 'Introduction', { ordinal: 8, chapter: 'Ripples' }, ['Waves carry energy across water without carrying the water.']),
  topic('m9', 'Ripples', { ordinal: 9, chapter: 'Ripples' }, ['Waves carry energy across water without carrying the water.']),
];

describe('library: topic index (resolution)', () => {
  const index = TopicIndex.build(TOPICS);
  const top = (q: string): string | undefined => index.query(q, 3).hits[0]?.topicIds[0];

  it('resolves a typed formula to the section that names the equation, not one that only uses it', () => {
    assert.equal(top('what does F = ma mean'), 'book/m2');
    assert.equal(top('PV = nRT'), 'book/m4', 'the first section of the book to write it');
  });

  it('lets the section the book names an equation after name the formula, not an earlier section that wrote it first', () => {
    const F_NET = M('<msub><mi>F</mi><mtext>net</mtext></msub><mo>=</mo><mi>m</mi><mi>a</mi>');
    const idx = TopicIndex.build([
      topic('s1', 'The Scientific Methods', { ordinal: 0, equations: [{ math: { format: 'mathml', source: F_MA } }] }, ['A law such as F = ma is tested by experiment.']),
      topic('s2', "Newton's Second Law of Motion", { ordinal: 1, equations: [{ math: { format: 'mathml', source: F_NET }, label: "Newton's second law of motion" }] }, ['Acceleration is proportional to the net force.']),
      topic('s3', 'Friction', { ordinal: 2 }, ['Friction opposes motion.']),
    ]);
    const { hits, analyzed } = idx.query('what does F = ma mean', 3);
    const match = idx.matchFormula(analyzed.concepts[0].formula!);
    assert.equal(match.named.size, 1, 'one section names it');
    assert.equal(hits[0].topicIds[0], 'book/s2');
    assert.ok(hits[0].features.phrase > 0.9, 'named by its own equation');
    assert.equal(hits[1].topicIds[0], 'book/s1');
    assert.equal(hits[1].features.phrase, 0, 'wrote it first, but the book names it after another section');
  });

  it('measures the margin over another section of the same book even when its title has the same words', () => {
    const idx = TopicIndex.build([
      topic('i1', 'Inverse Functions', { ordinal: 0 }, ['The inverse of a function undoes it: swap x and y and solve.']),
      topic('i2', 'Inverses and Radical Functions', { ordinal: 1 }, ['The inverse of a polynomial function is a radical function: swap x and y and solve.']),
      topic('i3', 'Friction', { ordinal: 2 }, ['Friction opposes motion.']),
    ]);
    const [first, second] = idx.query('how do i find the inverse of a function', 3).hits;
    assert.ok(['book/i1', 'book/i2'].includes(first.topicIds[0]) && ['book/i1', 'book/i2'].includes(second.topicIds[0]));
    assert.ok(first.features.margin < 0.2, `the rival is the other inverse section, not Friction: margin ${first.features.margin}`);
  });

  it('answers a question about what a series of sections teaches with the first of them (U.S. History: the First and the Second New Deal)', () => {
    const idx = TopicIndex.build([
      topic('d0', 'The Great Depression', { ordinal: 0, subject: 'history' }, ['Banks failed and millions lost their jobs.']),
      topic('d2', 'The Second New Deal', { ordinal: 2, subject: 'history' }, ['Roosevelt pressed on with Social Security and the Works Progress Administration.']),
      topic('d1', 'The First New Deal', { ordinal: 1, subject: 'history' }, ['Roosevelt closed the banks and began relief programs in his first hundred days.']),
    ]);
    const [first, second] = idx.query('What was the New Deal?', 3).hits;
    assert.equal(first!.topicIds[0], 'book/d1', 'the first of the series');
    assert.equal(second!.topicIds[0], 'book/d2');
    assert.ok(first!.features.margin > 0.3, `the other New Deal is not its rival: margin ${first!.features.margin}`);
    // a question that names one of them is about that one, with the other as its rival
    const second2 = idx.query('What was the Second New Deal?', 3).hits[0]!;
    assert.equal(second2.topicIds[0], 'book/d2');
  });

  it('takes sections of two books that teach the same words for one lesson, whatever their titles', () => {
    const phase = { keyTerms: ['latent heat', 'boiling point', 'melting point'], objectives: ['Explain why temperature stays constant during a phase change'] };
    const idx = TopicIndex.build([
      topic('p1', 'Phase Change and Latent Heat', { ...phase, ordinal: 0, bookId: 'physics', topicId: 'physics/p1' }, ['Heat goes into breaking bonds while water boils.']),
      topic('c1', 'Phase Transitions', { ...phase, ordinal: 0, bookId: 'chemistry', topicId: 'chemistry/c1' }, ['While water boils its temperature stays at the boiling point.']),
      topic('c2', 'Solutions', { ordinal: 1, bookId: 'chemistry', topicId: 'chemistry/c2', keyTerms: ['solution'] }, ['Water boils at a higher temperature with salt in it.']),
    ]);
    const [first] = idx.query('why does the temperature of boiling water stay constant', 3).hits;
    assert.ok(['physics/p1', 'chemistry/c1'].includes(first.topicIds[0]));
    assert.ok(first.features.margin > 0.2, `the rival is Solutions, not the other book's phase section: margin ${first.features.margin}`);
  });

  it('reads the names a passage gives as it defines them', () => {
    assert.deepEqual(definedPhrases('Normally, the electric potential is simply called the potential or voltage. The units are J/C.'), ['potential', 'voltage']);
    assert.deepEqual(definedPhrases('The highest power is called the leading term because it dominates.'), ['leading term']);
    assert.deepEqual(definedPhrases('The number under the sign is called the index of the radical.'), ['index of the radical']);
    assert.deepEqual(definedPhrases('Power is defined as the rate of doing work.'), ['Power']);
    assert.deepEqual(definedPhrases('Charges repel each other.'), []);
  });

  it('credits a word the text names as it defines it like a key term ("what is voltage")', () => {
    const idx = TopicIndex.build([
      topic('v1', 'Electric Potential', { ordinal: 0 }, ['The electric potential energy per unit charge is simply called the potential or voltage.', 'A battery moves charge.']),
      topic('v2', 'Series Circuits', { ordinal: 1 }, ['The voltage across each resistor adds up.', 'The voltage of the battery is shared.', 'Current is the same in each resistor.']),
    ]);
    assert.equal(idx.query('what actually is voltage', 2).hits[0].topicIds[0], 'book/v1');
  });

  it('credits glossary terms and the words of their definitions', () => {
    assert.equal(top('what is kinetic friction'), 'book/m3');
    assert.equal(top('why do two sliding surfaces oppose each other'), 'book/m3');
  });

  it('finds the everyday situation of a worked example', () => {
    assert.equal(top('why does my mitt sting when i catch a baseball'), 'book/m6');
  });

  it('corrects misspellings to words the library uses in two sections or more', () => {
    const { hits, analyzed } = index.query('what is entrophy', 3);
    assert.equal(analyzed.concepts[0].text, 'entropy');
    assert.equal(analyzed.concepts[0].corrected, 1);
    assert.equal(hits[0].topicIds[0], 'book/m7');
  });

  it('matches related word forms ("catalyst" finds "Catalysis")', () => {
    assert.equal(top('what does a catalyst do'), 'book/m5');
  });

  it('ranks a chapter introduction below a lesson that covers the question as well', () => {
    assert.equal(top('how do waves carry energy across water'), 'book/m9');
  });

  it('is confident when the question names a section, not when the library does not know its words', () => {
    const named = index.query("Newton's second law of motion", 3).hits[0];
    assert.equal(named.topicIds[0], 'book/m2');
    assert.ok(named.confidence >= 0.35, String(named.confidence));
    const unknown = index.query('how do i bake sourdough bread with a starter culture', 3).hits[0];
    assert.ok(!unknown || unknown.confidence < 0.35, String(unknown?.confidence));
  });

  it('is less confident when the question names a subject the library has no book for', () => {
    const plain = index.query('what is momentum', 3).hits[0];
    const other = index.query('what is momentum in economics', 3).hits[0];
    assert.equal(other.features.otherSubject, 1);
    assert.ok(other.confidence < plain.confidence / 2, `${other.confidence} vs ${plain.confidence}`);
  });

  it('gives every hit its features, the best hit a margin >= 0 and the others <= 0 and no more confidence', () => {
    const { hits } = index.query('entropy', 3);
    assert.ok(hits.length >= 2);
    assert.ok(hits[0].features.margin >= 0 && hits.slice(1).every((h) => h.features.margin <= 0));
    for (const h of hits) assert.ok(h.confidence > 0 && h.confidence < 1);
    assert.ok(hits.slice(1).every((h) => h.confidence <= hits[0].confidence), 'an alternative is never surer than the best hit');
  });
});

describe('library: confidence and word forms', () => {
  const base: ConfidenceFeatures = { coverage: 0.8, runnerUp: 0.5, margin: 0.2, phrase: 0.5, taught: 0.5, specificity: 0.5, unknown: 0, formula: 0, otherSubject: 0, plain: 1 };

  it('rises with coverage, margin, phrase match, specificity and agreement with BM25F, falls with unknown words', () => {
    const c = confidenceOf(base);
    for (const k of ['coverage', 'margin', 'phrase', 'specificity'] as const) assert.ok(confidenceOf({ ...base, [k]: base[k] + 0.2 }) > c, k);
    assert.ok(confidenceOf({ ...base, plain: 0.6 }) < c, 'a best hit the plain BM25F score ranks lower is less sure');
    const farAheadOfPoorRivals = { ...base, coverage: 0.3, margin: 0.9, phrase: 0, specificity: 1 };
    assert.ok(confidenceOf(farAheadOfPoorRivals) <= 0.3, 'never surer than the share of the question it covers');
    assert.ok(confidenceOf({ ...base, coverage: 0.6, margin: 0.9 }) > confidenceOf({ ...base, coverage: 0.6, margin: 0.2 }) + 0.2, 'a margin counts when the hit covers the question');
    assert.ok(confidenceOf({ ...base, unknown: 0.5 }) < c);
    assert.ok(confidenceOf({ ...base, otherSubject: 1 }) < c);
  });

  it('relates forms of one word, not a word and its prefix', () => {
    assert.ok(relatedStems('catalyst', 'catalysi'));
    assert.ok(relatedStems('photosynthesi', 'photosynthet'));
    assert.ok(!relatedStems('electr', 'electron'));
    assert.ok(!relatedStems('ion', 'ionic'));
    assert.ok(!relatedStems('analysi', 'analyz'));
  });
});
