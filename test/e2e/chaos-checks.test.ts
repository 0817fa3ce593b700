import assert from 'node:assert/strict';
import {
  checkDeadLetters,
  checkMedia,
  checkObjects,
  checkStorm,
  duplicateEffects,
  duplicateWrites,
  judgeChaos,
  recoveryTimes,
  stageStatuses,
  stuckGenerations,
  summaryLine,
  type ChaosEvidence,
  type FinalGeneration,
  type Kill,
  type SeenRecord,
} from '../../functions/local/emulators/chaos-checks.js';
import { CHAOS_STAGES, createRandom, planChaos } from '../../functions/local/emulators/chaos-plan.js';

/**
 * The verdict of `npm run chaos` (the storm itself is too long for npm test): a clean run passes,
 * and each breach is detected when fed synthetic evidence that has it.
 */
const T0 = Date.parse('2026-01-01T00:00:00Z');
const NARR = 'vividly-narration';
const VIDEO = 'vividly-videos';

function completed(id: string, question: string): FinalGeneration {
  return {
    id,
    status: 'completed',
    question,
    updatedAt: new Date(T0 + 60_000).toISOString(),
    narration: { bucket: NARR, object: `narrations/${id}/narration.mp3` },
    video: { bucket: VIDEO, object: `videos/${id}/video.mp4` },
  };
}

const STAGE_OKS = ['understand', 'retrieve', 'write', 'narrate', 'render', 'publish'];

/** Two completed generations (one submitted twice, coalesced), one not covered, a coalesced twin, 15 kills. */
function cleanEvidence(): ChaosEvidence {
  const a = completed('gen_aaaaaaaa', "Explain Newton's third law");
  const b = completed('gen_bbbbbbbb', 'What is the Pythagorean theorem?');
  const c: FinalGeneration = { id: 'gen_cccccccc', status: 'failed', question: 'how do I bake sourdough bread', updatedAt: new Date(T0).toISOString(), error: { stage: 'understand', code: 'TOPIC_NOT_COVERED' } };
  const twin: FinalGeneration = { id: 'gen_dddddddd', status: 'failed', question: b.question, updatedAt: new Date(T0).toISOString(), error: { stage: 'api', code: 'COALESCED' } };
  const records: SeenRecord[] = [
    ...[a, b].flatMap((g) => STAGE_OKS.map((stage, i) => ({ stage, outcome: 'ok', eventId: `${g.id}-${i}`, generationId: g.id }))),
    { stage: 'narrate', outcome: 'duplicate', eventId: 'redelivered', generationId: a.id },
    { stage: 'understand', outcome: 'failed', eventId: 'c1', generationId: c.id, errorCode: 'TOPIC_NOT_COVERED' },
    { stage: 'sweep', outcome: 'ok', eventId: 's1' },
    { stage: 'sweep', outcome: 'ok', eventId: 's2' },
  ];
  const writes = [a, b].flatMap((g, i) =>
    [`narrations/${g.id}/narration.mp3`, `videos/${g.id}/captions.vtt`, `videos/${g.id}/poster.jpg`, `videos/${g.id}/video.mp4`].map((name, j) => ({
      bucket: name.startsWith('narr') ? NARR : VIDEO,
      name,
      generation: String(1000 + 10 * i + j),
      md5Hash: `md5-${i}-${j}`,
      at: T0 + 10_000 * (j + 1),
    })),
  );
  const kills: Kill[] = [];
  const targets = ['understand', 'retrieve', 'write', 'narrate', 'render', 'render', 'publish', 'publish', 'api', 'sweep', 'understand', 'write', 'narrate', 'retrieve', 'render'];
  targets.forEach((target, i) =>
    kills.push({
      target,
      phase: target === 'render' ? 'mid-encode' : 'mid-work',
      at: T0 + 1_000 * i,
      restartedAt: T0 + 1_000 * i + 2_000,
      interrupted: [],
      ...(target === 'render' ? { duringEncode: true } : {}),
      ...(target === 'publish' ? { afterUpload: true } : {}),
    }),
  );
  return {
    seed: 7,
    submissions: [
      { index: 0, question: a.question, expect: 'complete', id: a.id },
      { index: 1, question: b.question, expect: 'complete', id: b.id },
      { index: 2, question: b.question, expect: 'complete', id: b.id, coalesced: true },
      { index: 3, question: c.question, expect: 'not-covered', id: c.id },
    ],
    generations: [a, b, c, twin],
    records,
    writes,
    stored: writes.map(({ bucket, name, generation }) => ({ bucket, name, generation })),
    probes: [a, b].map((g) => ({ bucket: VIDEO, name: g.video!.object, video: { codec: 'h264', width: 1920, height: 1080, fps: 30 }, audio: { codec: 'aac' } })),
    kills,
    changes: [],
    requirements: { minKills: 15, stages: CHAOS_STAGES },
    now: T0 + 120_000,
  };
}

