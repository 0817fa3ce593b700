import assert from 'node:assert/strict';
import { parsePubSubEvent, type CloudEventLike } from '../../events/cloud-events.js';
import { TOPICS } from '../../events/schemas.js';
import { createGeneration } from '../../functions/api/api.js';
import { startEmbeddedPipeline, sweepAtStart } from '../../functions/local/pipeline.js';
import { retrieve } from '../../functions/retrieve/index.js';
import { sweepStalled } from '../../functions/sweep/sweep.js';
import { understand } from '../../functions/understand/index.js';
import { write } from '../../functions/write/index.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { newGeneration } from '../contract/state-store.contract.js';
import { testConfig, waitForTerminal } from '../helpers/embedded.js';

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

describe('start-up sweep of the embedded server', () => {
  it('re-drives every generation open before the start, however recent; fails the hopeless; leaves finished and newer ones alone', async () => {
    const config = testConfig({ VIVIDLY_STALL_SECONDS: '300', VIVIDLY_GIVE_UP_SECONDS: '1800' });
    const ports = createEmbeddedPorts(config, { logSink: () => {} });
    usePorts(ports);
    try {
      const published: [string, CloudEventLike][] = [];
      ports.router.subscribe(TOPICS.generationRequested, 'understand', async (e) => void published.push([TOPICS.generationRequested, e]));
      ports.router.subscribe(TOPICS.scriptWritten, 'narrate', async (e) => void published.push([TOPICS.scriptWritten, e]));
      const justRequested = newGeneration({ createdAt: secondsAgo(2), updatedAt: secondsAgo(1) });
      const midNarration = newGeneration({
        status: 'script_written',
        createdAt: secondsAgo(40),
        updatedAt: secondsAgo(3),
        stages: { narrate: { state: 'running', attempts: 1, progress: 0.4, startedAt: secondsAgo(3) } },
      });
      const hopeless = newGeneration({ createdAt: secondsAgo(3600), updatedAt: secondsAgo(5) });
      const finished = newGeneration({ status: 'completed', createdAt: secondsAgo(60), updatedAt: secondsAgo(30) });
      for (const g of [justRequested, midNarration, hopeless, finished]) await ports.state.createGeneration(g);

      // The ordinary sweep leaves them: nothing has been still for VIVIDLY_STALL_SECONDS.
      assert.deepEqual(await sweepStalled(ports), { examined: 0, redriven: [], failed: [] });

      const startedAt = new Date();
      const afterStart = newGeneration({ createdAt: new Date(startedAt.getTime() + 1).toISOString(), updatedAt: new Date(startedAt.getTime() + 1).toISOString() });
      await ports.state.createGeneration(afterStart);
      const summary = await sweepAtStart(ports, startedAt);
      await ports.router.idle();
      assert.deepEqual([...summary.redriven].sort(), [justRequested.id, midNarration.id].sort());
      assert.deepEqual(summary.failed, [hopeless.id]);
      assert.equal((await ports.state.getGeneration(hopeless.id))?.error?.code, 'STALLED');
      assert.deepEqual(
        published.map(([topic, e]) => [topic, (parsePubSubEvent(topic as typeof TOPICS.scriptWritten, e) as { generationId: string }).generationId]).sort(),
        [
          [TOPICS.generationRequested, justRequested.id],
          [TOPICS.scriptWritten, midNarration.id],
        ].sort(),
      );
      assert.equal((await ports.state.getGeneration(finished.id))?.status, 'completed');
      assert.deepEqual(await ports.state.getGeneration(afterStart.id), afterStart, 'a generation of the new process is its own business');
      assert.deepEqual(await sweepAtStart(ports, startedAt), { examined: 0, redriven: [], failed: [] }, 'swept once: touched, so not again');
    } finally {
      await ports.close();
    }
  });

  it('pages through more than one page of open generations', async () => {
    const config = testConfig({ VIVIDLY_GIVE_UP_SECONDS: '600' });
    const ports = createEmbeddedPorts(config, { logSink: () => {} });
    usePorts(ports);
    try {
      let delivered = 0;
      ports.router.subscribe(TOPICS.generationRequested, 'understand', async () => void delivered++);
      const open = Array.from({ length: 130 }, () => newGeneration({ createdAt: secondsAgo(30), updatedAt: secondsAgo(10) }));
      const hopeless = newGeneration({ createdAt: secondsAgo(1200), updatedAt: secondsAgo(1) });
      for (const g of [...open, hopeless]) await ports.state.createGeneration(g);
      const summary = await sweepAtStart(ports, new Date());
      await ports.router.idle();
      assert.equal(summary.redriven.length, 130);
      assert.deepEqual(summary.failed, [hopeless.id]);
      assert.equal(delivered, 130);
      assert.equal((await ports.state.getGeneration(hopeless.id))?.error?.code, 'STALLED');
    } finally {
      await ports.close();
    }
  });
});

describe('start-up sweep: a generation cut off mid-stage completes after the restart, without a tick @slow', function () {
  this.timeout(300_000);

  it('a narration interrupted by the crash is done again at once, and the video is published', async () => {
    const config = testConfig();
    // The first process: everything up to the script, then a narration that starts and never
    // finishes, and the process dies (its queues with it). No sweep ticker runs in this test.
    const first = createEmbeddedPorts(config, { logSink: () => {} });
    usePorts(first);
    first.router.subscribe(TOPICS.generationRequested, 'understand', understand);
    first.router.subscribe(TOPICS.topicResolved, 'retrieve', retrieve);
    first.router.subscribe(TOPICS.sourcesRetrieved, 'write', write);
    let narrationStarted!: (id: string) => void;
    const cutOff = new Promise<string>((resolve) => (narrationStarted = resolve));
    first.router.subscribe(TOPICS.scriptWritten, 'narrate', async (e) => {
      const { generationId } = parsePubSubEvent(TOPICS.scriptWritten, e);
      await first.state.updateStage(generationId, 'narrate', { state: 'running', progress: 0.4, startedAt: new Date().toISOString() }, { incrementAttempts: true });
      narrationStarted(generationId);
      await new Promise(() => {});
    });
    const { body } = await createGeneration({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }, 'test', first);
    const id = (body as { id: string }).id;
    assert.equal(await cutOff, id);
    await first.close();

    // The restart: the embedded server sweeps once as it starts.
    const logs: Record<string, unknown>[] = [];
    const second = startEmbeddedPipeline(config, { logSink: (line) => logs.push(JSON.parse(line)) });
    try {
      const startedAt = second.now();
      const before = await second.state.getGeneration(id);
      assert.equal(before?.status, 'script_written');
      assert.equal(before?.stages.narrate?.state, 'running');
      const summary = await sweepAtStart(second, startedAt);
      assert.deepEqual(summary.redriven, [id]);
      const g = await waitForTerminal(second, id, 240_000);
      assert.equal(g.status, 'completed', JSON.stringify(g.error));
      assert.ok(g.video, 'the video is published');
      assert.equal(g.stages.narrate?.attempts, 2, 'the cut-off attempt and the one after the restart');
      const restartedAfterMs = Date.parse(g.stages.narrate!.startedAt!) - startedAt.getTime();
      assert.ok(restartedAfterMs < 5_000, `narration restarted ${restartedAfterMs} ms after the start, not at a sweep tick`);
      assert.ok(logs.some((l) => l.message === 'start-up sweep: generations open before the start re-driven' && l.redriven === 1));
    } finally {
      await second.close();
    }
  });
});
