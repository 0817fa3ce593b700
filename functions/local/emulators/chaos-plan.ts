/**
 * The plan of a chaos run (`npm run chaos`), drawn up front from one seed: what is submitted and
 * when, which function is killed at which moment of its work, and which storage faults are injected
 * when. Pure: the same seed gives the same plan. The run itself (chaos.ts) consumes the plan as the
 * pipeline's own events arrive, so a seed reproduces every choice, not the system's timing.
 */

/** The pipeline stages the storm must hit (each at least once). */
export const CHAOS_STAGES = ['understand', 'retrieve', 'write', 'narrate', 'render', 'publish'] as const;
export type ChaosStage = (typeof CHAOS_STAGES)[number];

/**
 * When a kill lands:
 * - `mid-work`: the stage has recorded a new attempt (`running`) and not yet its result. For
 *   publish this is after the video upload that triggered it.
 * - `after-record`: the stage has recorded its result (the status moved on) and is emitting
 *   (publishing the next event, uploading its object, filling caches).
 * - `mid-encode`: render while one of its ffmpeg processes is running.
 * - `mid-request`: the api while a submission is in flight.
 * - `idle`: at a moment of the run, whatever the function is doing.
 */
export type KillPhase = 'mid-work' | 'after-record' | 'mid-encode' | 'mid-request' | 'idle';

export interface KillIntent {
  id: number;
  target: string;
  phase: KillPhase;
  /** Wait this long after the trigger before killing. */
  delayMs: number;
  /** Not before this many ms after the storm starts (only `idle` kills use it as their moment). */
  notBeforeMs: number;
}

export type Expectation = 'complete' | 'not-covered';

export interface PlannedSubmission {
  index: number;
  question: string;
  grade: number;
  interest: string;
  voice: 'female_professional' | 'male_professional' | 'male_energetic';
  expect: Expectation;
  /** When to send it, ms after the storm starts. */
  atMs: number;
  /** The earlier submission it repeats word for word (it should coalesce onto it). */
  repeatOf?: number;
}

/** Storage fault targets of the storage emulator (uploads, downloads, metadata reads, any request). */
export type FaultTargetName = 'upload' | 'upload-chunk' | 'media' | 'metadata' | 'any';

export interface PlannedFault {
  atMs: number;
  count: number;
  fault: { status: 503 } | { delayMs: number };
  target: FaultTargetName;
}

