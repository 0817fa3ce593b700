/**
 * Render benchmark: a synthetic 180 s narrated script through renderVideo.
 *
 *   npx tsx test/bench/render.bench.ts [--seconds 180] [--runs 1] [--baseline] [--tone]
 *
 * What is measured, and how:
 * - wall: performance.now() around renderVideo.
 * - CPU: this process via process.cpuUsage() (user+system), plus its reaped children (ffmpeg,
 *   ffprobe) via the cutime/cstime fields of /proc/self/stat (clock ticks, 100 Hz), as deltas.
 * Each configuration runs in a fresh Node process (this file with `--child`), so the numbers
 * below are that process's and its ffmpeg children's only (setup such as speech synthesis is
 * not included).
 * - memory: a sampler every 25 ms walks /proc for descendants of this process and reads their
 *   VmRSS and VmHWM (peak RSS) from /proc/<pid>/status. Reported: peak RSS of this Node process
 *   (process.resourceUsage().maxRSS of the fresh child process), the largest child peak (VmHWM as last seen),
 *   and the peak of (this process RSS + all children RSS) at one sample instant.
 *   Children that live less than one sampling interval can be missed (the short trims/probes).
 * - realtime factor: video seconds / wall seconds.
 * The machine may be shared: the 1-minute load average before each run is printed.
 */
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderSlidePng, slidesFromScript, footerAttribution } from '../../shared/media/draw-slide.js';
import { toneWavJob, slideClipJob, audioJob, muxJob, type FfmpegJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg, TaskPool } from '../../shared/media/ffmpeg-run.js';
import { planFrames } from '../../shared/media/frame-plan.js';
import { buildConcatList } from '../../shared/media/build-concat-list.js';
import { probeMedia } from '../../shared/media/probe.js';
import { renderVideo, type RenderVideoInput } from '../../shared/media/render-video.js';
import { themeFor } from '../../shared/media/themes.js';
import type { Script } from '../../shared/domain/script.js';
import { sampleScript, sampleSegments } from '../media/fixtures.js';
import type { Cue, NarrationSegment } from '../../shared/domain/generation.js';
import type { Figure } from '../../shared/domain/library.js';
import { createCanvas } from '@napi-rs/canvas';
import { EspeakSpeechEngine } from '../../shared/speech/espeak-speech-engine.js';
import { writeWav } from '../../shared/speech/encode-mp3.js';

const args = process.argv.slice(2);
const argValue = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const SECONDS = Number(argValue('--seconds', '180'));
const RUNS = Math.max(1, Number(argValue('--runs', '1')));
const BASELINE = args.includes('--baseline');
/** Narration source: real synthetic speech (espeak-ng, the product's local engine, 22.05 kHz) or a sine tone. */
const TONE = args.includes('--tone');
const CLK_TCK = 100;

function benchScript(): Script {
  const sections = [
    // As many beats as a real 180 s lesson (about 19 narration segments; npm run eval:lessons).
    { heading: 'Forces come in pairs', bullets: ['Every force has a partner force acting back', 'They point in opposite directions'] },
    { heading: 'Jumping for a rebound', bullets: ['The floor pushes up on you just as hard'] },
    { heading: 'Passing and catching', bullets: ['The ball pushes your hands back'] },
    { heading: 'Collisions under the rim', bullets: ['Two players collide: both feel the same force'] },
  ];
  // The tests' sample script (same book, attribution, subject), with the benchmark's own slides and length.
  return sampleScript({
    title: "Newton's Third Law on the Basketball Court",
    hook: 'Ever wonder why you jump higher when you push harder on the floor? The floor is pushing back.',
    // Each section: its points appearing one by one, then the sample's equation and worked-example step (typeset on every run).
    sections: sections.map((s, i) => ({
      heading: s.heading,
      beats: [
        ...s.bullets.map((text, j) => ({ kind: 'point' as const, say: `Point ${j + 1} of section ${i + 1}.`, text })),
        // a figure, large, zooming slowly
        ...(i === 0 ? sampleScript().sections.flatMap((x) => x.beats.filter((b) => b.kind === 'figure')) : []),
        ...sampleScript().sections.flatMap((x) => x.beats.filter((b) => b.kind === 'equation' || (b.kind === 'example' && b.step > 0))),
      ],
      citations: [`p${i}`],
    })),
    keyTakeaways: ['Forces come in action-reaction pairs', 'The pair acts on different objects', 'Equal size, opposite direction, always'],
    keyTerms: ['reaction force', 'opposite direction', 'floor'],
    wordCount: 450,
    estimatedSeconds: SECONDS,
    writer: 'bench',
  });
}

