import { SCREEN_PHRASE_MAX } from '../domain/script.js';
import { findCut, findDanglingReference, opensWithOrphanPronoun } from './check-script-text.js';

/** Openers that only link a sentence to the one before; the screen phrase stands alone without them. */
export const DISCOURSE_OPENERS: readonly RegExp[] = [
  /^in other words,\s*/i,
  /^on the other hand,\s*/i,
  /^(?:in|by) contrast,\s*/i,
  /^again,\s*/i,
  /^now,\s*/i,
  /^that is(?: to say)?,\s*/i,
  /^however,\s*/i,
  /^for (?:example|instance),\s*/i,
  /^thus,\s*/i,
  /^therefore,\s*/i,
  /^hence,\s*/i,
  /^so,\s*/i,
  /^also,\s*/i,
  /^in fact,\s*/i,
  /^of course,\s*/i,
  /^in general,\s*/i,
  /^in addition,\s*/i,
  /^furthermore,\s*/i,
  /^moreover,\s*/i,
  /^similarly,\s*/i,
  /^likewise,\s*/i,
  /^as a result,\s*/i,
  /^consequently,\s*/i,
  /^indeed,\s*/i,
  /^finally,\s*/i,
  /^(?:first|second|third|next|then),\s*/i,
  /^(?:note|notice|recall|remember) that\s+/i,
  /^it is important to (?:note|remember|understand) that\s+/i,
  /^keep in mind that\s+/i,
];

/**
 * Markers of a trailing clause that adds a reason, a condition or an aside; the main clause before
 * it still says the point.
 */
export const TRAILING_CLAUSES: readonly RegExp[] = [
  /,\s+which\s/i,
  /,\s+where\s/i,
  /,\s+so that\s/i,
  /,\s+while\s/i,
  /,\s+whereas\s/i,
  /,\s+although\s/i,
  /,\s+even though\s/i,
  /,\s+such as\s/i,
  /,\s+including\s/i,
  /,\s+for (?:example|instance)\b/i,
  /,?\s+because\s/i,
  /,?\s+since\s/i,
];

/** Adverbs set off by commas inside a sentence ("The mechanisms, however, differ"): they lean on the sentence before. */
const INNER_CONNECTIVE = /,\s*(?:however|therefore|thus|then|in turn|though|of course|for example|for instance|in fact|as a result|in other words)\s*,/gi;

// "The Mayflower Compact, which ... Harbor, has been called ...": the main verb comes after the aside.
const MID_SENTENCE_ASIDE = /,\s+(?:has|have|had|is|are|was|were|can|could|will|would|may|might|must|should|does|do|did|\p{Ll}+ed)\b/u;

/** A coordinated clause (", and ...", ", but ..."): the first clause alone is still a statement. */
const COORDINATION = /,\s+(?:and|but|yet|so)\s+/gi;
// What makes the words after ", and" a clause rather than the last item of a list.
const FINITE_VERB = /\b(?:is|are|was|were|has|have|had|can|could|will|would|does|do|did|may|might|must|should)\b/i;

/** Definition shapes that read as "term: definition" on screen. `term` and `definition` name the groups. */
export const DEFINITION_SHAPES: readonly RegExp[] = [
  /^(?<term>.{2,40}?)\s+(?:is|are)\s+(?:defined as|known as)\s+(?<definition>.+)$/i,
  /^(?<definition>.+?)\s+(?:is|are)\s+(?:called|known as|termed|named)\s+(?<term>[^,;]{2,40})$/i,
  /^(?<term>.{2,40}?)\s+(?:refers to|means|states that|says that|tells us that|describes)\s+(?<definition>.+)$/i,
  /^(?<term>[^,]{2,40}?)\s+(?:is|are)\s+(?<definition>(?:a|an|the)\s.+)$/i,
];

// A phrase that stops on one of these was cut before its object ("The lesson here is that").
const FUNCTION_WORD_END = /\b(?:that|which|who|whom|whose|if|when|whether|as|is|are|was|were|be|been|to|in|on|at|by|for|with|from|into|onto|than|about|between|like)$/i;
// A clause opening with one of these is subordinate: the main clause comes after its comma.
const SUBORDINATE_START = /^(?:if|when|whenever|although|though|because|while|since|unless|until|as|once|after|before|whether)\b/i;
// A clause kept on screen needs some words to say something.
const MIN_WORDS = 3;

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Whitespace collapsed, citations and "(see Figure 3)" asides gone, no final full stop. */
function normalise(sentence: string): string {
  let s = sentence.replace(/\s+/g, ' ').trim();
  s = s.replace(/\s*\[\s*\d+(?:\s*[,\u2013-]\s*\d+)*\s*\]/g, '');
  s = s.replace(/\s*\((?:see\s+)?(?:figs?\.|figures?|tables?|examples?|equations?|eqs?\.)\s*[\d.]+[a-z]?\)/gi, '');
  s = s.replace(/\s*\(\s*\)/g, '');
  s = s.replace(/,?\s*etc\.$/i, '');
  // A final full stop goes, unless it ends an abbreviation such as "U.S.".
  if (!/\b(?:\p{L}\.){2,}$/u.test(s)) s = s.replace(/\.$/, '');
  return s.trim();
}

function withoutOpeners(s: string): string {
  let out = s.replace(INNER_CONNECTIVE, '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const opener of DISCOURSE_OPENERS) {
      const next = out.replace(opener, '');
      if (next !== out) {
        out = next;
        changed = true;
      }
    }
  }
  return out;
}

