import type { Book, Figure, Passage, Topic } from '../domain/library.js';
import { gradeBand } from '../domain/generation.js';
import { ScriptSchema, type Script, type ScriptSection } from '../domain/script.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { countWords, WORDS_PER_MINUTE } from '../text/sentences.js';
import {
  candidatesOf,
  contentTokens,
  isCleanBullet,
  toBullet,
  withoutLeadingConnectives,
  type Candidate,
  type ScoringContext,
} from './extract.js';
import { GENERAL_INTEREST, sanitizeInterest } from './interest.js';
import { connectionText, hookText, topicPhrase } from './templates.js';

export interface ExtractiveScriptInput {
  topic: Topic;
  book: Book;
  /** The retrieved passages of the topic (any order: they are narrated in reading order). */
  passages: Passage[];
  /** Figures the passages reference; one with alt text may be shown on a section's slide. */
  figures: Figure[];
  /** The student's question: used only to rank passages, never copied into the script. */
  question: string;
  grade: number;
  /** Untrusted: reduced to a short plain noun phrase (see sanitizeInterest). */
  interest: string;
}

/** `Script.writer` of scripts written by this module. */
export const EXTRACTIVE_WRITER = 'extractive-v1';

/** Narration size (hook + sections + takeaways), in words: 2 to 3 minutes at WORDS_PER_MINUTE. */
export const SCRIPT_WORDS = { min: 300, target: 370, tolerance: 20, max: 430 } as const;
/** Narration of one section, in words (the minimum is a target that very short sources may miss). */
export const SECTION_WORDS = { min: 50, max: 110 } as const;
export const BULLET_MAX_CHARS = 90;
const TITLE_MAX_CHARS = 120;
const HEADING_MAX_CHARS = 120;
const TAKEAWAY_MAX_WORDS = 25;
const TAKEAWAY_RELAXED_MAX_WORDS = 30;
const TAKEAWAY_ESTIMATE_WORDS = 15;
const BUDGET_STEP = 6;

/** A run of sentences that can become one section: a passage, or part of one when sources are few. */
interface Unit {
  heading: string;
  order: number;
  candidates: Candidate[];
  /** A worked example: narrated whole when it fits a section (half a solution teaches little). */
  atomic: boolean;
}

interface Group {
  primary: Unit;
  /** Passages not chosen as sections, whose sentences a section may borrow when its own run out. */
  supplementary: Unit[];
}

interface Plan {
  sections: ScriptSection[];
  takeaways: string[];
  words: number;
}

const WORKED_EXAMPLE = /\b(?:worked example|sample problem|example problem|solved example|example\s+\d+(?:\.\d+)*)\b/i;

/**
 * Write a script by extraction from the retrieved passages: the passages that best answer the
 * question become the sections (in reading order), each narrated by its leading sentences within a
 * word budget, framed by a hook and one sentence that ties the topic to the student's interest.
 *
 * Deterministic: the same input always gives the same script. Throws PipelineError NO_SOURCES when
 * the passages hold too little usable text (no sentences, or fewer than three), SCRIPT_INVALID if
 * the result would not satisfy ScriptSchema.
 */