function benchSegments(duration: number, script: Script): NarrationSegment[] {
  // The tests' segment layout (one per screen), with start times that are not frame aligned.
  return sampleSegments(duration, script).map((seg, i) => ({ ...seg, start: i === 0 ? 0 : Number((seg.start + 0.0137).toFixed(4)) }));
}

/**
 * One sentence per segment, spoken over the whole segment (a real lesson's beats are one or two
 * long textbook sentences), naming key terms: render reveals key phrases in the long ones, as it
 * does for real lessons.
 */
function benchCues(segments: NarrationSegment[]): Cue[] {
  const sentence = 'When you push down on the floor, the floor pushes back on you with a reaction force of the same size and the opposite direction, 700 N for a 70 kg player.';
  return segments.map((seg) => ({ start: seg.start, end: Math.max(seg.start + 0.5, seg.end - 0.3), text: sentence }));
}

/** A drawn diagram as the figure (PNG, 1280x800, like the physics book's scaled figures). */
async function benchFigure(dir: string): Promise<Figure> {
  const canvas = createCanvas(1280, 800);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 1280, 800);
  ctx.strokeStyle = '#1f4e79';
  ctx.lineWidth = 12;
  for (const [x, y, dy] of [[400, 300, -200], [880, 500, 200]] as const) {
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y + dy);
    ctx.stroke();
  }
  ctx.fillStyle = '#c55a11';
  ctx.fillRect(200, 600, 880, 40);
  ctx.font = '48px sans-serif';
  ctx.fillStyle = '#222222';
  ctx.fillText('F(floor on player)', 420, 140);
  ctx.fillText('F(player on floor)', 660, 760);
  const file = path.join(dir, 'figure.png');
  await fs.writeFile(file, await canvas.encode('png'));
  return { id: 'fig-1', topicId: 'bench', alt: 'Forces between a player and the floor', caption: 'A jumper pushes on the floor; the floor pushes back.', path: file, mimeType: 'image/png' };
}

// ---------- /proc sampling ----------

function readStat(pid: number | 'self'): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    return s.slice(close + 2).split(' '); // fields from #3 (state) on
  } catch {
    return null;
  }
}

function childTicks(): number {
  const f = readStat('self');
  if (!f) return 0;
  // Field 16 cutime, 17 cstime (1-based, see proc(5)); f[0] is field 3.
  return Number(f[16 - 3]) + Number(f[17 - 3]);
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = readStat(Number(name));
    if (f) parent.set(Number(name), Number(f[1])); // field 4 = ppid
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop() as number;
    for (const [pid, pp] of parent) if (pp === p) {
      out.push(pid);
      frontier.push(pid);
    }
  }
  return out;
}

function memKb(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0);
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0);
    return { rss, hwm };
  } catch {
    return null;
  }
}

class MemorySampler {
  peakTotalKb = 0;
  peakChildKb = 0;
  children = new Set<number>();
  maxConcurrentChildren = 0;
  /** Peak RSS (MB) per child command name (ffmpeg, ffprobe, and esbuild: the tsx transpiler service). */
  peakByName: Record<string, number> = {};
  private timer: NodeJS.Timeout | null = null;
  start(intervalMs = 25): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }
  sample(): void {
    let total = Math.round(process.memoryUsage().rss / 1024);
    const kids = descendants(process.pid);
    this.maxConcurrentChildren = Math.max(this.maxConcurrentChildren, kids.length);
    for (const pid of kids) {
      const m = memKb(pid);
      if (!m) continue;
      this.children.add(pid);
      total += m.rss;
      this.peakChildKb = Math.max(this.peakChildKb, m.hwm);
      let comm = '?';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        // exited
      }
      this.peakByName[comm] = Math.max(this.peakByName[comm] ?? 0, Math.round(m.hwm / 1024));
    }
    this.peakTotalKb = Math.max(this.peakTotalKb, total);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}

interface Row {
  name: string;
  videoSeconds: number;
  wall: number;
  cpuSelf: number;
  cpuChildren: number;
  selfMaxRssMb: number;
  peakChildMb: number;
  peakTotalMb: number;
  sizeMb: number;
  load: number;
  timings?: Record<string, number>;
  childPeaks?: Record<string, number>;
  maxConcurrentChildren?: number;
}

