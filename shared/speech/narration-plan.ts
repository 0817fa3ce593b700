import type { Attribution, Script } from '../domain/script.js';
import type { NarrationSegment } from '../domain/generation.js';
import { splitSentences } from '../text/sentences.js';
import { sanitizeXmlText } from './xml-text.js';

/**
 * The spoken structure of a script, shared by the per-utterance narrator (`narrateScript`) and the
 * whole-document SSML builder (`buildScriptSsml`), so that both speak the same sentences, in the
 * same order, with the same pauses.
 */

/** How a line is spoken (see `PART_STYLE` in build-ssml.ts). */
export type SpeechPart = 'title' | 'hook' | 'heading' | 'body' | 'takeaway' | 'credits';

/**
 * Pauses of the reference notes (800 ms after the hook, ~700 ms between sections, 500 ms after a
 * title) plus a short gap between sentences. `end` is the tail after the last word.
 */
export const PAUSES_MS = {
  sentence: 250,
  afterTitle: 500,
  afterHook: 800,
  betweenSections: 700,
  /** Between two beats of a section: a little longer than between sentences, so the new screen lands. */
  betweenBeats: 400,
  /** After the check-yourself question: time to think before the answer. */
  thinkTime: 2000,
  end: 500,
} as const;

export interface PlannedUtterance {
  /** Plain text (XML-illegal characters removed, not escaped). One cue. */
  text: string;
  part: SpeechPart;
  /** Silence after this utterance, inside the same segment. */
  pauseAfterMs: number;
}

export interface PlannedSegment {
  slide: NarrationSegment['slide'];
  index: number;
  /** Beat of the section, takeaway number, or 0/1 for the check question and its answer. */
  beat: number;
  /** `<mark name>` at the start of this segment in the full SSML document. */
  mark: string;
  utterances: PlannedUtterance[];
}

export const KEY_TAKEAWAYS_LINE = 'Key takeaways.';
export const CHECK_YOURSELF_LINE = 'Check yourself.';

