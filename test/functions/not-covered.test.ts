import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { buildPubSubEvent, type CloudEventLike } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import { createGeneration } from '../../functions/api/api.js';
import { createLocalApp } from '../../functions/local/serve.js';
import { understand } from '../../functions/understand/index.js';
import { alternativesOf, REQUESTED_TOPIC_PROVIDER } from '../../functions/understand/understand.js';
import { notCoveredKey } from '../../shared/domain/cache-keys.js';
import { GenerationSchema, MAX_ALTERNATIVES, type Generation } from '../../shared/domain/generation.js';
import type { Book, LibraryBundle, Topic, TopicCandidate } from '../../shared/domain/library.js';
import { normaliseQuestion } from '../../shared/domain/normalise-question.js';
import { PipelineError } from '../../shared/errors.js';
import { starterBundle } from '../../shared/library/starter/index.js';
import type { TopicChoice, TopicChooser } from '../../shared/ports/language-model.port.js';
import { createEmbeddedPorts, type EmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { testConfig } from '../helpers/embedded.js';

/** Test double of the topic chooser: the real one, counted. */
class CountingChooserDouble implements TopicChooser {
  readonly provider: string;
  calls = 0;
  constructor(private readonly real: TopicChooser) {
    this.provider = real.provider;
  }
  async choose(question: string, candidates: TopicCandidate[]): Promise<TopicChoice> {
    this.calls++;
    return this.real.choose(question, candidates);
  }
}

/** Test double of a chooser whose preferred provider failed: the real one answers as its fallback. */
class FallbackChooserDouble implements TopicChooser {
  readonly provider: string;
  constructor(private readonly real: TopicChooser) {
    this.provider = real.provider;
  }
  async choose(question: string, candidates: TopicCandidate[]): Promise<TopicChoice> {
    const choice = await this.real.choose(question, candidates);
    return { ...choice, fallbackFrom: { provider: 'gemini', code: 'MODEL_UNAVAILABLE', message: 'down (test double)' } };
  }
}

/** Not covered by the starter library; the library's three closest topics are weak matches. */
const PIZZA = 'What is the best pizza topping?';
const SOURDOUGH = 'how do I bake sourdough bread';

/** A book about baking sourdough bread, to change the library. */
function bakingBundle(): LibraryBundle {
  const bookId = 'test-baking';
  const topicId = `${bookId}/sourdough`;
  return {
    book: { id: bookId, title: 'The Science of Baking', subject: 'chemistry', publisher: 'Vividly tests', license: 'CC BY 4.0', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/', url: 'https://example.org/baking' },
    topics: [
      {
        id: topicId,
        bookId,
        title: 'How to Bake Sourdough Bread',
        subject: 'chemistry',
        chapter: 'Bread',
        moduleId: null,
        objectives: ['Bake a loaf of sourdough bread', 'Explain how a sourdough starter makes bread rise'],
        keyTerms: ['sourdough', 'starter', 'fermentation', 'yeast'],
        ordinal: 0,
      },
    ],
    passages: [
      {
        id: `${topicId}#p1`,
        topicId,
        ordinal: 0,
        heading: 'Baking sourdough bread',
        text: 'To bake sourdough bread, mix flour, water and salt with an active sourdough starter. Wild yeast and lactic acid bacteria in the starter ferment the dough, releasing carbon dioxide that makes the bread rise. Bake the sourdough loaf in a hot oven until the crust is brown.',
        figureIds: [],
      },
      {
        id: `${topicId}#p2`,
        topicId,
        ordinal: 1,
        heading: 'Summary',
        text: 'Sourdough bread rises because of fermentation by the yeast of a sourdough starter. Baking sets the bread and browns its crust.',
        figureIds: [],
      },
    ],
    figures: [],
  };
}

describe('not covered: alternatives, the not-covered cache, requests naming a topic', function () {
  let ports: EmbeddedPorts;
  let app: ReturnType<typeof createLocalApp>;
  let chooser: CountingChooserDouble;
  let queued: CloudEventLike[];

  beforeEach(() => {
    ports = createEmbeddedPorts(testConfig(), { logSink: () => {} });
    usePorts(ports);
    chooser = new CountingChooserDouble(ports.chooser);
    ports.chooser = chooser;
    queued = [];
    // The api and understand only: what comes after a resolved topic is not under test here.
    ports.router.subscribe(TOPICS.generationRequested, 'recorder', async (e) => void queued.push(e));
    ports.router.subscribe(TOPICS.generationRequested, 'understand', understand);
    app = createLocalApp(ports);
  });
  afterEach(async () => ports.close());

  async function ask(body: object) {
    const res = await request(app).post('/v1/generations').send(body);
    await ports.router.idle();
    return res;
  }
  /** The generation once the api and understand are done with it (ask waits for the router). */
  async function finished(id: string): Promise<Generation> {
    await ports.router.idle();
    const g = await ports.state.getGeneration(id);
    assert.ok(g, id);
    return g;
  }

  it('a not-covered generation carries up to 3 alternatives (id, title, book) in its error, and the API view shows them', async () => {
    const res = await ask({ question: PIZZA, grade: 9, interest: 'cooking' });
    assert.equal(res.status, 202);
    const g = await finished(res.body.id);
    assert.equal(g.status, 'failed');
    assert.equal(g.error?.code, 'TOPIC_NOT_COVERED');
    const alternatives = g.error?.details?.alternatives ?? [];
    assert.ok(alternatives.length >= 1 && alternatives.length <= MAX_ALTERNATIVES, JSON.stringify(alternatives));
    // The library's closest topics, best first: the ranking understand saw.
    const ranked = await ports.library.resolve(PIZZA, 5);
    assert.deepEqual(alternatives, alternativesOf(ranked));
    assert.equal(alternatives[0]!.id, ranked[0]!.topic.id);
    for (const a of alternatives) {
      const found = await ports.library.getTopic(a.id);
      assert.ok(found, `${a.id} is a topic of the library`);
      assert.deepEqual({ id: a.id, book: a.book }, { id: found.topic.id, book: found.book.title });
      assert.ok(a.title.endsWith(found.topic.title), `${a.title} is the title of ${a.id}`);
    }
    const view = await request(app).get(`/v1/generations/${g.id}`).expect(200);
    assert.deepEqual(view.body.error, { stage: 'understand', code: 'TOPIC_NOT_COVERED', message: g.error!.message, details: { alternatives } });
    assert.equal(g.stages.understand.attempts, 1, 'not retried');
  });

  it('the same question again, cased and punctuated otherwise, for another grade: 422 from the cache, no generation, no chooser call', async () => {
    const first = await ask({ question: PIZZA, grade: 9, interest: 'cooking' });
    const g = await finished(first.body.id);
    assert.equal(chooser.calls, 1);
    assert.equal(queued.length, 1);

    for (const body of [
      { question: 'what is the BEST pizza topping', grade: 9, interest: 'cooking' },
      { question: '  What’s the best pizza-topping?!  ', grade: 4, interest: 'music', voice: 'male_energetic' },
    ]) {
      const again = await ask(body);
      assert.equal(again.status, 422, JSON.stringify(again.body));
      assert.deepEqual(again.body, {
        error: { code: 'TOPIC_NOT_COVERED', message: g.error!.message, details: { alternatives: g.error!.details!.alternatives, answeredFrom: 'not-covered-cache' } },
      });
    }
    assert.equal(chooser.calls, 1, 'no model call');
    assert.equal(queued.length, 1, 'no new generation queued');
    // Another question is another key.
    const other = await ask({ question: 'What is the worst pizza topping?', grade: 9 });
    assert.equal(other.status, 202);
    assert.equal(chooser.calls, 2);
  });

  it('a library change (a book ingested) empties it: the question goes through understand again', async () => {
    const first = await ask({ question: SOURDOUGH, grade: 9 });
    await finished(first.body.id);
    assert.equal((await ask({ question: SOURDOUGH, grade: 9 })).status, 422);
    const before = await ports.library.version();

    ports.library.upsertBundle(bakingBundle());
    assert.notEqual(await ports.library.version(), before);
    const after = await ask({ question: `${SOURDOUGH}?`, grade: 9 });
    assert.equal(after.status, 202, JSON.stringify(after.body));
    assert.equal(chooser.calls, 2);
    const g = await finished(after.body.id);
    // The new book covers it now; the cached answer of the old library would have said otherwise.
    assert.equal(g.status, 'topic_resolved', JSON.stringify(g.error));
    assert.equal(g.topic?.id, 'test-baking/sourdough');

    // Removing the book changes the version again, back to the one of the same books.
    assert.equal(ports.library.removeBook('test-baking'), true);
    assert.equal(await ports.library.version(), before, 'the same books give the same version');
  });

  it('is filled once whatever the deliveries: a failed cache write is retried, concurrent deliveries write one entry', async () => {
    const state = ports.state;
    let failures = 0;
    const putCache = state.putCache.bind(state);
    state.putCache = async (kind, key, id) => {
      if (kind === 'notCovered' && failures++ === 0) throw new Error('state store unavailable (test double)');
      return putCache(kind, key, id);
    };
    const res = await ask({ question: PIZZA, grade: 9 });
    const g = await finished(res.body.id);
    assert.equal(g.error?.code, 'TOPIC_NOT_COVERED');
    assert.equal(g.stages.understand.attempts, 2, 'the delivery after the failed write did the work');
    const key = notCoveredKey(PIZZA, { libraryVersion: await ports.library.version(), minConfidence: ports.config.minConfidence, chooser: ports.chooser.provider });
    assert.equal((await state.getCache('notCovered', key))?.generationId, g.id);

    // Three deliveries of one event at once: one failure recorded, the entry names that generation.
    const twin = newGeneration({ request: { question: 'Who wins the football world cup?', grade: 10, interest: 'soccer', voice: 'female_professional' } });
    await state.createGeneration(twin);
    const event = buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: twin.id, request: twin.request, owner: twin.owner, requestedAt: twin.createdAt });
    await Promise.all([understand(event), understand(event), understand(event)]);
    const failed = await state.getGeneration(twin.id);
    assert.equal(failed?.error?.code, 'TOPIC_NOT_COVERED');
    const twinKey = notCoveredKey(twin.request.question, { libraryVersion: await ports.library.version(), minConfidence: ports.config.minConfidence, chooser: ports.chooser.provider });
    assert.equal((await state.getCache('notCovered', twinKey))?.generationId, twin.id);
  });

  it('an entry whose generation did not fail as not covered is no answer; a fallback chooser does not fill the cache', async () => {
    const key = notCoveredKey(PIZZA, { libraryVersion: await ports.library.version(), minConfidence: ports.config.minConfidence, chooser: ports.chooser.provider });
    const live = newGeneration();
    await ports.state.createGeneration(live);
    await ports.state.putCache('notCovered', key, live.id);
    assert.equal((await ask({ question: PIZZA, grade: 9 })).status, 202, 'a generation still running is no answer');

    ports.chooser = new FallbackChooserDouble(chooser);
    const res = await ask({ question: 'Which pizza topping is the tastiest?', grade: 9 });
    const g = await finished(res.body.id);
    assert.equal(g.error?.code, 'TOPIC_NOT_COVERED');
    assert.ok(g.error?.details?.alternatives, 'alternatives all the same');
    assert.equal((await ask({ question: 'Which pizza topping is the tastiest?', grade: 9 })).status, 202, 'not cached: the preferred chooser may cover it');
  });

  it('a request naming a topic (one of the alternatives) skips resolution: confidence 1, provider request', async () => {
    const first = await ask({ question: PIZZA, grade: 9 });
    const failed = await finished(first.body.id);
    const choice = failed.error!.details!.alternatives![1] ?? failed.error!.details!.alternatives![0]!;

    const res = await ask({ question: PIZZA, grade: 9, topicId: choice.id });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(chooser.calls, 1, 'no resolution, no model call');
    const g = (await ports.state.getGeneration(res.body.id))!;
    assert.equal(g.status, 'topic_resolved');
    assert.equal(g.request.topicId, choice.id);
    assert.deepEqual({ id: g.topic?.id, title: g.topic?.title, book: g.topic?.book, confidence: g.topic?.confidence }, { ...choice, confidence: 1 });
    assert.deepEqual(g.providers?.topic, { provider: REQUESTED_TOPIC_PROVIDER });
    // Another topic for the same question is another lesson, not coalesced onto this one.
    const other = failed.error!.details!.alternatives!.find((a) => a.id !== choice.id);
    if (other) assert.notEqual((await ask({ question: PIZZA, grade: 9, topicId: other.id })).body.id, g.id);
  });

  it('a topicId the library does not have is 422 UNKNOWN_TOPIC; a malformed one is 400 INVALID_REQUEST; nothing is queued', async () => {
    const unknown = await ask({ question: PIZZA, grade: 9, topicId: 'no-such-book/m00000' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'UNKNOWN_TOPIC');
    assert.deepEqual(unknown.body.error.details, [{ field: 'topicId', message: 'no such topic in the library' }]);
    for (const topicId of ['../../etc/passwd', '', 42, 'x'.repeat(201)]) {
      const bad = await ask({ question: PIZZA, grade: 9, topicId });
      assert.equal(bad.status, 400, String(topicId));
      assert.equal(bad.body.error.code, 'INVALID_REQUEST');
      assert.ok(bad.body.error.details.some((d: { field: string }) => d.field === 'topicId'));
    }
    assert.equal(queued.length, 0);
    // Removed between the API and understand: the generation fails with the same code, once.
    const g = newGeneration({ request: { question: PIZZA, grade: 9, interest: 'general', voice: 'female_professional', topicId: 'no-such-book/m00000' } });
    await ports.state.createGeneration(g);
    await understand(buildPubSubEvent(TOPICS.generationRequested, { v: 1, generationId: g.id, request: g.request, owner: g.owner, requestedAt: g.createdAt }));
    assert.equal((await ports.state.getGeneration(g.id))?.error?.code, 'UNKNOWN_TOPIC');
  });

  it('createGeneration (the CLI calls it) throws the cached answer as a PipelineError with the alternatives', async () => {
    const { body } = await createGeneration({ question: PIZZA, grade: 9 }, 'cli', ports);
    await ports.router.idle();
    const g = await finished((body as { id: string }).id);
    await assert.rejects(
      () => createGeneration({ question: PIZZA.toUpperCase(), grade: 9 }, 'cli', ports),
      (err: unknown) => err instanceof PipelineError && err.code === 'TOPIC_NOT_COVERED' && err.httpStatus === 422 && JSON.stringify(err.toJSON().details) === JSON.stringify({ alternatives: g.error!.details!.alternatives, answeredFrom: 'not-covered-cache' }),
    );
  });
});

describe('alternativesOf: the closest sections, best first', () => {
  const book = (id: string): Book => ({ id, title: `Book ${id}`, subject: 'physics', publisher: 'p', license: 'l', licenseUrl: 'u', url: 'u' });
  const candidate = (id: string, title: string, moduleId: string | null, bookId = 'a'): TopicCandidate => ({
    topic: { id, bookId, title, subject: 'physics', chapter: 'c', moduleId, objectives: [], keyTerms: [], ordinal: 0 } satisfies Topic,
    book: book(bookId),
    score: 1,
    confidence: 0.2,
  });

  it('keeps one topic per section (the same module, or the same title in the same subject), at most 3', () => {
    const list = [
      candidate('a/m1', 'Newton’s Second Law', 'm1'),
      candidate('b/m1', 'Newton’s Second Law', 'm1', 'b'),
      candidate('c/m9', 'newton’s second law', 'm9', 'c'),
      candidate('a/m2', 'Friction', 'm2'),
      candidate('a/m3', 'Drag Forces', 'm3'),
      candidate('a/m4', 'Momentum', 'm4'),
    ];
    assert.deepEqual(alternativesOf(list).map((a) => a.id), ['a/m1', 'a/m2', 'a/m3']);
    assert.deepEqual(alternativesOf(list)[0], { id: 'a/m1', title: 'Newton’s Second Law', book: 'Book a' });
  });

  it('names a chapter introduction by its chapter, and offers one of two topics that read the same', () => {
    const intro = (id: string, chapter: string, subject: Topic['subject']): TopicCandidate => {
      const c = candidate(id, 'Introduction', id);
      return { ...c, topic: { ...c.topic, chapter, subject } };
    };
    const list = [intro('chem/m1', 'Thermochemistry', 'chemistry'), intro('phys/m2', 'Thermochemistry', 'physics'), intro('phys/m3', 'Heat and Heat Transfer Methods', 'physics')];
    assert.deepEqual(alternativesOf(list).map((a) => [a.id, a.title]), [
      ['chem/m1', 'Thermochemistry: Introduction'],
      ['phys/m3', 'Heat and Heat Transfer Methods: Introduction'],
    ]);
  });

  it("puts the chooser's pick first, and is empty without candidates", () => {
    const list = [candidate('a/m1', 'One', 'm1'), candidate('a/m2', 'Two', 'm2')];
    assert.deepEqual(alternativesOf(list, list[1]).map((a) => a.id), ['a/m2', 'a/m1']);
    assert.deepEqual(alternativesOf([]), []);
  });

  it('a generation written before details is still valid', () => {
    const old = newGeneration({ status: 'failed', error: { stage: 'understand', code: 'TOPIC_NOT_COVERED', message: 'x' } });
    assert.deepEqual(GenerationSchema.parse(JSON.parse(JSON.stringify(old))).error, { stage: 'understand', code: 'TOPIC_NOT_COVERED', message: 'x' });
    assert.equal(GenerationSchema.parse(JSON.parse(JSON.stringify(old))).request.topicId, undefined);
  });
});

describe('normaliseQuestion: one form per way of typing a question', () => {
  const same: [string, string][] = [
    ["What's F=ma?", 'what is  f = ma'],
    ['WHAT IS F = MA!!', 'what is f=ma'],
    ['Explain Newton’s 3rd law.', "explain newton's 3rd law"],
    ['explain newtons 3rd law', "Explain Newton's 3rd Law"],
    ['Why don’t   magnets stick to wood', 'why do not magnets stick to wood?'],
    ['I can’t get photosynthesis', 'i cannot get photosynthesis'],
    ['Schrödinger’s cat', 'schrodingers cat'],
    ['Ｆ＝ｍａ', 'f = ma'],
    ['the ﬁssion of uranium', 'the fission of uranium'],
    ['what is an x-ray', 'What is an X ray'],
    ['"quoted" (words) — and dashes', 'quoted words and dashes'],
  ];
  for (const [a, b] of same) it(`${JSON.stringify(a)} == ${JSON.stringify(b)}`, () => assert.equal(normaliseQuestion(a), normaliseQuestion(b)));

  const apart: [string, string][] = [
    ['what is 2+2', 'what is 2-2'],
    ['a^2 + b^2 = c^2', 'a2 b2 c2'],
    ['what is force', 'what are forces'],
    ["Newton's third law", "Newton is third law"],
    ['what is 7.5', 'what is 75'],
    ['x < y', 'x > y'],
  ];
  for (const [a, b] of apart) it(`${JSON.stringify(a)} != ${JSON.stringify(b)}`, () => assert.notEqual(normaliseQuestion(a), normaliseQuestion(b)));

  it('the not-covered key ignores what does not change the question, and holds the library version, threshold and chooser', () => {
    const scope = { libraryVersion: 'lib_1', minConfidence: 0.35, chooser: 'extractive' };
    assert.equal(notCoveredKey("What's the best pizza topping?", scope), notCoveredKey('what is the best pizza topping', scope));
    assert.notEqual(notCoveredKey('what is the best pizza topping', scope), notCoveredKey('what is the best pizza topping', { ...scope, libraryVersion: 'lib_2' }));
    assert.notEqual(notCoveredKey('what is the best pizza topping', scope), notCoveredKey('what is the best pizza topping', { ...scope, minConfidence: 0.5 }));
    assert.notEqual(notCoveredKey('what is the best pizza topping', scope), notCoveredKey('what is the best pizza topping', { ...scope, chooser: 'gemini' }));
  });
});

describe('vividly generate: a not-covered answer on the command line @slow', function () {
  this.timeout(60_000);
  const cli = path.resolve('functions/local/vividly.mjs');
  const run = async (dataDir: string, args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, VIVIDLY_DATA_DIR: dataDir } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('--json prints the failed generation with its alternatives, then the cached answer; without --json they are listed', async () => {
    const { dataDir } = testConfig();
    const first = await run(dataDir, ['generate', PIZZA, '--json']);
    assert.equal(first.code, 2, first.stderr);
    const view = JSON.parse(first.stdout);
    assert.equal(view.status, 'failed');
    assert.equal(view.error.code, 'TOPIC_NOT_COVERED');
    const alternatives = view.error.details.alternatives as { id: string; title: string; book: string }[];
    assert.ok(alternatives.length >= 1 && alternatives.length <= 3);
    for (const a of alternatives) assert.deepEqual(Object.keys(a).sort(), ['book', 'id', 'title']);

    const cached = await run(dataDir, ['generate', PIZZA.toLowerCase().replace('?', ''), '--json']);
    assert.equal(cached.code, 2);
    assert.deepEqual(JSON.parse(cached.stdout), { error: { code: 'TOPIC_NOT_COVERED', message: view.error.message, details: { alternatives, answeredFrom: 'not-covered-cache' } } });
    assert.match(cached.stderr, /not-covered cache/);

    const human = await run(dataDir, ['generate', PIZZA]);
    assert.equal(human.code, 2);
    for (const a of alternatives) assert.ok(human.stdout.includes(`${a.title} (${a.book})  --topic ${a.id}`), human.stdout);
    assert.match(human.stdout, /--topic /);
  });
});
