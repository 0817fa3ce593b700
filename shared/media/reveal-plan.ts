/**
 * Reveals within a screen: what changes on a screen while its narration runs, so the picture keeps
 * pace with the voice and is never held still for long.
 *
 * A screen covers one narration segment (a beat, a takeaway, the hook ...), from its start to the
 * next segment's start. Its sentences are the narration's cues (one per utterance, with times).
 * A screen whose `screenText` is null (a figure, which moves by itself) gets no key phrases.
 * A screen is split into phases:
 * - where its first line is a heading the voice reads first (the title of the lesson, a section's
 *   heading, "Key takeaways.", "Check yourself."), the body appears when the next sentence starts;
 *   the hook's sentences appear one by one;
 * - a screen whose text is what the voice reads (a takeaway, the check question, a worked example's
 *   step) shows its lines as they are read;
 * - the check question's think pause shows that it is time to think;
 * - any stretch still longer than `maxHoldSeconds` gets a key phrase of what is being said, shown
 *   as it is spoken (time estimated within its sentence by character position): numbers, names,
 *   and the longest runs of content words not already on the screen.
 *
 * Pure: times in, phases out. Render draws each phase as its own screen.
 */
import type { Cue, NarrationSegment } from '../domain/generation.js';
import { CHIP_MAX_CHARS, keyPhrases } from '../text/key-phrases.js';

export { CHIP_MAX_CHARS, keyPhrases } from '../text/key-phrases.js';

/** How long a screen may stay unchanged before a key phrase is revealed (seconds). */
export const MAX_HOLD_SECONDS = 6.5;
/** A change never lands closer than this to another one (seconds). */
const MIN_GAP_SECONDS = 2;
/** At most this many key phrases per screen. */
const MAX_CHIPS = 5;
/** A screen that is read (a takeaway, a question, an example step, a system of equations) fills in in at most this many parts. */
const MAX_READ_PARTS = 6;
/** Where in a long body a building screen shows its second part (share of the body's time). */
const BUILD_AT = 0.4;
/** Key phrases on screen at once (the oldest leaves when a new one comes). */
export const CHIPS_SHOWN = 3;

export interface Reveal {
  /** Sentences of the segment that have started (the heading counts): 1 = only the first line so far. */
  lines: number;
  /** Whether the first line is a heading read before the body (the body waits for the next line). */
  headed: boolean;
  /** Key phrases shown so far (the last is the newest). */
  chips: string[];
  /** Whether the screen gets key phrases in any phase (keeps the layout still between phases). */
  chipRow: boolean;
  /** The check question's think pause has begun. */
  thinking: boolean;
  /**
   * Of a screen whose text is what the voice reads (a takeaway, the check question): the share of
   * it read so far, its lines appearing as they are read (absent: all shown).
   */
  read?: number;
}

export interface PhasedSegment extends NarrationSegment {
  phase: number;
  reveal: Reveal;
}

/** Segments whose first line the voice reads as a heading before the body. */
function headedSegment(seg: NarrationSegment, cuesInSegment: number): boolean {
  if (cuesInSegment < 2) return false;
  return seg.slide === 'intro' || (seg.slide === 'section' && seg.beat === 0) || (seg.slide === 'takeaways' && seg.beat === 0) || (seg.slide === 'check' && seg.beat === 0);
}

/**
 * Phases of every segment. `screenText(segment)` is what the segment's screen already shows (so a
 * key phrase never repeats it). Segments keep their order; each gets phase 0 at its own start.
 */
