/**
 * One form for the ways a student types the same question, for the not-covered cache key: "What's
 * F=ma?", "what is  f = ma" and "WHAT IS F = MA!!" are one question. It folds what does not change
 * the question (case, whitespace, sentence punctuation, accents and compatibility forms of Unicode,
 * curly quotes, contractions) and nothing that could: no stemming, no stop words, no spelling
 * correction, no synonyms ("force" and "forces" stay apart). Math operators (= + - * / ^ < > %) stay,
 * spaced, so "a^2 + b^2 = c^2" is not "a2 b2 c2" and "2+2" is not "2-2".
 *
 * Pure and deterministic: the same text gives the same form in every process and version of Node
 * that has the same Unicode tables (the key also carries the library version, see cache-keys.ts).
 */

/** Contractions whose expansion is not ambiguous; "'s" only after these words ("Newton's" is a possessive). */
const S_IS_WORDS = new Set(['what', 'where', 'how', 'who', 'why', 'when', 'that', 'it', 'there', 'here', 'he', 'she', 'this', 'which']);
const IRREGULAR: Record<string, string> = {
  "can't": 'can not',
  "won't": 'will not',
  "shan't": 'shall not',
  "ain't": 'is not',
  "let's": 'let us',
  "y'all": 'you all',
};
const SUFFIXES: [RegExp, string][] = [
  [/n't$/, ' not'],
  [/'re$/, ' are'],
  [/'ve$/, ' have'],
  [/'ll$/, ' will'],
  [/'m$/, ' am'],
  [/'d$/, ' would'],
];

/** Math operators kept as tokens of their own. `-` counts only when it is not a hyphen inside a word. */
const OPERATORS = /[=+*/^<>%×÷≤≥≠]/g;

export function normaliseQuestion(text: string): string {
  let s = text
    // Compatibility forms (full-width letters, ligatures, superscripts) to their plain letters, then
    // accents off: "Schrödinger", "ﬁssion", "Ｆ＝ｍａ" fold to "schrodinger", "fission", "f=ma".
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u00AB\u00BB]/g, '"')
    .replace(/[\u2010\u2011\u2212]/g, '-')
    .replace(/[\u2012-\u2015]/g, ' ');
  // Contractions, word by word (apostrophes inside words only).
  s = s.replace(/[a-z]+(?:'[a-z]+)+/g, (word) => expandContraction(word)).replace(/\bcannot\b/g, 'can not');
  // Possessive and stray apostrophes: "newton's" == "newtons"; quotes around words go.
  s = s.replace(/'/g, '');
  // A hyphen between letters joins words ("x-ray" == "x ray"); elsewhere it is a minus.
  s = s.replace(/(?<=\p{L})-(?=\p{L})/gu, ' ').replace(/-/g, ' - ');
  s = s.replace(OPERATORS, (op) => ` ${op} `);
  // Everything else that is not a letter, a digit, a decimal point inside a number or an operator is punctuation.
  s = s.replace(/(?<=\d)\.(?=\d)/g, '\u0000').replace(/[^\p{L}\p{N}\u0000=+\-*/^<>%×÷≤≥≠\s]/gu, ' ').replace(/\u0000/g, '.');
  return s.replace(/\s+/g, ' ').trim();
}

function expandContraction(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  const s = /^([a-z]+)'s$/.exec(word);
  if (s) return S_IS_WORDS.has(s[1]!) ? `${s[1]} is` : word;
  for (const [suffix, expansion] of SUFFIXES) if (suffix.test(word)) return word.replace(suffix, expansion);
  return word;
}
