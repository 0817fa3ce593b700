import { createCanvas, type Image } from '@napi-rs/canvas';
import { cleanText, fitText } from '../text-layout.js';
import { drawLines, font, measurer, roundRect, setFont } from '../slide-kit.js';
import type { BeatDrawer } from './beat-screen.js';
import { drawPointList } from './point.js';

/** A typeset equation, large in a panel, its name above; the symbols being talked about in the accent colour. */
export const drawEquation: BeatDrawer<'equation'> = async (ctx, screen, kit, body) => {
  const { theme } = kit;
  const { beat } = screen;
  const reading = screen.read !== undefined;
  const request = { fontPx: 110, maxWidthPx: body.w - 160, maxHeightPx: body.h - 200 };
  let img = await kit.equation(beat.math, { ...request, highlight: reading ? undefined : beat.highlight });
  if (!img) {
    // Never a failed video: an equation that does not typeset is shown as its name or what is said.
    drawPointList(ctx, [beat.label ?? cleanText(beat.say, 120)], kit, body);
    return;
  }
  // While a system of equations is read, its rows appear one by one (in their final places); a
  // single equation is shown whole, then the symbols being talked about are highlighted (the
  // writer's, else those of its right-hand side: what the voice reaches last).
  // (a single equation's bands are its parts, a fraction's numerator first: built up, the row marker only for a system)
  const bands = reading ? inkBands(img, 8) : [];
  const system = isSystem(beat.math.format, beat.math.source);
  let focus = false;
  if (reading && bands.length <= 1 && screen.read! >= 1) {
    const symbols = beat.highlight?.length ? beat.highlight : rightHandSymbols(beat.math.format, beat.math.source);
    if (symbols.length) img = (await kit.equation(beat.math, { ...request, highlight: symbols })) ?? img;
    // the panel takes the accent outline too: recoloured glyphs alone are a small change to see
    focus = true;
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
  if (focus) {
    ctx.strokeStyle = theme.accentText;
    ctx.lineWidth = 8;
    roundRect(ctx, body.x + 4, panelY + 4, body.w - 8, panelH - 8, 28);
    ctx.stroke();
  }
  const x = body.x + (body.w - img.width) / 2;
  const top = panelY + (panelH - img.height) / 2;
  const rows = reading && (system || screen.read! < 1) ? bands : [];
  if (rows.length > 1) {
    // Rows read so far; in a system the one being read is in the accent colour, marked at its left.
    const shown = screen.read! >= 1 ? rows.length : Math.max(1, Math.ceil(screen.read! * rows.length - 1e-9));
    const cutAt = (k: number) => (k <= 0 ? 0 : k >= rows.length ? img.height : Math.round((rows[k - 1]!.end + rows[k]!.start) / 2));
    const from = system ? cutAt(shown - 1) : cutAt(shown);
    const to = cutAt(shown);
    if (from > 0) ctx.drawImage(img, 0, 0, img.width, from, x, top, img.width, from);
    if (to > from) {
      const row = createCanvas(img.width, to - from);
      const rc = row.getContext('2d');
      rc.drawImage(img, 0, from, img.width, to - from, 0, 0, img.width, to - from);
      rc.globalCompositeOperation = 'source-in';
      rc.fillStyle = theme.accentText;
      rc.fillRect(0, 0, img.width, to - from);
      ctx.drawImage(row, x, top + from);
      ctx.fillStyle = theme.accentText;
      roundRect(ctx, Math.max(body.x + 20, x - 44), top + rows[shown - 1]!.start, 12, rows[shown - 1]!.end - rows[shown - 1]!.start, 6);
      ctx.fill();
    }
  } else {
    ctx.drawImage(img, x, top);
  }
  setFont(ctx, font(44));
};

/**
 * Horizontal bands of ink of an equation image (rows of a system, separated by at least `minGap`
 * transparent pixel rows, each at least 45 % as tall as the tallest), top to bottom.
 */
export function inkBands(img: Image, minGap: number): Array<{ start: number; end: number }> {
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const data = g.getImageData(0, 0, img.width, img.height).data;
  const bands: Array<{ start: number; end: number }> = [];
  let gap = minGap;
  for (let y = 0; y < img.height; y++) {
    let ink = false;
    for (let x = 0, i = y * img.width * 4 + 3; x < img.width; x++, i += 4) {
      if (data[i]! > 24) {
        ink = true;
        break;
      }
    }
    if (ink) {
      if (gap >= minGap || bands.length === 0) bands.push({ start: y, end: y });
      else bands[bands.length - 1]!.end = y;
      gap = 0;
    } else gap++;
  }
  // A thin band is part of the row below it, not a row: an accent over a letter (a vector's arrow,
  // a hat, a bar) is separated from it by a few transparent pixels.
  const tallest = Math.max(0, ...bands.map((b) => b.end - b.start + 1));
  const rows: Array<{ start: number; end: number }> = [];
  let carry: number | null = null;
  for (const b of bands) {
    if (b.end - b.start + 1 < 0.45 * tallest) {
      carry ??= b.start;
      continue;
    }
    rows.push({ start: carry ?? b.start, end: b.end });
    carry = null;
  }
  if (carry !== null) {
    if (rows.length) rows[rows.length - 1]!.end = bands[bands.length - 1]!.end;
    else rows.push({ start: carry, end: bands[bands.length - 1]!.end });
  }
  return rows;
}

 /** Whether an equation is a system of rows (a MathML table of two rows or more, TeX with a row break). */
export function isSystem(format: 'tex' | 'mathml', source: string): boolean {
  if (format === 'tex') return /\\\\/.test(source);
  return (source.match(/<(?:[\w-]+:)?m(?:labeled)?tr[\s>]/g) ?? []).length >= 2;
}

/**
 * Identifiers after the first "=" of an equation (at most 3, in order): what a reading of it ends
 * on. MathML: the text of `<mi>` elements after the first `<mo>=</mo>`; TeX: single letters after
 * the first "=" that are not part of a command (each letter its own identifier, as TeX reads them).
 */
export function rightHandSymbols(format: 'tex' | 'mathml', source: string): string[] {
  const out: string[] = [];
  const add = (name: string): void => {
    if (name && !out.includes(name) && out.length < 3) out.push(name);
  };
  if (format === 'mathml') {
    const eq = source.search(/<(?:m:)?mo[^>]*>\s*=\s*<\/(?:m:)?mo>/);
    if (eq < 0) return [];
    for (const m of source.slice(eq).matchAll(/<(?:m:)?mi[^>]*>\s*([^<\s]{1,16})\s*<\/(?:m:)?mi>/g)) add(m[1]!);
    return out;
  }
  const eq = source.indexOf('=');
  if (eq < 0) return [];
  // TeX letters are identifiers one by one ("ma" is m times a); commands and \text{...} are not.
  const rhs = source.slice(eq + 1).replace(/\\(?:text|mathrm|operatorname)\{[^}]*\}/g, ' ').replace(/\\[a-zA-Z]+/g, ' ');
  for (const m of rhs.matchAll(/[a-zA-Z]/g)) add(m[0]);
  return out;
}