export function writeExtractiveScript(input: ExtractiveScriptInput): Script {
  const { topic, book } = input;
  const band = gradeBand(input.grade);
  const interest = sanitizeInterest(input.interest);
  const subject = book.subject;
  const phrase = topicPhrase(topic.title, topic.chapter, topic.keyTerms, topic.objectives);

  const passages = orderPassages(Array.isArray(input.passages) ? input.passages : []);
  const ctx: ScoringContext = {
    questionTokens: contentTokens(typeof input.question === 'string' ? input.question.slice(0, 2000) : ''),
    topicTokens: contentTokens([topic.title, ...topic.keyTerms].join(' ')),
    keyTermPhrases: topic.keyTerms.map((k) => k.toLowerCase().trim()).filter((k) => k.length > 2),
    band,
  };
  const passageFigures = new Map(passages.map((p) => [p.id, Array.isArray(p.figureIds) ? p.figureIds : []]));
  let units: Unit[] = [];
  candidatesOf(passages, ctx).forEach((candidates, i) => {
    const heading = passages[i].heading.replace(/\s+/g, ' ').trim();
    if (candidates.length > 0) units.push({ heading, order: i, candidates, atomic: WORKED_EXAMPLE.test(heading) });
  });
  const sentenceCount = units.reduce((n, u) => n + u.candidates.length, 0);
  if (sentenceCount < 3) {
    const what = sentenceCount === 0 ? 'no usable source text' : `too little usable source text (${sentenceCount} sentences)`;
    throw new PipelineError(ErrorCodes.noSources, `${what} for topic ${topic.id}`, {
      details: { topicId: topic.id, passages: passages.length, sentences: sentenceCount },
    });
  }
  units = splitToAtLeast(units, 3);
  const totalWords = units.reduce((n, u) => n + wordsOf(u.candidates), 0);
  const sectionCount = units.length >= 4 && totalWords >= 4 * 60 ? 4 : 3;
  const groups = groupUnits(units, sectionCount, ctx);

  const hook = hookText(subject, phrase, interest);
  const connection = connectionText(subject, phrase, interest);
  const connectionWords = countWords(connection);
  const connectionAt = connectionSection(groups);
  const hookWords = countWords(hook);

  const plan = (budget: number): Plan => {
    const used = new Set<string>();
    const sections: ScriptSection[] = [];
    const chosen: Candidate[][] = [];
    groups.forEach((g, i) => {
      const withConnection = i === connectionAt;
      // The section that carries the interest sentence gives up some of its own words for it, not all.
      const base = Math.min(budget, SECTION_WORDS.max);
      const own = withConnection ? Math.max(25, Math.round(base * 0.75), base - connectionWords) : base;
      const picked = pickSentences(g, own, SECTION_WORDS.max - (withConnection ? connectionWords : 0), used);
      for (const c of picked) used.add(normalized(c.text));
      chosen.push(picked);
      sections.push(buildSection(g, picked, withConnection ? connection : null, passageFigures, input.figures, topic.title));
    });
    const takeaways = pickTakeaways(groups, chosen, topic, sections);
    const words =
      hookWords + sections.reduce((n, s) => n + countWords(s.narration), 0) + takeaways.reduce((n, t) => n + countWords(t), 0);
    return { sections, takeaways, words };
  };

  // One budget for the sections that are not worked examples, sized so the whole narration lands
  // in the 2-3 minute window, then nudged until it does (or the sources run out).
  const atomicWords = groups.reduce((n, g) => n + (g.primary.atomic ? Math.min(wordsOf(g.primary.candidates), SECTION_WORDS.max) : 0), 0);
  const flexible = Math.max(1, groups.filter((g) => !g.primary.atomic).length);
  let budget = clamp(
    Math.round((SCRIPT_WORDS.target - hookWords - connectionWords - atomicWords - sectionCount * TAKEAWAY_ESTIMATE_WORDS) / flexible),
    35,
    SECTION_WORDS.max,
  );
  let result = plan(budget);
  if (result.words < SCRIPT_WORDS.target - SCRIPT_WORDS.tolerance) {
    while (result.words < SCRIPT_WORDS.target - SCRIPT_WORDS.tolerance && budget < SECTION_WORDS.max) {
      budget = Math.min(SECTION_WORDS.max, budget + BUDGET_STEP);
      const next = plan(budget);
      if (next.words > result.words && next.words <= SCRIPT_WORDS.max) result = next;
    }
  } else if (result.words > SCRIPT_WORDS.max) {
    while (result.words > SCRIPT_WORDS.max && budget > 25) {
      budget = Math.max(25, budget - BUDGET_STEP);
      const next = plan(budget);
      if (next.words < result.words) result = next;
    }
  }

  numberRepeatedHeadings(result.sections);

  const script: Script = {
    title: makeTitle(topic.title, interest),
    hook,
    sections: result.sections,
    keyTakeaways: result.takeaways,
    attribution: [{ book: book.title, publisher: book.publisher, license: book.license, licenseUrl: book.licenseUrl, url: book.url }],
    subject,
    interest: interest ?? GENERAL_INTEREST,
    gradeBand: band,
    wordCount: result.words,
    estimatedSeconds: Math.round((result.words / WORDS_PER_MINUTE) * 60 * 10) / 10,
    writer: EXTRACTIVE_WRITER,
  };
  const parsed = ScriptSchema.safeParse(script);
  if (!parsed.success) {
    throw new PipelineError(ErrorCodes.scriptInvalid, `extractive script for ${topic.id} is invalid: ${parsed.error.message}`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

/** Sections drawn from passages under one heading: "Heading", "Heading, part 2", ... */
function numberRepeatedHeadings(sections: ScriptSection[]): void {
  const seen = new Map<string, number>();
  for (const s of sections) {
    const key = s.heading.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) s.heading = `${truncate(s.heading, HEADING_MAX_CHARS - 8)}, part ${n}`;
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

function wordsOf(cs: Candidate[]): number {
  return cs.reduce((n, c) => n + c.words, 0);
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[,;:\s]+$/, '')}\u2026`;
}

/** "<topic title>, through <interest>" within TITLE_MAX_CHARS, or the topic title alone. */
function makeTitle(topicTitle: string, interest: string | null): string {
  const title = topicTitle.replace(/\s+/g, ' ').trim() || 'Untitled topic';
  if (!interest) return truncate(title, TITLE_MAX_CHARS);
  const suffix = `, through ${interest}`;
  return `${truncate(title, TITLE_MAX_CHARS - suffix.length)}${suffix}`;
}

/** Unique passages in reading order (ordinal, then id). */
function orderPassages(passages: Passage[]): Passage[] {
  const seen = new Set<string>();
  const unique: Passage[] = [];
  for (const p of passages) {
    if (!p || typeof p.text !== 'string' || typeof p.id !== 'string' || seen.has(p.id)) continue;
    seen.add(p.id);
    unique.push(p);
  }
  return unique.sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Make at least `n` units by splitting passages at sentence boundaries: the passage with the most
 * words is cut into as many balanced parts as are missing (never before a sentence that leans on
 * the one before it, when that can be avoided).
 */
function splitToAtLeast(units: Unit[], n: number): Unit[] {
  const out = [...units];
  while (out.length < n) {
    let at = -1;
    for (let i = 0; i < out.length; i++) {
      if (out[i].candidates.length >= 2 && (at < 0 || wordsOf(out[i].candidates) > wordsOf(out[at].candidates))) at = i;
    }
    if (at < 0) break;
    const u = out[at];
    const parts = Math.min(n - out.length + 1, u.candidates.length);
    const pieces = splitBalanced(u.candidates, parts);
    const replacement = pieces.map((candidates, i) => ({
      heading: u.heading,
      order: 0,
      candidates,
      atomic: false,
    }));
    out.splice(at, 1, ...replacement);
    out.forEach((x, i) => (x.order = i));
  }
  return out;
}

/** Cut a run of sentences into `parts` runs of about equal words, preferring independent starts. */
function splitBalanced(cs: Candidate[], parts: number): Candidate[][] {
  const total = wordsOf(cs);
  const cuts: number[] = [];
  let acc = 0;
  let next = 1;
  for (let i = 0; i < cs.length - 1 && next < parts; i++) {
    acc += cs[i].words;
    const remainingSentences = cs.length - (i + 1);
    const remainingParts = parts - next;
    const due = acc >= (total * next) / parts - cs[i].words / 2 || remainingSentences <= remainingParts;
    if (!due) continue;
    // Prefer not to start a part with a sentence that leans back, unless no later cut is possible.
    if (cs[i + 1].dependent && remainingSentences > remainingParts && i + 2 < cs.length && !cs[i + 2].dependent) continue;
    cuts.push(i + 1);
    next++;
  }
  const out: Candidate[][] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(cs.slice(from, c));
    from = c;
  }
  out.push(cs.slice(from));
  return out.filter((p) => p.length > 0);
}

const EXAMPLE_HEADING = /\b(?:examples?|everyday|daily|real[- ]world|in action|around us|applications?|uses|in life)\b/i;
const MISCONCEPTION_HEADING = /\b(?:misconceptions?|mistakes?|myths?|errors?)\b/i;

/**
 * The `count` most useful units become the sections (in reading order); the rest lend sentences.
 * Usefulness: the words of the question that go beyond the topic's own name (what the student
 * specifically asked about), the key terms a passage teaches, and a light pedagogical prior: the
 * opening passage (the statement of the idea), examples, misconceptions and worked examples first,
 * then earlier passages before later ones.
 */
function groupUnits(units: Unit[], count: number, ctx: ScoringContext): Group[] {
  const specific = new Set([...ctx.questionTokens].filter((t) => !ctx.topicTokens.has(t)));
  const unitScore = (u: Unit): number => {
    const text = u.candidates.map((c) => c.text).join(' ');
    const tokens = contentTokens(`${u.heading} ${text}`);
    let asked = 0;
    for (const t of specific) if (tokens.has(t)) asked++;
    const lower = text.toLowerCase();
    const terms = ctx.keyTermPhrases.filter((k) => lower.includes(k)).length;
    let s = 2 * asked + Math.min(2, 0.5 * terms) - 0.15 * u.order;
    if (u.order === 0) s += 2;
    if (EXAMPLE_HEADING.test(u.heading) && !u.atomic) s += 1;
    if (MISCONCEPTION_HEADING.test(u.heading)) s += 1;
    if (u.atomic) s += 0.5;
    return s;
  };
  const scored = units.map((u) => ({ u, score: unitScore(u) }));
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.u.order - b.u.order).map((x) => x.u);
  const primaries = new Set(ranked.slice(0, count));
  const groups: Group[] = units.filter((u) => primaries.has(u)).map((u) => ({ primary: u, supplementary: [] }));
  for (const u of units) {
    if (primaries.has(u) || u.atomic) continue;
    let target = groups[0];
    for (const g of groups) if (g.primary.order < u.order) target = g;
    target.supplementary.push(u);
  }
  return groups;
}

/** Which section carries the sentence that connects the topic to the interest. */
function connectionSection(groups: Group[]): number {
  for (let i = 1; i < groups.length; i++) {
    if (!groups[i].primary.atomic && EXAMPLE_HEADING.test(groups[i].primary.heading)) return i;
  }
  for (let i = 1; i < groups.length; i++) if (!groups[i].primary.atomic) return i;
  return 0;
}

/**
 * A section's sentences: the leading sentences of its passage, in order, while they fit the word
 * budget; then, if the passage ran out well short of it, the leading sentences of the passages it
 * borrows from. A sentence already narrated elsewhere, or too long for the grade band, is skipped
 * (a long one is used only when the section would otherwise be thin), and so is a sentence that
 * leans on a skipped one. A worked example is taken whole when it fits.
 */
function pickSentences(group: Group, budget: number, cap: number, used: Set<string>): Candidate[] {
  const attempt = (allowLong: boolean): Candidate[] => {
    const picked: Candidate[] = [];
    let words = 0;
    const units = [group.primary, ...group.supplementary];
    for (const u of units) {
      // Borrow from other passages only when this section's own passage ran out, well short.
      if (u !== group.primary && words >= budget * 0.75) break;
      let previousTaken = true;
      let full = false;
      for (const c of u.candidates) {
        const eligible = !used.has(normalized(c.text)) && (allowLong || !c.long) && (!c.dependent || previousTaken);
        if (!eligible) {
          previousTaken = false;
          continue;
        }
        const after = words + c.words;
        // Take a sentence that overshoots the budget if that lands closer to it than stopping would.
        const fits = u.atomic ? after <= cap : after <= Math.min(budget, cap) || (after - budget < budget - words && after <= cap);
        if (!fits) {
          full = true;
          break;
        }
        picked.push(c);
        words = after;
        previousTaken = true;
      }
      if (full) break;
    }
    return picked;
  };
  let picked = attempt(false);
  const thin = wordsOf(picked) < SECTION_WORDS.min / 2 || picked.every((c) => QUESTION.test(c.text));
  if (thin) {
    const relaxed = attempt(true);
    if (wordsOf(relaxed) > wordsOf(picked)) picked = relaxed;
  }
  if (picked.length === 0) {
    // Nothing fits (or everything was narrated already): the shortest sentence, preferring new ones.
    const all = [group.primary, ...group.supplementary].flatMap((u) => u.candidates);
    const fresh = all.filter((c) => !used.has(normalized(c.text)));
    const pool = fresh.length > 0 ? fresh : all;
    picked = [[...pool].sort((a, b) => a.words - b.words || a.passageRank - b.passageRank || a.index - b.index)[0]];
  }
  return picked;
}

const QUESTION = /\?["'\u2019\u201D)]?$/;
const LEANS_BACK =
  /^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|here|then|however|but|so|thus|therefore|also|instead|another|the other|both|neither|finally|first|second|third|fourth|next|in that case|as a result|even so|yet|still)\b/i;
const SCENARIO = /^(?:suppose|consider|imagine|let us|let's|take|listen|look at|picture|say)\b/i;
const MISCONCEPTION = /\b(?:misconceptions?|mistakes?|myths?|fallacy|(?:many|some) (?:people|students) (?:think|believe|feel)|students (?:often|sometimes) (?:think|ask|believe))\b/i;

function buildSection(
  group: Group,
  picked: Candidate[],
  connection: string | null,
  passageFigures: Map<string, string[]>,
  figures: Figure[],
  topicTitle: string,
): ScriptSection {
  const heading = truncate(group.primary.heading || topicTitle, HEADING_MAX_CHARS) || 'Key ideas';
  const narration = [...picked.map((c) => c.text), ...(connection ? [connection] : [])].join(' ');
  const citations: string[] = [];
  for (const c of picked) if (!citations.includes(c.passageId)) citations.push(c.passageId);

  // Bullets: the best narrated sentences, whole when they fit or cut at a clause, in reading order.
  // Up to four bullets, and a bullet cut short with an ellipsis only to reach two.
  const rank = (c: Candidate): number => {
    const b = toBullet(c.text, BULLET_MAX_CHARS);
    return c.score + (c.text.length <= BULLET_MAX_CHARS + 1 ? 1 : 0) - (LEANS_BACK.test(b) ? 1.5 : 0) - (QUESTION.test(c.text) ? 2 : 0);
  };
  const order = (a: Candidate, b: Candidate): number => a.passageRank - b.passageRank || a.index - b.index;
  const ranked = [...picked].sort((a, b) => rank(b) - rank(a) || order(a, b));
  const clean = ranked.filter((c) => isCleanBullet(toBullet(c.text, BULLET_MAX_CHARS)));
  const rest = ranked.filter((c) => !clean.includes(c));
  const chosen = [...clean.slice(0, 4), ...rest].slice(0, Math.max(2, Math.min(4, clean.length))).sort(order);
  const bullets: string[] = [];
  const addBullet = (text: string): void => {
    const b = toBullet(text, BULLET_MAX_CHARS);
    if (b && !bullets.some((x) => x.toLowerCase() === b.toLowerCase())) bullets.push(b);
  };
  for (const c of chosen) addBullet(c.text);
  for (const c of group.primary.candidates) {
    // A section narrated from a single sentence still gets two bullets: the next sentence shows too.
    if (bullets.length >= 2) break;
    if (!picked.includes(c)) addBullet(c.text);
  }
  if (bullets.length === 0) bullets.push(truncate(heading, BULLET_MAX_CHARS));

  const section: ScriptSection = { heading, narration, bullets: bullets.slice(0, 4), citations };
  const figureId = figureFor(citations, passageFigures, figures);
  if (figureId) section.figureId = figureId;
  return section;
}

/** The first figure referenced by a cited passage that has alt text (so it can be described). */
function figureFor(citations: string[], passageFigures: Map<string, string[]>, figures: Figure[]): string | undefined {
  if (!Array.isArray(figures) || figures.length === 0) return undefined;
  const byId = new Map(figures.map((f) => [f.id, f]));
  for (const id of citations) {
    for (const fid of passageFigures.get(id) ?? []) {
      const f = byId.get(fid);
      if (f && typeof f.alt === 'string' && f.alt.trim()) return f.id;
    }
  }
  return undefined;
}

/**
 * Three or four takeaways: from each section (worked examples aside), the first narrated sentence
 * that can stand alone as a short general statement (a section's opening sentence is usually its
 * topic sentence); then, if that leaves fewer than three, the learning objectives.
 */
function pickTakeaways(groups: Group[], chosen: Candidate[][], topic: Topic, sections: ScriptSection[]): string[] {
  const out: string[] = [];
  const has = (t: string): boolean => out.some((x) => normalized(x) === normalized(t));
  const suitable = (c: Candidate, maxWords: number): boolean =>
    c.words <= maxWords &&
    c.words >= 6 &&
    !QUESTION.test(c.text) &&
    !SCENARIO.test(c.text) &&
    !MISCONCEPTION.test(c.text) &&
    !/["\u201C\u201D]/.test(c.text) &&
    !c.dependent &&
    !LEANS_BACK.test(withoutLeadingConnectives(c.text)) &&
    (c.text.match(/\d+(?:\.\d+)?/g)?.length ?? 0) <= 1 &&
    // A pronoun early on points back at a sentence the takeaway does not repeat.
    !/\b(?:it|its|they|them|their|this|these|those|he|she|his|her)\b/i.test(c.text.split(/\s+/).slice(0, 8).join(' ')) &&
    !has(c.text);
  // A takeaway must name something the lesson is about: the topic, a key term or its section's heading.
  const topicWords = contentTokens([topic.title, ...topic.keyTerms].join(' '));
  const aboutSomething = (c: Candidate, i: number): boolean => {
    const heading = contentTokens(groups[i].primary.heading);
    for (const t of contentTokens(c.text)) if (topicWords.has(t) || heading.has(t)) return true;
    return false;
  };
  const found: Array<string | undefined> = chosen.map(() => undefined);
  for (const [maxWords, strict] of [
    [TAKEAWAY_MAX_WORDS, true],
    [TAKEAWAY_RELAXED_MAX_WORDS, false],
  ] as const) {
    chosen.forEach((picked, i) => {
      const g = groups[i].primary;
      // Worked examples and misconception sections state no general takeaway of their own.
      if (found[i] || g.atomic || MISCONCEPTION_HEADING.test(g.heading) || found.filter(Boolean).length >= 4) return;
      const first = picked.find((c) => suitable(c, maxWords) && (!strict || aboutSomething(c, i)));
      if (first) {
        found[i] = first.text;
        out.push(first.text);
      }
    });
    if (out.length >= 3) break;
  }
  out.sort((a, b) => found.indexOf(a) - found.indexOf(b));
  for (const objective of topic.objectives) {
    if (out.length >= 3) break;
    const o = objective.replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
    if (!o) continue;
    const line = `You should now be able to ${o.charAt(0).toLowerCase()}${o.slice(1)}.`;
    if (!has(line)) out.push(line);
  }
  for (const s of sections) {
    if (out.length >= 2) break;
    for (const b of s.bullets) if (out.length < 2 && !has(`${b}.`)) out.push(`${b}.`);
  }
  return out.slice(0, 4);
}
