import { MAX_INTEREST_CHARS } from '../domain/generation.js';

/** The longest interest phrase the writer will put into a script (characters, after cleaning). */
export const INTEREST_PHRASE_MAX_CHARS = 40;
/** The most words of an interest phrase the writer keeps. */
export const INTEREST_PHRASE_MAX_WORDS = 6;
/** What `Script.interest` says when the student gave no usable interest. */
export const GENERAL_INTEREST = 'general';

const NO_INTEREST = new Set([
  'general',
  'none',
  'nothing',
  'no',
  'n a',
  'na',
  'any',
  'anything',
  'everything',
  'default',
  'null',
  'undefined',
  'not sure',
  'idk',
  'no interest',
  'no preference',
]);

/**
 * Reduce an untrusted interest string to a short, plain noun phrase, or null when nothing usable is
 * left (empty, "general", pure punctuation or markup).
 *
 * Only letters, combining marks, digits, spaces, hyphens between word characters and apostrophes
 * between letters survive (the apostrophe becomes U+2019 so it is never a quoting character). Every
 * other character, including control and format characters, markup (`<`, `>`, `&`), quotes, and
 * the ffmpeg filter metacharacters (`'`, `:`, `\`, `[`, `]`, `,`, `;`, `=`), becomes a space. The
 * result is capped at INTEREST_PHRASE_MAX_WORDS words and INTEREST_PHRASE_MAX_CHARS characters,
 * cut at a word boundary. Downstream stages still escape it for their own formats.
 */
export function sanitizeInterest(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let s = raw.slice(0, MAX_INTEREST_CHARS * 4).normalize('NFKC');
  // Line breaks and tabs separate words; other control and format characters (bidi overrides,
  // zero-width characters), private-use and unassigned code points are removed.
  s = s.replace(/[\t\n\v\f\r\u0085\p{Zl}\p{Zp}]/gu, ' ').replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]/gu, '');
  // Markup and character references go whole: "<speak>" leaves nothing, not the word "speak".
  s = s.replace(/<[^<>]{0,200}>/g, ' ').replace(/&#?[a-z0-9]{1,10};/gi, ' ');
  s = s.replace(/&/g, ' and ');
  s = s.replace(/(?<=\p{L})['\u2019\u02BC](?=\p{L})/gu, '\u2019');
  s = s.replace(/[^\p{L}\p{M}\p{N}\u2019\- ]/gu, ' ');
  // A hyphen or apostrophe only survives inside a word.
  s = s.replace(/-(?![\p{L}\p{N}])|(?<![\p{L}\p{N}\p{M}])-/gu, ' ');
  s = s.replace(/\u2019(?!\p{L})|(?<![\p{L}\p{M}])\u2019/gu, ' ');
  // Stacks of combining marks ("zalgo" text) are cut to two per base character.
  s = s.replace(/(\p{M}{2})\p{M}+/gu, '$1');
  // A mark with no base letter is dropped.
  s = s.replace(/(^|\s)\p{M}+/gu, '$1');
  const words = s.split(/\s+/).filter(Boolean).slice(0, INTEREST_PHRASE_MAX_WORDS);
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (next.length > INTEREST_PHRASE_MAX_CHARS) break;
    out = next;
  }
  if (!out && words.length > 0) out = Array.from(words[0]).slice(0, INTEREST_PHRASE_MAX_CHARS).join('');
  if (!out || !/[\p{L}\p{N}]/u.test(out)) return null;
  if (NO_INTEREST.has(out.toLowerCase())) return null;
  return out;
}
