import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Beat } from '../../domain/script.js';
import { cleanText, fitBlocks } from '../text-layout.js';
import { drawFigure, drawLines, font, MIN_BODY_PX, measurer, setFont, type Box } from '../slide-kit.js';
import type { BeatDrawer, DrawKit } from './beat-screen.js';
import { drawTermCard } from './term.js';

/** Kinds that stay beside the section's points once shown. */
type Companion = Extract<Beat, { kind: 'equation' | 'figure' | 'term' }>;

function latestCompanion(earlier: Beat[]): Companion | null {
  for (let i = earlier.length - 1; i >= 0; i--) {
    const b = earlier[i]!;
    if (b.kind === 'equation' || b.kind === 'figure' || b.kind === 'term') return b;
  }
  return null;
}

/** Points of a section as a list: the newest in full colour with an accent mark, earlier ones dimmed. */
export function drawPointList(ctx: SKRSContext2D, points: string[], kit: DrawKit, box: Box): void {
  const { theme } = kit;
  const indent = 56;
  const layout = fitBlocks(
    points.map((p) => cleanText(p, 300)),
    { maxWidth: box.w - indent, maxHeight: box.h, maxSize: points.length <= 2 ? 76 : 64, minSize: MIN_BODY_PX, lineHeight: 1.28, gap: 0.7, measureAt: (s) => measurer(ctx, s, 'bold') },
  );
  const { size, lineHeight } = layout;
  let y = box.y + Math.max(0, (box.h - layout.height) / 2);
  layout.blocks.forEach((lines, i) => {
    if (lines.length === 0) return;
    const current = i === layout.blocks.length - 1;
    const cy = y + (size * lineHeight) / 2;
    ctx.fillStyle = current ? theme.accentText : theme.mutedText;
    ctx.beginPath();
    ctx.arc(box.x + 14, cy, current ? 12 : 8, 0, Math.PI * 2);
    ctx.fill();
    y += drawLines(ctx, lines, box.x + indent, y, size, lineHeight, current ? 'bold' : 'regular', current ? theme.text : theme.mutedText);
    y += size * 0.7;
  });
}

export const drawPoint: BeatDrawer<'point'> = async (ctx, screen, kit, body) => {
  // Only the points since the last non-point beat: the list restarts after an equation or figure.
  const points: string[] = [];
  for (let i = screen.earlier.length - 1; i >= 0; i--) {
    const b = screen.earlier[i]!;
    if (b.kind !== 'point') break;
    points.unshift(b.text);
  }
  points.push(screen.beat.text);
  const companion = latestCompanion(screen.earlier);
  if (!companion) {
    drawPointList(ctx, points.slice(-5), kit, body);
    return;
  }
  const gap = 64;
  const listW = Math.round(body.w * 0.54);
  drawPointList(ctx, points.slice(-4), kit, { x: body.x, y: body.y, w: listW, h: body.h });
  const side: Box = { x: body.x + listW + gap, y: body.y, w: body.w - listW - gap, h: body.h };
  if (companion.kind === 'figure') {
    const fig = await kit.figure(companion.figureId);
    if (fig) drawFigure(ctx, fig.image, kit.theme, side);
  } else if (companion.kind === 'equation') {
    const img = await kit.equation(companion.math, { fontPx: 64, maxWidthPx: side.w - 48, maxHeightPx: side.h * 0.6 });
    if (img) {
      ctx.fillStyle = kit.theme.panel;
      const ph = img.height + 96;
      const py = side.y + (side.h - ph) / 2;
      ctx.beginPath();
      ctx.roundRect(side.x, py, side.w, ph, 24);
      ctx.fill();
      ctx.drawImage(img, side.x + (side.w - img.width) / 2, py + 48);
    }
  } else {
    drawTermCard(ctx, companion.term, companion.definition, kit, side, 0.7);
  }
  setFont(ctx, font(MIN_BODY_PX));
};
