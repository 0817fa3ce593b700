import { createCanvas, type Canvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import type { Figure } from '../domain/library.js';
import type { Attribution, Beat, MathSource, Script } from '../domain/script.js';
import { drawBeat, type BeatScreen, type DrawKit } from './beats/index.js';
import type { EquationRequest } from './beats/beat-screen.js';
import { ensureFonts, font } from './fonts.js';
import { CONTENT_BOTTOM, CONTENT_W, drawBackground, drawFooter, drawHeading, drawLines, loadFigure, measurer, MIN_BODY_PX, MX, roundRect, setFont, SLIDE_HEIGHT, SLIDE_WIDTH, TOP, type SlideFrame } from './slide-kit.js';
import { cleanText, fitBlocks, fitText, readLines } from './text-layout.js';
import type { Theme } from './themes.js';
import { typesetEquation } from './typeset-equation.js';
import type { Reveal } from './reveal-plan.js';
import { splitSentences } from '../text/sentences.js';

export { loadFigure, MIN_BODY_PX, SLIDE_HEIGHT, SLIDE_WIDTH, type SlideFrame } from './slide-kit.js';

/**
 * What one screen shows. A lesson is a sequence of screens: the intro, one per beat of each section,
 * one per takeaway (earlier ones stay), the check question and its answer, the credits.
 */
export type SlideSpec = (
  | { kind: 'intro'; title: string; hook: string }
  | ({ kind: 'beat' } & BeatScreen)
  | { kind: 'takeaways'; points: string[]; current: number }
  | { kind: 'check'; question: string; answer: string | null }
  | { kind: 'credits'; attribution: Attribution[] }
) & {
  /** The phase of the screen while its narration runs (see reveal-plan.ts); absent: everything shown. */
  reveal?: Reveal;
};

/** Height kept at the bottom of the body for the key phrases of a screen that has any. */
const CHIP_ROW_H = 116;

export type SlideKind = SlideSpec['kind'];

function drawIntro(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'intro' }>, theme: Theme): void {
  const kickerSize = 36;
  const kicker = theme.label.toUpperCase();
  const title = fitText(cleanText(spec.title, 400), {
    maxWidth: CONTENT_W,
    maxHeight: 3 * 104 * 1.12,
    maxSize: 104,
    minSize: 64,
    lineHeight: 1.12,
    maxLines: 3,
    measureAt: (s) => measurer(ctx, s, 'bold'),
  });
  const hook = fitText(cleanText(spec.hook), {
    maxWidth: CONTENT_W - 120,
    maxHeight: 4 * 56 * 1.3,
    maxSize: 56,
    minSize: MIN_BODY_PX,
    lineHeight: 1.3,
    maxLines: 4,
    measureAt: (s) => measurer(ctx, s),
  });
  const gapA = 36;
  const gapB = 44;
  const ruleH = 8;
  const total = kickerSize + gapA + title.height + gapB + ruleH + gapB + hook.height;
  // While the title is read, the hook waits; then its sentences appear as they are spoken (laid out whole, so nothing moves).
  const shown = spec.reveal?.headed ? spec.reveal.lines - 1 : Number.POSITIVE_INFINITY;
  let y = Math.max(72, Math.round((CONTENT_BOTTOM + 20 - total) / 2));
  setFont(ctx, font(kickerSize, 'bold'));
  ctx.fillStyle = theme.accentText;
  ctx.textBaseline = 'top';
  ctx.fillText(kicker, MX, y);
  y += kickerSize + gapA;
  y += drawLines(ctx, title.blocks[0] ?? [], MX, y, title.size, title.lineHeight, 'bold', theme.text);
  y += gapB;
  ctx.fillStyle = theme.accentText;
  roundRect(ctx, MX, y, 200, ruleH, 4);
  ctx.fill();
  y += ruleH + gapB;
  if (shown <= 0) return;
  const sentences = splitSentences(cleanText(spec.hook));
  if (shown >= sentences.length) {
    drawLines(ctx, hook.blocks[0] ?? [], MX, y, hook.size, hook.lineHeight, 'regular', theme.text);
    return;
  }
  const partial = fitText(sentences.slice(0, shown).join(' '), { maxWidth: CONTENT_W - 120, maxHeight: 4 * 56 * 1.3, maxSize: hook.size, minSize: hook.size, lineHeight: 1.3, maxLines: 4, measureAt: (s) => measurer(ctx, s) });
  drawLines(ctx, partial.blocks[0] ?? [], MX, y, hook.size, hook.lineHeight, 'regular', theme.text);
}

