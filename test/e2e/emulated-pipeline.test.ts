import { skipWithoutEmulators } from '../helpers/emulators.js';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startEmulatedPipeline, type EmulatedPipeline } from '../../functions/local/emulators/emulated-pipeline.js';
import { ffprobe, rate } from '../helpers/ffprobe.js';
import { testConfig } from '../helpers/embedded.js';
import { readEventStream, type SseEvent } from '../helpers/sse.js';
import { statusRank, type Status } from '../../shared/domain/generation.js';

/**
 * The production wiring on one machine: every function in its own Functions Framework process,
 * state in the Firestore emulator, events through the Pub/Sub emulator's push subscriptions,
 * objects in the Cloud Storage emulator whose finalize events trigger render and publish.
 */
describe('end to end on the emulators: Firestore + Pub/Sub + Cloud Storage + one process per function @slow', function () {
  this.timeout(600_000);
  let p: EmulatedPipeline;
  let id: string;
  const output: string[] = [];
  const config = testConfig({ VIVIDLY_LOG_LEVEL: 'info' });

  before(async function () {
    await skipWithoutEmulators(this);
    p = await startEmulatedPipeline({ config, sweepIntervalMs: 0, onOutput: (line) => output.length < 5000 && output.push(line) });
  });
  after(async () => {
    await p?.stop();
  });

  const api = (route: string, init?: RequestInit) => fetch(`${p.apiUrl}${route}`, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });

  it('the api function accepts a request with 202', async () => {
    const res = await api('/v1/generations', { method: 'POST', body: JSON.stringify({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }) });
    const body = (await res.json()) as { id: string };
    assert.equal(res.status, 202, JSON.stringify(body));
    id = body.id;
  });

  it('streams the generation as Server-Sent Events from the Firestore listener, in order, to the completed event', async () => {
    // The first client leaves after 3 events; the next resumes with Last-Event-ID, as the page does
    // (also after the 50 s a stream lasts at most, under the api's 60 s timeout).
    const events: SseEvent[] = [];
    const connections: number[] = [];
    const deadline = Date.now() + 300_000;
    while (events.at(-1)?.event !== 'completed' && events.at(-1)?.event !== 'failed' && Date.now() < deadline) {
      const last = events.at(-1)?.id;
      const first = connections.length === 0;
      const read = await readEventStream(`${p.apiUrl}/v1/generations/${id}/events`, { headers: last ? { 'last-event-id': last } : {}, stop: first ? (_e, all) => all.length === 3 : undefined });
      assert.equal(read.status, 200, read.body);
      assert.ok(first || read.endedByServer);
      connections.push(read.events.length);
      assert.ok(!read.events.some((e) => events.some((x) => x.id === e.id)), 'a resumed stream repeats nothing');
      events.push(...read.events);
    }
    type View = { status: Status; progress: number; updatedAt: string; stages: Record<string, { attempts: number }>; result: { chapters: { url: string } | null } | null };
    const views = events.map((e) => e.data as View);
    // Not the overall progress: pubsub-emulator redelivers every 1-3 s, so two runs of a stage may
    // overlap, each recording its own progress (the later write wins, sometimes the lower figure).
    for (let i = 1; i < views.length; i++) {
      const [a, b] = [views[i - 1], views[i]];
      assert.ok(statusRank(b.status) >= statusRank(a.status), `status ${a.status} -> ${b.status}`);
      assert.ok(b.updatedAt >= a.updatedAt, `updatedAt ${a.updatedAt} -> ${b.updatedAt}`);
    }
    assert.equal(events.at(-1)?.event, 'completed', JSON.stringify(views.at(-1)));
    assert.ok(connections.length >= 2, 'resumed at least once');
    assert.ok(new Set(views.map((v) => v.status)).size >= 5, `the statuses went by: ${views.map((v) => v.status).join(' ')}`);
    assert.match(views.at(-1)!.result!.chapters!.url, /chapters\.vtt/);
    // Once the client has the terminal event, a reconnect gets 204.
    assert.equal((await fetch(`${p.apiUrl}/v1/generations/${id}/events`, { headers: { 'last-event-id': events.at(-1)!.id! } })).status, 204);
    console.log(`      ${events.length} events over ${connections.length} connection(s) (${connections.join(', ')})`);
  });

  it('completes through every stage, delivered by push subscriptions and storage triggers', async () => {
    let g: { status: string; stages: Record<string, { state: string; attempts: number }>; error?: unknown; result?: { video: { url: string } } } | undefined;
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      g = (await (await api(`/v1/generations/${id}`)).json()) as typeof g;
      if (g!.status === 'completed' || g!.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(g?.status, 'completed', `${JSON.stringify(g)}\n${output.slice(-40).join('\n')}`);
    for (const stage of ['understand', 'retrieve', 'write', 'narrate', 'render', 'publish']) assert.equal(g!.stages[stage]!.state, 'done', stage);
  });

  it('kept the state in Firestore', async () => {
    const fs = new Firestore({ projectId: p.projectId, host: p.firestore.host, ssl: false, customHeaders: { Authorization: 'Bearer owner' }, universeDomain: 'googleapis.com' } as never);
    try {
      const doc = await fs.collection('generations').doc(id).get();
      assert.ok(doc.exists, 'the generation document is in the Firestore emulator');
      assert.equal(doc.get('status'), 'completed');
      assert.equal(doc.get('narration.bucket'), config.narrationBucket);
    } finally {
      await fs.terminate();
    }
  });

  it('stored a 1080p30 H.264/AAC video in the video bucket, served by its V4 signed URL', async () => {
    const g = (await (await api(`/v1/generations/${id}`)).json()) as { result: { video: { url: string } } };
    const url = g.result.video.url;
    assert.match(url, /X-Goog-Algorithm=GOOG4-RSA-SHA256/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const file = path.join(config.dataDir, 'emulated.mp4');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const probe = await ffprobe(file);
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    const audio = probe.streams.find((s) => s.codec_type === 'audio')!;
    assert.equal(video.codec_name, 'h264');
    assert.equal(video.width, 1920);
    assert.equal(video.height, 1080);
    assert.equal(rate(video.avg_frame_rate), 30);
    assert.equal(audio.codec_name, 'aac');
    assert.ok(Number(probe.format.duration) > 30, `duration ${probe.format.duration}`);
  });
});
