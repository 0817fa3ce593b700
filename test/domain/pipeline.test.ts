import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { FUNCTION_ENTRIES } from '../../cdktf/build-functions.js';
import { FUNCTION_NAMES as DEPLOYED_FUNCTIONS } from '../../cdktf/config.js';
import { FUNCTION_ACCESS } from '../../cdktf/function-access.js';
import { EXAMPLES } from '../../events/build-examples.js';
import { PAYLOAD_SCHEMAS, TOPICS, TopicNameSchema } from '../../events/schemas.js';
import { generationView } from '../../functions/api/generation-view.js';
import { stageOfSubscription } from '../../functions/dead-letter/dead-letter.js';
import { PIPELINE_FUNCTIONS } from '../../functions/local/emulators/function-servers.js';
import { TOPIC_CONSUMERS as EMULATOR_CONSUMERS } from '../../functions/local/emulators/pubsub-topology.js';
import { startEmbeddedPipeline } from '../../functions/local/pipeline.js';
import { narrateStage } from '../../functions/narrate/narrate.js';
import { publishStage } from '../../functions/publish/publish.js';
import { renderStage } from '../../functions/render/render.js';
import { retrieveStage } from '../../functions/retrieve/retrieve.js';
import { understandStage } from '../../functions/understand/understand.js';
import { writeStage } from '../../functions/write/write.js';
import { STAGE_AWAITED, STAGES, StatusSchema, STATUSES, statusRank, type Generation } from '../../shared/domain/generation.js';
import { PIPELINE, subscribedTopic, TOPIC_NAMES, TRIGGER_BUCKETS, type PipelineRowShape } from '../../shared/domain/pipeline.js';
import { FUNCTIONS, InvocationRecordSchema } from '../../shared/observability/invocation-record.js';
import { nextEventFor } from '../../shared/runtime/input-event.js';
import type { Ports } from '../../shared/runtime/ports.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';
import { testConfig } from '../helpers/embedded.js';

/**
 * The pipeline table (shared/domain/pipeline.ts) is consistent, and every place that needs the
 * pipeline's shape sees the same shape. The expected views are computed here from the table's rows
 * directly, not through the helpers the consumers use.
 */
const rows: readonly PipelineRowShape[] = PIPELINE;
const names = rows.map((r) => r.function);
const stageRows = rows.filter((r) => r.output !== undefined);
const deliveredRows = rows.filter((r) => r.input !== undefined);
const topicOfRow = (r: PipelineRowShape): string | undefined => {
  const t = r.trigger as Record<string, string>;
  return t.topic ?? t.schedule ?? t.deadLetters;
};
const emits = (r: PipelineRowShape, next: PipelineRowShape): boolean => {
  const t = next.trigger as Record<string, string>;
  return t.topic !== undefined ? (r.publishes ?? []).includes(t.topic) : t.bucket !== undefined && r.writes === t.bucket;
};

