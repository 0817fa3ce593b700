/**
 * Lesson evaluation: a fixed public set of questions across the OpenStax books and the starter
 * library, each made into a video on the offline path (embedded pipeline: extractive writer,
 * espeak-ng, ffmpeg), then measured on what the student gets.
 *
 *   npm run eval:lessons [-- --only <substring>] [--keep <dir>] [--sheets] [--no-fail]
 *
 * --sheets: a contact sheet per video with one frame of every screen (each beat and reveal phase).
 *
 * A question the library refuses (not covered, with alternatives) goes on as the student page lets
 * a student go on: with the first alternative asked for by its topicId. Its topic is marked
 * "[picked]" in the table; how questions resolve is measured by eval:resolve (issue 10).
 *
 * Per video (measured on the rendered MP4 and the generation's script):
 * - duration: the MP4's duration (ffprobe).
 * - longest still: the longest stretch with no visible change, from ffmpeg's freezedetect
 *   (noise -60 dB, minimum 1 s); still share: time in still stretches of 8 s or more / duration.
 * - beats/min: the script's beats (hook, section beats, takeaways, check) per minute of video;
 *   screens/min: distinct screens render drew (beats and their reveal phases) per minute.
 * - equations / figures: equation beats and example steps with math / figure beats on screen.
 * - example: a worked example is worked through (example beats).
 * - flagged: sentences the text checker (dangling reference, orphan pronoun) flags.
 * - cut: screen texts ending in "..." or "…".
 * - interest: body beats that bring the student's interest back (interest cards, and beats whose
 *   narration names the interest) after the hook.
 *
 * Targets (issue 8): longest still <= 8 s, still share < 20%, 0 cut, 0 flagged, an equation in every
 * math/physics/chemistry lesson whose topic has one, interest in >= 2 body beats, 60-240 s. A target
 * missed exits 1 (--no-fail: report only).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createGeneration } from '../../functions/api/api.js';
import { startEmbeddedPipeline } from '../../functions/local/pipeline.js';
import { parseConfig } from '../../shared/config.js';
import type { Generation } from '../../shared/domain/generation.js';
import type { Script } from '../../shared/domain/script.js';
import { SqliteContentLibrary } from '../../shared/library/sqlite-content-library.js';
import { FFMPEG_PATH, FFPROBE_PATH } from '../../shared/media/ffmpeg-binaries.js';
import { planScreens } from '../../shared/media/render-video.js';
import { dataFiles } from '../../shared/runtime/create-embedded-ports.js';
import { checkScriptText } from '../../shared/writer/check-script-text.js';

const run = promisify(execFile);

/** The public set: question, grade, interest, and the subject family the lesson belongs to. */
export const LESSON_SET: { question: string; grade: number; interest: string }[] = [
  { question: "Explain Newton's third law", grade: 10, interest: 'basketball' },
  { question: 'What is projectile motion?', grade: 11, interest: 'soccer' },
  { question: "What is Ohm's law?", grade: 11, interest: 'electric guitars' },
  { question: 'What is the ideal gas law?', grade: 11, interest: 'baking bread' },
  // (asked as "What is a mole in chemistry?" the resolver refuses it today: issue 10)
  { question: 'What is the mole concept in chemistry?', grade: 10, interest: 'video games' },
  { question: 'What are covalent bonds?', grade: 10, interest: 'lego' },
  { question: 'What was the New Deal?', grade: 11, interest: 'painting' },
  { question: 'What was the Louisiana Purchase?', grade: 8, interest: 'horses' },
  { question: 'How do I use the quadratic formula?', grade: 9, interest: 'video games' },
  { question: 'What are logarithmic functions?', grade: 11, interest: 'music' },
  { question: 'What is the unit circle?', grade: 11, interest: 'astronomy' },
  // (asked as "How do you find the inverse of a function?" the resolver refuses it today, confidence 0.35: issue 10)
  { question: 'What are inverse functions?', grade: 11, interest: 'cars' },
  { question: 'How does photosynthesis work?', grade: 7, interest: 'gardening' },
  { question: 'What is a metaphor?', grade: 8, interest: 'drawing' },
];

const TARGET = { longestStill: 8, stillShare: 0.2, minSeconds: 60, maxSeconds: 240, interest: 2 } as const;
const STILL_MIN_S = 8;

const args = process.argv.slice(2);
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export interface LessonMeasures {
  question: string;
  topic: string;
  book: string;
  subject: string;
  seconds: number;
  longestStill: number;
  stillShare: number;
  beatsPerMinute: number;
  screensPerMinute: number;
  equations: number;
  figures: number;
  example: boolean;
  flagged: number;
  cut: number;
  interest: number;
  topicHasEquation: boolean;
}

