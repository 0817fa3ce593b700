import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

const require = createRequire(import.meta.url);

/** Family names registered with the canvas (distinct aliases so weight selection is deterministic). */
export const FONT_REGULAR = 'VividlyInter';
export const FONT_BOLD = 'VividlyInterBold';

let registered = false;

/** Registers the Inter TTFs shipped by `@expo-google-fonts/inter` once per process. */
export function ensureFonts(): void {
  if (registered) return;
  const regular = require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf');
  const bold = require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf');
  const a = GlobalFonts.registerFromPath(regular, FONT_REGULAR);
  const b = GlobalFonts.registerFromPath(bold, FONT_BOLD);
  if (!a || !b) throw new Error('could not register the Inter fonts');
  registered = true;
}

/** CSS font shorthand for the canvas. */
export function font(size: number, weight: 'regular' | 'bold' = 'regular'): string {
  return `${Math.round(size)}px ${weight === 'bold' ? FONT_BOLD : FONT_REGULAR}`;
}
