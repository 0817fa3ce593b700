import type { Image, SKRSContext2D } from '@napi-rs/canvas';
import type { Figure } from '../../domain/library.js';
import type { Beat, BeatKind, MathSource } from '../../domain/script.js';
import type { Box } from '../slide-kit.js';
import type { Theme } from '../themes.js';

/** One beat on screen: the section's heading stays, the beat decides the body. */
export interface BeatScreen<B extends Beat = Beat> {
  heading: string;
  /** Section number (0-based). */
  section: number;
  beat: B;
  /** The section's beats before this one (earlier points stay, dimmed). */
  earlier: Beat[];
  /** Share of the beat's text read so far, when its lines appear as they are read (absent: all shown). */
  read?: number;
}

export interface EquationRequest {
  fontPx: number;
  maxWidthPx: number;
  maxHeightPx: number;
  highlight?: string[];
  /** Glyph colour (default: the theme's text). */
  color?: string;
}

/** What a drawer may load: figures of the sources and typeset equations (both cached per render). */
export interface DrawKit {
  theme: Theme;
  figure(id: string): Promise<{ image: Image; figure: Figure } | null>;
  /** The equation as an image, or null when it does not typeset (the drawer then shows text). */
  equation(math: MathSource, req: EquationRequest): Promise<Image | null>;
  /** Told where a figure was drawn, so the encoder can zoom into it slowly (render sets it per screen). */
  onFigureDrawn?: (figure: { image: Image; x: number; y: number; w: number; h: number }) => void;
}

/** Draws a beat's body into `body` (below the heading, above the footer). */
export type BeatDrawer<K extends BeatKind> = (ctx: SKRSContext2D, screen: BeatScreen<Extract<Beat, { kind: K }>>, kit: DrawKit, body: Box) => Promise<void>;
