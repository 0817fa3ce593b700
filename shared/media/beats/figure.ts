import { cleanText, fitText } from '../text-layout.js';
import { drawFigure, drawLines, measurer } from '../slide-kit.js';
import type { BeatDrawer } from './beat-screen.js';
import { drawPointList } from './point.js';

/** A figure of the sources, as large as the screen allows, its caption under it. (The slow zoom is applied by the encoder.) */
export const drawFigureBeat: BeatDrawer<'figure'> = async (ctx, screen, kit, body) => {
  const { theme } = kit;
  const fig = await kit.figure(screen.beat.figureId);
  const caption = fitText(cleanText(screen.beat.caption, 400), { maxWidth: body.w, maxHeight: 2 * 44 * 1.25, maxSize: 44, minSize: 40, lineHeight: 1.25, maxLines: 2, measureAt: (s) => measurer(ctx, s) });
  if (!fig) {
    drawPointList(ctx, [screen.beat.caption.slice(0, 120)], kit, body);
    return;
  }
  const captionH = caption.height + 20;
  const at = drawFigure(ctx, fig.image, theme, { x: body.x, y: body.y - 24, w: body.w, h: body.h - captionH + 24 });
  kit.onFigureDrawn?.({ image: fig.image, ...at });
  drawLines(ctx, caption.blocks[0] ?? [], body.x, body.y + body.h - caption.height, caption.size, caption.lineHeight, 'regular', theme.mutedText);
};
