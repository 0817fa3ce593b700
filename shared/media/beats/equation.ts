import { cleanText, fitText } from '../text-layout.js';
import { drawLines, font, measurer, roundRect, setFont } from '../slide-kit.js';
import type { BeatDrawer } from './beat-screen.js';
import { drawPointList } from './point.js';

/** A typeset equation, large in a panel, its name above; the symbols being talked about in the accent colour. */
export const drawEquation: BeatDrawer<'equation'> = async (ctx, screen, kit, body) => {
  const { theme } = kit;
  const { beat } = screen;
  const img = await kit.equation(beat.math, { fontPx: 110, maxWidthPx: body.w - 160, maxHeightPx: body.h - 200, highlight: beat.highlight });
  if (!img) {
    // Never a failed video: an equation that does not typeset is shown as its name or what is said.
    drawPointList(ctx, [beat.label ?? cleanText(beat.say, 120)], kit, body);
    return;
  }
  let y = body.y;
  if (beat.label) {
    const fit = fitText(cleanText(beat.label, 120).toUpperCase(), { maxWidth: body.w, maxHeight: 60, maxSize: 44, minSize: 36, lineHeight: 1.2, maxLines: 1, measureAt: (s) => measurer(ctx, s, 'bold') });
    y += drawLines(ctx, fit.blocks[0] ?? [], body.x, y, fit.size, fit.lineHeight, 'bold', theme.accentText) + 24;
  }
  const panelH = Math.min(body.y + body.h - y, img.height + 160);
  const panelY = y + Math.max(0, (body.y + body.h - y - panelH) / 2);
  ctx.fillStyle = theme.panel;
  roundRect(ctx, body.x, panelY, body.w, panelH, 32);
  ctx.fill();
  ctx.drawImage(img, body.x + (body.w - img.width) / 2, panelY + (panelH - img.height) / 2);
  setFont(ctx, font(44));
};
