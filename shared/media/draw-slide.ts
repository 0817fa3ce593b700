import { promises as fs } from 'node:fs';
import { createCanvas, loadImage, type Canvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import type { Attribution, Script } from '../domain/script.js';
import type { Figure } from '../domain/library.js';
import { ensureFonts, font } from './fonts.js';
import { sniffImage } from './image-probe.js';
import { cleanText, ellipsize, fitBlocks, fitText, type Measure } from './text-layout.js';
import type { Theme } from './themes.js';

export const SLIDE_WIDTH = 1920;
export const SLIDE_HEIGHT = 1080;

/** Smallest font size used for slide body text (readable at 1080p). */
export const MIN_BODY_PX = 44;

/** A figure to show beside a section's bullets: a local JPEG or PNG. Its alt text is not drawn. */
export interface FigureImage {
  path: string;
}

export type SlideSpec =
  | { kind: 'intro'; title: string; hook: string }
  | { kind: 'section'; index: number; heading: string; bullets: string[]; figure?: FigureImage | null }
  | { kind: 'takeaways'; points: string[] }
  | { kind: 'credits'; attribution: Attribution[] };

export type SlideKind = SlideSpec['kind'];

export interface SlideFrame {
  theme: Theme;
  /** 1-based position among the slides shown, for the footer (omit both to hide it). */
  slideNumber?: number;
  slideCount?: number;
  /** Short footer note, e.g. the source attribution. Drawn as text. */
  footer?: string;
}

// Layout grid.
const MX = 120;
const CONTENT_W = SLIDE_WIDTH - 2 * MX;
const TOP = 96;
const CONTENT_BOTTOM = 948;
const FOOTER_TEXT_Y = 986;
const PROGRESS_H = 8;

/** Figures larger than this are not loaded (decode cost and memory). */
const MAX_FIGURE_BYTES = 25 * 1024 * 1024;
const MAX_FIGURE_PIXELS = 40_000_000;

// Setting ctx.font costs ~10 us (it is parsed every time): remember what each context has.
const currentFont = new WeakMap<SKRSContext2D, string>();

function setFont(ctx: SKRSContext2D, f: string): void {
  if (currentFont.get(ctx) === f) return;
  ctx.font = f;
  currentFont.set(ctx, f);
}

function measurer(ctx: SKRSContext2D, size: number, weight: 'regular' | 'bold' = 'regular'): Measure {
  const f = font(size, weight);
  return (text: string) => {
    setFont(ctx, f);
    return ctx.measureText(text).width;
  };
}

function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

function drawBackground(ctx: SKRSContext2D, theme: Theme): void {
  const g = ctx.createLinearGradient(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT);
  g.addColorStop(0, theme.gradient[0]);
  g.addColorStop(1, theme.gradient[1]);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT);
  // A soft accent glow in the top-right corner.
  const glow = ctx.createRadialGradient(SLIDE_WIDTH - 160, 120, 0, SLIDE_WIDTH - 160, 120, 700);
  glow.addColorStop(0, hexWithAlpha(theme.accentText, 0.1));
  glow.addColorStop(1, hexWithAlpha(theme.accentText, 0));
  ctx.fillStyle = glow;
  ctx.fillRect(0, 0, SLIDE_WIDTH, SLIDE_HEIGHT);
}

function hexWithAlpha(hex: string, alpha: number): string {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `#${full}${a}`;
}