/** Still stretches (start, duration) of a video by ffmpeg's freezedetect. */
export async function stillStretches(file: string): Promise<{ start: number; duration: number }[]> {
  const { stderr } = await run(FFMPEG_PATH, ['-hide_banner', '-nostats', '-i', file, '-map', '0:v:0', '-vf', 'freezedetect=n=-60dB:d=1', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const out: { start: number; duration: number }[] = [];
  let start: number | null = null;
  for (const line of stderr.split('\n')) {
    const s = /freeze_start: ([\d.]+)/.exec(line);
    if (s) start = Number(s[1]);
    const d = /freeze_duration: ([\d.]+)/.exec(line);
    if (d && start !== null) {
      out.push({ start, duration: Number(d[1]) });
      start = null;
    }
  }
  return out;
}

async function durationOf(file: string): Promise<number> {
  const { stdout } = await run(FFPROBE_PATH, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]);
  return Number(stdout.trim());
}

/** What the script puts in front of the student (counts), independent of the video. */
export function scriptMeasures(script: Script, interest: string) {
  const beats = script.sections.flatMap((s) => s.beats);
  const words = interest.toLowerCase().split(/\s+/).filter((w) => w.length > 2);
  const namesInterest = (text: string): boolean => words.some((w) => text.toLowerCase().includes(w.replace(/s$/, '')));
  const problems = checkScriptText(script);
  return {
    beats: 1 + beats.length + script.keyTakeaways.length + 2,
    equations: beats.filter((b) => b.kind === 'equation' || (b.kind === 'example' && b.math)).length,
    figures: beats.filter((b) => b.kind === 'figure').length,
    example: beats.some((b) => b.kind === 'example'),
    flagged: problems.filter((p) => p.code === 'DANGLING_REFERENCE' || p.code === 'ORPHAN_PRONOUN').length,
    cut: problems.filter((p) => p.code === 'CUT_TEXT').length + beats.filter((b) => b.kind === 'point' && /\.\.\.|…/.test(b.text)).length,
    interest: beats.filter((b) => b.kind === 'interest' || namesInterest(b.say)).length,
  };
}

async function main(): Promise<void> {
  const oer = process.env.VIVIDLY_OER_DIR ?? path.resolve(process.cwd(), '../shared/oer/openstax');
  if (!existsSync(oer)) throw new Error(`the OpenStax books are needed at ${oer} (set VIVIDLY_OER_DIR)`);
  const only = argValue('--only')?.toLowerCase();
  const keep = argValue('--keep');
  const set = LESSON_SET.filter((q) => !only || q.question.toLowerCase().includes(only));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vividly-eval-lessons-'));
  const outDir = path.resolve(keep ?? path.join(dataDir, 'videos'));
  mkdirSync(outDir, { recursive: true });
  process.stderr.write(`ingesting ${oer} ...\n`);
  const lib = new SqliteContentLibrary(dataFiles(dataDir).library);
  await lib.ingestOpenStax(oer);
  lib.close();
  const config = parseConfig({ VIVIDLY_DATA_DIR: dataDir, VIVIDLY_LOG_LEVEL: 'error', PORT: '0' });
  const ports = startEmbeddedPipeline(config, { logSink: () => {} });
  const rows: LessonMeasures[] = [];
  const failures: string[] = [];
  try {
    for (const [i, q] of set.entries()) {
      process.stderr.write(`[${i + 1}/${set.length}] ${q.question} (${q.interest}) ... `);
      const generate = async (topicId?: string): Promise<Generation> => {
        const answer = await createGeneration({ question: q.question, grade: q.grade, interest: q.interest, ...(topicId ? { topicId } : {}) }, 'eval', ports);
        const body = answer.body as { id?: string; error?: { code: string; details?: { alternatives?: { id: string }[] } } };
        // a cached not-covered answer comes back at once, without a generation
        if (!body.id) return { status: 'failed', error: { code: body.error?.code ?? 'UNKNOWN', message: '', details: body.error?.details } } as unknown as Generation;
        for (;;) {
          const g = await ports.state.getGeneration(body.id);
          if (g && (g.status === 'completed' || g.status === 'failed')) {
            await ports.router.idle();
            return g;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      let g = await generate();
      // Not covered: the student page offers the alternatives, and the student picks the first (as a student would pick the lesson named like the question).
      let picked = false;
      const alternatives = (g.error?.details as { alternatives?: { id: string; title: string }[] } | undefined)?.alternatives ?? [];
      if (g.status === 'failed' && g.error?.code === 'TOPIC_NOT_COVERED' && alternatives.length) {
        process.stderr.write(`not covered; picked "${alternatives[0]!.title}" from the alternatives ... `);
        picked = true;
        g = await generate(alternatives[0]!.id);
      }
      if (g.status !== 'completed' || !g.video || !g.script) {
        process.stderr.write(`failed: ${g.error?.code} ${g.error?.message}\n`);
        failures.push(`${q.question}: ${g.error?.code}`);
        continue;
      }
      const slug = q.question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
      const file = path.join(outDir, `${String(i + 1).padStart(2, '0')}-${slug}.mp4`);
      await ports.objects.download(g.video.bucket, g.video.object, file);
      writeFileSync(file.replace(/\.mp4$/, '.json'), JSON.stringify({ topic: g.topic, script: g.script, segments: g.narration?.segments, cues: g.narration?.cues }, null, 2));
      if (args.includes('--sheets')) {
        // One frame of every screen (each beat and each of its reveal phases), at its last frame, in order.
        const { plan } = planScreens(g.script, g.narration!, g.narration!.durationSeconds);
        const picks = plan.map((e) => e.startFrame + e.frames - 1);
        const cols = 8;
        const rowsN = Math.ceil(picks.length / cols);
        const select = `select='${picks.map((n) => `eq(n,${n})`).join('+')}'`;
        const sheet = file.replace(/\.mp4$/, '.sheet.png');
        await run(FFMPEG_PATH, ['-y', '-v', 'error', '-i', file, '-vf', `${select},scale=384:-1,tile=${cols}x${rowsN}`, '-vsync', 'vfr', '-frames:v', '1', sheet]);
      }
      const seconds = await durationOf(file);
      const stills = await stillStretches(file);
      const m = scriptMeasures(g.script, q.interest);
      const materials = await ports.library.getMaterials(g.topic!.id);
      rows.push({
        question: q.question,
        topic: picked ? `${g.topic!.title} [picked]` : g.topic!.title,
        book: g.topic!.book,
        subject: g.topic!.subject,
        seconds,
        longestStill: Math.max(0, ...stills.map((s) => s.duration)),
        stillShare: stills.filter((s) => s.duration >= STILL_MIN_S).reduce((a, s) => a + s.duration, 0) / seconds,
        beatsPerMinute: m.beats / (seconds / 60),
        screensPerMinute: planScreens(g.script, g.narration!, seconds).plan.length / (seconds / 60),
        equations: m.equations,
        figures: m.figures,
        example: m.example,
        flagged: m.flagged,
        cut: m.cut,
        interest: m.interest,
        topicHasEquation: materials.equations.length > 0 || materials.examples.some((e) => e.steps.some((s) => s.math)),
      });
      process.stderr.write(`${seconds.toFixed(0)} s\n`);
    }
  } finally {
    await ports.router.idle();
    await ports.close();
  }

  const misses: string[] = [...failures];
  const table = rows.map((r) => {
    const needsEquation = ['math', 'physics', 'chemistry'].includes(r.subject) && r.topicHasEquation;
    const miss = [
      r.longestStill > TARGET.longestStill && `longest still ${r.longestStill.toFixed(1)} s`,
      r.stillShare >= TARGET.stillShare && `still share ${(100 * r.stillShare).toFixed(0)}%`,
      r.cut > 0 && `${r.cut} cut`,
      r.flagged > 0 && `${r.flagged} flagged`,
      needsEquation && r.equations === 0 && 'no equation',
      r.interest < TARGET.interest && `interest ${r.interest}`,
      (r.seconds < TARGET.minSeconds || r.seconds > TARGET.maxSeconds) && `${r.seconds.toFixed(0)} s`,
    ].filter(Boolean) as string[];
    if (miss.length) misses.push(`${r.question}: ${miss.join(', ')}`);
    return {
      question: r.question.slice(0, 40),
      'topic (book)': `${r.topic} (${r.book})`.slice(0, 56),
      's': Number(r.seconds.toFixed(0)),
      'longest still s': Number(r.longestStill.toFixed(1)),
      'still≥8s %': Number((100 * r.stillShare).toFixed(1)),
      'beats/min': Number(r.beatsPerMinute.toFixed(1)),
      'screens/min': Number(r.screensPerMinute.toFixed(1)),
      eq: r.equations,
      fig: r.figures,
      example: r.example ? 'yes' : 'no',
      flagged: r.flagged,
      cut: r.cut,
      interest: r.interest,
    };
  });
  console.table(table);
  if (misses.length) {
    console.log(`targets missed (${misses.length}):`);
    for (const m of misses) console.log(`  - ${m}`);
  } else console.log(`all ${rows.length} lessons meet the targets`);
  const pickedCount = rows.filter((r) => r.topic.endsWith('[picked]')).length;
  if (pickedCount) console.log(`not covered, lesson picked from the alternatives: ${pickedCount}`);
  console.log(`videos: ${outDir}`);
  if (misses.length && !args.includes('--no-fail')) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  });
}
