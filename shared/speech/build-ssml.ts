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

/** The SSML fragment (no `<speak>` root) of one line spoken as `part`. */
export function ssmlFragment(text: string, part: SpeechPart, voice: Voice = DEFAULT_VOICE): string {
  const body = escapeXml(text).replace(/\s+/g, ' ').trim();
  const style = VOICE_STYLES[voice];
  switch (part) {
    case 'title':
    case 'heading':
      return `<emphasis level="${style.emphasisLevel}">${body}</emphasis>`;
    case 'hook':
      return `<prosody rate="medium" pitch="${style.hookPitch}">${body}</prosody>`;
    case 'takeaway':
      return `<prosody rate="slow">${body}</prosody>`;
    case 'body':
    case 'credits':
      return `<prosody rate="medium">${body}</prosody>`;
  }
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
 * report mark timings (cloud TTS). Marks: `intro`, `section-<i>`, `takeaways`, `credits` at every
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
