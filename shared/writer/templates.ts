/**
 * The few sentences the extractive writer composes itself: the hook, and the one sentence that
 * connects the topic to the student's interest. `interest` is always a sanitized phrase (see
 * interest.ts) and `topic` a noun phrase from the topic title; both are used only as noun phrases.
 * The templates avoid verb agreement with either ("what could X have to do with Y"), since either
 * may be singular or plural.
 */

const BRIDGES: Record<string, string> = {
  physics: 'Every push, pull, jump and bounce in the world follows the same laws of physics.',
  chemistry: 'Everything you can see and touch is made of atoms, and chemistry explains how they behave.',
  biology: 'Every living thing, including you, depends on the processes that biologists study.',
  math: 'Numbers and patterns are hiding in more places than you might think.',
  history: 'The world we live in today was shaped by choices that people made long ago.',
  literature: 'Every story you love, on the page or on a screen, is built with the same tools.',
};
const DEFAULT_BRIDGE = 'The ideas behind it show up in more places than you might think.';

export function hookText(subject: string, topic: string, interest: string | null): string {
  const bridge = BRIDGES[subject] ?? DEFAULT_BRIDGE;
  if (interest) {
    // Short: the lesson answers the question right after it.
    return `What could ${interest} possibly have to do with ${topic}? ${bridge}`;
  }
  return `Let's look at ${topic}. ${bridge}`;
}

const bareWord = (w: string): string => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}'\u2019]+$/gu, '');

/**
 * A noun phrase for a topic title, for use mid-sentence: no section number, no subtitle, and
 * sentence case ("Newton's Third Law of Motion" becomes "Newton's third law of motion"). A span
 * that matches a key term takes the key term's casing; any other word keeps its capital only when
 * it looks like a name: an acronym, a possessive, or a word capitalized inside an objective (past
 * its first word), where only names are capitalized.
 */
export function topicPhrase(title: string, chapter = '', keyTerms: string[] = [], objectives: string[] = []): string {
  const strip = (x: string): string => x.replace(/\s+/g, ' ').trim().replace(/^\d+(?:\.\d+)*\s+/, '');
  let t = strip(title);
  const colon = t.indexOf(':');
  if (colon > 0) t = t.slice(0, colon).trim();
  if (!t || /^(?:introduction|overview|summary|chapter review|review)$/i.test(t)) t = strip(chapter) || t || 'this topic';
  const names = new Set<string>();
  for (const o of objectives) {
    o.split(/\s+/)
      .filter(Boolean)
      .forEach((w, i) => {
        const bare = bareWord(w);
        if (i > 0 && /^\p{Lu}/u.test(bare)) names.add(bare.toLowerCase());
      });
  }
  const words = t.split(' ');
  const fixed: Array<string | null> = words.map(() => null);
  // Key terms, longest first, give their own casing to the spans of the title they match.
  const terms = keyTerms
    .map((k) => k.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .sort((a, b) => b.split(' ').length - a.split(' ').length);
  for (const term of terms) {
    const tw = term.split(' ');
    for (let i = 0; i + tw.length <= words.length; i++) {
      if (fixed.slice(i, i + tw.length).some((x) => x !== null)) continue;
      const same = tw.every((w, j) => bareWord(words[i + j]).toLowerCase() === bareWord(w).toLowerCase());
      if (!same) continue;
      tw.forEach((w, j) => {
        const original = words[i + j];
        const bare = bareWord(original);
        fixed[i + j] = original.replace(bare, bareWord(w));
      });
    }
  }
  return words
    .map((w, i) => {
      if (fixed[i] !== null) return fixed[i];
      const bare = bareWord(w);
      if (!/^\p{Lu}/u.test(bare)) return w;
      if (/^\p{Lu}[\p{Lu}\p{N}]*$/u.test(bare)) return w; // DNA, I, NAACP
      if (/['\u2019]s$/u.test(bare)) return w; // Newton's
      if (names.has(bare.toLowerCase())) return w;
      // Each part of a compound ("Acid-Base") is lowered, except acronyms ("X-Ray" -> "x-ray").
      return w
        .split('-')
        .map((part) => (/^\p{Lu}[\p{Lu}\p{N}]+$/u.test(part) ? part : part.charAt(0).toLowerCase() + part.slice(1)))
        .join('-');
    })
    .join(' ');
}
