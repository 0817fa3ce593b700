/**
 * The verdict of a chaos run (`npm run chaos`, chaos.ts), as pure functions of what the run saw:
 * the submissions and what the API answered, the generations as Firestore holds them at the end,
 * the invocation records the functions printed, every object write the storage emulator
 * finalized, the probes of the videos, the kills and the status changes over time. Each check
 * returns breaches; the run fails on any.
 */
import { isTerminal, STAGE_AWAITED, STATUSES, type Status } from '../../../shared/domain/generation.js';
import type { Expectation, KillPhase } from './chaos-plan.js';

export interface SubmissionResult {
  index: number;
  question: string;
  expect: Expectation;
  /** The generation the API answered with (a coalesced request gets the one it joined). */
  id?: string;
  coalesced?: boolean;
  /**
   * Answered 422 TOPIC_NOT_COVERED from the not-covered cache: no generation. A not-covered question
   * gets it when an earlier POST of it (one whose answer was lost when the api was killed) has
   * already failed at understand.
   */
  notCoveredFromCache?: boolean;
  /** Why no id: the last error of the POST. */
  error?: string;
}

/** A generation as stored at the end of the run (the fields the checks read). */
export interface FinalGeneration {
  id: string;
  status: string;
  question: string;
  updatedAt: string;
  error?: { stage?: string; code?: string };
  cacheHit?: boolean;
  narration?: { bucket: string; object: string };
  video?: { bucket: string; object: string };
}

/** An invocation record as a function printed it (shared/observability/invocation-record.ts). */
export interface SeenRecord {
  stage: string;
  outcome: string;
  eventId: string;
  generationId?: string;
  errorCode?: string;
  sourceStage?: string;
}

/** One finalized write of an object (the storage emulator's finalize event). */
export interface ObjectWrite {
  bucket: string;
  name: string;
  generation: string;
  md5Hash: string;
  at: number;
}

/** An object as stored at the end. */
export interface StoredObject {
  bucket: string;
  name: string;
  generation: string;
}

export interface VideoProbe {
  bucket: string;
  name: string;
  /** Set when the file could not be probed. */
  error?: string;
  video?: { codec: string; width: number; height: number; fps: number } | null;
  audio?: { codec: string } | null;
}

export interface Kill {
  target: string;
  phase: KillPhase;
  /** Epoch ms of the SIGKILL. */
  at: number;
  /** Epoch ms when the new process listened again (missing: never). */
  restartedAt?: number;
  /** The generation whose work triggered it. */
  generationId?: string;
  /** Generations the stage was working on when it died (status at the stage's input, stage running). */
  interrupted: string[];
  /** render: an ffmpeg process was running under it when it died. */
  duringEncode?: boolean;
  /** publish: the video object of its generation had been written before it died. */
  afterUpload?: boolean;
}

export interface StatusChange {
  id: string;
  at: number;
  status: string;
}

export interface Breach {
  check: string;
  detail: string;
}

/** The stages whose `ok` is an effect on a generation. */
const EFFECT_STAGES = new Set(['understand', 'retrieve', 'write', 'narrate', 'render', 'publish', 'dead-letter']);

/** The status a stage works from and the one it records, from the pipeline's status order. */
export function stageStatuses(stage: string): { input: Status; output: Status } | null {
  const input = (Object.keys(STAGE_AWAITED) as Status[]).find((s) => STAGE_AWAITED[s] === stage);
  if (!input) return null;
  const output = STATUSES[STATUSES.indexOf(input as (typeof STATUSES)[number]) + 1];
  return output ? { input, output } : null;
}

function rank(status: string): number {
  if (status === 'failed') return Number.POSITIVE_INFINITY;
  const i = STATUSES.indexOf(status as (typeof STATUSES)[number]);
  return i < 0 ? -1 : i;
}

function terminal(status: string): boolean {
  return isTerminal(status as Status);
}

/** Every submission got an id, and its generation is terminal; counts of how they ended. */
export function checkTerminal(submissions: SubmissionResult[], generations: Map<string, FinalGeneration>) {
  const breaches: Breach[] = [];
  let terminalCount = 0;
  let completed = 0;
  let notCovered = 0;
  let otherFailed = 0;
  for (const s of submissions) {
    if (!s.id && s.notCoveredFromCache) {
      // Terminal at once; whether it should have been is checkExpectations'.
      terminalCount++;
      notCovered++;
      continue;
    }
    if (!s.id) {
      breaches.push({ check: 'terminal', detail: `submission ${s.index} (${JSON.stringify(s.question)}) was never accepted: ${s.error ?? 'no answer'}` });
      continue;
    }
    const g = generations.get(s.id);
    if (!g) {
      breaches.push({ check: 'terminal', detail: `submission ${s.index}: generation ${s.id} is not in the state store` });
      continue;
    }
    if (!terminal(g.status)) {
      breaches.push({ check: 'terminal', detail: `submission ${s.index}: generation ${s.id} is still ${g.status}` });
      continue;
    }
    terminalCount++;
    if (g.status === 'completed') completed++;
    else if (g.error?.code === 'TOPIC_NOT_COVERED') notCovered++;
    else otherFailed++;
  }
  return { breaches, terminal: terminalCount, completed, notCovered, otherFailed };
}