/** Whether a sentence has anything a voice can say (letters or digits). */
function speakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Spoken form of a licence string: "CC BY 4.0" -> "Creative Commons Attribution 4.0". */
export function spokenLicense(license: string): string {
  const m = license.trim().match(/^CC[\s-]+(BY(?:[\s-]+(?:NC|SA|ND))*)[\s-]*(\d+(?:\.\d+)?)?(?:\s+\w+)?$/i);
  if (!m) return license.trim();
  const names: Record<string, string> = { BY: 'Attribution', NC: 'NonCommercial', SA: 'ShareAlike', ND: 'NoDerivatives' };
  const parts = m[1]!.toUpperCase().split(/[\s-]+/).map((p) => names[p] ?? p);
  return `Creative Commons ${parts.join('-')}${m[2] ? ` ${m[2]}` : ''}`;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

/**
 * The spoken attribution: "This lesson draws on <book> by <publisher>, licensed under Creative
 * Commons Attribution 4.0." Several books are joined; identical books are named once.
 */
export function creditsSentence(attribution: Attribution[]): string {
  const seen = new Set<string>();
  const works: Attribution[] = [];
  for (const a of attribution) {
    const key = `${a.book.trim().toLowerCase()}|${a.publisher.trim().toLowerCase()}`;
    if (!seen.has(key)) {
      seen.add(key);
      works.push(a);
    }
  }
  const byLine = (a: Attribution): string => (a.publisher.trim() ? `${a.book.trim()} by ${a.publisher.trim()}` : a.book.trim());
  const licenses = new Set(works.map((a) => spokenLicense(a.license)));
  if (licenses.size === 1) {
    return `This lesson draws on ${joinList(works.map(byLine))}, licensed under ${[...licenses][0]}.`;
  }
  return `This lesson draws on ${joinList(works.map((a) => `${byLine(a)} (licensed under ${spokenLicense(a.license)})`))}.`;
}

/** Sentences of a field, cleaned; unspeakable fragments (only punctuation or symbols) dropped. */
function sentencesOf(text: string): string[] {
  return splitSentences(sanitizeXmlText(text)).filter(speakable);
}

/** One line that must stay one utterance (a title, a heading), cleaned. */
function lineOf(text: string): string[] {
  const t = sanitizeXmlText(text).replace(/\s+/g, ' ').trim();
  return t && speakable(t) ? [t] : [];
}

/**
 * Order: intro (title + hook) -> each beat of each section (the section's heading is spoken at the
 * start of its first beat) -> each takeaway ("Key takeaways." before the first) -> the check
 * question ("Check yourself." before it, then a pause to think) -> its answer -> credits. Every beat
 * is its own segment, so the screen changes when the beat's first sentence starts. The pause after
 * the last utterance of a segment is the gap to the next segment (it belongs to the segment before it).
 */
export function planNarration(script: Script): PlannedSegment[] {
  const segments: PlannedSegment[] = [];
  type Line = { text: string; part: SpeechPart; pauseAfterMs?: number };
  const add = (slide: PlannedSegment['slide'], index: number, beat: number, mark: string, lines: Line[], endPauseMs: number): void => {
    const utterances = lines.map((l) => ({ text: l.text, part: l.part, pauseAfterMs: l.pauseAfterMs ?? PAUSES_MS.sentence }));
    if (utterances.length) utterances[utterances.length - 1]!.pauseAfterMs = endPauseMs;
    segments.push({ slide, index, beat, mark, utterances });
  };

  add(
    'intro',
    0,
    0,
    'intro',
    [
      ...lineOf(script.title).map((text) => ({ text, part: 'title' as const, pauseAfterMs: PAUSES_MS.afterTitle })),
      ...sentencesOf(script.hook).map((text) => ({ text, part: 'hook' as const })),
    ],
    PAUSES_MS.afterHook,
  );

  script.sections.forEach((section, i) => {
    section.beats.forEach((beat, b) => {
      const heading = b === 0 ? lineOf(section.heading).map((text) => ({ text, part: 'heading' as const, pauseAfterMs: PAUSES_MS.afterTitle })) : [];
      const last = b === section.beats.length - 1;
      add('section', i, b, `section-${i}-${b}`, [...heading, ...sentencesOf(beat.say).map((text) => ({ text, part: 'body' as const }))], last ? PAUSES_MS.betweenSections : PAUSES_MS.betweenBeats);
    });
  });

  const takeaways = script.keyTakeaways.map((t) => sentencesOf(t)).filter((lines) => lines.length > 0);
  takeaways.forEach((lines, j) => {
    const opener = j === 0 ? [{ text: KEY_TAKEAWAYS_LINE, part: 'heading' as const, pauseAfterMs: PAUSES_MS.afterTitle }] : [];
    const last = j === takeaways.length - 1;
    add('takeaways', 0, j, `takeaway-${j}`, [...opener, ...lines.map((text) => ({ text, part: 'takeaway' as const }))], last ? PAUSES_MS.betweenSections : PAUSES_MS.betweenBeats);
  });

  add(
    'check',
    0,
    0,
    'check',
    [{ text: CHECK_YOURSELF_LINE, part: 'heading' as const, pauseAfterMs: PAUSES_MS.afterTitle }, ...sentencesOf(script.check.question).map((text) => ({ text, part: 'body' as const }))],
    PAUSES_MS.thinkTime,
  );
  add('check', 0, 1, 'answer', sentencesOf(script.check.answer).map((text) => ({ text, part: 'body' as const })), PAUSES_MS.betweenSections);

  add('credits', 0, 0, 'credits', lineOf(creditsSentence(script.attribution)).map((text) => ({ text, part: 'credits' as const })), PAUSES_MS.end);

  return segments;
}

/** Total number of utterances (= cues) of a plan. */
export function utteranceCount(plan: PlannedSegment[]): number {
  return plan.reduce((n, s) => n + s.utterances.length, 0);
}
