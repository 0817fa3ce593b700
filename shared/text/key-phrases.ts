/**
 * Key phrases of a spoken sentence, for the screen: the book's key terms it says, numbers with
 * their units, names, then runs of content words. Used by render to show what is being said.
 */

/** Longest key phrase (characters). */
export const CHIP_MAX_CHARS = 30;

const STOP = new Set(
  `a an the and or but if then than so as at by for from in into of on onto to with without within about above after again against all also am are aren't be been before being below between both can could did do does doing down during each few further had has have having he her here hers him his how i if is isn't it it's its itself just let me more most my no nor not now of off once only other our out over own same she should some such that that's their them then there these they this those through too under until up very was we were what when where which while who whom why will would you your yours
  say says said called known given get gets got make makes made use used using one two way ways thing things much many like also well even still may might must shall per each every another often usually always never new same different first second let's let us
  equals equal times sub over plus minus fraction numerator denominator squared cubed divided multiplied power root negative quantity
  states stated state shows show gives give giving taking take takes looking look looks means mean occupies written write described describe
  explains explain explained rearranging rearrange solving solve solved work worked works ask asked find found based caused contain contains
  begin note set find write substitute divide multiply add subtract simplify check recall remember consider notice start compare
  because largely mostly partly although though however therefore thus instead rather quite almost nearly already later early soon
  possibly able become becomes became seen see think tell told want wants need needs try tries keep keeps next time everything something anyone
  seldom rarely ever hardly scarcely`
    .split(/\s+/)
    .filter(Boolean),
);

/** Short unit symbols kept after a number. */
const UNITS = new Set(['L', 'mL', 'K', 'm', 'cm', 'mm', 'km', 's', 'ms', 'g', 'kg', 'mg', 'N', 'J', 'kJ', 'V', 'W', 'A', 'Hz', 'Pa', 'C', 'F', 'mi', 'ft', 'lb', 'h']);

export interface Candidate {
  text: string;
  /** Character offset of the phrase's middle within its cue. */
  offset: number;
  score: number;
}

/**
 * Key phrase candidates of a sentence, each with where it is said (character offset of its middle)
 * and a score: a key term of the book it names (strongest), a number with its unit or a name, then
 * a run of two or three content words (a lone common word is not a key phrase). Nothing the screen
 * already shows (`onScreen`, case-insensitive) is a candidate.
 */
