import { cleanText, fitText, readLines } from '../text-layout.js';
import { drawLines, font, measurer, roundRect, setFont } from '../slide-kit.js';
import { drawInterestIcon } from '../draw-interest-icon.js';
import type { BeatDrawer } from './beat-screen.js';

/** The student's interest tied to the idea: an icon of the interest and the analogy in a sentence; under it, what is said. */
export const drawInterest: BeatDrawer<'interest'> = async (ctx, screen, kit, body) => {
  const { theme } = kit;
  const iconBox = 340;
  const gap = 72;
  const textW = body.w - iconBox - gap - 64;
  const fit = fitText(cleanText(screen.beat.text, 300), { maxWidth: textW, maxHeight: body.h - 160, maxSize: 68, minSize: 48, lineHeight: 1.3, maxLines: 5, measureAt: (s) => measurer(ctx, s, 'bold') });
  const h = Math.max(iconBox, fit.height + 100) + 96;
  // Under the card, the analogy as it is said, filling in as it is read (when there is room).
  const sayRoom = body.h - h - 48;
  const said = sayRoom >= 2 * 48 * 1.3 ? fitText(cleanText(screen.beat.say, 420), { maxWidth: body.w - 48, maxHeight: sayRoom, maxSize: 52, minSize: 44, lineHeight: 1.3, maxLines: 4, measureAt: (s) => measurer(ctx, s) }) : null;
  const saidH = said && said.blocks[0]?.length ? said.height + 48 : 0;
  const y0 = body.y + Math.max(0, (body.h - h - saidH) / 2);
  if (saidH && said) drawLines(ctx, readLines(said.blocks[0] ?? [], screen.read), body.x + 24, y0 + h + 48, said.size, said.lineHeight, 'regular', theme.text);
  ctx.fillStyle = theme.panel;
  roundRect(ctx, body.x, y0, body.w, h, 32);
  ctx.fill();
  const cx = body.x + 48 + iconBox / 2;
  const cy = y0 + h / 2;
  ctx.fillStyle = theme.background;
  ctx.beginPath();
  ctx.arc(cx, cy, iconBox / 2, 0, Math.PI * 2);
  ctx.fill();
  drawInterestIcon(ctx, screen.beat.icon, cx, cy, iconBox * 0.62, theme.text, theme.accentText);
  const tx = body.x + 48 + iconBox + gap;
  let y = y0 + (h - fit.height - 60) / 2;
  setFont(ctx, font(34, 'bold'));
  ctx.fillStyle = theme.accentText;
  ctx.textBaseline = 'top';
  ctx.fillText('IN YOUR WORLD', tx, y);
  y += 60;
  drawLines(ctx, fit.blocks[0] ?? [], tx, y, fit.size, fit.lineHeight, 'bold', theme.text);
};