function drawFooter(ctx: SKRSContext2D, frame: SlideFrame): void {
  const { theme } = frame;
  const size = 28;
  ctx.textBaseline = 'top';
  const hasProgress = frame.slideNumber !== undefined && frame.slideCount !== undefined && frame.slideCount > 0;
  let right = '';
  if (hasProgress) right = `${frame.slideNumber} / ${frame.slideCount}`;
  setFont(ctx, font(size, 'bold'));
  const rightW = right ? ctx.measureText(right).width : 0;
  if (right) {
    ctx.fillStyle = theme.mutedText;
    ctx.fillText(right, SLIDE_WIDTH - MX - rightW, FOOTER_TEXT_Y);
  }
  const label = theme.label.toUpperCase();
  setFont(ctx, font(size, 'bold'));
  ctx.fillStyle = theme.accentText;
  ctx.fillText(label, MX, FOOTER_TEXT_Y);
  const labelW = ctx.measureText(label).width;
  const note = cleanText(frame.footer ?? '', 300);
  if (note) {
    const x = MX + labelW + 24;
    const maxW = SLIDE_WIDTH - MX - rightW - 48 - x;
    const text = ellipsize(note, maxW, measurer(ctx, size));
    setFont(ctx, font(size));
    ctx.fillStyle = theme.mutedText;
    ctx.fillText(text, x, FOOTER_TEXT_Y);
  }
  if (hasProgress) {
    const frac = Math.max(0, Math.min(1, (frame.slideNumber as number) / (frame.slideCount as number)));
    ctx.fillStyle = theme.panel;
    ctx.fillRect(0, SLIDE_HEIGHT - PROGRESS_H, SLIDE_WIDTH, PROGRESS_H);
    ctx.fillStyle = theme.accentText;
    ctx.fillRect(0, SLIDE_HEIGHT - PROGRESS_H, Math.round(SLIDE_WIDTH * frac), PROGRESS_H);
  }
}

function drawLines(ctx: SKRSContext2D, lines: string[], x: number, y: number, size: number, lineHeight: number, weight: 'regular' | 'bold', color: string): number {
  setFont(ctx, font(size, weight));
  ctx.fillStyle = color;
  ctx.textBaseline = 'top';
  // Center the glyphs in each line box: the em box is `size` tall, the line box `size * lineHeight`.
  const pad = (size * lineHeight - size) / 2;
  lines.forEach((line, i) => ctx.fillText(line, x, y + pad + i * size * lineHeight));
  return lines.length * size * lineHeight;
}

/** Heading with an accent bar on its left; returns its height. */
function drawHeading(ctx: SKRSContext2D, text: string, theme: Theme, opts: { maxSize?: number; minSize?: number; maxLines?: number } = {}): number {
  const barW = 12;
  const textX = MX + barW + 28;
  const layout = fitText(cleanText(text, 400), {
    maxWidth: SLIDE_WIDTH - MX - textX,
    maxHeight: 2 * 76 * 1.15,
    maxSize: opts.maxSize ?? 76,
    minSize: opts.minSize ?? 54,
    lineHeight: 1.15,
    maxLines: opts.maxLines ?? 2,
    measureAt: (s) => measurer(ctx, s, 'bold'),
  });
  const h = drawLines(ctx, layout.blocks[0] ?? [], textX, TOP, layout.size, layout.lineHeight, 'bold', theme.accentText);
  ctx.fillStyle = theme.accentText;
  roundRect(ctx, MX, TOP + 4, barW, Math.max(h - 8, 40), 6);
  ctx.fill();
  return Math.max(h, 48);
}

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
  drawLines(ctx, hook.blocks[0] ?? [], MX, y, hook.size, hook.lineHeight, 'regular', theme.text);
}

function drawBullets(ctx: SKRSContext2D, bullets: string[], theme: Theme, box: { x: number; y: number; w: number; h: number }, marker: 'dot' | 'number'): void {
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
      measureAt: (s) => measurer(ctx, s),
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
    y += drawLines(ctx, lines, box.x + indent, y, size, lineHeight, 'regular', theme.text);
    y += size * 0.6;
  });
}

/** Loads a figure if it is a readable, reasonably sized JPEG or PNG; otherwise null (never throws). */
export async function loadFigure(path: string | null | undefined): Promise<Image | null> {
  if (!path) return null;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile() || stat.size === 0 || stat.size > MAX_FIGURE_BYTES) return null;
    const buf = await fs.readFile(path);
    const header = sniffImage(buf);
    if (!header || header.width <= 0 || header.height <= 0 || header.width * header.height > MAX_FIGURE_PIXELS) return null;
    const img = await loadImage(buf);
    return img.width > 0 && img.height > 0 ? img : null;
  } catch {
    return null;
  }
}

