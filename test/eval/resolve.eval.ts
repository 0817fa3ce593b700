/**
 * Resolution evaluation: the public question sets under test/eval/resolve/ through the same path as
 * the understand stage (library.resolve(question, 5), then the topic chooser, then the
 * VIVIDLY_MIN_CONFIDENCE threshold: below it, or no choice, the question is refused as
 * TOPIC_NOT_COVERED).
 *
 *   npm run eval:resolve [-- --library <library.sqlite>] [--model gemini] [--no-fail] [--split a|b]
 *                          [--sets physics,math] [--misses 100] [--json <file>]
 *
 * Without --library it ingests the OpenStax books (VIVIDLY_OER_DIR, default ../shared/oer/openstax)
 * and the starter library into a temporary library, as `vividly ingest` would.
 *
 * Set files: `<name>.json` = {questions: [{question, accept: [ids], style}]} for covered questions,
 * where an id is a module id (m54150) or, for a starter topic (no module id), its topic id;
 * `off-library.json` = {questions: [{question, kind}]}.
 *
 * Per covered question:
 * - top-1: answered (not refused) with an accepted topic (the lesson the student gets is right);
 * - rank-1: the first candidate is an accepted topic (answered or not: the ranking alone);
 * - top-3: an accepted topic among the first 3 candidates of resolve (answered or not);
 * - refused: not answered (TOPIC_NOT_COVERED, the candidates are offered as alternatives);
 * - wrong topic: answered with a topic outside its accept list (a wrong lesson).
 * Off-library questions must be refused.
 * Resolve time: resolve() alone, per question, once the index is built and a few warm-up questions
 * (not from the sets) have run, as in a warm instance; p50 and p99. The index build is printed apart.
 * Calibration: of the answers whose confidence is at least x (covered and off-library questions
 * together), how many were right.
 *
 * Targets (offline chooser): top-1 >= 92%, top-3 >= 98%, off-library refused >= 95%, wrong topic
 * <= 2%, resolve p99 < 20 ms. Exit 1 when one is missed (--no-fail: report only); exit 2 on a usage
 * or configuration error (--model gemini without GOOGLE_CLOUD_PROJECT).
 *
 * --split a|b keeps half of every set (by a hash of the question), for tuning on one half and
 * checking on the other.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, ConfigError } from '../../shared/config.js';
import type { Topic, TopicCandidate } from '../../shared/domain/library.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { STARTER_LIBRARY } from '../../shared/library/starter/index.js';
import { Logger } from '../../shared/observability/logger.js';
import type { TopicChooser } from '../../shared/ports/language-model.port.js';
import { languageModelFor } from '../../shared/writer/language-model.js';
import { LexicalTopicChooser } from '../../shared/writer/local-language-model.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SETS_DIR = path.join(HERE, 'resolve');
const OFF_LIBRARY = 'off-library';

export const TARGETS = { top1: 0.92, top3: 0.98, offRefused: 0.95, wrongTopic: 0.02, p99Ms: 20 } as const;
const CALIBRATION_STEPS = [0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** Questions resolved before timing (not from the sets): a warm instance has compiled its code paths. */
const WARM_UP = [
  'what is a force',
  'how do atoms bond',
  'explain the industrial revolution',
  'solve a quadratic equation',
  'x^2 + y^2 = 1',
  'why is the sky blue when the sun sets',
  'phtosynthesis',
  'E = hf',
  'what happened in 1776',
  'how fast does sound travel',
];

interface CoveredQuestion {
  question: string;
  accept: string[];
  style?: string;
}
interface OffQuestion {
  question: string;
  kind?: string;
}

interface Outcome {
  set: string;
  question: string;
  /** Empty for off-library questions. */
  accept: string[];
  style: string;
  candidates: TopicCandidate[];
  /** The chooser's pick (a candidate) and its confidence. */
  chosen: TopicCandidate | null;
  confidence: number;
  answered: boolean;
  resolveMs: number;
  chooseMs: number;
}

// ----- arguments -----

function usage(message: string): never {
  console.error(`eval:resolve: ${message}`);
  console.error('usage: npm run eval:resolve -- [--library <file>] [--model gemini] [--no-fail] [--split a|b] [--sets a,b] [--misses N] [--json <file>]');
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const opts = { library: '', model: 'offline', fail: true, split: '', sets: [] as string[], misses: 200, json: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--library') opts.library = value();
    else if (a === '--model') opts.model = value();
    else if (a === '--no-fail') opts.fail = false;
    else if (a === '--split') opts.split = value();
    else if (a === '--sets') opts.sets = value().split(',').filter(Boolean);
    else if (a === '--misses') opts.misses = Number(value());
    else if (a === '--json') opts.json = value();
    else usage(`unknown argument ${a}`);
  }
  if (!['offline', 'lexical', 'gemini'].includes(opts.model)) usage(`--model is offline or gemini, not ${opts.model}`);
  if (opts.split && !['a', 'b'].includes(opts.split)) usage('--split is a or b');
  if (!Number.isFinite(opts.misses) || opts.misses < 0) usage('--misses is a count');
  return opts;
}

