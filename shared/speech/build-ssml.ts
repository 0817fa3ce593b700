import type { Script } from '../domain/script.js';
import { DEFAULT_VOICE, type Voice } from '../domain/generation.js';
import { PAUSES_MS, planNarration, type PlannedSegment, type SpeechPart } from './narration-plan.js';
import { escapeXml } from './xml-text.js';

/**
 * SSML in the style of the reference notes: prosody per part, emphasis on titles, slower takeaways,
 * breaks between sections. Only elements and attribute values that espeak-ng, Google Cloud TTS and
 * ElevenLabs all accept are used: `speak`, `prosody rate|pitch` (rate keywords, pitch in semitones),
 * `emphasis level`, `break time` (ms), `mark name`. No `xml:lang` and no `voice` element (espeak-ng
 * would switch voice on them; the voice is the engine's parameter).
 */

export { escapeXml, sanitizeXmlText, isXmlChars } from './xml-text.js';
export type { SpeechPart } from './narration-plan.js';

/** What the voice choice changes in the SSML (its timbre and base rate are the engine's business). */
export interface VoiceStyle {
  /** Pitch raise of the hook. */
  hookPitch: string;
  /** Emphasis level of titles and headings. */
  emphasisLevel: 'moderate' | 'strong';
}

export const VOICE_STYLES: Record<Voice, VoiceStyle> = {
  female_professional: { hookPitch: '+2st', emphasisLevel: 'moderate' },
  male_professional: { hookPitch: '+2st', emphasisLevel: 'moderate' },
  male_energetic: { hookPitch: '+3st', emphasisLevel: 'strong' },
};

/** Open and close tags of the element a line spoken as `part` is wrapped in. */
function partTags(part: SpeechPart, voice: Voice): [open: string, close: string] {
  const style = VOICE_STYLES[voice];
  switch (part) {
    case 'title':
    case 'heading':
      return [`<emphasis level="${style.emphasisLevel}">`, '</emphasis>'];
    case 'hook':
      return [`<prosody rate="medium" pitch="${style.hookPitch}">`, '</prosody>'];
    case 'takeaway':
      return ['<prosody rate="slow">', '</prosody>'];
    case 'body':
    case 'credits':
      return ['<prosody rate="medium">', '</prosody>'];
  }
}

/** Escaped character data of one line, whitespace collapsed. */
function spokenText(text: string): string {
  return escapeXml(text).replace(/\s+/g, ' ').trim();
}

/** The SSML fragment (no `<speak>` root) of one line spoken as `part`. */
export function ssmlFragment(text: string, part: SpeechPart, voice: Voice = DEFAULT_VOICE): string {
  const [open, close] = partTags(part, voice);
  return `${open}${spokenText(text)}${close}`;
}

/** A complete SSML document for one utterance (one sentence), as sent to `SpeechEngine.speak`. */
export function utteranceSsml(text: string, part: SpeechPart, voice: Voice = DEFAULT_VOICE): string {
  return `<speak>${ssmlFragment(text, part, voice)}</speak>`;
}

/** `<break time="...ms"/>`, nothing for a non-positive time. */
export function breakSsml(ms: number): string {
  const t = Math.round(ms);
  return t > 0 ? `<break time="${t}ms"/>` : '';
}

/** `<mark name="..."/>`; the name is escaped as an attribute value. */
export function markSsml(name: string): string {
  return `<mark name="${escapeXml(name)}"/>`;
}

/** Mark before the n-th utterance (0-based, whole script) in `buildScriptSsml`: one cue each. */
export function cueMarkName(n: number): string {
  return `cue-${n}`;
}

/** Mark after the last word of the document. */
export const END_MARK = 'end';

/**
 * The whole script as one SSML document, for engines that synthesise a document in one request and
 * report mark timings (cloud TTS). Marks: `intro`, `section-<i>-<beat>`, `takeaway-<j>`, `check`, `answer`, `credits` at every
 * segment boundary (see `PlannedSegment.mark`), `cue-<n>` before every utterance, `end` at the end.
 * Breaks: after titles (500 ms), after the hook (800 ms), between sections (700 ms); between
 * sentences of one part the engine's own sentence pause is used.
 */
export function buildScriptSsml(script: Script, voice: Voice = DEFAULT_VOICE, plan: PlannedSegment[] = planNarration(script)): string {
  const out: string[] = ['<speak>'];
  let n = 0;
  for (const segment of plan) {
    out.push(markSsml(segment.mark));
    for (const u of segment.utterances) {
      out.push(markSsml(cueMarkName(n++)), ssmlFragment(u.text, u.part, voice));
      if (u.pauseAfterMs > PAUSES_MS.sentence) out.push(breakSsml(u.pauseAfterMs));
      else out.push(' ');
    }
  }
  out.push(markSsml(END_MARK), '</speak>');
  return out.join('');
}

