import type { ScriptSection } from '../../shared/domain/script.js';
import { splitSentences } from '../../shared/text/sentences.js';

/**
 * A section written the old way (one narration, for tests about speech) as beats: its sentences
 * spread over at most 14 point beats, each beat's screen text the section heading.
 */
export function narratedSection(s: { heading: string; narration: string; citations: string[] }): ScriptSection {
  const sentences = splitSentences(s.narration);
  const per = Math.max(1, Math.ceil(sentences.length / 14));
  const beats: ScriptSection['beats'] = [];
  const text = s.heading.slice(0, 60) || 'Point';
  if (sentences.length === 0) beats.push({ kind: 'point', say: s.narration || ' ', text });
  for (let i = 0; i < sentences.length; i += per) beats.push({ kind: 'point', say: sentences.slice(i, i + per).join(' '), text });
  return { heading: s.heading, beats, citations: s.citations };
}