// An adverb that points at the reason after it ("largely because", "only since").
const DEGREE_BEFORE_REASON = /\b(?:largely|mainly|partly|partially|primarily|chiefly|mostly|only|simply|just|solely|in part)$/i;

/** The text before each trailing-clause marker that leaves a clause of some words, longest first. */
function mainClauses(s: string): string[] {
  const cuts = new Set<string>();
  for (const marker of TRAILING_CLAUSES) {
    const re = new RegExp(marker.source, marker.flags.includes('g') ? marker.flags : marker.flags + 'g');
    for (const m of s.matchAll(re)) {
      const before = s.slice(0, m.index).replace(/[,;:\s]+$/, '');
      // A clause closed by a comma and a verb is an aside inside the sentence, not its tail.
      if (MID_SENTENCE_ASIDE.test(s.slice(m.index + m[0].length))) continue;
      // "came about largely because ...": the reason is the point; the clause before it says nothing alone.
      if (DEGREE_BEFORE_REASON.test(before)) continue;
      if (words(before) >= MIN_WORDS && !SUBORDINATE_START.test(before)) cuts.add(before);
    }
  }
  for (const m of s.matchAll(COORDINATION)) {
    const before = s.slice(0, m.index);
    const after = s.slice(m.index + m[0].length);
    // A comma earlier on means a list ("iron, copper, and gold"), not two clauses.
    if (before.includes(',') || SUBORDINATE_START.test(before) || words(before) < MIN_WORDS || words(after) < MIN_WORDS || !FINITE_VERB.test(after)) continue;
    cuts.add(before);
  }
  return [...cuts].sort((a, b) => b.length - a.length);
}

function withoutParentheticals(s: string): string {
  let out = s;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\s*\([^()]*\)/g, '').replace(/\s*\[[^[\]]*\]/g, '');
  }
  // A pair of dashes around an aside: "the force — a push or a pull — acts".
  out = out.replace(/\s*[—–]\s*[^—–]+?\s*[—–]\s*/g, ' ');
  return out.replace(/\s+([,.;:])/g, '$1').replace(/\s+/g, ' ').trim();
}

/** The text before the first semicolon, colon or dash, when it is a clause of its own. */
function beforeBreak(s: string): string | null {
  const m = /;|:\s|\s[—–-]{1,2}\s|—/.exec(s);
  if (!m || m.index === 0) return null;
  const head = s.slice(0, m.index).trim();
  return words(head) >= MIN_WORDS && !SUBORDINATE_START.test(head) ? head : null;
}

/** "X is a Y" and its kin, as "X: a Y". */
function asDefinition(s: string): string | null {
  for (const shape of DEFINITION_SHAPES) {
    const m = shape.exec(s);
    if (!m?.groups) continue;
    const term = m.groups.term.replace(/^(?:the|a|an|its|their)\s+/i, '').trim();
    const definition = m.groups.definition.trim();
    if (!term || !definition || /^(?:this|these|that|those|it|they|there|here|what|which|who|on|in|at|for|from|to|by|with|of|under|over|after|before|during)\b/i.test(term)) continue;
    return `${capitalise(term)}: ${definition.charAt(0).toLowerCase()}${definition.slice(1)}`;
  }
  return null;
}

/** Whether a phrase may go on screen alone: short enough, whole, not pointing at a page we do not show or a sentence before. */
function fits(s: string, max: number): boolean {
  return s.length > 0 && s.length <= max && findCut(s) === null && !FUNCTION_WORD_END.test(s) && findDanglingReference(s) === null && !opensWithOrphanPronoun(s, null);
}

/**
 * A textbook sentence rewritten as a short phrase for the screen (at most `max` characters, first
 * letter capitalised, no final full stop, never cut mid-way), or null when no strategy makes it fit.
 * Strategies in order, each on what the one before left: the sentence without its discourse openers
 * ("However,", "Note that": dropped even when it fits, since a phrase alone on screen has nothing to
 * link back to); without a trailing clause (", which ...", " because ..."); without parentheticals;
 * the clause before a semicolon, colon or dash; "X is Y" as "X: Y".
 */
export function toScreenPhrase(sentence: string, max = SCREEN_PHRASE_MAX): string | null {
  const tried: string[] = [];
  const accept = (s: string | null): string | null => {
    if (s === null) return null;
    tried.push(s);
    const out = capitalise(s.trim());
    return fits(out, max) ? out : null;
  };
  const first = (candidates: Array<string | null>): string | null => {
    for (const c of candidates) {
      const found = accept(c);
      if (found) return found;
    }
    return null;
  };

  const whole = withoutOpeners(normalise(sentence));
  if (!whole) return null;
  // A question cut short is no longer a question: only its asides may go.
  if (whole.endsWith('?')) return first([whole, withoutParentheticals(whole)]);

  const clauses = mainClauses(whole);
  const shortest = clauses.length > 0 ? clauses[clauses.length - 1] : whole;
  const bare = withoutParentheticals(shortest);
  const found =
    first([whole, ...clauses]) ??
    first(clauses.map(withoutParentheticals)) ??
    first([bare, beforeBreak(bare)]) ??
    // A definition may have been whole before its trailing clause went: each version, longest first.
    first([...new Set(tried)].sort((a, b) => b.length - a.length).map((v) => asDefinition(withoutParentheticals(v))));
  return found;
}