// ----- sets -----

/** Which half of a split a question is in (stable: a hash of its text). */
export function splitOf(question: string): 'a' | 'b' {
  return createHash('sha1').update(question.trim().toLowerCase()).digest()[0] % 2 === 0 ? 'a' : 'b';
}

function loadSets(only: string[]): { covered: Map<string, CoveredQuestion[]>; off: OffQuestion[]; problems: string[] } {
  const covered = new Map<string, CoveredQuestion[]>();
  let off: OffQuestion[] = [];
  const problems: string[] = [];
  const files = existsSync(SETS_DIR) ? readdirSync(SETS_DIR).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    if (only.length && !only.includes(name)) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path.join(SETS_DIR, file), 'utf8'));
    } catch (err) {
      problems.push(`${file}: not JSON (${(err as Error).message})`);
      continue;
    }
    const questions = (doc as { questions?: unknown }).questions;
    if (!Array.isArray(questions)) {
      problems.push(`${file}: no questions array`);
      continue;
    }
    if (name === OFF_LIBRARY) {
      off = questions.filter((q): q is OffQuestion => {
        const ok = typeof q?.question === 'string' && q.question.trim().length > 0;
        if (!ok) problems.push(`${file}: entry without a question: ${JSON.stringify(q)}`);
        return ok;
      });
      continue;
    }
    covered.set(
      name,
      questions.filter((q): q is CoveredQuestion => {
        const ok = typeof q?.question === 'string' && Array.isArray(q.accept) && q.accept.length > 0 && q.accept.every((a: unknown) => typeof a === 'string');
        if (!ok) problems.push(`${file}: entry without a question or accept list: ${JSON.stringify(q)}`);
        return ok;
      }),
    );
  }
  return { covered, off, problems };
}

// ----- library -----

