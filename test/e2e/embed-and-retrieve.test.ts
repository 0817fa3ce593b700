import assert from 'node:assert/strict';
import { embed } from '../../functions/local/cli.js';
import { FirestorePassageIndex, PASSAGE_VECTORS_COLLECTION } from '../../shared/adapters/firestore-passage-index.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { VectorContentLibrary } from '../../shared/library/vector-content-library.js';
import { VertexEmbedder } from '../../shared/library/vertex-embedder.js';
import { Logger } from '../../shared/observability/logger.js';
import { dataFiles, seedStarterLibrary } from '../../shared/runtime/create-embedded-ports.js';
import { VertexApiDouble } from '../doubles/vertex-api.double.js';
import { testConfig } from '../helpers/embedded.js';
import { useFirestoreEmulator } from '../helpers/firestore-emulator.js';

/**
 * `vividly embed` writes every passage's vector into Firestore (emulator), and vector retrieval then
 * finds a topic's passages through Firestore's findNearest. Embeddings come from the Vertex AI
 * REST double (deterministic bag-of-words vectors, so nearness follows shared words).
 */
describe('vividly embed -> Firestore vectors -> vector retrieval (Firestore emulator, Vertex double) @slow', function () {
  this.timeout(180_000);
  const fs = useFirestoreEmulator();
  let vertex: VertexApiDouble;
  const config = testConfig({ GOOGLE_CLOUD_PROJECT: 'vividly-test' });
  let library: SqliteContentLibrary;

  before(async () => {
    vertex = await VertexApiDouble.start();
    library = new SqliteContentLibrary(dataFiles(config.dataDir).library);
    seedStarterLibrary(library, dataFiles(config.dataDir).starterMarker);
  });
  after(async () => {
    library?.close();
    await vertex?.close();
  });

  it('embeds every passage of the chosen book into passageVectors, in batched calls', async () => {
    const firestore = fs.firestore();
    const code = await embed({ book: ['vividly-starter-physics'] }, { ai: vertex.client(), firestore, config });
    assert.equal(code, 0);
    const expected = library.listTopics('vividly-starter-physics').flatMap((t) => library.listPassages(t.id));
    const stored = await firestore.collection(PASSAGE_VECTORS_COLLECTION).get();
    assert.equal(stored.size, expected.length);
    assert.deepEqual(stored.docs.map((d) => d.get('passageId')).sort(), expected.map((p) => p.id).sort());
    assert.ok(vertex.predictCalls.length >= 1 && vertex.predictCalls.length < expected.length, `${vertex.predictCalls.length} calls for ${expected.length} passages`);

    // Retrieval through findNearest (no fallback to the lexical ranking): the topic's passages.
    const warnings: string[] = [];
    const retrieval = new VectorContentLibrary({
      base: library,
      embedder: new VertexEmbedder({ ai: vertex.client(), maxAttempts: 2, timeoutMs: 10_000 }),
      index: new FirestorePassageIndex(firestore),
      log: new Logger('warn', (line) => warnings.push(line)),
    });
    const topicId = 'vividly-starter-physics/newtons-third-law';
    const { passages } = await retrieval.retrieve(topicId, 'Why do I get pushed back when I jump off a skateboard?', 4);
    assert.ok(passages.length >= 3);
    for (const p of passages) assert.equal(p.topicId, topicId);
    assert.deepEqual(warnings, [], 'vector retrieval answered without falling back');
    const nearest = await new FirestorePassageIndex(firestore).nearest((await new VertexEmbedder({ ai: vertex.client(), maxAttempts: 1, timeoutMs: 10_000 }).embed(['skateboard push'], 'RETRIEVAL_QUERY'))[0]!, { topicId, limit: 2 });
    assert.equal(nearest.length, 2);
    assert.ok(nearest[0]!.distance <= nearest[1]!.distance, 'nearest first');
  });
});