/**
 * Key phrases of what is being said, as pills in a row at the bottom of the body: the newest in the
 * accent colour, earlier ones dimmed.
 */
function drawChips(ctx: SKRSContext2D, chips: string[], theme: Theme): void {
  if (!chips.length) return;
  const size = 48;
  const padX = 36;
  const h = 88;
  const y = CONTENT_BOTTOM - h;
  let x = MX;
  setFont(ctx, font(size, 'bold'));
  chips.forEach((chip, i) => {
    const text = cleanText(chip, 60);
    const newest = i === chips.length - 1;
    const w = Math.min(CONTENT_W - (x - MX), ctx.measureText(text).width + 2 * padX);
    if (w < 3 * padX) return;
    // The newest in the bright accent (the one the voice is on), earlier ones as quiet panels.
    ctx.fillStyle = newest ? theme.accentText : theme.panel;
    roundRect(ctx, x, y, w, h, h / 2);
    ctx.fill();
    ctx.fillStyle = newest ? theme.background : theme.mutedText;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x + padX, y + h / 2 + 2, w - 2 * padX);
    x += w + 28;
  });
}

/** "Time to think" under the check question, during the pause before the answer. */
function drawThinking(ctx: SKRSContext2D, theme: Theme): void {
  const size = 48;
  const h = 96;
  const y = CONTENT_BOTTOM - h;
  setFont(ctx, font(size, 'bold'));
  const text = 'Pause and think\u2026';
  const w = ctx.measureText(text).width + 2 * 48 + 40;
  ctx.fillStyle = theme.accent;
  roundRect(ctx, MX, y, w, h, h / 2);
  ctx.fill();
  ctx.fillStyle = theme.background;
  ctx.beginPath();
  ctx.arc(MX + 48 + 10, y + h / 2, 14, 0, Math.PI * 2);
  ctx.fill();
  ctx.textBaseline = 'middle';
  ctx.fillText(text, MX + 48 + 40, y + h / 2 + 2);
}

function drawBullets(ctx: SKRSContext2D, bullets: string[], theme: Theme, box: { x: number; y: number; w: number; h: number }, marker: 'dot' | 'number', current = bullets.length - 1, read?: number): void {
  const indent = marker === 'number' ? 92 : 56;
  const layout = fitBlocks(
    bullets.map((b) => cleanText(b, 600)).filter((b) => b.length > 0),
    {
      maxWidth: box.w - indent,
      maxHeight: box.h,
      maxSize: 60,
      minSize: MIN_BODY_PX,
      lineHeight: 1.3,
      gap: 0.6,
      measureAt: (s) => measurer(ctx, s, 'bold'),
    },
  );
  const { size, lineHeight } = layout;
  // Center the block vertically when it is much shorter than the box.
  let y = box.y + Math.max(0, Math.min((box.h - layout.height) / 2, 40));
  layout.blocks.forEach((lines, i) => {
    if (lines.length === 0) return;
    const cy = y + (size * lineHeight) / 2;
    if (marker === 'dot') {
      ctx.fillStyle = theme.accentText;
      ctx.beginPath();
      ctx.arc(box.x + 14, cy, 10, 0, Math.PI * 2);
      ctx.fill();
    } else {
      const r = 30;
      ctx.fillStyle = theme.accentText;
      ctx.beginPath();
      ctx.arc(box.x + r, cy, r, 0, Math.PI * 2);
      ctx.fill();
      setFont(ctx, font(32, 'bold'));
      ctx.fillStyle = theme.background;
      ctx.textBaseline = 'middle';
      const n = String(i + 1);
      ctx.fillText(n, box.x + r - ctx.measureText(n).width / 2, cy + 1);
    }
    drawLines(ctx, i === current ? readLines(lines, read) : lines, box.x + indent, y, size, lineHeight, i === current ? 'bold' : 'regular', i === current ? theme.text : theme.mutedText);
    y += lines.length * size * lineHeight;
    y += size * 0.6;
  });
}