export function planReveals(
  segments: NarrationSegment[],
  cues: Cue[],
  durationSeconds: number,
  screenText: (seg: NarrationSegment) => string | null,
  opts: { maxHold?: number; keyTerms?: readonly string[]; reads?: (seg: NarrationSegment) => boolean; builds?: (seg: NarrationSegment) => boolean } = {},
): PhasedSegment[] {
  const maxHold = opts.maxHold ?? MAX_HOLD_SECONDS;
  const ordered = segments.filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end)).sort((a, b) => a.start - b.start);
  const out: PhasedSegment[] = [];
  ordered.forEach((seg, i) => {
    const spanEnd = Math.min(durationSeconds, ordered[i + 1]?.start ?? durationSeconds);
    const own = cues.filter((c) => c.start >= seg.start - 0.05 && c.start < spanEnd - 0.05).sort((a, b) => a.start - b.start);
    const headed = headedSegment(seg, own.length);
    // Changes: [time, kind]
    const changes: { t: number; lines?: number; chip?: string; thinking?: boolean; read?: number }[] = [];
    if (headed) {
      own.slice(1).forEach((c, k) => {
        // intro: every hook sentence; others: the body's first sentence
        if (seg.slide === 'intro' || k === 0) changes.push({ t: c.start, lines: k + 2 });
      });
    }
    if (seg.slide === 'check' && seg.beat === 0 && own.length) {
      const lastEnd = own[own.length - 1]!.end;
      if (spanEnd - lastEnd >= 1) changes.push({ t: lastEnd + 0.15, thinking: true });
    }
    // A screen that shows what is read (a takeaway, the check question): its lines appear as they are read.
    const reading = seg.slide === 'takeaways' || seg.slide === 'check' || (opts.reads?.(seg) ?? false);
    let initialRead: number | undefined;
    if (reading) {
      const body = own.slice(headed ? 1 : 0);
      const start = body[0]?.start ?? seg.start;
      const end = body.at(-1)?.end ?? start;
      const parts = Math.min(MAX_READ_PARTS, Math.ceil((end - start) / maxHold));
      if (body.length && parts >= 2) {
        initialRead = 1 / parts;
        if (headed) changes.push({ t: start, read: 1 / parts });
        for (let k = 1; k < parts; k++) changes.push({ t: start + ((end - start) * k) / parts, read: (k + 1) / parts });
      }
    }
    // A screen that builds (a key-term card whose definition is not what is said): its second part
    // comes part way through a long body, as a teacher writes the term, then what it means.
    if (!reading && !initialRead && (opts.builds?.(seg) ?? false)) {
      const body = own.slice(headed ? 1 : 0);
      const start = body[0]?.start ?? seg.start;
      const end = body.at(-1)?.end ?? start;
      if (end - start > maxHold) {
        initialRead = 0;
        changes.push({ t: start + (end - start) * BUILD_AT, read: 1 });
      }
    }
    const times = (): number[] => [seg.start, ...changes.map((c) => c.t)].sort((a, b) => a - b);
    // Key phrases where a stretch is still too long.
    const used = new Set<string>();
    const text = seg.slide === 'intro' || seg.slide === 'credits' || seg.slide === 'takeaways' || seg.slide === 'check' ? null : screenText(seg);
    let chips = 0;
    for (let guard = 0; text !== null && guard < 8 && chips < MAX_CHIPS; guard++) {
      const ts = times();
      const bounds = [...ts, spanEnd];
      let gap = -1;
      for (let k = 0; k + 1 < bounds.length; k++) if (bounds[k + 1]! - bounds[k]! > maxHold && (gap < 0 || bounds[k + 1]! - bounds[k]! > bounds[gap + 1]! - bounds[gap]!)) gap = k;
      if (gap < 0) break;
      const from = bounds[gap]!;
      const to = bounds[gap + 1]!;
      const mid = (from + to) / 2;
      let best = null as { text: string; t: number; score: number } | null;
      // At least MIN_GAP_SECONDS from the changes around it; a strong phrase may come as close as half that.
      for (const c of own) {
        if (c.end <= from || c.start >= to) continue;
        for (const cand of keyPhrases(c.text, text, opts.keyTerms)) {
          const key = cand.text.toLowerCase();
          if (used.has(key)) continue;
          const t = c.start + (c.end - c.start) * Math.min(1, cand.offset / Math.max(1, c.text.length));
          if (t < from + MIN_GAP_SECONDS / 2 || t > to - MIN_GAP_SECONDS / 2) continue;
          const close = t < from + MIN_GAP_SECONDS || t > to - MIN_GAP_SECONDS;
          // Prefer a strong phrase near the middle of the stretch.
          const score = cand.score - Math.abs(t - mid) * 1.5 - (close ? 4 : 0);
          if (!best || score > best.score) best = { text: cand.text, t, score };
        }
      }
      if (!best) break;
      used.add(best.text.toLowerCase());
      changes.push({ t: best.t, chip: best.text });
      chips++;
    }
    changes.sort((a, b) => a.t - b.t);
    const chipRow = changes.some((c) => c.chip);
    let reveal: Reveal = { lines: headed ? 1 : Math.max(1, own.length), headed, chips: [], chipRow, thinking: false, ...(initialRead !== undefined ? { read: initialRead } : {}) };
    out.push({ ...seg, phase: 0, reveal });
    changes.forEach((c, k) => {
      reveal = {
        ...reveal,
        lines: c.lines ?? reveal.lines,
        chips: c.chip ? [...reveal.chips, c.chip].slice(-CHIPS_SHOWN) : reveal.chips,
        thinking: reveal.thinking || c.thinking === true,
        ...(c.read !== undefined ? { read: c.read } : {}),
      };
      out.push({ ...seg, start: c.t, phase: k + 1, reveal });
    });
  });
  return out;
}
