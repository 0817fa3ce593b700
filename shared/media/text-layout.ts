/**
 * Text clean-up and layout for slides. Pure: measuring is injected (`Measure`), so the wrapping
 * and fitting rules are testable without a canvas.
 */

/** Width in pixels of `text` at the current font. */
export type Measure = (text: string) => number;

export const ELLIPSIS = '\u2026';

/** Upper bound on characters kept from any one untrusted string before layout (layout cost). */
export const MAX_TEXT_CHARS = 2000;

// C0/C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates, BOM.
// Removing bidi controls stops text from being visually reordered ("Trojan Source" style).
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufff9-\ufffb]/g;

/**
 * Untrusted text made drawable: NFC, control and bidi-control characters replaced by spaces,
 * whitespace collapsed, trimmed, and capped at `maxChars` characters (with an ellipsis).
 * The result is only ever drawn as glyphs; nothing in it is interpreted.
 */
export function cleanText(input: unknown, maxChars = MAX_TEXT_CHARS): string {
  let s = typeof input === 'string' ? input : input == null ? '' : String(input);
  if (s.length > maxChars * 4) s = s.slice(0, maxChars * 4);
  s = s.normalize('NFC').replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  const chars = graphemes(s);
  if (chars.length > maxChars) s = chars.slice(0, maxChars - 1).join('').trimEnd() + ELLIPSIS;
  return s;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters (so an emoji or accented letter is never split). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Longest grapheme prefix of `g` (at least one grapheme) whose width fits `maxWidth`: binary search. */
function fittingPrefix(g: string[], maxWidth: number, measure: Measure): number {
  let lo = 1;
  let hi = g.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(g.slice(0, mid).join('')) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Splits a word that is wider than `maxWidth` into pieces that fit (at least one grapheme each). */
function breakWord(word: string, maxWidth: number, measure: Measure): string[] {
  const out: string[] = [];
  let g = graphemes(word);
  while (g.length > 0) {
    const n = measure(g.join('')) <= maxWidth ? g.length : fittingPrefix(g, maxWidth, measure);
    out.push(g.slice(0, n).join(''));
    g = g.slice(n);
  }
  return out;
}

/** Exact greedy wrap: measures every candidate line (slow for long text; used as a fallback). */
function wrapExact(words: string[], maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of words) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      cur = candidate;
      continue;
    }
    if (cur) lines.push(cur);
    cur = '';
    if (measure(word) <= maxWidth) {
      cur = word;
    } else {
      const pieces = breakWord(word, maxWidth, measure);
      lines.push(...pieces.slice(0, -1));
      cur = pieces[pieces.length - 1] ?? '';
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * Greedy word wrap; words wider than the line are broken between graphemes. Line widths are
 * summed from cached word widths (shaping a long string costs ~150 us, a word ~10 us); each
 * finished line is then measured exactly and re-wrapped exactly in the rare case kerning made
 * the sum too small.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  const words = text.split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const cache = new Map<string, number>();
  const widthOf = (w: string) => {
    let v = cache.get(w);
    if (v === undefined) {
      v = measure(w);
      cache.set(w, v);
    }
    return v;
  };
  const space = measure(' ');
  const groups: string[][] = [];
  let cur: string[] = [];
  let curW = 0;
  for (const word of words) {
    const w = widthOf(word);
    if (cur.length > 0 && curW + space + w <= maxWidth) {
      cur.push(word);
      curW += space + w;
      continue;
    }
    if (cur.length > 0) groups.push(cur);
    if (w <= maxWidth) {
      cur = [word];
      curW = w;
    } else {
      const pieces = breakWord(word, maxWidth, measure);
      for (const p of pieces.slice(0, -1)) groups.push([p]);
      const last = pieces[pieces.length - 1] ?? '';
      cur = [last];
      curW = widthOf(last);
    }
  }
  if (cur.length > 0) groups.push(cur);
  const lines: string[] = [];
  for (const g of groups) {
    const line = g.join(' ');
    if (g.length === 1 || measure(line) <= maxWidth) lines.push(line);
    else lines.push(...wrapExact(g, maxWidth, measure));
  }
  return lines;
}

/** `text` shortened (at a word boundary when it can) until `text + …` fits in `maxWidth`. */
export function ellipsize(text: string, maxWidth: number, measure: Measure): string {
  if (measure(text) <= maxWidth) return text;
  const g = graphemes(text);
  let lo = 0;
  let hi = g.length;
  // Longest prefix such that prefix + ellipsis fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(g.slice(0, mid).join('').trimEnd() + ELLIPSIS) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  let prefix = g.slice(0, lo).join('');
  const lastSpace = prefix.lastIndexOf(' ');
  if (lastSpace > prefix.length * 0.6) prefix = prefix.slice(0, lastSpace);
  return prefix.trimEnd() + ELLIPSIS;
}

/** `line` marked as cut: `line…` if that fits, else a shorter prefix plus the ellipsis. */
export function forceEllipsis(line: string, maxWidth: number, measure: Measure): string {
  const marked = line.trimEnd() + ELLIPSIS;
  return measure(marked) <= maxWidth ? marked : ellipsize(marked, maxWidth, measure);
}

/** Wraps to at most `maxLines`; the last kept line gets an ellipsis when text was dropped. */
export function wrapClamped(text: string, maxWidth: number, maxLines: number, measure: Measure): { lines: string[]; truncated: boolean } {
  const lines = wrapText(text, maxWidth, measure);
  if (lines.length <= maxLines) return { lines, truncated: false };
  if (maxLines <= 0) return { lines: [], truncated: true };
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = forceEllipsis(kept[maxLines - 1], maxWidth, measure);
  return { lines: kept, truncated: true };
}

export interface BlockLayout {
  /** Font size in px chosen for all blocks. */
  size: number;
  lineHeight: number;
  /** Lines of each block (same order as the input; a block may be dropped only if nothing fits). */
  blocks: string[][];
  /** Total height in px. */
  height: number;
  truncated: boolean;
}

export interface FitBlocksOptions {
  maxWidth: number;
  maxHeight: number;
  maxSize: number;
  minSize: number;
  /** Line height as a multiple of the font size. */
  lineHeight?: number;
  /** Space between blocks as a multiple of the font size. */
  gap?: number;
  /** Lines allowed per block before shrinking further (default unlimited). */
  maxLinesPerBlock?: number;
  /** A measurer for a font size. */
  measureAt: (size: number) => Measure;
}

function heightOf(lineCounts: number[], size: number, lh: number, gap: number): number {
  const lines = lineCounts.reduce((a, b) => a + b, 0);
  const blocks = lineCounts.filter((n) => n > 0).length;
  return lines * size * lh + Math.max(0, blocks - 1) * size * gap;
}

/**
 * Lays out paragraphs (bullets) in a box: the largest font size in [minSize, maxSize] (step 2 px)
 * at which everything fits; if nothing fits at minSize, lines are shared out (every block keeps
 * at least one line while room remains) and cut blocks end with an ellipsis. Never overflows.
 */
export function fitBlocks(texts: string[], opts: FitBlocksOptions): BlockLayout {
  const lh = opts.lineHeight ?? 1.25;
  const gap = opts.gap ?? 0.5;
  const perBlock = opts.maxLinesPerBlock ?? Number.POSITIVE_INFINITY;
  const sizes: number[] = [];
  for (let s = Math.floor(opts.maxSize); s >= opts.minSize; s -= 2) sizes.push(s);
  if (sizes[sizes.length - 1] !== opts.minSize) sizes.push(opts.minSize);

  for (const size of sizes) {
    const measure = opts.measureAt(size);
    const wrapped = texts.map((t) => wrapText(t, opts.maxWidth, measure));
    if (wrapped.some((l) => l.length > perBlock)) continue;
    const h = heightOf(wrapped.map((l) => l.length), size, lh, gap);
    if (h <= opts.maxHeight) return { size, lineHeight: lh, blocks: wrapped, height: h, truncated: false };
  }

  // Nothing fits at minSize: share the available lines out.
  const size = opts.minSize;
  const measure = opts.measureAt(size);
  const wrapped = texts.map((t) => wrapText(t, opts.maxWidth, measure));
  const counts = wrapped.map(() => 0);
  const want = wrapped.map((l) => Math.min(l.length, perBlock));
  const fits = (c: number[]): boolean => heightOf(c, size, lh, gap) <= opts.maxHeight;
  // First pass: one line each, in order, while it fits.
  for (let i = 0; i < counts.length; i++) {
    const next = counts.slice();
    next[i] = 1;
    if (want[i] > 0 && fits(next)) counts[i] = 1;
    else break;
  }
  // Then more lines, round-robin, while room remains.
  let grew = true;
  while (grew) {
    grew = false;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0 || counts[i] >= want[i]) continue;
      const next = counts.slice();
      next[i] += 1;
      if (fits(next)) {
        counts[i] = next[i];
        grew = true;
      }
    }
  }
  const blocks = wrapped.map((lines, i) => {
    const n = counts[i];
    if (n === 0) return [];
    if (n >= lines.length) return lines;
    const kept = lines.slice(0, n);
    kept[n - 1] = forceEllipsis(kept[n - 1], opts.maxWidth, measure);
    return kept;
  });
  return { size, lineHeight: lh, blocks, height: heightOf(counts, size, lh, gap), truncated: true };
}

/** One piece of text on at most `maxLines` lines: the largest size that fits, else clamped with an ellipsis. */
export function fitText(text: string, opts: Omit<FitBlocksOptions, 'maxLinesPerBlock'> & { maxLines: number }): BlockLayout {
  return fitBlocks([text], { ...opts, maxLinesPerBlock: opts.maxLines });
}

/**
 * What a reading share shows of a laid-out block (all when no share): its words up to that share, in
 * their final places, so the text fills in as it is read and nothing moves.
 */
export function readLines(lines: string[], read: number | undefined): string[] {
  if (read === undefined || read >= 1) return lines;
  if (read <= 0) return [];
  const total = lines.reduce((n, l) => n + l.split(' ').filter(Boolean).length, 0);
  let left = Math.max(1, Math.ceil(read * total - 1e-9));
  const out: string[] = [];
  for (const line of lines) {
    if (left <= 0) break;
    const words = line.split(' ').filter(Boolean);
    out.push(words.slice(0, left).join(' '));
    left -= words.length;
  }
  return out;
}