function breachesOf(e: ChaosEvidence, check?: string) {
  return judgeChaos(e).breaches.filter((b) => !check || b.check === check);
}

describe('chaos checks (npm run chaos verdict)', () => {
  it('a clean run has no breach and prints the summary line with its seed', () => {
    const v = judgeChaos(cleanEvidence());
    assert.deepEqual(v.breaches, []);
    assert.equal(v.line, 'chaos: 4 generations, 4 terminal (3 completed, 1 not covered), 15 kills, 0 duplicate effects, 0 stuck, slowest recovery 2 s, seed=7');
  });

  it('the summary line reads as the issue asks', () => {
    const line = summaryLine({ generations: 12, terminal: 12, completed: 10, notCovered: 2, otherFailed: 0, kills: 17, duplicateEffects: 0, stuck: 0, slowestRecoverySeconds: 41 }, 99);
    assert.equal(line, 'chaos: 12 generations, 12 terminal (10 completed, 2 not covered), 17 kills, 0 duplicate effects, 0 stuck, slowest recovery 41 s, seed=99');
    assert.match(summaryLine({ generations: 12, terminal: 11, completed: 9, notCovered: 2, otherFailed: 1, kills: 17, duplicateEffects: 2, stuck: 1, slowestRecoverySeconds: null }, 5), /\(9 completed, 2 not covered, 1 failed\).*2 duplicate effects, 1 stuck, a kill never recovered, seed=5$/);
  });

  it('detects a generation that never became terminal, as not terminal and as stuck', () => {
    const e = cleanEvidence();
    e.generations[0] = { ...e.generations[0]!, status: 'rendered', updatedAt: new Date(T0).toISOString() };
    const v = judgeChaos(e);
    assert.match(v.breaches.find((b) => b.check === 'terminal')!.detail, /gen_aaaaaaaa is still rendered/);
    assert.match(v.breaches.find((b) => b.check === 'stuck')!.detail, /gen_aaaaaaaa .* is rendered, last updated 120 s ago/);
    assert.equal(v.counts.stuck, 1);
    assert.equal(v.counts.terminal, 3);
  });

  it('detects a stuck generation nobody submitted (a retried request), and one never accepted', () => {
    const e = cleanEvidence();
    e.generations.push({ id: 'gen_eeeeeeee', status: 'requested', question: 'x', updatedAt: new Date(T0).toISOString() });
    e.submissions.push({ index: 4, question: 'What caused World War I?', expect: 'complete', error: 'fetch failed' });
    assert.equal(breachesOf(e, 'stuck').length, 1);
    assert.match(breachesOf(e, 'terminal')[0]!.detail, /submission 4 .* was never accepted: fetch failed/);
    assert.deepEqual(stuckGenerations(e.generations, e.now).map((b) => b.detail.split(' ')[0]), ['gen_eeeeeeee']);
  });

  it('detects a covered question that failed and an uncovered one that completed', () => {
    const e = cleanEvidence();
    e.generations[0] = { ...e.generations[0]!, status: 'failed', error: { stage: 'narrate', code: 'SPEECH_UNAVAILABLE' } };
    e.generations[2] = { ...completed('gen_cccccccc', 'how do I bake sourdough bread') };
    const outcome = breachesOf(e, 'outcome').map((b) => b.detail);
    assert.equal(outcome.length, 2);
    assert.match(outcome[0]!, /should complete but gen_aaaaaaaa failed at narrate with SPEECH_UNAVAILABLE/);
    assert.match(outcome[1]!, /is not covered but gen_cccccccc ended completed/);
  });

  it('a not-covered question answered 422 from the not-covered cache (a retried POST) is terminal and not covered; a covered one so answered is a breach', () => {
    const e = cleanEvidence();
    // The api was killed during the first POST of the uncovered question; the retry finds its failure cached.
    e.submissions.push({ index: 4, question: 'how do I bake sourdough bread', expect: 'not-covered', notCoveredFromCache: true, error: 'HTTP 422 TOPIC_NOT_COVERED' });
    const v = judgeChaos(e);
    assert.deepEqual(v.breaches, []);
    assert.equal(v.line, 'chaos: 5 generations, 5 terminal (3 completed, 2 not covered), 15 kills, 0 duplicate effects, 0 stuck, slowest recovery 2 s, seed=7');
    e.submissions.push({ index: 5, question: 'What caused World War I?', expect: 'complete', notCoveredFromCache: true, error: 'HTTP 422 TOPIC_NOT_COVERED' });
    assert.match(breachesOf(e, 'outcome')[0]!.detail, /submission 5 .* should complete but was answered not covered from the cache/);
  });

  it('detects a stage effect done twice: two ok records for one generation and stage', () => {
    const e = cleanEvidence();
    e.records.push({ stage: 'render', outcome: 'ok', eventId: 'again', generationId: 'gen_bbbbbbbb' });
    const dup = breachesOf(e, 'duplicate effect');
    assert.equal(dup.length, 1);
    assert.match(dup[0]!.detail, /render did the work of gen_bbbbbbbb 2 times \(events gen_bbbbbbbb-4, again\)/);
    assert.equal(judgeChaos(e).counts.duplicateEffects, 1);
    // duplicate, retry, ignored and records without a generation are not effects
    assert.deepEqual(
      duplicateEffects([
        { stage: 'narrate', outcome: 'retry', eventId: '1', generationId: 'g' },
        { stage: 'narrate', outcome: 'duplicate', eventId: '2', generationId: 'g' },
        { stage: 'narrate', outcome: 'ok', eventId: '3', generationId: 'g' },
        { stage: 'sweep', outcome: 'ok', eventId: '4' },
        { stage: 'api', outcome: 'ok', eventId: '5', generationId: 'g' },
        { stage: 'api', outcome: 'ok', eventId: '6', generationId: 'g' },
      ]),
      [],
    );
  });

  it('detects a generation dead-lettered twice', () => {
    const records: SeenRecord[] = [
      { stage: 'dead-letter', outcome: 'dead-lettered', eventId: '1', generationId: 'g', sourceStage: 'narrate' },
      { stage: 'dead-letter', outcome: 'dead-lettered', eventId: '2', generationId: 'g', sourceStage: 'narrate' },
    ];
    assert.match(duplicateEffects(records)[0]!.detail, /dead-letter did the work of g 2 times/);
  });

  it('detects an object written twice (a second object generation), saying whether the bytes differ', () => {
    const e = cleanEvidence();
    const poster = e.writes.find((w) => w.name.endsWith('poster.jpg'))!;
    e.writes.push({ ...poster, generation: '9999', at: poster.at + 5_000 });
    const dup = breachesOf(e, 'duplicate effect');
    assert.equal(dup.length, 1);
    assert.match(dup[0]!.detail, /videos\/gen_aaaaaaaa\/poster.jpg written 2 times \(generations 1002, 9999; same bytes\)/);
    assert.match(duplicateWrites([{ ...poster }, { ...poster, generation: '2', md5Hash: 'other' }])[0]!.detail, /different bytes/);
  });

  it('detects a completed generation without its narration or video, and media left by one that did not complete', () => {
    const e = cleanEvidence();
    e.stored = e.stored.filter((o) => o.name !== 'videos/gen_aaaaaaaa/video.mp4');
    e.stored.push({ bucket: NARR, name: 'narrations/gen_cccccccc/narration.mp3', generation: '5' });
    e.stored.push({ bucket: NARR, name: 'narrations/gen_zzzzzzzz/narration.mp3', generation: '6' });
    const details = breachesOf(e, 'objects').map((b) => b.detail);
    assert.deepEqual(details, [
      'gen_aaaaaaaa is completed with 0 video objects',
      'gen_cccccccc ended failed but left 1 narration and 0 video objects',
      '1 media objects for gen_zzzzzzzz, which is not a generation',
    ]);
  });

  it('detects two narration objects for one generation, one stored under another name, and media of a cache hit', () => {
    const g = completed('gen_aaaaaaaa', 'q');
    const hit: FinalGeneration = { ...completed('gen_ffffffff', 'q'), cacheHit: true, narration: g.narration, video: g.video };
    const stored = [
      { bucket: NARR, name: 'narrations/gen_aaaaaaaa/narration.mp3', generation: '1' },
      { bucket: NARR, name: 'narrations/gen_aaaaaaaa/narration-2.mp3', generation: '2' },
      { bucket: VIDEO, name: 'videos/gen_aaaaaaaa/other.mp4', generation: '3' },
      { bucket: VIDEO, name: 'videos/gen_ffffffff/video.mp4', generation: '4' },
    ];
    assert.deepEqual(
      checkObjects([g, hit], stored).map((b) => b.detail),
      [
        'gen_aaaaaaaa is completed with 2 narration objects',
        'gen_aaaaaaaa records its video as vividly-videos/videos/gen_aaaaaaaa/video.mp4 but stored is vividly-videos/videos/gen_aaaaaaaa/other.mp4',
        'gen_ffffffff was answered from the cache yet has media of its own',
      ],
    );
  });

  it('detects a video that is not 1080p30 H.264/AAC, or does not probe', () => {
    const e = cleanEvidence();
    e.probes[0] = { ...e.probes[0]!, video: { codec: 'vp9', width: 1280, height: 720, fps: 25 }, audio: { codec: 'mp3' } };
    e.probes[1] = { bucket: VIDEO, name: 'videos/gen_bbbbbbbb/video.mp4', error: 'moov atom not found' };
    const details = breachesOf(e, 'media').map((b) => b.detail);
    assert.equal(details.length, 2);
    assert.match(details[0]!, /video codec vp9, 1280x720, 25 fps, audio codec mp3/);
    assert.match(details[1]!, /does not probe: moov atom not found/);
    assert.match(checkMedia([{ bucket: VIDEO, name: 'v', video: null, audio: null }])[0]!.detail, /no video stream, no audio stream/);
    assert.deepEqual(checkMedia([{ bucket: VIDEO, name: 'v', video: { codec: 'h264', width: 1920, height: 1080, fps: 30000 / 1000 }, audio: { codec: 'aac' } }]), []);
  });

  it('accepts dead letters only for work that cannot succeed', () => {
    const e = cleanEvidence();
    const byId = new Map(e.generations.map((g) => [g.id, g]));
    const expect = (q: string) => e.submissions.find((s) => s.question === q)?.expect;
    const notCovered: SeenRecord = { stage: 'dead-letter', outcome: 'dead-lettered', eventId: '1', generationId: 'gen_cccccccc', sourceStage: 'understand', errorCode: 'DEAD_LETTERED' };
    assert.deepEqual(checkDeadLetters([notCovered], byId, expect), []);
    const covered: SeenRecord = { stage: 'dead-letter', outcome: 'dead-lettered', eventId: '2', generationId: 'gen_aaaaaaaa', sourceStage: 'narrate', errorCode: 'SPEECH_UNAVAILABLE' };
    const orphan: SeenRecord = { stage: 'dead-letter', outcome: 'dead-lettered', eventId: '3', sourceStage: 'unknown' };
    assert.deepEqual(
      checkDeadLetters([covered, orphan, { ...covered, outcome: 'duplicate' }], byId, expect).map((b) => b.detail),
      ['narrate dead-lettered gen_aaaaaaaa (SPEECH_UNAVAILABLE), work that can succeed', 'unknown dead-lettered a message without a generation (no code)'],
    );
    e.records.push(covered);
    assert.equal(breachesOf(e, 'dead letter').length, 1);
  });

  it('detects a storm weaker than promised', () => {
    const e = cleanEvidence();
    const kills = e.kills.filter((k) => k.target !== 'write').map((k) => ({ ...k, duringEncode: false, afterUpload: false }));
    kills[0] = { ...kills[0]!, restartedAt: undefined };
    const details = checkStorm(kills, e.requirements).map((b) => b.detail);
    assert.equal(details[0], '13 kills, fewer than 15');
    assert.ok(details.includes('write was never killed'));
    assert.ok(details.includes('render was never killed in the middle of an encode'));
    assert.ok(details.includes('publish was never killed after its upload'));
    assert.ok(details.some((d) => /^understand did not come back after the kill at /.test(d)));
  });

  it('measures recovery: until the interrupted work is recorded, else until the function is back; null when it never recovers', () => {
    const kills: Kill[] = [
      { target: 'narrate', phase: 'mid-work', at: T0, restartedAt: T0 + 2_000, interrupted: ['g1', 'g2'] },
      { target: 'sweep', phase: 'idle', at: T0, restartedAt: T0 + 3_500, interrupted: [] },
      { target: 'render', phase: 'mid-encode', at: T0, restartedAt: T0 + 1_000, interrupted: ['g3'] },
      { target: 'publish', phase: 'mid-work', at: T0, restartedAt: T0 + 1_000, interrupted: ['g4'] },
    ];
    const changes = [
      { id: 'g1', at: T0 - 5_000, status: 'script_written' },
      { id: 'g1', at: T0 + 30_000, status: 'narrated' },
      { id: 'g2', at: T0 + 41_000, status: 'failed' },
      { id: 'g3', at: T0 + 10_000, status: 'narrated' }, // not yet rendered
      { id: 'g4', at: T0 + 4_000, status: 'completed' },
    ];
    assert.deepEqual(recoveryTimes(kills, changes), [41, 3.5, null, 4]);
    const e = cleanEvidence();
    e.kills[0] = { ...e.kills[0]!, interrupted: ['gen_aaaaaaaa'] };
    e.changes = [{ id: 'gen_aaaaaaaa', at: e.kills[0]!.at + 41_400, status: 'topic_resolved' }];
    assert.match(judgeChaos(e).line, /slowest recovery 41 s/);
    e.changes = [];
    assert.match(judgeChaos(e).line, /a kill never recovered/);
  });

  it('knows each stage by the status it works from and the one it records', () => {
    assert.deepEqual(stageStatuses('understand'), { input: 'requested', output: 'topic_resolved' });
    assert.deepEqual(stageStatuses('render'), { input: 'narrated', output: 'rendered' });
    assert.deepEqual(stageStatuses('publish'), { input: 'rendered', output: 'completed' });
    assert.equal(stageStatuses('api'), null);
    assert.equal(stageStatuses('sweep'), null);
  });
});