describe('the pipeline table', () => {
  describe('is consistent', () => {
    it('names each function once, with its entry in its own folder registering it under that name', () => {
      assert.equal(new Set(names).size, names.length);
      for (const r of rows) {
        assert.equal(r.entry, `functions/${r.function}/index.ts`);
        assert.ok(existsSync(r.entry), r.entry);
        assert.match(readFileSync(r.entry, 'utf8'), new RegExp(`functions\\.(http|cloudEvent)\\('${r.function}'`), `${r.entry} registers ${r.function}`);
      }
    });

    it('has exactly one consumer function per topic', () => {
      const topics = rows.flatMap((r) => topicOfRow(r) ?? []);
      assert.equal(new Set(topics).size, topics.length, `a topic with two consumers: ${topics.join(', ')}`);
      assert.deepEqual([...TOPIC_NAMES].sort(), [...topics].sort());
    });

    it('publishes every stage topic from some function, and only topics that some function consumes', () => {
      const consumed = new Set(rows.flatMap((r) => topicOfRow(r) ?? []));
      for (const r of rows) for (const t of r.publishes ?? []) assert.ok(consumed.has(t), `${r.function} publishes ${t}, which nothing consumes`);
      for (const r of rows) {
        const t = r.trigger as Record<string, string>;
        const publishers = rows.filter((p) => (p.publishes ?? []).includes(topicOfRow(r) ?? ''));
        // Stage topics come from the stage before; Cloud Scheduler publishes the tick and Pub/Sub the dead letters.
        if (t.topic) assert.ok(publishers.length >= 1, `nothing publishes ${t.topic}`);
        if (t.schedule || t.deadLetters) assert.equal(publishers.length, 0, `${topicOfRow(r)} is published by the platform, not a function`);
      }
    });

    it('writes each trigger bucket from exactly one function, and every written bucket triggers one', () => {
      for (const bucket of TRIGGER_BUCKETS) {
        assert.equal(rows.filter((r) => r.writes === bucket).length, 1, `writers of ${bucket}`);
        assert.equal(rows.filter((r) => (r.trigger as Record<string, string>).bucket === bucket).length, 1, `consumers of ${bucket}`);
      }
    });

    it('reaches each status once, and chains from the api to publish: each stage is triggered by what the one before emits and starts from its output', () => {
      const outputs = stageRows.map((r) => r.output!);
      assert.equal(new Set(outputs).size, outputs.length, 'each status is reached by one stage');
      assert.equal(stageRows[0]!.function, 'api');
      assert.equal(stageRows[0]!.input, undefined, 'the api starts the chain');
      let current = stageRows[0]!;
      const visited = [current.function];
      for (;;) {
        const next = deliveredRows.filter((r) => r.input === current.output);
        if (next.length === 0) break;
        assert.equal(next.length, 1, `one stage works from ${current.output}`);
        assert.ok(emits(current, next[0]!), `${current.function} emits what triggers ${next[0]!.function}`);
        current = next[0]!;
        visited.push(current.function);
      }
      assert.equal(current.function, 'publish');
      assert.equal(current.output, 'completed');
      // In table order, with no stage left outside the chain.
      assert.deepEqual(visited, stageRows.map((r) => r.function));
    });

    it('gives one function an HTTP trigger (the api), and the stages after it progress shares that sum to 1', () => {
      assert.deepEqual(rows.filter((r) => 'http' in r.trigger).map((r) => r.function), ['api']);
      assert.deepEqual(rows.filter((r) => r.progressShare !== undefined).map((r) => r.function), deliveredRows.map((r) => r.function));
      assert.equal(Number(deliveredRows.reduce((s, r) => s + r.progressShare!, 0).toFixed(9)), 1);
    });
  });

  describe("is every consumer's view", () => {
    it('events: TOPICS names every topic, and each has a payload schema', () => {
      assert.deepEqual(Object.values(TOPICS).sort(), [...TOPIC_NAMES].sort());
      assert.deepEqual(Object.keys(PAYLOAD_SCHEMAS).sort(), [...TOPIC_NAMES].sort());
      assert.deepEqual([...TopicNameSchema.options].sort(), [...TOPIC_NAMES].sort());
    });

    it('events: each example Pub/Sub event is delivered on its consumer\'s subscription', () => {
      for (const [name, event] of Object.entries(EXAMPLES)) {
        const subscription = (event.data as { subscription?: string }).subscription;
        if (!subscription) continue;
        const consumer = rows.find((r) => topicOfRow(r) === name);
        assert.ok(consumer, `${name} is a topic`);
        assert.equal(subscription.split('/').pop(), consumer.function, name);
      }
    });

    it('generation: stages, statuses in order (then failed), and the stage each status waits for', () => {
      assert.deepEqual([...STAGES], stageRows.map((r) => r.function));
      assert.deepEqual([...STATUSES], stageRows.map((r) => r.output));
      assert.deepEqual(StatusSchema.options, [...stageRows.map((r) => r.output), 'failed']);
      for (let i = 1; i < STATUSES.length; i++) assert.ok(statusRank(STATUSES[i]!) > statusRank(STATUSES[i - 1]!));
      assert.deepEqual(STAGE_AWAITED, Object.fromEntries(deliveredRows.map((r) => [r.input, r.function])));
    });

    it("stages: each StageSpec declares its row's statuses", () => {
      const specs: StageSpec<unknown>[] = [understandStage, retrieveStage, writeStage, narrateStage, renderStage, publishStage];
      assert.deepEqual(specs.map((s) => s.stage), deliveredRows.map((r) => r.function));
      for (const spec of specs) {
        const row = rows.find((r) => r.function === spec.stage)!;
        assert.deepEqual({ input: spec.input, output: spec.output }, { input: row.input, output: row.output }, spec.stage);
      }
    });

    it('input events: the event a status waits for is the trigger topic of its stage, with a valid payload (none for object triggers)', () => {
      const g = generationAt('requested');
      for (const status of STATUSES) {
        const next = nextEventFor({ ...g, status });
        const row = deliveredRows.find((r) => r.input === status);
        const topic = row && (row.trigger as Record<string, string>).topic;
        if (!topic) {
          assert.equal(next, null, status);
          continue;
        }
        assert.equal(next?.topic, topic, status);
        PAYLOAD_SCHEMAS[next.topic].parse(next.payload);
      }
      assert.equal(nextEventFor({ ...g, status: 'failed' }), null);
    });

    it('local pipeline: one in-process subscription per event-driven function, on its trigger', async () => {
      const config = testConfig();
      const ports = startEmbeddedPipeline(config);
      try {
        const bucket = { narration: config.narrationBucket, video: config.videoBucket } as Record<string, string>;
        const wired = ports.router.queueStats().map((q) => [q.subscription, q.source]);
        const expected = rows
          .filter((r) => !('http' in r.trigger))
          .map((r) => [r.function, topicOfRow(r) ?? `bucket:${bucket[(r.trigger as Record<string, string>).bucket!]}`]);
        assert.deepEqual(wired.sort(), expected.sort());
      } finally {
        await ports.close();
        rmSync(config.dataDir, { recursive: true, force: true });
      }
    });

    it('emulators: one Functions Framework server per function (HTTP for the api), and one push subscription per topic named after its consumer', () => {
      assert.deepEqual(
        PIPELINE_FUNCTIONS.map((f) => [f.target, f.source, f.signatureType]),
        rows.map((r) => [r.function, r.entry, 'http' in r.trigger ? 'http' : 'cloudevent']),
      );
      assert.deepEqual(EMULATOR_CONSUMERS, Object.fromEntries(rows.flatMap((r) => (topicOfRow(r) ? [[topicOfRow(r), r.function]] : []))));
    });

    it('dead-letter: the stage a dead-lettered subscription belongs to is its consumer, in the cloud and on the emulator', () => {
      for (const r of deliveredRows) {
        const topic = topicOfRow(r);
        if (!topic) continue;
        assert.equal(stageOfSubscription(`projects/p/subscriptions/${topic}.${r.function}`), r.function);
        assert.equal(stageOfSubscription(`projects/p/subscriptions/chaos-${r.function}`), r.function);
      }
    });

    it('invocation records: one `stage` per function', () => {
      assert.deepEqual([...FUNCTIONS], names);
      for (const stage of names) InvocationRecordSchema.parse({ kind: 'invocation', stage, eventId: 'e', outcome: 'ok', durationMs: 0 });
    });

    it('deployment: every function deployed and built from its entry, triggered as the table says, publishing only what it emits', () => {
      assert.deepEqual([...DEPLOYED_FUNCTIONS], names);
      assert.deepEqual(FUNCTION_ENTRIES, Object.fromEntries(rows.map((r) => [r.function, r.entry])));
      const stageTopics = deliveredRows.flatMap((r) => (r.trigger as Record<string, string>).topic ?? []);
      for (const r of rows) {
        const access = FUNCTION_ACCESS[r.function as keyof typeof FUNCTION_ACCESS];
        const t = r.trigger as Record<string, string>;
        const trigger = t.http ? { kind: 'http-public' } : t.bucket ? { kind: 'storage', bucket: t.bucket } : { kind: 'pubsub', topic: topicOfRow(r) };
        assert.deepEqual(access.trigger, trigger, r.function);
        assert.deepEqual(access.publishes, r.redrives ? stageTopics : [...(r.publishes ?? [])], r.function);
        if (r.writes) assert.equal(access.buckets[r.writes], 'write', `${r.function} writes ${r.writes}`);
      }
      // The sweep re-drives every stage: it re-publishes their topics and rewrites objects in their buckets.
      for (const bucket of TRIGGER_BUCKETS) assert.equal(FUNCTION_ACCESS.sweep.buckets[bucket], 'write');
    });

    it('the API view: the stages after the api, in order, whose shares make a whole', async () => {
      const g = generationAt('rendered');
      g.stages = Object.fromEntries(deliveredRows.map((r) => [r.function, { state: 'done' as const, attempts: 1, progress: 1 }]));
      const view = await generationView(g, {} as Ports);
      assert.deepEqual(Object.keys(view.stages), deliveredRows.map((r) => r.function));
      assert.equal(view.progress, 1);
    });

    it('subscribedTopic reads all three topic triggers', () => {
      assert.deepEqual(rows.map((r) => subscribedTopic(r)), rows.map(topicOfRow));
    });
  });
});

function generationAt(status: Generation['status']): Generation {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: 'gen_pipelinetable0001',
    owner: 'anonymous',
    request: { question: 'Explain Newton’s third law', grade: 10, interest: 'basketball', voice: 'female_professional' },
    requestKey: 'k',
    status,
    createdAt: at,
    updatedAt: at,
    stages: {},
    topic: { id: 'physics/m1', title: 'Newton', subject: 'physics', book: 'Physics', moduleId: 'm1', confidence: 0.9 },
    passageIds: ['physics/m1#p1'],
  };
}