export interface ChaosPlan {
  seed: number;
  submissions: PlannedSubmission[];
  intents: KillIntent[];
  faults: PlannedFault[];
  /** Extra cold-start wait of each successive restart, in ms (used in order, cycling). */
  coldStartsMs: number[];
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32: a small, fast 32-bit PRNG; plenty for choosing moments and targets. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

/** Questions the starter library covers (topic confidence 0.76 to 1.00 with the extractive chooser). */
export const COVERED_QUESTIONS = [
  "Explain Newton's third law",
  "What does Newton's second law say about force and acceleration?",
  'How does conservation of energy work?',
  'How do sound waves travel?',
  'How do I use the quadratic formula?',
  'What is the Pythagorean theorem?',
  'How does photosynthesis work?',
  'How do you balance a chemical equation?',
  'What is the difference between acids and bases?',
  'What caused World War I?',
] as const;

/** Questions it does not cover (best topic confidence 0.11 to 0.15, below VIVIDLY_MIN_CONFIDENCE 0.35). */
export const UNCOVERED_QUESTIONS = ['how do I bake sourdough bread', 'How do I change a flat tire on my bike?', 'What is the best pizza topping?'] as const;

const INTERESTS = ['basketball', 'music', 'cooking', 'video games', 'soccer', 'drawing'] as const;
const VOICES = ['female_professional', 'male_professional', 'male_energetic'] as const;

export interface PlanOptions {
  /** Submissions in all (default 12): two not covered, two repeats, the rest distinct covered questions. */
  generations?: number;
  /** Kills planned (default 20, at most 20); the storm needs at least `minKills` of them to land. */
  kills?: number;
}

/** The kills every storm plans whatever the seed: each stage, render mid-encode, publish after its upload. */
const REQUIRED: { target: string; phase: KillPhase }[] = [
  { target: 'understand', phase: 'mid-work' },
  { target: 'retrieve', phase: 'mid-work' },
  { target: 'write', phase: 'mid-work' },
  { target: 'narrate', phase: 'mid-work' },
  { target: 'render', phase: 'mid-encode' },
  { target: 'render', phase: 'mid-encode' },
  { target: 'publish', phase: 'mid-work' },
  { target: 'publish', phase: 'mid-work' },
  { target: 'api', phase: 'mid-request' },
];

export function planChaos(seed: number, opts: PlanOptions = {}): ChaosPlan {
  const rnd = createRandom(seed);
  const total = opts.generations ?? 12;
  const kills = opts.kills ?? 20;
  if (total < 6) throw new RangeError('a storm needs at least 6 generations (2 not covered, 2 repeats, 2 distinct)');

  // Submissions: distinct covered questions, two of them repeated word for word, two not covered.
  const distinct = rnd.shuffle(COVERED_QUESTIONS).slice(0, total - 4);
  if (distinct.length < total - 4) throw new RangeError(`at most ${COVERED_QUESTIONS.length + 4} generations`);
  const uncovered = [UNCOVERED_QUESTIONS[0], rnd.pick(UNCOVERED_QUESTIONS.slice(1))];
  type Draft = Omit<PlannedSubmission, 'index' | 'atMs'>;
  const drafts: Draft[] = distinct.map((question) => ({ question, grade: rnd.int(6, 12), interest: rnd.pick(INTERESTS), voice: rnd.pick(VOICES), expect: 'complete' as const }));
  for (const question of uncovered) drafts.push({ question, grade: rnd.int(6, 12), interest: rnd.pick(INTERESTS), voice: rnd.pick(VOICES), expect: 'not-covered' });
  let order = rnd.shuffle(drafts);
  // Repeats go a little after their original, while it is still in flight.
  const originals = rnd.shuffle(order.filter((d) => d.expect === 'complete').map((d) => order.indexOf(d))).slice(0, 2);
  const withRepeats: Draft[] = [...order];
  for (const i of originals.sort((a, b) => b - a)) {
    const at = Math.min(withRepeats.length, withRepeats.indexOf(order[i]!) + rnd.int(1, 3));
    withRepeats.splice(at, 0, { ...order[i]!, repeatOf: -1 });
  }
  order = withRepeats;
  let at = 0;
  const submissions: PlannedSubmission[] = [];
  for (const d of order) {
    const index = submissions.length;
    const repeatOf = d.repeatOf === -1 ? submissions.findIndex((s) => s.question === d.question && s.repeatOf === undefined) : undefined;
    submissions.push({ ...d, index, atMs: at, ...(repeatOf !== undefined ? { repeatOf } : {}) });
    at += rnd.int(2_000, 9_000);
  }

  // Kills: the required ones, then more at random over the stages (and the sweep, at a moment).
  const wanted: { target: string; phase: KillPhase }[] = [...REQUIRED];
  const extra: { target: string; phase: KillPhase }[] = [
    { target: 'understand', phase: 'after-record' },
    { target: 'retrieve', phase: 'after-record' },
    { target: 'write', phase: 'after-record' },
    { target: 'narrate', phase: 'mid-work' },
    { target: 'narrate', phase: 'after-record' },
    { target: 'render', phase: 'mid-encode' },
    { target: 'render', phase: 'after-record' },
    { target: 'publish', phase: 'after-record' },
    { target: 'understand', phase: 'mid-work' },
    { target: 'write', phase: 'mid-work' },
    { target: 'sweep', phase: 'idle' },
  ];
  for (const e of rnd.shuffle(extra)) if (wanted.length < kills) wanted.push(e);
  const intents: KillIntent[] = wanted.map((w, id) => ({ id, ...w, delayMs: delayFor(w, rnd), notBeforeMs: w.phase === 'idle' ? rnd.int(20_000, 90_000) : 0 }));

  // Storage faults: one every 5 to 12 s over the first 10 minutes (the storm stops them when it ends).
  const faults: PlannedFault[] = [];
  for (let t = rnd.int(1_000, 5_000); t < 600_000; t += rnd.int(5_000, 12_000)) {
    if (rnd.next() < 0.5) faults.push({ atMs: t, count: rnd.int(1, 2), fault: { status: 503 }, target: rnd.pick(['upload', 'upload-chunk', 'media', 'metadata', 'any'] as const) });
    else faults.push({ atMs: t, count: rnd.int(1, 3), fault: { delayMs: rnd.int(500, 4_000) }, target: rnd.pick(['upload-chunk', 'media', 'metadata', 'any'] as const) });
  }
  const coldStartsMs = Array.from({ length: 16 }, () => rnd.int(0, 1_500));
  return { seed, submissions, intents, faults, coldStartsMs };
}

/** How long after its trigger a kill lands: within the short work of the quick stages, later in the long ones. */
function delayFor(w: { target: string; phase: KillPhase }, rnd: Random): number {
  if (w.phase === 'idle') return 0;
  if (w.phase === 'mid-request') return rnd.int(0, 120);
  if (w.phase === 'after-record') return rnd.int(0, 150);
  if (w.phase === 'mid-encode') return rnd.int(0, 1_500);
  if (w.target === 'narrate') return rnd.int(200, 4_000);
  if (w.target === 'publish') return rnd.int(0, 100);
  return rnd.int(0, 60);
}
