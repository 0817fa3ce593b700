import type { Cue } from '../domain/generation.js';
import { cleanText, graphemes } from './text-layout.js';

export interface VttOptions {
  /** Maximum characters per caption line (default 42). */
  maxLineChars?: number;
  /** Maximum lines per cue (default 2); longer cues are split in time. */
  maxLines?: number;
}

/** `HH:MM:SS.mmm` from seconds (negative and non-finite values become 0). */
export function formatVttTimestamp(seconds: number): string {
  const totalMs = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}.${p(ms, 3)}`;
}

/**
 * Escapes text for a WebVTT cue payload: `&`, `<`, `>` become entities, so no tag or timestamp
 * can be injected and `-->` cannot appear. Line breaks are the caller's (already removed here).
 */
export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function charCount(text: string): number {
  return graphemes(text).length;
}

/** Greedy wrap by character count; words longer than a line are cut. */
export function wrapCaption(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (charCount(candidate) <= maxChars) {
      cur = candidate;
      continue;
    }
    if (cur) lines.push(cur);
    cur = '';
    const g = graphemes(word);
    for (let i = 0; i < g.length; i += maxChars) {
      const piece = g.slice(i, i + maxChars).join('');
      if (i + maxChars < g.length) lines.push(piece);
      else cur = piece;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

export interface CaptionCue {
  start: number;
  end: number;
  /** Display lines (unescaped), at most `maxLines`, each at most `maxLineChars` characters. */
  lines: string[];
}

/**
 * Splits cues into caption-sized cues: text cleaned, wrapped to `maxLineChars`, and grouped
 * `maxLines` lines per cue; a long cue's time is shared out in proportion to characters.
 * Times are in seconds, rounded to milliseconds, and each output cue lasts at least 1 ms.
 */
export function splitCues(cues: Cue[], opts: VttOptions = {}): CaptionCue[] {
  const maxChars = Math.max(8, opts.maxLineChars ?? 42);
  const maxLines = Math.max(1, opts.maxLines ?? 2);
  const out: CaptionCue[] = [];
  for (const cue of cues) {
    if (!Number.isFinite(cue.start) || !Number.isFinite(cue.end)) continue;
    const text = cleanText(cue.text, 5000);
    if (!text) continue;
    const lines = wrapCaption(text, maxChars);
    const groups: string[][] = [];
    for (let i = 0; i < lines.length; i += maxLines) groups.push(lines.slice(i, i + maxLines));
    const startMs = Math.round(Math.max(0, cue.start) * 1000);
    const endMs = Math.max(startMs + groups.length, Math.round(Math.max(0, cue.end) * 1000));
    const weights = groups.map((g) => g.reduce((n, l) => n + charCount(l), 0));
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    let prev = startMs;
    groups.forEach((g, i) => {
      acc += weights[i];
      let end = i === groups.length - 1 ? endMs : Math.round(startMs + ((endMs - startMs) * acc) / total);
      // At least 1 ms per cue, and leave at least 1 ms for each later one.
      end = Math.max(end, prev + 1);
      end = Math.min(end, endMs - (groups.length - 1 - i));
      out.push({ start: prev / 1000, end: end / 1000, lines: g });
      prev = end;
    });
  }
  return out;
}

/** A complete WebVTT document for the cues. */
export function buildWebVtt(cues: Cue[], opts: VttOptions = {}): string {
  const parts = ['WEBVTT', ''];
  splitCues(cues, opts).forEach((c, i) => {
    parts.push(String(i + 1));
    parts.push(`${formatVttTimestamp(c.start)} --> ${formatVttTimestamp(c.end)}`);
    for (const line of c.lines) parts.push(escapeVttText(line));
    parts.push('');
  });
  return parts.join('\n');
}
