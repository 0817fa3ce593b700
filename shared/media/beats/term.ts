import type { SKRSContext2D } from '@napi-rs/canvas';
import { cleanText, fitText, readLines } from '../text-layout.js';
import { drawLines, font, measurer, MIN_BODY_PX, roundRect, setFont, type Box } from '../slide-kit.js';
import type { BeatDrawer, DrawKit } from './beat-screen.js';

/**
 * A key-term card: a kicker, the term large in the accent colour, its definition below; `scale`
 * shrinks it for a side panel. `read` (the share of the definition said so far) fills the definition
 * in as the voice reads it, in its final place.
 */
export function drawTermCard(ctx: SKRSContext2D, term: string, definition: string, kit: DrawKit, box: Box, scale = 1, read?: number): void {
  const { theme } = kit;
  const pad = Math.round(64 * scale);
  const innerW = box.w - 2 * pad;
  const termFit = fitText(cleanText(term, 120), { maxWidth: innerW, maxHeight: 2 * 104 * scale * 1.1, maxSize: Math.round(104 * scale), minSize: Math.round(64 * scale), lineHeight: 1.1, maxLines: 2, measureAt: (s) => measurer(ctx, s, 'bold') });
  const defFit = fitText(cleanText(definition, 300), { maxWidth: innerW, maxHeight: 4 * 58 * 1.3, maxSize: Math.round(58 * Math.max(scale, 0.8)), minSize: MIN_BODY_PX, lineHeight: 1.3, maxLines: 4, measureAt: (s) => measurer(ctx, s) });
  const kicker = 34;
  const h = pad + kicker + 28 + termFit.height + 36 + defFit.height + pad;
  const y0 = box.y + Math.max(0, (box.h - h) / 2);
  ctx.fillStyle = theme.panel;
  roundRect(ctx, box.x, y0, box.w, Math.min(h, box.h), 28);
  ctx.fill();
  ctx.fillStyle = theme.accent;
  roundRect(ctx, box.x, y0, 14, Math.min(h, box.h), 7);
  ctx.fill();
  let y = y0 + pad;
  setFont(ctx, font(kicker, 'bold'));
  ctx.fillStyle = theme.mutedText;
  ctx.textBaseline = 'top';
  ctx.fillText('KEY TERM', box.x + pad, y);
  y += kicker + 28;
  y += drawLines(ctx, termFit.blocks[0] ?? [], box.x + pad, y, termFit.size, termFit.lineHeight, 'bold', theme.accentText);
  y += 36;
  drawLines(ctx, readLines(defFit.blocks[0] ?? [], read), box.x + pad, y, defFit.size, defFit.lineHeight, 'regular', theme.text);
}

/** Whether a term beat says its card's definition (then the card fills in as it is read). */
export function saysDefinition(say: string, definition: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const d = norm(definition);
  return d.length >= 12 && norm(say).includes(d);
}

export const drawTerm: BeatDrawer<'term'> = async (ctx, screen, kit, body) => {
  const w = Math.min(body.w, 1400);
  drawTermCard(ctx, screen.beat.term, screen.beat.definition, kit, { x: body.x + (body.w - w) / 2, y: body.y, w, h: body.h }, 1, screen.read);
};
