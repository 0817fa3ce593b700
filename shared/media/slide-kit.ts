import { promises as fs } from 'node:fs';
import { loadImage, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { font } from './fonts.js';

export { font } from './fonts.js';
import { sniffImage } from './image-probe.js';
import { cleanText, ellipsize, fitText, type Measure } from './text-layout.js';
import type { Theme } from './themes.js';

/** The shared parts of every screen: the layout grid, text and heading drawing, figures. */

export const SLIDE_WIDTH = 1920;
export const SLIDE_HEIGHT = 1080;

/** Smallest font size used for slide body text (readable on a phone at 1080p). */
export const MIN_BODY_PX = 44;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SlideFrame {
  theme: Theme;
  /** 1-based position among the screens shown, for the footer (omit both to hide it). */
  slideNumber?: number;
  slideCount?: number;
  /** Short footer note, e.g. the source attribution. Drawn as text. */
  footer?: string;
}

// Layout grid.
export const MX = 120;
export const CONTENT_W = SLIDE_WIDTH - 2 * MX;
export const TOP = 96;
export const CONTENT_BOTTOM = 948;
const FOOTER_TEXT_Y = 986;
const PROGRESS_H = 8;

/** Figures larger than this are not loaded (decode cost and memory). */
const MAX_FIGURE_BYTES = 25 * 1024 * 1024;
const MAX_FIGURE_PIXELS = 40_000_000;

// Setting ctx.font costs ~10 us (it is parsed every time): remember what each context has.
const currentFont = new WeakMap<SKRSContext2D, string>();

export function setFont(ctx: SKRSContext2D, f: string): void {
  if (currentFont.get(ctx) === f) return;
  ctx.font = f;
  currentFont.set(ctx, f);
}

export function measurer(ctx: SKRSContext2D, size: number, weight: 'regular' | 'bold' = 'regular'): Measure {
  const f = font(size, weight);
  return (text: string) => {
    setFont(ctx, f);
    return ctx.measureText(text).width;
  };
}

export function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

export function drawBackground(ctx: SKRSContext2D, theme: Theme): void {
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

export function hexWithAlpha(hex: string, alpha: number): string {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `#${full}${a}`;
}

export function drawFooter(ctx: SKRSContext2D, frame: SlideFrame): void {
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

export function drawLines(ctx: SKRSContext2D, lines: string[], x: number, y: number, size: number, lineHeight: number, weight: 'regular' | 'bold', color: string): number {
  setFont(ctx, font(size, weight));
  ctx.fillStyle = color;
  ctx.textBaseline = 'top';
  // Center the glyphs in each line box: the em box is `size` tall, the line box `size * lineHeight`.
  const pad = (size * lineHeight - size) / 2;
  lines.forEach((line, i) => ctx.fillText(line, x, y + pad + i * size * lineHeight));
  return lines.length * size * lineHeight;
}

/** Heading with an accent bar on its left; returns its height. */
export function drawHeading(ctx: SKRSContext2D, text: string, theme: Theme, opts: { maxSize?: number; minSize?: number; maxLines?: number } = {}): number {
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

/** Draws a figure on a white panel fitted to `box`; returns where the image itself is (without the panel). */
export function drawFigure(ctx: SKRSContext2D, img: Image, theme: Theme, box: { x: number; y: number; w: number; h: number }): Box {
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
  return { x: px + pad, y: py + pad, w, h };
}