function drawTakeaways(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'takeaways' }>, theme: Theme): void {
  const headingH = drawHeading(ctx, 'Key takeaways', theme, { maxLines: 1 });
  const top = TOP + headingH + 56;
  if (spec.reveal?.headed && spec.reveal.lines < 2) return;
  const bottom = CONTENT_BOTTOM - (spec.reveal?.chipRow ? CHIP_ROW_H : 0);
  drawBullets(ctx, spec.points.slice(0, spec.current + 1), theme, { x: MX, y: top, w: CONTENT_W, h: bottom - top }, 'number', spec.current, spec.reveal?.read);
}

/** The closing check: the question large; then the answer revealed in an accent card under it. */
function drawCheck(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'check' }>, theme: Theme): void {
  const headingH = drawHeading(ctx, 'Check yourself', theme, { maxLines: 1 });
  let y = TOP + headingH + 64;
  if (spec.reveal?.headed && spec.reveal.lines < 2) return;
  const answered = spec.answer !== null;
  const q = fitText(cleanText(spec.question, 400), { maxWidth: CONTENT_W, maxHeight: answered ? 3 * 56 * 1.3 : 6 * 68 * 1.3, maxSize: answered ? 56 : 68, minSize: MIN_BODY_PX, lineHeight: 1.3, maxLines: answered ? 3 : 6, measureAt: (s) => measurer(ctx, s, 'bold') });
  const qLines = q.blocks[0] ?? [];
  drawLines(ctx, answered ? qLines : readLines(qLines, spec.reveal?.read), MX, y, q.size, q.lineHeight, 'bold', answered ? theme.mutedText : theme.text);
  y += qLines.length * q.size * q.lineHeight;
  if (!answered) return;
  y += 56;
  const a = fitText(cleanText(spec.answer ?? '', 400), { maxWidth: CONTENT_W - 128, maxHeight: CONTENT_BOTTOM - y - 128, maxSize: 60, minSize: MIN_BODY_PX, lineHeight: 1.3, maxLines: 6, measureAt: (s) => measurer(ctx, s) });
  const h = a.height + 128;
  ctx.fillStyle = theme.panel;
  roundRect(ctx, MX, y, CONTENT_W, h, 28);
  ctx.fill();
  ctx.fillStyle = theme.accent;
  roundRect(ctx, MX, y, 14, h, 7);
  ctx.fill();
  setFont(ctx, font(34, 'bold'));
  ctx.fillStyle = theme.accentText;
  ctx.textBaseline = 'top';
  ctx.fillText('ANSWER', MX + 64, y + 28);
  drawLines(ctx, readLines(a.blocks[0] ?? [], spec.reveal?.read), MX + 64, y + 80, a.size, a.lineHeight, 'regular', theme.text);
}