async function measure(name: string, videoSecondsOf: () => Promise<number>, fn: () => Promise<{ sizeBytes: number; timings?: Record<string, number> }>): Promise<Row> {
  const load = os.loadavg()[0];
  const sampler = new MemorySampler();
  const cpu0 = process.cpuUsage();
  const ticks0 = childTicks();
  const t0 = performance.now();
  sampler.start();
  const res = await fn();
  const wall = (performance.now() - t0) / 1000;
  sampler.stop();
  const cpu = process.cpuUsage(cpu0);
  const ticks = childTicks() - ticks0;
  return {
    name,
    videoSeconds: await videoSecondsOf(),
    wall,
    cpuSelf: (cpu.user + cpu.system) / 1e6,
    cpuChildren: ticks / CLK_TCK,
    selfMaxRssMb: process.resourceUsage().maxRSS / 1024,
    peakChildMb: sampler.peakChildKb / 1024,
    peakTotalMb: sampler.peakTotalKb / 1024,
    sizeMb: res.sizeBytes / 1e6,
    load,
    timings: res.timings,
    childPeaks: sampler.peakByName,
    maxConcurrentChildren: sampler.maxConcurrentChildren,
  };
}

interface ChildTask {
  name: string;
  kind: 'render' | 'naive';
  input: RenderVideoInput;
  dir: string;
}

