const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Split prose into trimmed sentences (Unicode sentence boundaries). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text.replace(/\s+/g, ' ').trim())) {
    const s = segment.trim();
    if (s) out.push(s);
  }
  return out;
}

export function countWords(text: string): number {
  const m = text.trim().match(/\S+/g);
  return m ? m.length : 0;
}

/** Narration pace used to size scripts: words per minute of the local and cloud voices at normal rate. */
export const WORDS_PER_MINUTE = 150;