/** Silence of a slide with nothing to say (as `narrateScript` lays it). */
export const EMPTY_SEGMENT_MS = 700;

/** One request's worth of the script for an engine that reports mark timings. */
export interface MarkedDocument {
  /** `<speak>...</speak>` with a `<mark>` at every segment start it holds, before every utterance, and `end`. */
  ssml: string;
  /** Every mark name of `ssml`, in document order. */
  marks: string[];
  /**
   * The utterances spoken by this document: `index` into the plan's utterances (whole script,
   * 0-based, = the n of `cue-<n>`), and the `<break>` written right after it inside the document
   * (0 where the engine's own sentence pause is used, and after the document's last utterance).
   */
  cues: Array<{ index: number; breakAfterMs: number }>;
  /** Indexes into the plan of the segments whose start mark is in this document. */
  segments: number[];
  /** Pause after the document's last word, to be laid as exact silence after its audio. */
  pauseAfterMs: number;
}

type Unit =
  | { kind: 'utterance'; segment: number; first: boolean; cue: number; text: string; part: SpeechPart; pauseAfterMs: number }
  | { kind: 'empty'; segment: number; first: true; pauseAfterMs: number };

function renderMarked(units: Unit[], plan: PlannedSegment[], voice: Voice): MarkedDocument {
  const out: string[] = ['<speak>'];
  const marks: string[] = [];
  const cues: MarkedDocument['cues'] = [];
  const segments: number[] = [];
  let close: string | undefined; // the part element left open for the next sentence of the same run
  const mark = (name: string): void => {
    marks.push(name);
    out.push(markSsml(name));
  };
  units.forEach((u, i) => {
    const prev = units[i - 1];
    const continues =
      close !== undefined && u.kind === 'utterance' && !u.first && prev?.kind === 'utterance' && prev.part === u.part && prev.pauseAfterMs <= PAUSES_MS.sentence;
    if (!continues && close !== undefined) {
      out.push(close);
      close = undefined;
    }
    if (u.first) {
      segments.push(u.segment);
      mark(plan[u.segment]!.mark);
    }
    const last = i === units.length - 1;
    const breakMs = !last && u.pauseAfterMs > PAUSES_MS.sentence ? u.pauseAfterMs : 0;
    if (u.kind === 'utterance') {
      if (continues) {
        out.push(' ');
        mark(cueMarkName(u.cue));
      } else {
        // the first mark of a run goes before the element, so a mark is never the first child of <emphasis>
        mark(cueMarkName(u.cue));
        const [open, closeTag] = partTags(u.part, voice);
        out.push(open);
        close = closeTag;
      }
      out.push(spokenText(u.text));
      cues.push({ index: u.cue, breakAfterMs: breakMs });
    }
    if (breakMs > 0) {
      if (close !== undefined) {
        out.push(close);
        close = undefined;
      }
      out.push(breakSsml(breakMs));
    }
  });
  if (close !== undefined) out.push(close);
  mark(END_MARK);
  out.push('</speak>');
  return { ssml: out.join(''), marks, cues, segments, pauseAfterMs: units.at(-1)?.pauseAfterMs ?? 0 };
}

/**
 * The script cut into as few SSML documents as fit in `maxBytes` (UTF-8) each, for engines that
 * synthesise a document per request and report mark timings (Google Cloud TTS, 5000 bytes).
 * Documents break only between utterances. Inside a document a run of sentences of one part shares
 * one `<prosody>`/`<emphasis>` element (fewer billed characters than one per sentence), pauses
 * longer than a sentence pause are `<break>`s, and between sentences the engine's own pause is used.
 * The pause after a document's last utterance is not written: the caller lays it as silence, so a
 * cut costs no timing accuracy. An utterance too long for `maxBytes` on its own still gets a
 * document of its own: the caller must check the size.
 */
export function buildMarkedDocuments(plan: PlannedSegment[], voice: Voice = DEFAULT_VOICE, maxBytes = 5000): MarkedDocument[] {
  const units: Unit[] = [];
  let cue = 0;
  plan.forEach((segment, s) => {
    if (segment.utterances.length === 0) units.push({ kind: 'empty', segment: s, first: true, pauseAfterMs: EMPTY_SEGMENT_MS });
    segment.utterances.forEach((u, i) => units.push({ kind: 'utterance', segment: s, first: i === 0, cue: cue++, text: u.text, part: u.part, pauseAfterMs: u.pauseAfterMs }));
  });
  const docs: MarkedDocument[] = [];
  let current: Unit[] = [];
  for (const unit of units) {
    if (current.length && Buffer.byteLength(renderMarked([...current, unit], plan, voice).ssml, 'utf8') > maxBytes) {
      docs.push(renderMarked(current, plan, voice));
      current = [];
    }
    current.push(unit);
  }
  if (current.length) docs.push(renderMarked(current, plan, voice));
  return docs;
}
