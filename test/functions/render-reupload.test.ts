import assert from 'node:assert/strict';
import { buildPubSubEvent, buildStorageEvent, type CloudEventLike } from '../../events/cloud-events.js';
import { createGeneration } from '../../functions/api/api.js';
import { narrate } from '../../functions/narrate/index.js';
import { render } from '../../functions/render/index.js';
import { retrieve } from '../../functions/retrieve/index.js';
import { understand } from '../../functions/understand/index.js';
import { write } from '../../functions/write/index.js';
import { objectNames } from '../../shared/domain/object-names.js';
import { PipelineError } from '../../shared/errors.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { nextEventFor } from '../../shared/runtime/input-event.js';
import { usePorts } from '../../shared/runtime/ports.js';
import { testConfig } from '../helpers/embedded.js';

/**
 * Found by `npm run chaos` (seed 1): render recorded its result, stored captions and poster, then
 * the video upload failed (two storage 503s in a row). The redelivery re-rendered and wrote
 * captions and poster a second time. Now only what is missing is written again.
 */
describe('render after a failed video upload @slow', function () {
  this.timeout(240_000);

  it('re-renders on redelivery and writes only the video, not the captions and poster it already stored', async () => {
    const config = testConfig();
    const logs: Record<string, unknown>[] = [];
    const ports = createEmbeddedPorts(config, { logSink: (l) => logs.push(JSON.parse(l)) });
    usePorts(ports);
    try {
      const stageOf = { requested: understand, topic_resolved: retrieve, sources_retrieved: write, script_written: narrate } as const;
      const { body } = await createGeneration({ question: 'What is the Pythagorean theorem?', grade: 8, interest: 'soccer' }, 'test', ports);
      const id = (body as { id: string }).id;
      for (;;) {
        const g = (await ports.state.getGeneration(id))!;
        const next = nextEventFor(g);
        if (!next) break;
        await stageOf[g.status as keyof typeof stageOf](buildPubSubEvent(next.topic, next.payload));
      }
      assert.equal((await ports.state.getGeneration(id))?.status, 'narrated');

      // Count the writes per object; the first video upload fails as a storage outage would.
      const writes = new Map<string, number>();
      let videoFailures = 0;
      const put = ports.objects.put.bind(ports.objects);
      ports.objects.put = async (bucket, name, data, opts) => {
        if (name === objectNames.video(id) && videoFailures++ === 0) {
          throw new PipelineError('OBJECT_STORE_UNAVAILABLE', 'Cloud Storage is unavailable (test double)', { retryable: true, httpStatus: 503 });
        }
        const info = await put(bucket, name, data, opts);
        writes.set(name, (writes.get(name) ?? 0) + 1);
        return info;
      };

      const narration: CloudEventLike = buildStorageEvent({ bucket: config.narrationBucket, name: objectNames.narration(id), metadata: { generationId: id } });
      await assert.rejects(render(narration), /unavailable/);
      assert.equal((await ports.state.getGeneration(id))?.status, 'rendered', 'the render was recorded before the upload failed');
      assert.deepEqual([...writes.keys()].sort(), [objectNames.captions(id), objectNames.poster(id), objectNames.chapters(id)].sort());

      await render(narration); // the redelivery
      assert.deepEqual(Object.fromEntries(writes), { [objectNames.captions(id)]: 1, [objectNames.poster(id)]: 1, [objectNames.chapters(id)]: 1, [objectNames.video(id)]: 1 });
      assert.ok(logs.some((l) => l.message === 're-producing a recorded but missing object'));
      assert.deepEqual(
        logs.filter((l) => l.kind === 'invocation' && l.stage === 'render').map((l) => l.outcome),
        ['retry', 'duplicate'],
      );
    } finally {
      await ports.close();
    }
  });
});