/** Loads figures and typesets equations once per render, for every screen that shows them. */
export function createDrawKit(theme: Theme, figures: Figure[]): DrawKit {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const images = new Map<string, Promise<Image | null>>();
  const equations = new Map<string, Promise<Image | null>>();
  return {
    theme,
    async figure(id) {
      const figure = byId.get(id);
      if (!figure?.path) return null;
      if (!images.has(id)) images.set(id, loadFigure(figure.path));
      const image = await images.get(id)!;
      return image ? { image, figure } : null;
    },
    equation(math: MathSource, req: EquationRequest) {
      const color = req.color ?? theme.text;
      const key = JSON.stringify([math.format, math.source, req.fontPx, req.maxWidthPx, req.maxHeightPx, req.highlight ?? [], color]);
      if (!equations.has(key)) {
        equations.set(
          key,
          typesetEquation(math, { color, highlightColor: theme.accentText, highlight: req.highlight, fontPx: req.fontPx, maxWidthPx: req.maxWidthPx, maxHeightPx: req.maxHeightPx })
            .then(async (t) => {
              const { loadImage } = await import('@napi-rs/canvas');
              return loadImage(t.png);
            })
            .catch(() => null),
        );
      }
      return equations.get(key)!;
    },
  };
}

interface StackItem {
  text: string;
  size: number;
  weight: 'regular' | 'bold';
  color: string;
  gapBefore: number;
  maxLines: number;
}

interface StackRow {
  item: StackItem;
  size: number;
  lines: string[];
  gap: number;
  height: number;
}

const STACK_LH = 1.3;

function layoutStack(ctx: SKRSContext2D, items: StackItem[], scale: number): StackRow[] {
  return items.map((item) => {
    const size = Math.max(28, Math.round(item.size * scale));
    const m = measurer(ctx, size, item.weight);
    const fitted = fitText(item.text, { maxWidth: CONTENT_W, maxHeight: item.maxLines * size * STACK_LH, maxSize: size, minSize: size, lineHeight: STACK_LH, maxLines: item.maxLines, measureAt: () => m });
    const lines = fitted.blocks[0] ?? [];
    const gap = Math.round(item.gapBefore * scale);
    return { item, size, lines, gap, height: gap + lines.length * size * STACK_LH };
  });
}

const stackHeight = (rows: StackRow[]) => rows.reduce((h, r) => h + r.height, 0);

function drawStack(ctx: SKRSContext2D, rows: StackRow[], y: number): number {
  for (const r of rows) {
    y += r.gap;
    y += drawLines(ctx, r.lines, MX, y, r.size, STACK_LH, r.item.weight, r.item.color);
  }
  return y;
}