/** Covered questions complete; uncovered ones fail with TOPIC_NOT_COVERED (and nothing else), or are answered so from the not-covered cache. */
export function checkExpectations(submissions: SubmissionResult[], generations: Map<string, FinalGeneration>): Breach[] {
  const breaches: Breach[] = [];
  for (const s of submissions) {
    if (!s.id && s.notCoveredFromCache) {
      if (s.expect === 'complete') breaches.push({ check: 'outcome', detail: `submission ${s.index} (${JSON.stringify(s.question)}) should complete but was answered not covered from the cache` });
      continue;
    }
    const g = s.id ? generations.get(s.id) : undefined;
    if (!g || !terminal(g.status)) continue; // reported by checkTerminal
    if (s.expect === 'complete' && g.status !== 'completed') {
      breaches.push({ check: 'outcome', detail: `submission ${s.index} (${JSON.stringify(s.question)}) should complete but ${g.id} failed at ${g.error?.stage ?? '?'} with ${g.error?.code ?? '?'}` });
    }
    if (s.expect === 'not-covered' && !(g.status === 'failed' && g.error?.code === 'TOPIC_NOT_COVERED')) {
      breaches.push({ check: 'outcome', detail: `submission ${s.index} (${JSON.stringify(s.question)}) is not covered but ${g.id} ended ${g.status}${g.error?.code ? ` (${g.error.code})` : ''}` });
    }
  }
  return breaches;
}

/**
 * Objects: every completed generation that did its own work (no cache hit) has exactly one
 * narration object and one video object, named for it and present at the end; no generation that
 * did not complete left a narration or video behind.
 */
export function checkObjects(generations: FinalGeneration[], stored: StoredObject[]): Breach[] {
  const breaches: Breach[] = [];
  const byGeneration = new Map<string, { narrations: StoredObject[]; videos: StoredObject[] }>();
  for (const o of stored) {
    const n = /^narrations\/([^/]+)\/[^/]*\.mp3$/.exec(o.name);
    const v = /^videos\/([^/]+)\/[^/]*\.mp4$/.exec(o.name);
    const id = n?.[1] ?? v?.[1];
    if (!id) continue;
    const entry = byGeneration.get(id) ?? { narrations: [], videos: [] };
    (n ? entry.narrations : entry.videos).push(o);
    byGeneration.set(id, entry);
  }
  for (const g of generations) {
    const own = byGeneration.get(g.id) ?? { narrations: [], videos: [] };
    if (g.status === 'completed' && !g.cacheHit) {
      if (own.narrations.length !== 1) breaches.push({ check: 'objects', detail: `${g.id} is completed with ${own.narrations.length} narration objects` });
      if (own.videos.length !== 1) breaches.push({ check: 'objects', detail: `${g.id} is completed with ${own.videos.length} video objects` });
      for (const [what, ref, list] of [['narration', g.narration, own.narrations], ['video', g.video, own.videos]] as const) {
        if (ref && list.length === 1 && (list[0]!.bucket !== ref.bucket || list[0]!.name !== ref.object)) {
          breaches.push({ check: 'objects', detail: `${g.id} records its ${what} as ${ref.bucket}/${ref.object} but stored is ${list[0]!.bucket}/${list[0]!.name}` });
        }
      }
    } else if (g.status === 'completed' && g.cacheHit) {
      if (own.narrations.length || own.videos.length) breaches.push({ check: 'objects', detail: `${g.id} was answered from the cache yet has media of its own` });
    } else if (isTerminal(g.status as Status) && (own.narrations.length || own.videos.length)) {
      breaches.push({ check: 'objects', detail: `${g.id} ended ${g.status} but left ${own.narrations.length} narration and ${own.videos.length} video objects` });
    }
  }
  const known = new Set(generations.map((g) => g.id));
  for (const [id, own] of byGeneration) {
    if (!known.has(id)) breaches.push({ check: 'objects', detail: `${own.narrations.length + own.videos.length} media objects for ${id}, which is not a generation` });
  }
  return breaches;
}

