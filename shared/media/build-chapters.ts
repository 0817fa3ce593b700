import type { NarrationSegment } from '../domain/generation.js';
import type { Script } from '../domain/script.js';
import { escapeVttText, formatVttTimestamp } from './build-captions.js';
import { cleanText } from './text-layout.js';

/** One chapter of a lesson: what a player lists in its chapter menu, and where it starts and ends (seconds). */
export interface Chapter {
  title: string;
  start: number;
  end: number;
}

/** Titles of the parts of a lesson around its sections. */
export const CHAPTER_TITLES = {
  intro: 'Introduction',
  takeaways: 'Key takeaways',
  check: 'Check yourself',
  credits: 'Sources',
} as const;

const MAX_TITLE_CHARS = 120;

/**
 * The lesson's chapters, from the narration's segment timings: the introduction (the hook), one
 * chapter per script section (its heading), the key takeaways, the check question and the credits.
 * A chapter starts where its first segment starts and ends where the next chapter starts; the first
 * starts at 0 and the last ends at `durationSeconds` (the video's length), so together they cover the
 * video with no gap or overlap. A part the narration has no segment for gets no chapter.
 */
export function buildChapters(script: Pick<Script, 'sections'>, segments: readonly NarrationSegment[], durationSeconds: number): Chapter[] {
  const starts: { key: string; title: string; start: number }[] = [];
  const seen = new Map<string, number>();
  for (const seg of segments) {
    const key = seg.slide === 'section' ? `section:${seg.index}` : seg.slide;
    const at = seen.get(key);
    if (at !== undefined) {
      starts[at].start = Math.min(starts[at].start, seg.start);
      continue;
    }
    const title = seg.slide === 'section' ? script.sections[seg.index]?.heading : CHAPTER_TITLES[seg.slide];
    if (!title) continue;
    seen.set(key, starts.length);
    starts.push({ key, title: cleanText(title, MAX_TITLE_CHARS), start: Math.max(0, seg.start) });
  }
  starts.sort((a, b) => a.start - b.start);
  const end = Math.max(durationSeconds, starts.at(-1)?.start ?? 0);
  return starts.map((c, i) => ({
    title: c.title,
    start: i === 0 ? 0 : c.start,
    end: i + 1 < starts.length ? starts[i + 1].start : end,
  }));
}

/** A WebVTT document of `kind="chapters"` cues: one cue per chapter, its title as the text. */
export function buildChaptersVtt(chapters: readonly Chapter[]): string {
  const parts = ['WEBVTT', ''];
  chapters.forEach((c, i) => {
    parts.push(`chapter-${i + 1}`);
    parts.push(`${formatVttTimestamp(c.start)} --> ${formatVttTimestamp(Math.max(c.end, c.start + 0.001))}`);
    parts.push(escapeVttText(c.title));
    parts.push('');
  });
  return parts.join('\n');
}