describe('chaos plan (one seed, every random choice)', () => {
  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(planChaos(42), planChaos(42));
    assert.notDeepEqual(planChaos(42), planChaos(43));
    const r = createRandom(1);
    const xs = Array.from({ length: 1000 }, () => r.next());
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.deepEqual(Array.from({ length: 5 }, createRandom(9).next), Array.from({ length: 5 }, createRandom(9).next));
  });

  for (const seed of [1, 2, 3, 12345, 2 ** 31 - 2]) {
    it(`seed ${seed}: 12 submissions (2 not covered, 2 word-for-word repeats after their originals) and every required kill`, () => {
      const plan = planChaos(seed);
      assert.equal(plan.submissions.length, 12);
      assert.equal(plan.submissions.filter((s) => s.expect === 'not-covered').length, 2);
      assert.ok(plan.submissions.some((s) => s.question === 'how do I bake sourdough bread'));
      const repeats = plan.submissions.filter((s) => s.repeatOf !== undefined);
      assert.equal(repeats.length, 2);
      for (const r of repeats) {
        const original = plan.submissions[r.repeatOf!]!;
        assert.ok(original.index < r.index && original.atMs < r.atMs);
        assert.deepEqual([r.question, r.grade, r.interest, r.voice], [original.question, original.grade, original.interest, original.voice]);
      }
      assert.equal(new Set(plan.submissions.filter((s) => s.repeatOf === undefined).map((s) => s.question)).size, 10);
      assert.deepEqual(plan.submissions.map((s) => s.index), [...plan.submissions.keys()]);
      assert.ok(plan.submissions.every((s, i) => i === 0 || s.atMs > plan.submissions[i - 1]!.atMs));
      assert.equal(plan.intents.length, 20);
      for (const stage of CHAOS_STAGES) assert.ok(plan.intents.some((k) => k.target === stage), stage);
      assert.ok(plan.intents.filter((k) => k.target === 'render' && k.phase === 'mid-encode').length >= 2);
      assert.ok(plan.intents.filter((k) => k.target === 'publish' && k.phase === 'mid-work').length >= 2);
      assert.ok(plan.faults.some((f) => 'status' in f.fault) && plan.faults.some((f) => 'delayMs' in f.fault));
    });
  }
});
