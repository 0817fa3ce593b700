import assert from 'node:assert/strict';
import type { LibraryBundle } from '../../shared/domain/library.js';
import { PipelineError } from '../../shared/errors.js';
import { embedLibrary, passageDocument, sqlitePassageCatalog } from '../../shared/library/embed-library.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { STARTER_LIBRARY } from '../../shared/library/starter/index.js';
import { VectorContentLibrary } from '../../shared/library/vector-content-library.js';
import { VertexEmbedder } from '../../shared/library/vertex-embedder.js';
import { Logger } from '../../shared/observability/logger.js';
import type { NearestPassage, PassageVector, PassageVectorIndex } from '../../shared/ports/embeddings.port.js';
import { hashedBagOfWords, VertexApiDouble } from '../doubles/vertex-api.double.js';

const BACKOFF = { baseMs: 1, maxMs: 4 };
const DIMS = 768;

/** Test double of the vector index: exact cosine distance over an in-memory map (Firestore findNearest in the cloud). */
class InMemoryPassageIndexDouble implements PassageVectorIndex {
  readonly vectors = new Map<string, PassageVector>();
  queries: { vector: number[]; topicId?: string; limit: number }[] = [];
  failWith: Error | null = null;
  async upsert(items: PassageVector[]): Promise<void> {
    for (const item of items) this.vectors.set(item.passageId, item);
  }
  async nearest(vector: number[], opts: { topicId?: string; limit: number }): Promise<NearestPassage[]> {
    this.queries.push({ vector, ...opts });
    if (this.failWith) throw this.failWith;
    return [...this.vectors.values()]
      .filter((v) => !opts.topicId || v.topicId === opts.topicId)
      .map((v) => ({ passageId: v.passageId, topicId: v.topicId, distance: 1 - cosine(vector, v.vector) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, opts.limit);
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

const TOPIC = 'test-earth/tides';
/** A small book: one topic with seven passages, a summary, and a figure. */
const TIDES: LibraryBundle = {
  book: { id: 'test-earth', title: 'Earth Science (test)', subject: 'physics', publisher: 'Vividly tests', license: 'CC BY 4.0', licenseUrl: 'https://creativecommons.org/licenses/by/4.0/', url: 'https://example.org/earth' },
  topics: [
    { id: TOPIC, bookId: 'test-earth', title: 'Tides', subject: 'physics', chapter: 'Oceans', moduleId: null, objectives: ['Explain what causes tides.'], keyTerms: ['tide', 'spring tide', 'neap tide'], ordinal: 0 },
  ],
  passages: [
    ['What tides are', 'Tides are the regular rise and fall of the sea level along a coast, usually twice a day.'],
    ["The Moon's pull", 'Gravity from the Moon pulls on the oceans and raises a bulge of water on the side of Earth that faces the Moon.'],
    ["The Sun's part", 'The Sun also pulls on the oceans. When Sun and Moon line up, spring tides are high; at right angles, neap tides are small.'],
    ['Two bulges', 'A second bulge forms on the far side of Earth, so most coasts see two high tides and two low tides each day.'],
    ['Tides and surfing', 'Surfers check tide tables, because the depth of water over a reef or sandbar changes how waves break at the beach.'],
    ['Tidal power', 'Turbines placed in fast tidal currents turn generators and make electricity from the moving water, much like wind turbines do.'],
    ['Section Summary', 'Tides come from the pull of the Moon and the Sun on the oceans, with spring and neap tides as they align or not.'],
  ].map(([heading, text], i) => ({ id: `${TOPIC}#${i + 1}`, topicId: TOPIC, ordinal: i, heading, text, figureIds: heading === 'Tidal power' ? ['fig-turbine'] : [] })),
  figures: [{ id: 'fig-turbine', topicId: TOPIC, alt: 'A tidal turbine under water', caption: 'Tidal turbine', path: null, mimeType: 'image/png' }],
};

describe('Vertex embeddings and vector retrieval (against VertexApiDouble)', function () {
  let api: VertexApiDouble;
  let base: SqliteContentLibrary;

  before(async () => {
    api = await VertexApiDouble.start();
    base = new SqliteContentLibrary(':memory:');
    for (const bundle of [...STARTER_LIBRARY, TIDES]) base.upsertBundle(bundle);
  });
  after(async () => {
    await api.close();
    base.close();
  });
  beforeEach(() => {
    api.predictCalls.length = 0;
  });

  function embedder(overrides: { model?: string; maxAttempts?: number; timeoutMs?: number } = {}) {
    return new VertexEmbedder({
      ai: api.client(),
      model: overrides.model,
      maxAttempts: overrides.maxAttempts ?? 3,
      timeoutMs: overrides.timeoutMs ?? 10_000,
      backoff: BACKOFF,
    });
  }

  describe('VertexEmbedder', () => {
    it('embeds 600 texts in 3 :predict calls of at most 250, in order, with the task type', async () => {
      const texts = Array.from({ length: 600 }, (_, i) => `passage number ${i} about forces and motion ${i % 13}`);
      const vectors = await embedder().embed(texts, 'RETRIEVAL_DOCUMENT');
      assert.deepEqual(
        api.predictCalls.map((c) => c.instances.length),
        [250, 250, 100],
      );
      assert.ok(api.predictCalls.every((c) => c.model === 'text-embedding-005' && c.parameters.outputDimensionality === DIMS && c.parameters.autoTruncate === true));
      assert.ok(api.predictCalls.every((c) => c.instances.every((i) => i.task_type === 'RETRIEVAL_DOCUMENT')));
      assert.equal(vectors.length, 600);
      assert.deepEqual(vectors[0], hashedBagOfWords(texts[0], DIMS));
      assert.deepEqual(vectors[599], hashedBagOfWords(texts[599], DIMS));
      assert.deepEqual(vectors[312], hashedBagOfWords(texts[312], DIMS));
    });

    it("keeps every call under Vertex AI's 20,000-token limit (the double answers 400 above it)", async () => {
      const long = Array.from({ length: 60 }, (_, i) => `${'tide '.repeat(400)}${i}`);
      const vectors = await embedder().embed(long, 'RETRIEVAL_DOCUMENT');
      assert.equal(vectors.length, 60);
      assert.ok(api.predictCalls.length >= 2);
      assert.ok(api.predictCalls.every((c) => c.status === 200));
      assert.equal(api.predictCalls.reduce((n, c) => n + c.instances.length, 0), 60);
    });

    it('sends one text per call to gemini-embedding-001', async () => {
      await embedder({ model: 'gemini-embedding-001' }).embed(['one', 'two', 'three'], 'RETRIEVAL_QUERY');
      assert.deepEqual(
        api.predictCalls.map((c) => [c.model, c.instances.length, c.instances[0].task_type]),
        [
          ['gemini-embedding-001', 1, 'RETRIEVAL_QUERY'],
          ['gemini-embedding-001', 1, 'RETRIEVAL_QUERY'],
          ['gemini-embedding-001', 1, 'RETRIEVAL_QUERY'],
        ],
      );
    });

    it('retries a 429 and returns the vectors', async () => {
      api.queuePredict({ kind: 'status', status: 429 });
      const [v] = await embedder().embed(['Newton third law'], 'RETRIEVAL_QUERY');
      assert.deepEqual(api.predictCalls.map((c) => c.status), [429, 200]);
      assert.deepEqual(v, hashedBagOfWords('Newton third law', DIMS));
    });

    const failures: { name: string; replies: Parameters<VertexApiDouble['queuePredict']>; cause: string; retryable: boolean; calls: number; timeoutMs?: number }[] = [
      { name: '500 on every attempt', replies: [{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 }], cause: 'MODEL_UNAVAILABLE', retryable: true, calls: 3 },
      { name: 'a 400 (not retried)', replies: [{ kind: 'status', status: 400 }], cause: 'MODEL_REQUEST_INVALID', retryable: false, calls: 1 },
      { name: 'a hang on every attempt', replies: [{ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }], cause: 'MODEL_TIMEOUT', retryable: true, calls: 3, timeoutMs: 100 },
    ];
    for (const f of failures) {
      it(`throws EMBEDDING_FAILED after ${f.name}`, async () => {
        api.queuePredict(...f.replies);
        await assert.rejects(embedder({ timeoutMs: f.timeoutMs }).embed(['a question about tides'], 'RETRIEVAL_QUERY'), (err: unknown) => {
          assert.ok(err instanceof PipelineError);
          assert.equal(err.code, 'EMBEDDING_FAILED');
          assert.equal(err.retryable, f.retryable);
          assert.equal((err.opts.details as { cause: string }).cause, f.cause);
          return true;
        });
        assert.equal(api.predictCalls.length, f.calls);
      });
    }

    it('refuses an empty text without calling Vertex AI', async () => {
      await assert.rejects(embedder().embed(['fine', '  '], 'RETRIEVAL_DOCUMENT'), { code: 'EMBEDDING_FAILED' });
      assert.equal(api.predictCalls.length, 0);
    });
  });

  describe('embedLibrary', () => {
    it('embeds every passage of the library as RETRIEVAL_DOCUMENT and upserts one vector per passage', async () => {
      const index = new InMemoryPassageIndexDouble();
      const progress: number[] = [];
      const summary = await embedLibrary(sqlitePassageCatalog(base), embedder(), index, { onProgress: (p) => progress.push(p.passages) });
      const stats = await base.stats();
      assert.equal(summary.passages, stats.passages);
      assert.equal(summary.books, stats.books);
      assert.equal(summary.topics, stats.topics);
      assert.equal(index.vectors.size, stats.passages);
      assert.equal(progress.at(-1), stats.passages);
      assert.ok(api.predictCalls.every((c) => c.instances.every((i) => i.task_type === 'RETRIEVAL_DOCUMENT')));
      const v = index.vectors.get(`${TOPIC}#6`)!;
      assert.deepEqual([v.topicId, v.bookId], [TOPIC, 'test-earth']);
      assert.deepEqual(v.vector, hashedBagOfWords(passageDocument(TIDES.topics[0], TIDES.passages[5]), DIMS));
      assert.equal(summary.characters, api.predictCalls.reduce((n, c) => n + c.instances.reduce((m, i) => m + i.content.length, 0), 0));
    });

    it('sends batches of batchSize passages, and running it again replaces the same vectors', async () => {
      const index = new InMemoryPassageIndexDouble();
      await embedLibrary(sqlitePassageCatalog(base), embedder(), index, { batchSize: 3, bookIds: ['test-earth'] });
      assert.deepEqual(
        api.predictCalls.map((c) => c.instances.length),
        [3, 3, 1],
      );
      const first = new Map(index.vectors);
      await embedLibrary(sqlitePassageCatalog(base), embedder(), index, { batchSize: 3, bookIds: ['test-earth'] });
      assert.equal(index.vectors.size, 7);
      assert.deepEqual(index.vectors, first);
    });
  });

  describe('VectorContentLibrary', () => {
    let index: InMemoryPassageIndexDouble;
    before(async () => {
      index = new InMemoryPassageIndexDouble();
      await embedLibrary(sqlitePassageCatalog(base), embedder(), index, { bookIds: ['test-earth', 'vividly-starter-physics'] });
    });

    function vectorLibrary(idx: PassageVectorIndex = index) {
      const lines: string[] = [];
      const log = new Logger('debug', (l) => lines.push(l));
      return { library: new VectorContentLibrary({ base, embedder: embedder({ maxAttempts: 2 }), index: idx, log }), lines };
    }
    const question = 'How can tides make electricity with turbines?';

    it('embeds the question as RETRIEVAL_QUERY and asks the index for the nearest passages of the topic', async () => {
      const { library } = vectorLibrary();
      index.queries = [];
      await library.retrieve(TOPIC, question, 3);
      assert.equal(api.predictCalls.length, 1);
      assert.deepEqual(api.predictCalls[0].instances, [{ content: `Tides: ${question}`, task_type: 'RETRIEVAL_QUERY' }]);
      assert.equal(index.queries.length, 1);
      assert.equal(index.queries[0].topicId, TOPIC);
      assert.deepEqual(index.queries[0].vector, hashedBagOfWords(`Tides: ${question}`, DIMS));
    });

    it('returns the nearest passages in reading order, keeps the summary, and loads their figures', async () => {
      const { library } = vectorLibrary();
      const { passages, figures } = await library.retrieve(TOPIC, question, 3);
      const headings = passages.map((p) => p.heading);
      assert.equal(passages.length, 3);
      assert.ok(headings.includes('Tidal power'), headings.join(' | '));
      assert.ok(headings.includes('Section Summary'), 'the summary the base always keeps');
      assert.deepEqual(passages.map((p) => p.ordinal), [...passages.map((p) => p.ordinal)].sort((a, b) => a - b));
      assert.deepEqual(figures.map((f) => f.id), ['fig-turbine']);
    });

    it('keeps the summary passage even when it is not among the nearest, as the base does', async () => {
      const q = 'How do turbines make electricity from moving water?';
      const nearest = await index.nearest(hashedBagOfWords(`Tides: ${q}`, DIMS), { topicId: TOPIC, limit: 3 });
      const summaryId = `${TOPIC}#7`;
      assert.ok(!nearest.some((n) => n.passageId === summaryId), 'precondition: the summary is not in the 3 nearest');
      const { library } = vectorLibrary();
      const { passages } = await library.retrieve(TOPIC, q, 3);
      assert.deepEqual(
        passages.map((p) => p.id),
        [...nearest.slice(0, 2).map((n) => n.passageId), summaryId].sort(),
        'the 2 nearest and the summary, in reading order',
      );
      // Below 3 passages the base keeps no summary either.
      const two = await library.retrieve(TOPIC, q, 2);
      assert.deepEqual(two.passages.map((p) => p.id).sort(), nearest.slice(0, 2).map((n) => n.passageId).sort());
    });

    it('follows the index, not the lexical ranking', async () => {
      // The index says the surfing passage is the question's nearest neighbour; no word of the question is in it.
      const crafted = new InMemoryPassageIndexDouble();
      await crafted.upsert(
        TIDES.passages.map((p) => ({
          passageId: p.id,
          topicId: TOPIC,
          bookId: 'test-earth',
          vector: p.heading === 'Tides and surfing' ? hashedBagOfWords(`Tides: ${question}`, DIMS) : hashedBagOfWords(p.text, DIMS),
        })),
      );
      const { library } = vectorLibrary(crafted);
      const lexical = await base.retrieve(TOPIC, question, 1);
      const vector = await library.retrieve(TOPIC, question, 1);
      assert.notEqual(lexical.passages[0].heading, 'Tides and surfing');
      assert.deepEqual(vector.passages.map((p) => p.heading), ['Tides and surfing']);
    });

    it('skips index entries whose passage is no longer in the library', async () => {
      const stale = new InMemoryPassageIndexDouble();
      for (const v of index.vectors.values()) if (v.topicId === TOPIC) await stale.upsert([v]);
      await stale.upsert([{ passageId: `${TOPIC}#gone`, topicId: TOPIC, bookId: 'test-earth', vector: hashedBagOfWords(`Tides: ${question}`, DIMS) }]);
      const { library } = vectorLibrary(stale);
      const { passages } = await library.retrieve(TOPIC, question, 3);
      assert.equal(passages.length, 3);
      assert.ok(passages.every((p) => p.id !== `${TOPIC}#gone`));
    });

    it('falls back to the lexical ranking when the embedder fails, and logs the code', async () => {
      api.queuePredict({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
      const { library, lines } = vectorLibrary();
      const got = await library.retrieve(TOPIC, question, 3);
      assert.deepEqual(got, await base.retrieve(TOPIC, question, 3));
      assert.equal(api.predictCalls.length, 2);
      const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(records.some((r) => r.code === 'EMBEDDING_FAILED' && r.severity === 'WARNING'));
      assert.ok(!lines.some((l) => l.includes('turbines')), 'no student text in the logs');
    });

    it('falls back to the lexical ranking when the index fails or has nothing for the topic', async () => {
      const broken = new InMemoryPassageIndexDouble();
      broken.failWith = new PipelineError('INDEX_UNAVAILABLE', 'index down (test double)');
      const a = vectorLibrary(broken);
      assert.deepEqual(await a.library.retrieve(TOPIC, question, 3), await base.retrieve(TOPIC, question, 3));
      assert.ok(a.lines.some((l) => JSON.parse(l).code === 'INDEX_UNAVAILABLE'));

      const b = vectorLibrary(new InMemoryPassageIndexDouble());
      assert.deepEqual(await b.library.retrieve(TOPIC, question, 3), await base.retrieve(TOPIC, question, 3));
      assert.ok(b.lines.some((l) => JSON.parse(l).code === 'VECTOR_EMPTY'));
    });

    it('answers an unknown topic like the base (nothing), without embedding', async () => {
      const { library } = vectorLibrary();
      assert.deepEqual(await library.retrieve('no/such-topic', question, 3), { passages: [], figures: [] });
      assert.equal(api.predictCalls.length, 0);
    });

    it('delegates resolve, getTopic, getPassages, getFigures, getMaterials and stats to the base', async () => {
      const { library } = vectorLibrary();
      const q = "Explain Newton's third law";
      assert.deepEqual(await library.resolve(q, 3), await base.resolve(q, 3));
      assert.deepEqual(await library.getTopic(TOPIC), await base.getTopic(TOPIC));
      assert.deepEqual(await library.getPassages([`${TOPIC}#2`]), await base.getPassages([`${TOPIC}#2`]));
      assert.deepEqual(await library.getFigures(['fig-turbine']), await base.getFigures(['fig-turbine']));
      const starter = 'vividly-starter-physics/newtons-second-law';
      assert.ok((await library.getMaterials(starter)).equations.length > 0);
      assert.deepEqual(await library.getMaterials(starter), await base.getMaterials(starter));
      assert.deepEqual(await library.getMaterials(TOPIC), await base.getMaterials(TOPIC));
      assert.deepEqual(await library.stats(), await base.stats());
      assert.equal(api.predictCalls.length, 0);
    });
  });
});
