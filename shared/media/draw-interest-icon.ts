import type { SKRSContext2D } from '@napi-rs/canvas';
import type { InterestFamily } from '../domain/script.js';

/**
 * Draws one icon in a box of side `s` centred on the origin (ctx is already translated there),
 * in `color` with `accent` for a detail. Shapes stay within 46% of `s` from the centre so that
 * antialiased edges and line caps never leave the box. Called between save() and restore().
 */
type IconPainter = (ctx: SKRSContext2D, s: number, color: string, accent: string) => void;

/** Stroke style shared by the line details (seams, steam, veins). */
function pen(ctx: SKRSContext2D, style: string, width: number): void {
  ctx.strokeStyle = style;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

function fillEllipse(ctx: SKRSContext2D, x: number, y: number, rx: number, ry: number, rotation = 0): void {
  ctx.beginPath();
  ctx.ellipse(x, y, rx, ry, rotation, 0, Math.PI * 2);
  ctx.fill();
}

function fillCircle(ctx: SKRSContext2D, x: number, y: number, r: number): void {
  fillEllipse(ctx, x, y, r, r);
}

function fillRoundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number | number[]): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

/** A four-pointed sparkle star. */
function fillSparkle(ctx: SKRSContext2D, x: number, y: number, r: number): void {
  const w = r * 0.28;
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.quadraticCurveTo(x + w, y - w, x + r, y);
  ctx.quadraticCurveTo(x + w, y + w, x, y + r);
  ctx.quadraticCurveTo(x - w, y + w, x - r, y);
  ctx.quadraticCurveTo(x - w, y - w, x, y - r);
  ctx.closePath();
  ctx.fill();
}

