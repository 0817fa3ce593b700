import type { SKRSContext2D } from '@napi-rs/canvas';
import { EXAMPLE_TEXT_MAX, type Beat } from '../../domain/script.js';
import { splitSentences } from '../../text/sentences.js';
import { cleanText, ellipsize, fitText, readLines } from '../text-layout.js';
import { drawLines, font, measurer, MIN_BODY_PX, roundRect, setFont, type Box } from '../slide-kit.js';
import type { BeatDrawer, DrawKit } from './beat-screen.js';

type ExampleBeat = Extract<Beat, { kind: 'example' }>;

/** Height a step takes: its text and, when it has one, its equation. */
async function drawStep(ctx: SKRSContext2D, step: ExampleBeat, kit: DrawKit, box: Box, current: boolean, draw: boolean, read?: number): Promise<number> {
  const { theme } = kit;
  const size = current ? 52 : MIN_BODY_PX;
  // The step being said shows all it says (up to 7 lines, filling in as it is read); an earlier one, dimmed, its first sentence.
  const text = current ? cleanText(step.text, EXAMPLE_TEXT_MAX) : cleanText(splitSentences(step.text)[0] ?? step.text, 200);
  const maxLines = current ? 7 : 2;
  const fit = fitText(text, { maxWidth: box.w - 80, maxHeight: Math.min(maxLines * size * 1.25, Math.max(2 * MIN_BODY_PX * 1.25, box.h - (step.math ? 64 : 0))), maxSize: size, minSize: MIN_BODY_PX, lineHeight: 1.25, maxLines, measureAt: (s) => measurer(ctx, s, current ? 'bold' : 'regular') });
  let h = fit.height;
  // The equation fits in what is left of the box under the text (never into the row below the body).
  const room = Math.max(48, Math.min(current ? 220 : 120, box.h - h - 16));
  const img = step.math ? await kit.equation(step.math, { fontPx: current ? 80 : 56, maxWidthPx: box.w - 80, maxHeightPx: room, color: current ? theme.text : theme.mutedText }) : null;
  if (draw) {
    ctx.fillStyle = current ? theme.accentText : theme.mutedText;
    setFont(ctx, font(40, 'bold'));
    ctx.textBaseline = 'top';
    ctx.fillText(String(step.step), box.x, box.y + 6);
    // While the step is read, its lines appear as they are read and its equation comes last.
    const lines = fit.blocks[0] ?? [];
    const shown = readLines(lines, read);
    drawLines(ctx, shown, box.x + 80, box.y, fit.size, fit.lineHeight, current ? 'bold' : 'regular', current ? theme.text : theme.mutedText);
  }
  if (img) {
    if (draw && (read === undefined || read >= 1)) ctx.drawImage(img, box.x + 80, box.y + h + 16);
    h += img.height + 16;
  }
  return h;
}

/** A worked example: the problem stays on top; steps appear one per beat, earlier ones dimmed. */
export const drawExample: BeatDrawer<'example'> = async (ctx, screen, kit, body) => {
  const { theme } = kit;
  const { beat } = screen;
  const same = [...screen.earlier, beat].filter((b): b is ExampleBeat => b.kind === 'example' && b.title === beat.title);
  const problem = same.find((b) => b.step === 0);
  const steps = same.filter((b) => b.step > 0);
  let y = body.y;
  setFont(ctx, font(36, 'bold'));
  ctx.fillStyle = theme.accentText;
  ctx.textBaseline = 'top';
  ctx.fillText(ellipsize(cleanText(beat.title, 80).toUpperCase(), body.w, measurer(ctx, 36, 'bold')), body.x, y);
  y += 64;
  if (problem) {
    const stating = beat.step === 0;
    const size = stating ? 56 : MIN_BODY_PX;
    const fit = fitText(cleanText(problem.text, 400), { maxWidth: body.w - 96, maxHeight: (stating ? 5 : 2) * size * 1.3, maxSize: size, minSize: MIN_BODY_PX, lineHeight: 1.3, maxLines: stating ? 5 : 2, measureAt: (s) => measurer(ctx, s) });
    const img = stating && problem.math ? await kit.equation(problem.math, { fontPx: 80, maxWidthPx: body.w - 96, maxHeightPx: 240 }) : null;
    const h = fit.height + 72 + (img ? img.height + 24 : 0);
    ctx.fillStyle = theme.panel;
    roundRect(ctx, body.x, y, body.w, h, 24);
    ctx.fill();
    // While the problem is stated, it fills in as it is read (its equation last).
    const read = stating ? screen.read : undefined;
    drawLines(ctx, readLines(fit.blocks[0] ?? [], read), body.x + 48, y + 36, fit.size, fit.lineHeight, 'regular', stating ? theme.text : theme.mutedText);
    if (img && (read === undefined || read >= 1)) ctx.drawImage(img, body.x + 48, y + 36 + fit.height + 24);
    y += h + 40;
  }
  // Show the latest steps that fit, newest last.
  const box = { x: body.x, y, w: body.w, h: body.y + body.h - y };
  const shown: ExampleBeat[] = [];
  let used = 0;
  for (let i = steps.length - 1; i >= 0; i--) {
    const h = await drawStep(ctx, steps[i]!, kit, box, i === steps.length - 1, false);
    if (used + h > box.h && shown.length > 0) break;
    shown.unshift(steps[i]!);
    used += h + 32;
  }
  for (const [i, s] of shown.entries()) {
    const current = i === shown.length - 1 && beat.step > 0;
    const h = (await drawStep(ctx, s, kit, box, current, true, current ? screen.read : undefined)) + 32;
    box.y += h;
    box.h -= h;
  }
};