/** Every completed video is 1920x1080 at 30 fps, H.264 with AAC audio. */
export function checkMedia(probes: VideoProbe[]): Breach[] {
  const breaches: Breach[] = [];
  for (const p of probes) {
    const where = `${p.bucket}/${p.name}`;
    if (p.error) {
      breaches.push({ check: 'media', detail: `${where} does not probe: ${p.error}` });
      continue;
    }
    const problems: string[] = [];
    if (!p.video) problems.push('no video stream');
    else {
      if (p.video.codec !== 'h264') problems.push(`video codec ${p.video.codec}`);
      if (p.video.width !== 1920 || p.video.height !== 1080) problems.push(`${p.video.width}x${p.video.height}`);
      if (Math.abs(p.video.fps - 30) > 0.01) problems.push(`${p.video.fps} fps`);
    }
    if (!p.audio) problems.push('no audio stream');
    else if (p.audio.codec !== 'aac') problems.push(`audio codec ${p.audio.codec}`);
    if (problems.length) breaches.push({ check: 'media', detail: `${where}: ${problems.join(', ')} (want 1920x1080, 30 fps, h264/aac)` });
  }
  return breaches;
}

/** A stage's effect happened twice: more than one `ok` record for one (generation, stage). */
export function duplicateEffects(records: SeenRecord[]): Breach[] {
  const oks = new Map<string, string[]>();
  for (const r of records) {
    if (!EFFECT_STAGES.has(r.stage) || !r.generationId) continue;
    if (r.outcome !== 'ok' && !(r.stage === 'dead-letter' && r.outcome === 'dead-lettered')) continue;
    const key = `${r.generationId} ${r.stage}`;
    oks.set(key, [...(oks.get(key) ?? []), r.eventId]);
  }
  const breaches: Breach[] = [];
  for (const [key, events] of oks) {
    if (events.length < 2) continue;
    const [id, stage] = key.split(' ');
    breaches.push({ check: 'duplicate effect', detail: `${stage} did the work of ${id} ${events.length} times (events ${events.join(', ')})` });
  }
  return breaches;
}

/** An object was written more than once (each write is a new object generation). */
export function duplicateWrites(writes: ObjectWrite[]): Breach[] {
  const byObject = new Map<string, ObjectWrite[]>();
  for (const w of writes) {
    const key = `${w.bucket}/${w.name}`;
    byObject.set(key, [...(byObject.get(key) ?? []), w]);
  }
  const breaches: Breach[] = [];
  for (const [key, list] of byObject) {
    if (list.length < 2) continue;
    const same = list.every((w) => w.md5Hash === list[0]!.md5Hash);
    breaches.push({ check: 'duplicate effect', detail: `${key} written ${list.length} times (generations ${list.map((w) => w.generation).join(', ')}; ${same ? 'same bytes' : 'different bytes'})` });
  }
  return breaches;
}

/** Generations still open at the end, oldest update first. */
export function stuckGenerations(generations: FinalGeneration[], now: number): Breach[] {
  return generations
    .filter((g) => !terminal(g.status))
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
    .map((g) => ({ check: 'stuck', detail: `${g.id} (${JSON.stringify(g.question)}) is ${g.status}, last updated ${Math.round((now - Date.parse(g.updatedAt)) / 1000)} s ago` }));
}

/**
 * Dead letters only for work that cannot succeed: a generation whose question the library does not
 * cover. A dead letter for a covered question, or for no known generation, is a breach.
 */
export function checkDeadLetters(records: SeenRecord[], generations: Map<string, FinalGeneration>, expectationOf: (question: string) => Expectation | undefined): Breach[] {
  const breaches: Breach[] = [];
  for (const r of records) {
    if (r.stage !== 'dead-letter' || r.outcome !== 'dead-lettered') continue;
    const g = r.generationId ? generations.get(r.generationId) : undefined;
    const expect = g ? expectationOf(g.question) : undefined;
    if (expect === 'not-covered') continue;
    breaches.push({
      check: 'dead letter',
      detail: `${r.sourceStage ?? 'unknown'} dead-lettered ${r.generationId ?? 'a message without a generation'} (${r.errorCode ?? 'no code'})${expect === 'complete' ? ', work that can succeed' : ''}`,
    });
  }
  return breaches;
}

export interface StormRequirements {
  minKills: number;
  /** Stages that must each be killed at least once. */
  stages: readonly string[];
}

/** The storm was the one promised: enough kills, every stage, render mid-encode, publish after its upload, and each killed function came back. */
export function checkStorm(kills: Kill[], req: StormRequirements): Breach[] {
  const breaches: Breach[] = [];
  if (kills.length < req.minKills) breaches.push({ check: 'storm', detail: `${kills.length} kills, fewer than ${req.minKills}` });
  for (const stage of req.stages) {
    if (!kills.some((k) => k.target === stage)) breaches.push({ check: 'storm', detail: `${stage} was never killed` });
  }
  if (req.stages.includes('render') && !kills.some((k) => k.target === 'render' && k.duringEncode)) breaches.push({ check: 'storm', detail: 'render was never killed in the middle of an encode' });
  if (req.stages.includes('publish') && !kills.some((k) => k.target === 'publish' && k.afterUpload)) breaches.push({ check: 'storm', detail: 'publish was never killed after its upload' });
  for (const k of kills) {
    if (k.restartedAt === undefined) breaches.push({ check: 'storm', detail: `${k.target} did not come back after the kill at ${new Date(k.at).toISOString()}` });
  }
  return breaches;
}