// Each painter works in hundredths of the box: u(40) is 40% of the side.
const ICONS: Record<InterestFamily, IconPainter> = {
  // A basketball: a disc with a cross seam and two side arcs.
  sports(ctx, s, color, accent) {
    const u = s / 100;
    const r = 44 * u;
    ctx.fillStyle = color;
    fillCircle(ctx, 0, 0, r);
    ctx.save();
    ctx.beginPath();
    ctx.arc(0, 0, r, 0, Math.PI * 2);
    ctx.clip();
    pen(ctx, accent, 5.5 * u);
    ctx.beginPath();
    ctx.moveTo(0, -r);
    ctx.lineTo(0, r);
    ctx.moveTo(-r, 0);
    ctx.lineTo(r, 0);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(-62 * u, 0, 42 * u, -Math.PI / 2, Math.PI / 2);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(62 * u, 0, 42 * u, Math.PI / 2, (Math.PI * 3) / 2);
    ctx.stroke();
    ctx.restore();
  },

  // Two eighth notes joined by a beam.
  music(ctx, s, color, accent) {
    const u = s / 100;
    const tilt = -0.35;
    const heads = [
      { x: -24 * u, y: 30 * u },
      { x: 22 * u, y: 22 * u },
    ];
    const rx = 15 * u;
    const ry = 11 * u;
    const stem = 7 * u;
    const bh = 13 * u;
    // Stems rise from the right edge of each head; the beam's top edge runs from (xl, yl) to (xr, yr).
    const xl = heads[0].x + 13.5 * u - stem;
    const xr = heads[1].x + 13.5 * u;
    const yl = -34 * u;
    const yr = -42 * u;
    const beamTop = (x: number) => yl + ((yr - yl) * (x - xl)) / (xr - xl);
    ctx.fillStyle = color;
    for (const h of heads) {
      fillEllipse(ctx, h.x, h.y, rx, ry, tilt);
      const sx = h.x + 13.5 * u - stem;
      const top = Math.min(beamTop(sx), beamTop(sx + stem)) + bh / 2;
      ctx.fillRect(sx, top, stem, h.y - top);
    }
    ctx.fillStyle = accent;
    ctx.beginPath();
    ctx.moveTo(xl, yl);
    ctx.lineTo(xr, yr);
    ctx.lineTo(xr, yr + bh);
    ctx.lineTo(xl, yl + bh);
    ctx.closePath();
    ctx.fill();
  },

  // A game pad: body with two grips, a d-pad on the left and four buttons on the right.
  games(ctx, s, color, accent) {
    const u = s / 100;
    ctx.fillStyle = color;
    fillRoundRect(ctx, -46 * u, -26 * u, 92 * u, 44 * u, 22 * u);
    fillCircle(ctx, -28 * u, 16 * u, 18 * u);
    fillCircle(ctx, 28 * u, 16 * u, 18 * u);
    ctx.fillStyle = accent;
    const dx = -24 * u;
    const dy = -4 * u;
    const arm = 13 * u;
    const t = 7 * u;
    fillRoundRect(ctx, dx - arm, dy - t / 2, 2 * arm, t, 1.5 * u);
    fillRoundRect(ctx, dx - t / 2, dy - arm, t, 2 * arm, 1.5 * u);
    const bx = 24 * u;
    const by = -4 * u;
    const d = 8.5 * u;
    const br = 4.8 * u;
    fillCircle(ctx, bx, by - d, br);
    fillCircle(ctx, bx, by + d, br);
    fillCircle(ctx, bx - d, by, br);
    fillCircle(ctx, bx + d, by, br);
  },

  // A cooking pot with a lid and three wisps of steam.
  cooking(ctx, s, color, accent) {
    const u = s / 100;
    ctx.fillStyle = color;
    // Handles, rim and body.
    fillRoundRect(ctx, -46 * u, 4 * u, 14 * u, 9 * u, 4 * u);
    fillRoundRect(ctx, 32 * u, 4 * u, 14 * u, 9 * u, 4 * u);
    fillRoundRect(ctx, -40 * u, -6 * u, 80 * u, 9 * u, 4 * u);
    fillRoundRect(ctx, -35 * u, 5 * u, 70 * u, 40 * u, [2 * u, 2 * u, 14 * u, 14 * u]);
    // Lid knob.
    fillRoundRect(ctx, -8 * u, -13 * u, 16 * u, 9 * u, 3 * u);
    // Steam.
    pen(ctx, accent, 5.5 * u);
    for (const x of [-20, 0, 20]) {
      const x0 = x * u;
      ctx.beginPath();
      ctx.moveTo(x0, -20 * u);
      ctx.bezierCurveTo(x0 - 9 * u, -27 * u, x0 + 9 * u, -35 * u, x0, -43 * u);
      ctx.stroke();
    }
  },

  // A painter's palette with a thumb hole and paint dots.
  art(ctx, s, color, accent) {
    const u = s / 100;
    ctx.fillStyle = color;
    ctx.beginPath();
    // Kidney outline: a big round body with a notch bitten out at the lower right.
    ctx.moveTo(14 * u, 40 * u);
    ctx.bezierCurveTo(-14 * u, 46 * u, -46 * u, 32 * u, -46 * u, 0);
    ctx.bezierCurveTo(-46 * u, -30 * u, -18 * u, -44 * u, 8 * u, -42 * u);
    ctx.bezierCurveTo(34 * u, -40 * u, 48 * u, -22 * u, 44 * u, -4 * u);
    ctx.bezierCurveTo(41 * u, 10 * u, 24 * u, 6 * u, 20 * u, 14 * u);
    ctx.bezierCurveTo(16 * u, 22 * u, 30 * u, 36 * u, 14 * u, 40 * u);
    ctx.closePath();
    // Thumb hole (even-odd leaves it open).
    ctx.moveTo(4 * u, 22 * u);
    ctx.arc(-3 * u, 22 * u, 7 * u, 0, Math.PI * 2);
    ctx.fill('evenodd');
    ctx.fillStyle = accent;
    fillCircle(ctx, -28 * u, 2 * u, 8 * u);
    fillCircle(ctx, -20 * u, -22 * u, 8 * u);
    fillCircle(ctx, 4 * u, -28 * u, 8 * u);
    fillCircle(ctx, 26 * u, -18 * u, 8 * u);
  },

  // A paw print: a main pad and four toes (one colour: a detail on it reads as noise).
  animals(ctx, s, color) {
    const u = s / 100;
    ctx.fillStyle = color;
    // Main pad: a rounded, slightly triangular shape.
    ctx.beginPath();
    ctx.moveTo(0, -2 * u);
    ctx.bezierCurveTo(16 * u, -2 * u, 30 * u, 18 * u, 28 * u, 32 * u);
    ctx.bezierCurveTo(26 * u, 46 * u, 10 * u, 40 * u, 0, 40 * u);
    ctx.bezierCurveTo(-10 * u, 40 * u, -26 * u, 46 * u, -28 * u, 32 * u);
    ctx.bezierCurveTo(-30 * u, 18 * u, -16 * u, -2 * u, 0, -2 * u);
    ctx.closePath();
    ctx.fill();
    fillEllipse(ctx, -36 * u, -6 * u, 9.5 * u, 12.5 * u, -0.45);
    fillEllipse(ctx, -14 * u, -30 * u, 10 * u, 13.5 * u, -0.15);
    fillEllipse(ctx, 14 * u, -30 * u, 10 * u, 13.5 * u, 0.15);
    fillEllipse(ctx, 36 * u, -6 * u, 9.5 * u, 12.5 * u, 0.45);
  },

  // A planet with a tilted ring, and a sparkle star.
  space(ctx, s, color, accent) {
    const u = s / 100;
    const px = -4 * u;
    const py = 6 * u;
    const rot = -0.38;
    const ringRx = 45 * u;
    const ringRy = 12 * u;
    pen(ctx, accent, 6 * u);
    ctx.lineCap = 'butt';
    // Back half of the ring, then the planet, then the front half.
    ctx.beginPath();
    ctx.ellipse(px, py, ringRx, ringRy, rot, Math.PI, Math.PI * 2);
    ctx.stroke();
    ctx.fillStyle = color;
    fillCircle(ctx, px, py, 25 * u);
    ctx.beginPath();
    ctx.ellipse(px, py, ringRx, ringRy, rot, 0, Math.PI);
    ctx.stroke();
    ctx.fillStyle = accent;
    fillSparkle(ctx, 32 * u, -32 * u, 13 * u);
    fillCircle(ctx, -34 * u, -34 * u, 3.5 * u);
  },

  // A car seen from the side: body, cabin with windows, two wheels.
  vehicles(ctx, s, color, accent) {
    const u = s / 100;
    ctx.fillStyle = color;
    // Cabin.
    ctx.beginPath();
    ctx.moveTo(-30 * u, -4 * u);
    ctx.lineTo(-18 * u, -28 * u);
    ctx.quadraticCurveTo(-16 * u, -31 * u, -12 * u, -31 * u);
    ctx.lineTo(14 * u, -31 * u);
    ctx.quadraticCurveTo(18 * u, -31 * u, 20 * u, -28 * u);
    ctx.lineTo(34 * u, -4 * u);
    ctx.closePath();
    ctx.fill();
    // Body.
    fillRoundRect(ctx, -46 * u, -8 * u, 92 * u, 28 * u, [6 * u, 12 * u, 6 * u, 6 * u]);
    // Windows.
    ctx.fillStyle = accent;
    ctx.beginPath();
    ctx.moveTo(-22 * u, -7 * u);
    ctx.lineTo(-14 * u, -24 * u);
    ctx.lineTo(-1 * u, -24 * u);
    ctx.lineTo(-1 * u, -7 * u);
    ctx.closePath();
    ctx.moveTo(4 * u, -7 * u);
    ctx.lineTo(4 * u, -24 * u);
    ctx.lineTo(15 * u, -24 * u);
    ctx.lineTo(25 * u, -7 * u);
    ctx.closePath();
    ctx.fill();
    // Wheels with hubs.
    for (const x of [-24 * u, 24 * u]) {
      ctx.fillStyle = color;
      fillCircle(ctx, x, 26 * u, 14 * u);
      ctx.fillStyle = accent;
      fillCircle(ctx, x, 26 * u, 5.5 * u);
    }
  },

  // Three toy blocks stacked in a pyramid, each with an inset face.
  building(ctx, s, color, accent) {
    const u = s / 100;
    const side = 40 * u;
    const gap = 4 * u;
    const blocks = [
      { x: -side - gap / 2, y: 46 * u - side, fill: color, face: accent },
      { x: gap / 2, y: 46 * u - side, fill: color, face: accent },
      { x: -side / 2, y: 46 * u - 2 * side - gap, fill: accent, face: color },
    ];
    for (const b of blocks) {
      ctx.fillStyle = b.fill;
      fillRoundRect(ctx, b.x, b.y, side, side, 5 * u);
      pen(ctx, b.face, 4.5 * u);
      ctx.beginPath();
      ctx.roundRect(b.x + 9 * u, b.y + 9 * u, side - 18 * u, side - 18 * u, 3 * u);
      ctx.stroke();
    }
  },

  // A leaf with a central vein, side veins and a short stem.
  nature(ctx, s, color, accent) {
    const u = s / 100;
    const base = { x: -30 * u, y: 30 * u };
    const tip = { x: 40 * u, y: -40 * u };
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(base.x, base.y);
    ctx.bezierCurveTo(-52 * u, -10 * u, -10 * u, -44 * u, tip.x, tip.y);
    ctx.bezierCurveTo(44 * u, 10 * u, 10 * u, 52 * u, base.x, base.y);
    ctx.closePath();
    ctx.fill();
    // Stem.
    pen(ctx, color, 6 * u);
    ctx.beginPath();
    ctx.moveTo(base.x + 4 * u, base.y - 4 * u);
    ctx.lineTo(-42 * u, 42 * u);
    ctx.stroke();
    // Veins.
    pen(ctx, accent, 4.5 * u);
    ctx.beginPath();
    ctx.moveTo(base.x, base.y);
    ctx.quadraticCurveTo(2 * u, -2 * u, 32 * u, -32 * u);
    ctx.stroke();
    pen(ctx, accent, 3.5 * u);
    ctx.beginPath();
    for (const t of [-14, 0, 14]) {
      const x = t * u;
      const y = -t * u;
      ctx.moveTo(x, y);
      ctx.lineTo(x - 6 * u, y - 16 * u);
      ctx.moveTo(x, y);
      ctx.lineTo(x + 16 * u, y + 6 * u);
    }
    ctx.stroke();
  },

  // A light bulb: glass, filament and a screw base.
  general(ctx, s, color, accent) {
    const u = s / 100;
    ctx.fillStyle = color;
    // Glass: round top narrowing to a neck.
    ctx.beginPath();
    ctx.arc(0, -14 * u, 30 * u, Math.PI * 0.78, Math.PI * 2.22);
    ctx.quadraticCurveTo(16 * u, 12 * u, 14 * u, 20 * u);
    ctx.lineTo(-14 * u, 20 * u);
    ctx.quadraticCurveTo(-16 * u, 12 * u, -23.4 * u, 4.8 * u);
    ctx.closePath();
    ctx.fill();
    // Screw base.
    ctx.fillStyle = accent;
    fillRoundRect(ctx, -15 * u, 23 * u, 30 * u, 6 * u, 3 * u);
    fillRoundRect(ctx, -15 * u, 31 * u, 30 * u, 6 * u, 3 * u);
    fillRoundRect(ctx, -8 * u, 39 * u, 16 * u, 6 * u, 3 * u);
    // Filament.
    pen(ctx, accent, 4 * u);
    ctx.beginPath();
    ctx.moveTo(-7 * u, 18 * u);
    ctx.lineTo(-7 * u, 0);
    ctx.lineTo(-3.5 * u, -8 * u);
    ctx.lineTo(0, 0);
    ctx.lineTo(3.5 * u, -8 * u);
    ctx.lineTo(7 * u, 0);
    ctx.lineTo(7 * u, 18 * u);
    ctx.stroke();
  },
};

/**
 * Draws a simple, recognisable flat vector icon for the family, centred at (cx, cy), fitting a
 * size x size box, in `color` with `accent` for a detail. Leaves ctx state (fill, stroke,
 * lineWidth, transform) as it found it.
 */
export function drawInterestIcon(
  ctx: SKRSContext2D,
  family: InterestFamily,
  cx: number,
  cy: number,
  size: number,
  color: string,
  accent: string,
): void {
  const paint = ICONS[family] ?? ICONS.general;
  if (!(size > 0) || !Number.isFinite(size)) return;
  ctx.save();
  try {
    ctx.translate(cx, cy);
    ctx.globalCompositeOperation = 'source-over';
    paint(ctx, size, color, accent);
  } finally {
    ctx.restore();
  }
}