/** Runs one configuration in a fresh Node process (clean RSS and CPU accounting) and returns its row. */
function runInChild(task: ChildTask, file: string): Promise<Row> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], '--child', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`bench child for ${task.name} exited ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(line) as Row);
    });
  });
}

async function childMain(file: string): Promise<void> {
  const task = JSON.parse(await fs.readFile(file, 'utf8')) as ChildTask;
  let videoPath = '';
  const row = await measure(
    task.name,
    async () => (await probeMedia(videoPath)).durationSeconds,
    async () => {
      if (task.kind === 'render') {
        const res = await renderVideo(task.input);
        videoPath = res.videoPath;
        // screens drawn and encoded: every reveal phase of every narration segment
        return { ...res, timings: { screens: res.screens, ...res.timings } };
      }
      const res = await naiveRender(task.input, task.dir);
      videoPath = res.videoPath;
      return res;
    },
  );
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

/**
 * The naive approach, for comparison: every slide's whole hold encoded by looping its PNG
 * (`-loop 1`, the PNG is re-read for every frame), two slides at a time, then concat + mux.
 */
async function naiveRender(input: RenderVideoInput, dir: string): Promise<{ sizeBytes: number; videoPath: string }> {
  const slides = slidesFromScript(input.script);
  const plan = planFrames(input.narration.segments, input.narration.durationSeconds, { slides: slides.map((s) => s.ref) });
  const theme = themeFor(input.script.subject);
  const pool = new TaskPool(2);
  const clips: string[] = [];
  const jobs: Promise<unknown>[] = [];
  jobs.push(pool.run(() => runFfmpeg(audioJob({ source: input.audioPath, output: path.join(dir, 'naive-audio.m4a') }))));
  for (let k = 0; k < plan.length; k++) {
    const e = plan[k];
    const spec = slides.find((s) => s.ref.slide === e.slide && s.ref.index === e.index)!;
    const png = path.join(dir, `naive-${k}.png`);
    await fs.writeFile(png, await renderSlidePng(spec, { theme, slideNumber: k + 1, slideCount: plan.length, footer: footerAttribution(input.script.attribution) }));
    const out = path.join(dir, `naive-${k}.mp4`);
    clips.push(out);
    const j: FfmpegJob = slideClipJob({ image: png, frames: e.frames, output: out, container: 'mp4' });
    // Replace the decode-once loop filter by re-reading the PNG every frame.
    j.inputs[0].options.push('-loop', '1');
    const vf = j.outputOptions.indexOf('-vf');
    j.outputOptions[vf + 1] = 'scale=1920:1080:out_color_matrix=bt709:out_range=tv,format=yuv420p';
    jobs.push(pool.run(() => runFfmpeg(j)));
  }
  await Promise.all(jobs);
  const list = path.join(dir, 'naive.ffconcat');
  await fs.writeFile(list, buildConcatList(clips.map((p, k) => ({ path: p, durationSeconds: plan[k].frames / 30 }))));
  const videoPath = path.join(dir, 'naive.mp4');
  await runFfmpeg(muxJob({ video: list, videoKind: 'concat', audio: path.join(dir, 'naive-audio.m4a'), output: videoPath }));
  return { sizeBytes: (await fs.stat(videoPath)).size, videoPath };
}

function fmt(n: number, d = 1): string {
  return n.toFixed(d);
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vividly-bench-'));
  try {
    const wav = path.join(dir, 'narration.wav');
    let source: string;
    if (TONE) {
      await runFfmpeg(toneWavJob({ seconds: SECONDS, output: wav, sampleRate: 24000 }));
      source = '24 kHz mono WAV sine tone';
    } else {
      // Real speech, cut or padded with silence to exactly SECONDS.
      const sentence = "When you push on the floor, the floor pushes back on you with a force of the same size and the opposite direction. That is Newton's third law.";
      const speech = path.join(dir, 'speech.wav');
      const spoken = await new EspeakSpeechEngine().speak(`<speak>${Array(Math.ceil(SECONDS / 7)).fill(sentence).join(' ')}</speak>`, 'female_professional');
      await writeWav(speech, spoken.pcm, spoken.sampleRateHz);
      await runFfmpeg({
        inputs: [{ path: speech, options: ['-hide_banner', '-nostdin', '-loglevel', 'error'] }],
        outputOptions: ['-af', 'apad', '-t', SECONDS.toFixed(3), '-c:a', 'pcm_s16le', '-f', 'wav'],
        output: wav,
      });
      source = 'espeak-ng speech, 22.05 kHz mono WAV';
    }
    const script = benchScript();
    const segments = benchSegments(SECONDS, script);
    const base: RenderVideoInput = {
      script,
      narration: { segments, cues: benchCues(segments), durationSeconds: SECONDS },
      audioPath: wav,
      figures: [await benchFigure(dir)],
      workDir: path.join(dir, 'work'),
      outDir: path.join(dir, 'out'),
    };
    console.log(`# render benchmark: ${SECONDS}s narration (${source}), ${segments.length} narration segments (${slidesFromScript(script).length} beats and cards; the screens drawn, reveals included, are in the timings), ${os.cpus().length} CPUs, node ${process.version}`);
    const configs: Array<{ name: string; input: Partial<RenderVideoInput> }> = [
      { name: 'bytes, 2 jobs (default)', input: {} },
      { name: 'demuxer, 2 jobs', input: { assembly: 'demuxer' } },
      { name: 'bytes, 1 job', input: { concurrency: 1 } },
    ];
    const rows: Row[] = [];
    const tasks: ChildTask[] = [];
    for (let r = 0; r < RUNS; r++) {
      configs.forEach((c, i) => tasks.push({ name: c.name, kind: 'render', input: { ...base, ...c.input, outDir: path.join(dir, `out-${r}-${i}`) }, dir }));
    }
    if (BASELINE) tasks.push({ name: 'naive: -loop 1 PNG, whole hold per slide', kind: 'naive', input: base, dir });
    for (const [i, task] of tasks.entries()) {
      const file = path.join(dir, `task-${i}.json`);
      await fs.writeFile(file, JSON.stringify(task));
      rows.push(await runInChild(task, file));
    }
    const header = ['config', 'video s', 'wall s', 'CPU self s', 'CPU ffmpeg s', 'realtime x', 'node maxRSS MB', 'max child MB', 'peak total MB', 'MP4 MB', 'load1'];
    const lines = rows.map((r) => [
      r.name,
      fmt(r.videoSeconds, 2),
      fmt(r.wall, 2),
      fmt(r.cpuSelf, 2),
      fmt(r.cpuChildren, 2),
      fmt(r.videoSeconds / r.wall, 1),
      fmt(r.selfMaxRssMb, 0),
      fmt(r.peakChildMb, 0),
      fmt(r.peakTotalMb, 0),
      fmt(r.sizeMb, 1),
      fmt(r.load, 2),
    ]);
    console.log(`| ${header.join(' | ')} |`);
    console.log(`| ${header.map(() => '---').join(' | ')} |`);
    for (const l of lines) console.log(`| ${l.join(' | ')} |`);
    for (const r of rows) {
      console.log(`${r.name}: children peak RSS MB by name ${JSON.stringify(r.childPeaks)}, max processes at once ${r.maxConcurrentChildren}`);
      if (r.timings) console.log(`  timings (ms): ${JSON.stringify(r.timings)}`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const childIndex = args.indexOf('--child');
(childIndex >= 0 ? childMain(args[childIndex + 1]) : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
