/**
 * Spelling correction and abbreviations against the library's own vocabulary.
 *
 * The vocabulary is every word the index saw (titles, key terms, glossary, passages, examples), with
 * the number of sections that use it. A question word the library does not know is corrected to the
 * closest library word (Damerau-Levenshtein, optimal string alignment): at most 1 edit for words of
 * 5-7 letters, 2 from 8 letters; shorter words are never corrected (too many near neighbours).
 * Candidates share the first letter (students rarely misspell it, and it keeps the scan to one
 * bucket); the smallest distance wins, then the word more sections use. Only words used by at least
 * two sections are targets, so a typo in one book is never the "correction".
 *
 * Abbreviations come from the books themselves ("greatest common factor (GCF)"): a phrase followed
 * by its initials in parentheses.
 */

/** Section count a word needs to be a correction target. */
const MIN_TARGET_SECTIONS = 2;

/** Largest edit distance allowed for a word of this length (0: never corrected). */
export function maxEdits(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Optimal-string-alignment distance (insertions, deletions, substitutions and transpositions of
 * adjacent letters), or `max + 1` as soon as it must exceed `max`.
 */
const rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  if (m + 1 > rows[0].length) for (let k = 0; k < 3; k++) rows[k] = new Int32Array(2 * (m + 1));
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

export interface Correction {
  word: string;
  distance: number;
}

/** Words of the library with the number of sections using each; corrects unknown words to them. */
export class Vocabulary {
  /** First letter -> words of at least MIN_TARGET_SECTIONS sections. */
  private readonly buckets = new Map<string, string[]>();
  private readonly cache = new Map<string, Correction | null>();

  constructor(private readonly sections: ReadonlyMap<string, number>) {
    for (const [word, n] of sections) {
      if (n < MIN_TARGET_SECTIONS || word.length < 4 || !/^[a-z]+$/.test(word)) continue;
      const b = this.buckets.get(word[0]);
      if (b) b.push(word);
      else this.buckets.set(word[0], [word]);
    }
  }

  has(word: string): boolean {
    return this.sections.has(word);
  }

  /** Sections that use the word (0 when unknown). */
  count(word: string): number {
    return this.sections.get(word) ?? 0;
  }

  /** The library word closest to an unknown word, or null (known words, short words, nothing close). */
  correct(word: string): Correction | null {
    if (this.sections.has(word) || !/^[a-z]+$/.test(word)) return null;
    const max = maxEdits(word.length);
    if (!max) return null;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    let best: Correction | null = null;
    let bestKey: [number, number, number] = [Infinity, Infinity, 0];
    for (const candidate of this.buckets.get(word[0]) ?? []) {
      if (Math.abs(candidate.length - word.length) > max) continue;
      const limit = best ? best.distance : max;
      const d = editDistance(word, candidate, limit);
      if (d > limit) continue;
      // equal distances: the candidate with the same letters (a transposition, a doubled letter)
      // before the one with other letters, then the more common word
      const key: [number, number, number] = [d, letterDifference(word, candidate), this.sections.get(candidate) ?? 0];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] > bestKey[2])))) {
        best = { word: candidate, distance: d };
        bestKey = key;
      }
    }
    if (this.cache.size < 10_000) this.cache.set(word, best);
    return best;
  }
}

/** Letters one word has and the other lacks, counted with multiplicity ("coloumbs": coulombs 0, columbus 2). */
export function letterDifference(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const ch of a) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) - 1);
  let d = 0;
  for (const v of counts.values()) d += Math.abs(v);
  return d;
}

const SMALL_WORDS = new Set(['of', 'and', 'the', 'for', 'on', 'in', 'to', 'a', 'an', '&']);

/**
 * Abbreviations a text defines: "... the greatest common factor (GCF) ..." gives gcf -> "greatest
 * common factor". The initials of the words just before the parentheses (small words such as "of"
 * may be skipped or used) must spell the abbreviation; plural abbreviations ("GHGs") count too.
 */
export function findAbbreviations(text: string, into: Map<string, Map<string, number>> = new Map()): Map<string, Map<string, number>> {
  const re = /\(([A-Z][A-Za-z]{1,6}?)(s?)\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const abbr = m[1];
    if (!/^[A-Z]+$/.test(abbr.replace(/[a-z]$/, '')) || abbr.length < 2) continue;
    const before = text.slice(Math.max(0, m.index - 120), m.index).split(/[^A-Za-z\-’']+/).filter(Boolean);
    const phrase = matchInitials(before, abbr.toLowerCase());
    if (!phrase) continue;
    const key = abbr.toLowerCase();
    let forms = into.get(key);
    if (!forms) into.set(key, (forms = new Map()));
    forms.set(phrase, (forms.get(phrase) ?? 0) + 1);
  }
  return into;
}

/** The shortest run of trailing words whose initials (small words optional) spell `initials`. */
function matchInitials(words: string[], initials: string): string | null {
  // walk back from the last word, matching the initials right to left
  const match = (wi: number, ii: number): number => {
    if (ii < 0) return wi + 1;
    if (wi < 0) return -1;
    const w = words[wi].toLowerCase();
    // a hyphenated word may give two initials (Non-Governmental -> N, G)
    const parts = w.split('-').filter(Boolean);
    if (parts.length > 1 && ii - parts.length + 1 >= 0 && parts.every((p, k) => p[0] === initials[ii - parts.length + 1 + k])) {
      const r = match(wi - 1, ii - parts.length);
      if (r >= 0) return r;
    }
    if (w[0] === initials[ii]) {
      const r = match(wi - 1, ii - 1);
      if (r >= 0) return r;
    }
    if (SMALL_WORDS.has(w) && ii < initials.length - 1) return match(wi - 1, ii);
    return -1;
  };
  const start = match(words.length - 1, initials.length - 1);
  if (start < 0) return null;
  const phrase = words.slice(start).join(' ').toLowerCase();
  return phrase.split(' ').length >= 2 ? phrase : null;
}
