import type { NarrationSegment } from '../domain/generation.js';

export const FPS = 30;

export type SlideKey = NarrationSegment['slide'];

export interface SlideId {
  slide: SlideKey;
  index: number;
  /** Beat within the section (takeaway number; 0 question / 1 answer of the check). */
  beat: number;
  /** Reveal phase within the screen (see reveal-plan.ts; default 0). */
  phase?: number;
}

export interface FramePlanEntry extends SlideId {
  /** First frame (0-based) showing this slide. */
  startFrame: number;
  /** Number of frames (>= 1; slides that would get none are left out of the plan). */
  frames: number;
}

export interface FramePlanOptions {
  fps?: number;
  /**
   * The slides that exist (in display order). Segments naming a slide that does not exist are
   * ignored; slides with no segment are not shown, except credits (see `creditsSeconds`).
   * Default: the slides named by the segments.
   */
  slides?: SlideId[];
  /**
   * When the segments have no credits span but a credits slide exists, the last
   * `min(creditsSeconds, 15% of the video)` is given to it, so attribution is always on screen.
   * 0 disables. Default 3.
   */
  creditsSeconds?: number;
  /** Slides shorter than this many frames are merged into their neighbour (default 2). */
  minFrames?: number;
}

export function totalFrames(durationSeconds: number, fps = FPS): number {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return 0;
  return Math.max(1, Math.round(durationSeconds * fps));
}

function sameSlide(a: SlideId, b: SlideId): boolean {
  return a.slide === b.slide && (a.slide !== 'section' || a.index === b.index) && a.beat === b.beat && (a.phase ?? 0) === (b.phase ?? 0);
}

/**
 * Turns narration segments into per-slide frame counts. Slide i starts at the frame nearest its
 * segment's start (`round(start * fps)`, kept monotonic), the first shown slide starts at frame 0,
 * the last ends at `round(duration * fps)`. Gaps between segments keep the previous slide on screen.
 * The frame counts always sum to `round(duration * fps)`.
 */
export function planFrames(segments: Array<NarrationSegment & { phase?: number }>, durationSeconds: number, opts: FramePlanOptions = {}): FramePlanEntry[] {
  const fps = opts.fps ?? FPS;
  const total = totalFrames(durationSeconds, fps);
  if (total === 0) return [];
  const minFrames = Math.max(1, opts.minFrames ?? 2);
  const slides = opts.slides;

  // Usable segments: finite times, naming an existing slide, first occurrence of each slide.
  const usable: Array<SlideId & { start: number }> = [];
  for (const seg of segments) {
    if (!Number.isFinite(seg.start) || !Number.isFinite(seg.end)) continue;
    const id: SlideId = { slide: seg.slide, index: seg.slide === 'section' ? seg.index : 0, beat: seg.beat ?? 0, phase: seg.phase ?? 0 };
    if (slides && !slides.some((s) => sameSlide(s, id))) continue;
    if (usable.some((u) => sameSlide(u, id))) continue;
    usable.push({ ...id, start: Math.max(0, seg.start) });
  }
  // Stable sort by start time.
  usable.sort((a, b) => a.start - b.start);

  let entries: FramePlanEntry[];
  if (usable.length === 0) {
    // No timing at all: share the duration equally between the slides.
    const list = slides ?? [];
    if (list.length === 0) return [];
    entries = list.map((s, i) => {
      const a = Math.round((total * i) / list.length);
      const b = Math.round((total * (i + 1)) / list.length);
      return { slide: s.slide, index: s.index, beat: s.beat, phase: s.phase ?? 0, startFrame: a, frames: b - a };
    });
  } else {
    const starts = usable.map((u, i) => (i === 0 ? 0 : Math.round(u.start * fps)));
    for (let i = 1; i < starts.length; i++) starts[i] = Math.min(total, Math.max(starts[i], starts[i - 1]));
    entries = usable.map((u, i) => ({
      slide: u.slide,
      index: u.index,
      beat: u.beat,
      phase: u.phase ?? 0,
      startFrame: starts[i],
      frames: (i + 1 < starts.length ? starts[i + 1] : total) - starts[i],
    }));
  }

  // Credits must be shown even when the narration has no span for them.
  const creditsSeconds = opts.creditsSeconds ?? 3;
  const creditsExists = slides ? slides.some((s) => s.slide === 'credits') : false;
  if (creditsSeconds > 0 && creditsExists && !entries.some((e) => e.slide === 'credits')) {
    let want = Math.min(Math.round(creditsSeconds * fps), Math.floor(total * 0.15));
    if (want >= minFrames) {
      // Take the frames from the end of the plan.
      let remaining = want;
      for (let i = entries.length - 1; i >= 0 && remaining > 0; i--) {
        const take = Math.min(entries[i].frames, remaining);
        entries[i].frames -= take;
        remaining -= take;
      }
      want -= remaining;
      entries.push({ slide: 'credits', index: 0, beat: 0, phase: 0, startFrame: total - want, frames: want });
    }
  }

  // Drop empty slides; merge too-short ones into the previous (or next) slide.
  entries = entries.filter((e) => e.frames > 0);
  for (let i = 0; i < entries.length && entries.length > 1; ) {
    if (entries[i].frames >= minFrames) {
      i++;
      continue;
    }
    if (i > 0) entries[i - 1].frames += entries[i].frames;
    else entries[i + 1].frames += entries[i].frames;
    entries.splice(i, 1);
  }
  let at = 0;
  for (const e of entries) {
    e.startFrame = at;
    at += e.frames;
  }
  return entries;
}

/** Frames per encoded unit clip: one second at 30 fps. */
export const UNIT_FRAMES = 30;

/**
 * How a hold of `frames` frames is assembled from clips that each start with an IDR frame:
 * whole units of `unit` frames plus the remainder. No clip is shorter than 2 frames (so two IDR
 * pictures never follow each other, which H.264 allows only with distinct idr_pic_id), unless the
 * hold itself is 1 frame. Every clip is at most `unit` frames, so all are prefixes of one encoded unit.
 */
export function planClips(frames: number, unit = UNIT_FRAMES): number[] {
  if (!Number.isInteger(frames) || frames <= 0) return [];
  if (unit < 4) throw new Error('unit must be at least 4 frames');
  if (frames <= unit) return [frames];
  const q = Math.floor(frames / unit);
  const r = frames % unit;
  if (r === 0) return Array(q).fill(unit);
  if (r >= 2) return [...Array(q).fill(unit), r];
  // r === 1: the last unit + 1 frame become two clips of ceil/floor((unit + 1) / 2).
  const a = Math.ceil((unit + 1) / 2);
  return [...Array(q - 1).fill(unit), a, unit + 1 - a];
}