async function openLibrary(file: string): Promise<{ library: SqliteContentLibrary; cleanup: () => void; built: string }> {
  if (file) {
    if (!existsSync(file)) usage(`--library ${file}: no such file`);
    const library = new SqliteContentLibrary(file);
    return { library, cleanup: () => library.close(), built: `library ${file}` };
  }
  const oer = process.env.VIVIDLY_OER_DIR ?? path.resolve(HERE, '../../../shared/oer/openstax');
  if (!existsSync(oer)) usage(`OpenStax books not found at ${oer} (set VIVIDLY_OER_DIR, or pass --library)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vividly-eval-resolve-'));
  const library = new SqliteContentLibrary(path.join(dir, 'library.sqlite'));
  for (const bundle of STARTER_LIBRARY) library.upsertBundle(bundle);
  const summary = await library.ingestOpenStax(oer);
  return {
    library,
    cleanup: () => {
      library.close();
      rmSync(dir, { recursive: true, force: true });
    },
    built: `ingested ${summary.books} books (${summary.topics} topics) from ${oer} in ${(summary.ms / 1000).toFixed(1)} s, plus the starter library`,
  };
}

/** The id a set file names a topic by: its module id, or the topic id for a topic without one. */
const answerId = (topic: Topic): string => topic.moduleId ?? topic.id;

// ----- figures -----

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r, ri) => {
      const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

interface Figures {
  n: number;
  top1: number;
  rank1: number;
  top3: number;
  refused: number;
  wrong: number;
}

function coveredFigures(outcomes: Outcome[]): Figures {
  const f: Figures = { n: 0, top1: 0, rank1: 0, top3: 0, refused: 0, wrong: 0 };
  for (const o of outcomes) {
    f.n++;
    const accept = new Set(o.accept);
    if (o.candidates[0] && accept.has(answerId(o.candidates[0].topic))) f.rank1++;
    if (o.candidates.slice(0, 3).some((c) => accept.has(answerId(c.topic)))) f.top3++;
    if (!o.answered) f.refused++;
    else if (o.chosen && accept.has(answerId(o.chosen.topic))) f.top1++;
    else f.wrong++;
  }
  return f;
}

const isRight = (o: Outcome): boolean => o.accept.length > 0 && o.answered && !!o.chosen && o.accept.includes(answerId(o.chosen.topic));

// ----- main -----

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message);
    throw err;
  }
  let chooser: TopicChooser = new LexicalTopicChooser();
  if (opts.model === 'gemini') {
    if (!config.project) usage('--model gemini needs a Vertex AI project: set GOOGLE_CLOUD_PROJECT (and VIVIDLY_LOCATION, VIVIDLY_GEMINI_MODEL if not the defaults)');
    chooser = languageModelFor({ ...config, languageModel: 'gemini' }, new Logger('warn', (line) => process.stderr.write(line + '\n'))).chooser;
  }

  const { covered, off, problems } = loadSets(opts.sets);
  const keep = (q: string): boolean => !opts.split || splitOf(q) === opts.split;
  const started = performance.now();
  const { library, cleanup, built } = await openLibrary(opts.library);
  try {
    library.ensureIndex();
    console.log(`${built}; search index built in ${Math.round(library.lastIndexBuildMs ?? 0)} ms (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
    for (const q of WARM_UP) await library.resolve(q, 5);

    // titles of every id a set may name
    const titles = new Map<string, string>();
    for (const book of library.listBooks()) {
      for (const t of library.listTopics(book.id)) {
        const id = answerId(t);
        if (!titles.has(id)) titles.set(id, t.title);
      }
    }
    for (const [name, qs] of covered) {
      for (const q of qs) for (const a of q.accept) if (!titles.has(a)) problems.push(`${name}.json: "${q.question}" accepts ${a}, which no topic of the library has`);
    }

    const outcomes: Outcome[] = [];
    const run = async (set: string, question: string, accept: string[], style: string): Promise<void> => {
      const t0 = performance.now();
      const candidates = await library.resolve(question, 5);
      const t1 = performance.now();
      const choice = await chooser.choose(question, candidates);
      const t2 = performance.now();
      // as understand: the chooser may only pick among the candidates, and must reach the threshold
      const chosen = choice.topicId ? (candidates.find((c) => c.topic.id === choice.topicId) ?? null) : null;
      const answered = !!chosen && choice.confidence >= config.minConfidence;
      outcomes.push({ set, question, accept, style, candidates, chosen, confidence: chosen ? choice.confidence : (candidates[0]?.confidence ?? 0), answered, resolveMs: t1 - t0, chooseMs: t2 - t1 });
    };
    for (const [set, qs] of covered) for (const q of qs) if (keep(q.question)) await run(set, q.question, q.accept, q.style ?? '');
    for (const q of off) if (keep(q.question)) await run(OFF_LIBRARY, q.question, [], q.kind ?? 'other');

    const coveredOutcomes = outcomes.filter((o) => o.set !== OFF_LIBRARY);
    const offOutcomes = outcomes.filter((o) => o.set === OFF_LIBRARY);

    // per set and overall
    const header = ['n', 'top-1', 'rank-1', 'top-3', 'refused (covered)', 'wrong topic'];
    const rows = [['set', ...header]];
    const row = (name: string, f: Figures): string[] => [name, String(f.n), pct(f.top1, f.n), pct(f.rank1, f.n), pct(f.top3, f.n), pct(f.refused, f.n), pct(f.wrong, f.n)];
    for (const set of covered.keys()) rows.push(row(set, coveredFigures(coveredOutcomes.filter((o) => o.set === set))));
    const all = coveredFigures(coveredOutcomes);
    rows.push(row('all covered', all));
    console.log(`\nCovered questions (chooser: ${chooser.provider}, threshold ${config.minConfidence}${opts.split ? `, split ${opts.split}` : ''})\n`);
    console.log(table(rows));

    // by style
    const styles = [...new Set(coveredOutcomes.map((o) => o.style))].sort();
    if (styles.length > 1) {
      const srows = [['style', ...header]];
      for (const s of styles) srows.push(row(s || '(none)', coveredFigures(coveredOutcomes.filter((o) => o.style === s))));
      console.log(`\n${table(srows)}`);
    }

    // off-library by kind
    const kinds = [...new Set(offOutcomes.map((o) => o.style))].sort();
    const orows = [['off-library kind', 'n', 'refused']];
    for (const k of kinds) {
      const of = offOutcomes.filter((o) => o.style === k);
      orows.push([k, String(of.length), pct(of.filter((o) => !o.answered).length, of.length)]);
    }
    const offRefused = offOutcomes.filter((o) => !o.answered).length;
    orows.push(['all off-library', String(offOutcomes.length), pct(offRefused, offOutcomes.length)]);
    console.log(`\n${table(orows)}`);

    // time
    const resolveMs = outcomes.map((o) => o.resolveMs).sort((a, b) => a - b);
    const chooseMs = outcomes.map((o) => o.chooseMs).sort((a, b) => a - b);
    const p50 = quantile(resolveMs, 0.5);
    const p99 = quantile(resolveMs, 0.99);
    console.log(`\nresolve time over ${resolveMs.length} questions: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${resolveMs.at(-1)?.toFixed(2) ?? '-'} ms`);
    if (chooser.provider !== 'lexical') console.log(`chooser time: p50 ${quantile(chooseMs, 0.5).toFixed(0)} ms, p99 ${quantile(chooseMs, 0.99).toFixed(0)} ms`);

    // calibration
    const crows = [['confidence >=', 'answered', 'right', 'right %', 'off-library among them']];
    for (const x of CALIBRATION_STEPS) {
      const at = outcomes.filter((o) => o.chosen && o.confidence >= x);
      const right = at.filter((o) => o.accept.includes(answerId(o.chosen!.topic))).length;
      crows.push([x.toFixed(2), String(at.length), String(right), pct(right, at.length), String(at.filter((o) => o.set === OFF_LIBRARY).length)]);
    }
    console.log(`\nCalibration (covered and off-library questions; an answer at threshold x)\n\n${table(crows)}`);

    // misses
    const describe = (c: TopicCandidate | null, confidence: number): string => (c ? `"${c.topic.title}" (${answerId(c.topic)}, ${c.book.id}) at ${confidence.toFixed(2)}` : 'nothing');
    const misses = coveredOutcomes.filter((o) => !isRight(o));
    const wrongOff = offOutcomes.filter((o) => o.answered);
    if (misses.length || wrongOff.length) console.log(`\nMisses (${misses.length} covered, ${wrongOff.length} off-library answered)`);
    for (const o of misses.slice(0, opts.misses)) {
      const expected = o.accept.map((a) => `${titles.get(a) ?? '?'} (${a})`).join(' | ');
      const rank = o.candidates.findIndex((c) => o.accept.includes(answerId(c.topic)));
      const verdict = o.answered ? 'WRONG' : 'refused';
      console.log(`- [${o.set}/${o.style}] ${JSON.stringify(o.question)}\n    expected: ${expected}\n    ${verdict}: ${describe(o.chosen ?? o.candidates[0] ?? null, o.confidence)}${rank >= 0 ? `; accepted at rank ${rank + 1}` : ''}`);
    }
    for (const o of wrongOff.slice(0, opts.misses)) console.log(`- [off-library/${o.style}] ${JSON.stringify(o.question)}\n    answered: ${describe(o.chosen, o.confidence)}`);

    if (problems.length) {
      console.log(`\nSet problems (${problems.length})`);
      for (const p of problems) console.log(`- ${p}`);
    }

    // targets
    const checks: [string, boolean, string][] = [
      ['top-1', all.n > 0 && all.top1 / all.n >= TARGETS.top1, `${pct(all.top1, all.n)} (target >= ${TARGETS.top1 * 100}%)`],
      ['top-3', all.n > 0 && all.top3 / all.n >= TARGETS.top3, `${pct(all.top3, all.n)} (target >= ${TARGETS.top3 * 100}%)`],
      ['off-library refused', offOutcomes.length > 0 && offRefused / offOutcomes.length >= TARGETS.offRefused, `${pct(offRefused, offOutcomes.length)} (target >= ${TARGETS.offRefused * 100}%)`],
      ['wrong topic', all.n > 0 && all.wrong / all.n <= TARGETS.wrongTopic, `${pct(all.wrong, all.n)} (target <= ${TARGETS.wrongTopic * 100}%)`],
      ['resolve p99', p99 < TARGETS.p99Ms, `${p99.toFixed(2)} ms (target < ${TARGETS.p99Ms} ms)`],
    ];
    console.log('\nTargets');
    for (const [name, ok, text] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${name}: ${text}`);

    if (opts.json) {
      writeFileSync(
        opts.json,
        JSON.stringify(
          outcomes.map((o) => ({
            set: o.set,
            question: o.question,
            accept: o.accept,
            style: o.style,
            answered: o.answered,
            right: isRight(o),
            confidence: o.confidence,
            chosen: o.chosen ? answerId(o.chosen.topic) : null,
            candidates: o.candidates.map((c) => ({ id: answerId(c.topic), title: c.topic.title, confidence: c.confidence })),
            resolveMs: o.resolveMs,
          })),
          null,
          1,
        ),
      );
    }
    return opts.fail && checks.some(([, ok]) => !ok) ? 1 : 0;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