function drawFigure(ctx: SKRSContext2D, img: Image, theme: Theme, box: { x: number; y: number; w: number; h: number }): void {
  const pad = 24;
  const scale = Math.min((box.w - 2 * pad) / img.width, (box.h - 2 * pad) / img.height);
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  // The panel hugs the image so there is no big empty frame; white so line art with transparency stays visible.
  const pw = w + 2 * pad;
  const ph = h + 2 * pad;
  const px = box.x + Math.round((box.w - pw) / 2);
  const py = box.y + Math.round((box.h - ph) / 2);
  ctx.save();
  ctx.shadowColor = 'rgba(0,0,0,0.35)';
  ctx.shadowBlur = 24;
  ctx.fillStyle = '#ffffff';
  roundRect(ctx, px, py, pw, ph, 18);
  ctx.fill();
  ctx.restore();
  ctx.save();
  roundRect(ctx, px + pad, py + pad, w, h, 6);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(img, px + pad, py + pad, w, h);
  ctx.restore();
  ctx.strokeStyle = hexWithAlpha(theme.accentText, 0.5);
  ctx.lineWidth = 3;
  roundRect(ctx, px, py, pw, ph, 18);
  ctx.stroke();
}

async function drawSection(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'section' }>, theme: Theme): Promise<void> {
  const headingH = drawHeading(ctx, spec.heading, theme);
  const top = TOP + headingH + 56;
  const img = await loadFigure(spec.figure?.path);
  if (img) {
    const textW = Math.round(CONTENT_W * 0.56);
    const gap = 64;
    drawBullets(ctx, spec.bullets, theme, { x: MX, y: top, w: textW, h: CONTENT_BOTTOM - top }, 'dot');
    drawFigure(ctx, img, theme, { x: MX + textW + gap, y: top - 16, w: CONTENT_W - textW - gap, h: CONTENT_BOTTOM - top + 16 });
  } else {
    drawBullets(ctx, spec.bullets, theme, { x: MX, y: top, w: CONTENT_W, h: CONTENT_BOTTOM - top }, 'dot');
  }
}

function drawTakeaways(ctx: SKRSContext2D, spec: Extract<SlideSpec, { kind: 'takeaways' }>, theme: Theme): void {
  const headingH = drawHeading(ctx, 'Key takeaways', theme, { maxLines: 1 });
  const top = TOP + headingH + 56;
  drawBullets(ctx, spec.points, theme, { x: MX, y: top, w: CONTENT_W, h: CONTENT_BOTTOM - top }, 'number');
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
export async function drawSlide(spec: SlideSpec, frame: SlideFrame, into?: Canvas): Promise<Canvas> {
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
    case 'section':
      await drawSection(ctx, spec, frame.theme);
      break;
    case 'takeaways':
      drawTakeaways(ctx, spec, frame.theme);
      break;
    case 'credits':
      drawCredits(ctx, spec, frame.theme);
      break;
  }
  drawFooter(ctx, frame);
  return canvas;
}

/** A fresh 1920x1080 canvas for `drawSlide(..., into)`. */
export function createSlideCanvas(): Canvas {
  return createCanvas(SLIDE_WIDTH, SLIDE_HEIGHT);
}

/** A slide as PNG bytes (encoded off the main thread). */
export async function renderSlidePng(spec: SlideSpec, frame: SlideFrame): Promise<Buffer> {
  const canvas = await drawSlide(spec, frame);
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

/** Identifies a slide of a script: what `NarrationSegment` points at. */
export interface SlideRef {
  slide: SlideKind;
  index: number;
}

/** The slides of a script, in order: intro, one per section, takeaways, credits. */
export function slidesFromScript(script: Script, figures: Figure[] = []): Array<SlideSpec & { ref: SlideRef }> {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const slides: Array<SlideSpec & { ref: SlideRef }> = [];
  slides.push({ kind: 'intro', title: script.title, hook: script.hook, ref: { slide: 'intro', index: 0 } });
  script.sections.forEach((s, i) => {
    const fig = s.figureId ? byId.get(s.figureId) : undefined;
    slides.push({
      kind: 'section',
      index: i,
      heading: s.heading,
      bullets: s.bullets,
      figure: fig?.path ? { path: fig.path } : null,
      ref: { slide: 'section', index: i },
    });
  });
  slides.push({ kind: 'takeaways', points: script.keyTakeaways, ref: { slide: 'takeaways', index: 0 } });
  slides.push({ kind: 'credits', attribution: script.attribution, ref: { slide: 'credits', index: 0 } });
  return slides;
}