export function keyPhrases(sentence: string, onScreen: string, keyTerms: readonly string[] = []): Candidate[] {
  const screen = onScreen.toLowerCase();
  const out: Candidate[] = [];
  const lowerSentence = sentence.toLowerCase();
  const seen = new Set<string>();
  const push = (text: string, offset: number, score: number): void => {
    const key = text.toLowerCase();
    if (seen.has(key) || screen.includes(key) || text.length > CHIP_MAX_CHARS) return;
    seen.add(key);
    out.push({ text, offset, score });
  };
  for (const term of keyTerms) {
    const t = term.trim();
    if (t.length < 3 || t.length > CHIP_MAX_CHARS) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu');
    const m = re.exec(sentence);
    if (m) push(sentence.slice(m.index, m.index + m[0].length), m.index + m[0].length / 2, 20 + t.length / 4);
  }
  // A phrase the book puts in quotation marks is one it names ("which we read as “f inverse of x”");
  // a lone quoted word only after a naming verb (a scare-quoted “ballpark” is not a term).
  for (const m of sentence.matchAll(/[“"]([^”"]{3,40}?)[.,;:!?]?[”"]/gu)) {
    const q = m[1]!.trim();
    const words = q.split(/\s+/).length;
    const named = /\b(?:called|termed|named|known as|read as|referred to as)\s*$/i.test(sentence.slice(0, m.index));
    if (/\p{L}/u.test(q) && words <= 5 && (words >= 2 || named)) push(q, m.index! + m[0].length / 2, 16 + q.length / 4);
  }
  // Clauses: punctuation breaks a run.
  const word = /[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
  const clauses = sentence.split(/[,;:()"“”!?]|\s[-–—]\s|\.(?=\s|$)/u);
  let base = 0;
  for (const clause of clauses) {
    const at = lowerSentence.indexOf(clause.toLowerCase(), base);
    base = at >= 0 ? at + clause.length : base;
    let run: { text: string; index: number }[] = [];
    const flush = (): void => {
      if (run.length) {
        // A run ends on its noun: a trailing adverb or participle ("downward", "directly", "moving",
        // "caused") or a verb after a noun ("object exerts", "energy passes") is not part of the phrase.
        while (run.length > 1) {
          const last = run[run.length - 1]!.text;
          const prev = run[run.length - 2]!.text;
          // (an adjective before a plural noun is not a noun before a verb: "possible factors", "electric charges")
          const adjective = /(?:ible|able|al|ic|ive|ous|ful|less|ar|ary|ent|ant|ial|ical|ed|ing|est|er)$/.test(prev);
          const verbAfterNoun = /[^s'’]s$/.test(last) && !/s$/.test(prev) && !adjective && !/\d/.test(last) && !/^\p{Lu}/u.test(last);
          if (/(?:ly|ing|ed|ward|wards)$/.test(last) || verbAfterNoun) run.pop();
          else break;
        }
        // A lowercase word right after a name is its verb ("Jefferson began", "Adams won"), unless the name owns it ("Newton's law").
        if (run.length >= 2) {
          const last = run[run.length - 1]!.text;
          const prev = run[run.length - 2]!.text;
          if (/^\p{Ll}/u.test(last) && /^\p{Lu}/u.test(prev) && !/['’]s$/.test(prev) && !/\d/.test(last)) run.pop();
        }
        // A verb after a plural noun ends the phrase before it ("gas molecules collide" -> "gas molecules");
        // a leading participle is not part of it ("pushing air" -> "air").
        const cut = run.findIndex((w, k) => k > 0 && /[^s]s$/.test(run[k - 1]!.text) && !/s$/.test(w.text) && !/\d/.test(w.text) && !UNITS.has(w.text));
        if (cut > 0) run = run.slice(0, cut);
        while (run.length > 1 && /ing$/.test(run[0]!.text)) run.shift();
        // The last three words of a run carry the noun ("the absolute kelvin temperature scale" -> "kelvin temperature scale").
        const words = run.slice(-3);
        const text = words.map((w) => w.text).join(' ');
        const start = words[0]!.index;
        const end = words[words.length - 1]!.index + words[words.length - 1]!.text.length;
        const letters = text.replace(/[^\p{L}]/gu, '').length;
        const digits = /\d/.test(text);
        // a name: a capitalised word that does not open the sentence
        const names = words.filter((w) => /^\p{Lu}/u.test(w.text) && Math.max(0, at) + w.index > 0).length;
        const strong = digits || names > 0;
        if ((strong || words.length >= 2) && letters + (digits ? 4 : 0) >= 5) {
          push(text, Math.max(0, at) + (start + end) / 2, (strong ? 8 : 0) + text.length / 4 + words.length + names * 2);
        } else if (words.length === 1 && letters >= 4 && !/(?:ly|ing|ed)$/.test(text)) {
          // a lone concrete word ("vinegar", "salt") only when nothing better is said
          push(text, Math.max(0, at) + (start + end) / 2, text.length / 8);
        }
      }
      run = [];
    };
    for (const m of clause.matchAll(word)) {
      const w = m[0];
      // A unit after a number stays with it ("0.300 L", "303 K").
      const unit = UNITS.has(w) && run.length > 0 && /^[\d.,]+$/.test(run[run.length - 1]!.text);
      // A capitalised word after a capitalised one is part of a name, even a word the list stops at ("United States").
      const inName = /^\p{Lu}/u.test(w) && run.length > 0 && /^\p{Lu}/u.test(run[run.length - 1]!.text);
      if (!unit && !inName && (STOP.has(w.toLowerCase()) || (w.length < 3 && !/\d/.test(w)))) flush();
      else run.push({ text: w, index: m.index ?? 0 });
    }
    flush();
  }
  return out;
}

/** The topic's key terms, then its glossary terms: distinct (case-folded), screen-sized, at most 40. */
export function lessonKeyTerms(...lists: string[][]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of lists.flat()) {
    const t = raw.replace(/\s+/g, ' ').trim();
    const key = t.toLowerCase();
    if (t.length < 3 || t.length > 60 || seen.has(key)) continue;
    seen.add(key);
    result.push(t);
    if (result.length >= 40) break;
  }
  return result;
}
