import { SUBJECTS, type Subject } from '../domain/library.js';

/**
 * A slide theme. `background` and `accent` are the palette of the reference notes; the other
 * colours are companions chosen so that text stays readable on the background:
 * - `text` / `mutedText`: body text and footers (contrast >= 7:1 and >= 4.5:1),
 * - `accentText`: headings drawn in the accent hue (contrast >= 4.5:1). Where the palette accent
 *   itself is too dark or too weak on the background (chemistry, math), this is a lighter tint of
 *   the same hue; the palette accent is still used for bars, bullet marks and the progress bar.
 */
export interface Theme {
  name: Subject | 'default';
  /** Human label shown in the footer. */
  label: string;
  background: string;
  /** Top-left to bottom-right background gradient (starts at `background`). */
  gradient: readonly [string, string];
  accent: string;
  accentText: string;
  text: string;
  mutedText: string;
  /** Fill of panels (figure frame, takeaway cards): a little lighter than the background. */
  panel: string;
}

const THEME_TABLE: Record<Subject | 'default', Theme> = {
  physics: {
    name: 'physics',
    label: 'Physics',
    background: '#1a1a2e',
    gradient: ['#1a1a2e', '#16213e'],
    accent: '#00d4ff',
    accentText: '#00d4ff',
    text: '#f4f6fb',
    mutedText: '#a9b3c9',
    panel: '#24244a',
  },
  math: {
    name: 'math',
    label: 'Math',
    background: '#2c3e50',
    gradient: ['#2c3e50', '#22313f'],
    accent: '#e74c3c',
    // #e74c3c on #2c3e50 is only ~2.6:1: a light coral of the same hue for headings.
    accentText: '#ff9d91',
    text: '#f7f9fa',
    mutedText: '#b9c6d2',
    panel: '#34495e',
  },
  chemistry: {
    name: 'chemistry',
    label: 'Chemistry',
    background: '#16213e',
    gradient: ['#16213e', '#0f1a33'],
    accent: '#0f3460',
    // #0f3460 on #16213e is ~1.3:1 (invisible as text): a light "science blue" companion.
    accentText: '#6fb7ff',
    text: '#f2f5fb',
    mutedText: '#a7b4cc',
    panel: '#0f3460',
  },
  biology: {
    name: 'biology',
    label: 'Biology',
    background: '#12261c',
    gradient: ['#12261c', '#0c1d15'],
    accent: '#2ecc71',
    accentText: '#5ee39a',
    text: '#f1f8f3',
    mutedText: '#a8c2b2',
    panel: '#1b3a2a',
  },
  history: {
    name: 'history',
    label: 'History',
    background: '#2b2118',
    gradient: ['#2b2118', '#1f1812'],
    accent: '#d4a24c',
    accentText: '#e8bd6a',
    text: '#faf5ec',
    mutedText: '#c9b9a1',
    panel: '#3b2e22',
  },
  literature: {
    name: 'literature',
    label: 'Literature',
    background: '#2a1b35',
    gradient: ['#2a1b35', '#1f1428'],
    accent: '#b57edc',
    accentText: '#d3a9f2',
    text: '#f8f3fb',
    mutedText: '#c3b3cf',
    panel: '#3a2749',
  },
  default: {
    name: 'default',
    label: 'Vividly',
    background: '#1e1e1e',
    gradient: ['#1e1e1e', '#161616'],
    accent: '#4CAF50',
    accentText: '#4CAF50',
    text: '#f5f5f5',
    mutedText: '#b3b3b3',
    panel: '#2a2a2a',
  },
};

export const THEMES: Readonly<Record<Subject | 'default', Theme>> = THEME_TABLE;

/** The theme of a subject; unknown subjects (and the empty string) get the default theme. */
export function themeFor(subject: string | null | undefined): Theme {
  const key = String(subject ?? '').trim().toLowerCase();
  if ((SUBJECTS as readonly string[]).includes(key)) return THEME_TABLE[key as Subject];
  if (key === 'mathematics' || key === 'maths') return THEME_TABLE.math;
  return THEME_TABLE.default;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Parses `#rgb` or `#rrggbb`. */
export function parseHex(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a hex colour: ${hex}`);
  let h = m[1];
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** WCAG relative luminance. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio (1..21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