function dedupeAttribution(list: Attribution[]): Attribution[] {
  const seen = new Set<string>();
  const out: Attribution[] = [];
  for (const a of list) {
    const key = `${a.book}\u0000${a.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

export const SYNTHETIC_VOICE_NOTE = 'Narrated by a synthetic voice. Made with Vividly from open educational resources.';

function sourceItems(a: Attribution, theme: Theme, first: boolean): StackItem[] {
  const items: StackItem[] = [{ text: cleanText(a.book, 300), size: 48, weight: 'bold', color: theme.text, gapBefore: first ? 0 : 40, maxLines: 2 }];
  const meta = [cleanText(a.publisher, 120), cleanText(a.license, 120)].filter(Boolean).join(' \u00b7 ');
  if (meta) items.push({ text: meta, size: 44, weight: 'regular', color: theme.text, gapBefore: 10, maxLines: 1 });
  const url = cleanText(a.url, 400);
  if (url) items.push({ text: `Access for free at ${url}`, size: 38, weight: 'regular', color: theme.mutedText, gapBefore: 12, maxLines: 2 });
  const licenseUrl = cleanText(a.licenseUrl, 300);
  if (licenseUrl) items.push({ text: `License: ${licenseUrl}`, size: 34, weight: 'regular', color: theme.mutedText, gapBefore: 8, maxLines: 1 });
  return items;
}

/**
 * Credits: each source (book; publisher and license; link; license link), then the synthetic
 * voice note, which always has its place at the bottom. Sources are shown whole or not at all
 * ("and N more sources"); text shrinks (to 70 %) before sources are left out.
 */
function drawCredits(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'credits' }>, theme: Theme): void {
  const headingH = drawHeading(ctx, 'Credits', theme, { maxLines: 1 });
  const top = TOP + headingH + 48;
  const sources = dedupeAttribution(spec.attribution).slice(0, 12);
  const note: StackItem = { text: SYNTHETIC_VOICE_NOTE, size: 40, weight: 'regular', color: theme.accentText, gapBefore: 0, maxLines: 2 };
  const avail = CONTENT_BOTTOM - top;
  const noteGap = 48;

  let best: { groups: StackRow[][]; more: StackRow[]; note: StackRow[] } | null = null;
  for (let scale = 1; scale >= 0.7 - 1e-9; scale -= 0.05) {
    const noteRows = layoutStack(ctx, [note], scale);
    const room = avail - stackHeight(noteRows) - noteGap * scale;
    const groups: StackRow[][] = [];
    let used = 0;
    for (const [i, a] of sources.entries()) {
      const rows = layoutStack(ctx, sourceItems(a, theme, i === 0), scale);
      const left = sources.length - i - 1;
      const moreRows = left > 0 ? layoutStack(ctx, [{ text: `and ${left} more source${left === 1 ? '' : 's'}`, size: 38, weight: 'regular', color: theme.mutedText, gapBefore: 24, maxLines: 1 }], scale) : [];
      // Keep room for the "and N more" line unless this is the last source.
      if (used + stackHeight(rows) + stackHeight(moreRows) > room && !(left === 0 && used + stackHeight(rows) <= room)) break;
      groups.push(rows);
      used += stackHeight(rows);
    }
    const hidden = sources.length - groups.length;
    const more = hidden > 0 ? layoutStack(ctx, [{ text: `and ${hidden} more source${hidden === 1 ? '' : 's'}`, size: 38, weight: 'regular', color: theme.mutedText, gapBefore: groups.length ? 24 : 0, maxLines: 1 }], scale) : [];
    best = { groups, more, note: noteRows };
    if (hidden === 0 || scale <= 0.7 + 1e-9) break;
  }
  if (!best) return;
  let y = top;
  for (const g of best.groups) y = drawStack(ctx, g, y);
  y = drawStack(ctx, best.more, y);
  drawStack(ctx, best.note, CONTENT_BOTTOM - stackHeight(best.note));
}

/**
 * Draws one 1920x1080 slide. Every string is drawn as plain glyphs. Pass `into` (a 1920x1080
 * canvas) to reuse one canvas for many slides: it is fully repainted.
 */
export async function drawSlide(spec: SlideSpec, frame: SlideFrame, into?: Canvas, kit: DrawKit = createDrawKit(frame.theme, [])): Promise<Canvas> {
  ensureFonts();
  const canvas = into ?? createCanvas(SLIDE_WIDTH, SLIDE_HEIGHT);
  if (canvas.width !== SLIDE_WIDTH || canvas.height !== SLIDE_HEIGHT) throw new Error('slide canvas must be 1920x1080');
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.shadowColor = 'rgba(0,0,0,0)';
  ctx.shadowBlur = 0;
  drawBackground(ctx, frame.theme);
  switch (spec.kind) {
    case 'intro':
      drawIntro(ctx, spec, frame.theme);
      break;
    case 'beat': {
      const headingH = drawHeading(ctx, spec.heading, frame.theme);
      const top = TOP + headingH + 56;
      // A section's first screen: the heading alone while the voice reads it, then the body.
      if (spec.reveal?.headed && spec.reveal.lines < 2) break;
      const bottom = CONTENT_BOTTOM - (spec.reveal?.chipRow ? CHIP_ROW_H : 0);
      await drawBeat(ctx, spec.reveal?.read === undefined ? spec : { ...spec, read: spec.reveal.read }, kit, { x: MX, y: top, w: CONTENT_W, h: bottom - top });
      break;
    }
    case 'check':
      drawCheck(ctx, spec, frame.theme);
      break;
    case 'takeaways':
      drawTakeaways(ctx, spec, frame.theme);
      break;
    case 'credits':
      drawCredits(ctx, spec, frame.theme);
      break;
  }
  if (spec.reveal?.thinking) drawThinking(ctx, frame.theme);
  else if (spec.reveal && spec.kind !== 'credits' && spec.kind !== 'intro') drawChips(ctx, spec.reveal.chips, frame.theme);
  drawFooter(ctx, frame);
  return canvas;
}

/** A fresh 1920x1080 canvas for `drawSlide(..., into)`. */
export function createSlideCanvas(): Canvas {
  return createCanvas(SLIDE_WIDTH, SLIDE_HEIGHT);
}

/** A slide as PNG bytes (encoded off the main thread). */
export async function renderSlidePng(spec: SlideSpec, frame: SlideFrame, kit?: DrawKit): Promise<Buffer> {
  const canvas = await drawSlide(spec, frame, undefined, kit);
  return canvas.encode('png');
}

/** JPEG poster of a drawn slide, scaled to `width` (16:9). */
export async function posterJpeg(slide: Canvas, width = 1280, quality = 85): Promise<Buffer> {
  const height = Math.round((width * SLIDE_HEIGHT) / SLIDE_WIDTH);
  if (width === SLIDE_WIDTH) return slide.encode('jpeg', quality);
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(slide, 0, 0, width, height);
  return c.encode('jpeg', quality);
}

/** The short attribution drawn in every slide's footer. */
export function footerAttribution(attribution: Attribution[]): string {
  const first = attribution[0];
  if (!first) return '';
  const more = attribution.length > 1 ? ` +${attribution.length - 1} more` : '';
  return `Source: ${first.book} \u00b7 ${first.publisher} \u00b7 ${first.license}${more}`;
}

/** Identifies a screen of a script: what `NarrationSegment` points at. */
export interface SlideRef {
  slide: 'intro' | 'section' | 'takeaways' | 'check' | 'credits';
  index: number;
  beat: number;
}

/** The screens of a script, in order: intro, each beat of each section, each takeaway, check and answer, credits. */
export function slidesFromScript(script: Script): Array<SlideSpec & { ref: SlideRef }> {
  const slides: Array<SlideSpec & { ref: SlideRef }> = [];
  slides.push({ kind: 'intro', title: script.title, hook: script.hook, ref: { slide: 'intro', index: 0, beat: 0 } });
  script.sections.forEach((s, i) => {
    s.beats.forEach((beat: Beat, b) => {
      slides.push({ kind: 'beat', heading: s.heading, section: i, beat, earlier: s.beats.slice(0, b), ref: { slide: 'section', index: i, beat: b } });
    });
  });
  script.keyTakeaways.forEach((_t, j) => slides.push({ kind: 'takeaways', points: script.keyTakeaways, current: j, ref: { slide: 'takeaways', index: 0, beat: j } }));
  // the screen shows the book's math in symbols where the voice says it in words
  const shown = script.check.shown ?? script.check;
  slides.push({ kind: 'check', question: shown.question, answer: null, ref: { slide: 'check', index: 0, beat: 0 } });
  slides.push({ kind: 'check', question: shown.question, answer: shown.answer, ref: { slide: 'check', index: 0, beat: 1 } });
  slides.push({ kind: 'credits', attribution: script.attribution, ref: { slide: 'credits', index: 0, beat: 0 } });
  return slides;
}

/** The screen that makes the best poster: a figure, an equation, a worked example, an interest card, a term; else the intro. */
export function posterSlide<T extends SlideSpec>(slides: T[]): T {
  const rank: Record<Beat['kind'], number> = { figure: 0, equation: 1, example: 2, interest: 3, term: 4, point: 9 };
  let best: T | undefined;
  for (const s of slides) {
    if (s.kind !== 'beat' || s.beat.kind === 'point') continue;
    if (!best || (best.kind === 'beat' && rank[s.beat.kind] < rank[best.beat.kind])) best = s;
  }
  return best ?? slides.find((s) => s.kind === 'intro') ?? slides[0]!;
}