/**
 * Seconds from each kill to recovery: every generation it interrupted has recorded the killed
 * stage's output (or ended); a kill that interrupted nothing recovers when the function listens
 * again. Null for a kill whose interrupted work never recovered (stuck, reported there).
 */
export function recoveryTimes(kills: Kill[], changes: StatusChange[]): (number | null)[] {
  const byGeneration = new Map<string, StatusChange[]>();
  for (const c of changes) byGeneration.set(c.id, [...(byGeneration.get(c.id) ?? []), c]);
  for (const list of byGeneration.values()) list.sort((a, b) => a.at - b.at);
  return kills.map((k) => {
    const restart = k.restartedAt === undefined ? null : (k.restartedAt - k.at) / 1000;
    const io = stageStatuses(k.target);
    if (!io || k.interrupted.length === 0) return restart;
    let slowest = restart ?? 0;
    for (const id of k.interrupted) {
      const done = (byGeneration.get(id) ?? []).find((c) => c.at >= k.at && (rank(c.status) >= rank(io.output) || terminal(c.status)));
      if (!done) return null;
      slowest = Math.max(slowest, (done.at - k.at) / 1000);
    }
    return slowest;
  });
}

export interface ChaosEvidence {
  seed: number;
  submissions: SubmissionResult[];
  /** Every generation in the state store at the end (coalesced and retried ones included). */
  generations: FinalGeneration[];
  records: SeenRecord[];
  writes: ObjectWrite[];
  stored: StoredObject[];
  probes: VideoProbe[];
  kills: Kill[];
  changes: StatusChange[];
  requirements: StormRequirements;
  /** Epoch ms the verdict is taken at. */
  now: number;
}

export interface ChaosVerdict {
  breaches: Breach[];
  line: string;
  /** Seconds to recovery of each kill, in order (null: never). */
  recoveries: (number | null)[];
  counts: { generations: number; terminal: number; completed: number; notCovered: number; otherFailed: number; kills: number; duplicateEffects: number; stuck: number; slowestRecoverySeconds: number | null };
}

/** All checks, and the one-line summary. */
export function judgeChaos(e: ChaosEvidence): ChaosVerdict {
  const byId = new Map(e.generations.map((g) => [g.id, g]));
  const expectations = new Map(e.submissions.map((s) => [s.question, s.expect]));
  const term = checkTerminal(e.submissions, byId);
  const duplicates = [...duplicateEffects(e.records), ...duplicateWrites(e.writes)];
  const stuck = stuckGenerations(e.generations, e.now);
  const recoveries = recoveryTimes(e.kills, e.changes);
  const slowest = recoveries.some((r) => r === null) ? null : recoveries.length ? Math.max(...(recoveries as number[])) : 0;
  const breaches: Breach[] = [
    ...term.breaches,
    ...checkExpectations(e.submissions, byId),
    ...checkObjects(e.generations, e.stored),
    ...checkMedia(e.probes),
    ...duplicates,
    ...stuck,
    ...checkDeadLetters(e.records, byId, (q) => expectations.get(q)),
    ...checkStorm(e.kills, e.requirements),
  ];
  const counts = {
    generations: e.submissions.length,
    terminal: term.terminal,
    completed: term.completed,
    notCovered: term.notCovered,
    otherFailed: term.otherFailed,
    kills: e.kills.length,
    duplicateEffects: duplicates.length,
    stuck: stuck.length,
    slowestRecoverySeconds: slowest === null ? null : Math.round(slowest),
  };
  return { breaches, line: summaryLine(counts, e.seed), recoveries, counts };
}

export function summaryLine(c: ChaosVerdict['counts'], seed: number): string {
  const ended = [`${c.completed} completed`, `${c.notCovered} not covered`, ...(c.otherFailed ? [`${c.otherFailed} failed`] : [])].join(', ');
  const recovery = c.slowestRecoverySeconds === null ? 'a kill never recovered' : `slowest recovery ${c.slowestRecoverySeconds} s`;
  return `chaos: ${c.generations} generations, ${c.terminal} terminal (${ended}), ${c.kills} kills, ${c.duplicateEffects} duplicate effects, ${c.stuck} stuck, ${recovery}, seed=${seed}`;
}
