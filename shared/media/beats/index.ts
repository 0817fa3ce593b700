import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Beat, BeatKind } from '../../domain/script.js';
import type { Box } from '../slide-kit.js';
import type { BeatDrawer, BeatScreen, DrawKit } from './beat-screen.js';
import { drawEquation } from './equation.js';
import { drawExample } from './example.js';
import { drawFigureBeat } from './figure.js';
import { drawInterest } from './interest.js';
import { drawPoint } from './point.js';
import { drawTerm } from './term.js';

/** One drawer per beat kind: a new visual is a new file and one line here (a missing kind does not compile). */
const BEAT_DRAWERS: { [K in BeatKind]: BeatDrawer<K> } = {
  point: drawPoint,
  term: drawTerm,
  equation: drawEquation,
  figure: drawFigureBeat,
  example: drawExample,
  interest: drawInterest,
};

export async function drawBeat(ctx: SKRSContext2D, screen: BeatScreen, kit: DrawKit, body: Box): Promise<void> {
  const drawer = BEAT_DRAWERS[screen.beat.kind] as BeatDrawer<Beat['kind']>;
  await drawer(ctx, screen as BeatScreen<never>, kit, body);
}

export type { BeatScreen, DrawKit } from './beat-screen.js';
