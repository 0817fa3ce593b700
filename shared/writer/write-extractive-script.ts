import { lessonKeyTerms } from '../text/key-phrases.js';
import { EMPTY_MATERIALS, type Equation, type Figure, type Passage, type Topic, type TopicMaterials } from '../domain/library.js';
import type { ScriptRequest } from '../ports/language-model.port.js';
import { gradeBand } from '../domain/generation.js';
import { ScriptSchema, sectionNarration, TAKEAWAY_MAX, type Beat, type Script, type ScriptSection } from '../domain/script.js';
import { analogiesFor, interestFamily } from './analogies.js';
import { checkQuestion, definitionOpening, SAY_MAX, equationBeat, exampleSection, interestBeat, interestSlot, pickEquations, sentencesToBeats, type BeatContext } from './compose-beats.js';
import { findCut, findDanglingReference } from './check-script-text.js';
import { toScreenPhrase } from './screen-phrase.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import { countWords, WORDS_PER_MINUTE } from '../text/sentences.js';
import {
  ADDITIVE_START,
  candidatesOf,
  contentTokens,
  definitionStrength,
  definitionTerms,
  isCleanBullet,
  leansOnPrevious,
  stemTokens,
  toTakeaway,
  withoutLeadingConnectives,
  type Candidate,
  type ScoringContext,
} from './extract.js';
import { GENERAL_INTEREST, sanitizeInterest } from './interest.js';
import { hookText, topicPhrase } from './templates.js';

/** The same request every script writer takes (passages in any order: narrated in reading order). */
export type ExtractiveScriptInput = ScriptRequest;

/** `Script.writer` of scripts written by this module. */
export const EXTRACTIVE_WRITER = 'extractive-v2';

/**
 * Narration size (hook + sections + takeaways), in words: 2 to a little over 3 minutes at
 * WORDS_PER_MINUTE. The equation, interest and worked-example beats count, and cannot shrink, so the
 * ceiling leaves them room.
 */
export const SCRIPT_WORDS = { min: 300, target: 370, tolerance: 20, max: 480 } as const;
/** Narration of one section, in words (the minimum is a target that very short sources may miss). */
export const SECTION_WORDS = { min: 50, max: 110 } as const;
const TITLE_MAX_CHARS = 120;
const HEADING_MAX_CHARS = 120;
const TAKEAWAY_MAX_WORDS = 25;
const TAKEAWAY_RELAXED_MAX_WORDS = 30;
const TAKEAWAY_ESTIMATE_WORDS = 15;
/** A key takeaway is short: a whole sentence or a clean clause of at most this many characters... */
export const TAKEAWAY_MAX_CHARS = 110;
/** ...or a whole sentence a little longer, when it cannot be shortened cleanly... */
const TAKEAWAY_WHOLE_MAX_CHARS = 125;
/** ...or longer still when it is a definition... */
const TAKEAWAY_DEFINITION_MAX_CHARS = 140;
/** ...and the statement of the topic itself is kept whole up to this many words. */
const TAKEAWAY_CORE_MAX_WORDS = 45;
/** The core statement pinned into the first section is at most this long. */
const CORE_MAX_WORDS = 50;
/** Enough text outside the summary for the sections: then the summary only gives the takeaways. */
const BODY_MIN_WORDS = 200;
/** The score of an ordinary sentence: a run gains from sentences above it and loses from those below. */
const RUN_SCORE_FLOOR = 1;
/** What filling a section's whole budget is worth to a run of sentences. */
const RUN_FILL_VALUE = 12;
/** Size of the run of sentences by which a passage's fitness for narration is judged (see unitQuality). */
const QUALITY_RUN_WORDS = 70;
const BUDGET_STEP = 6;

/** A run of sentences that can become one section: a passage, or part of one when sources are few. */
interface Unit {
  heading: string;
  order: number;
  candidates: Candidate[];
  /** A worked example: narrated whole when it fits a section (half a solution teaches little). */
  atomic: boolean;
  /** A summary passage ("Section Summary", "Key Concepts and Summary"): the source of the takeaways. */
  summary: boolean;
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
const SUMMARY_HEADING = /\b(?:summary|key concepts|key takeaways|key points)\b/i;
/** A question that asks for a procedure: its steps are worth narrating. */
const WANTS_STEPS = /\bhow (?:do|can|would|should) (?:i|you|we|one)\b|\bhow to\b|\bsteps?\b|\bprocedure\b/i;

/**
 * Write a script by extraction from the retrieved passages: the passages that best answer the
 * question become the sections (in reading order), each narrated by its best run of sentences within
 * a word budget, framed by a hook and one sentence that ties the topic to the student's interest.
 *
 * The core idea comes first: the sentence that best defines or states the topic (or a key term the
 * question is about) is narrated in the first section, borrowed from a later passage if need be.
 * Definitions outrank anecdotes, and procedures, formulas read out in words and sentences that lean
 * on one left out are avoided. A summary passage ("Section Summary") is not narrated when the other
 * sources suffice: it gives the key takeaways (and is cited by a section), with the definitions
 * narrated; never filler or a sentence that depends on the one before it.
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
  const question = typeof input.question === 'string' ? input.question.slice(0, 2000) : '';
  const ctx: ScoringContext = {
    questionTokens: contentTokens(question),
    topicTokens: contentTokens([topic.title, ...topic.keyTerms].join(' ')),
    keyTermPhrases: topic.keyTerms.map((k) => k.toLowerCase().trim()).filter((k) => k.length > 2),
    band,
    definitionTerms: definitionTerms(topic.title, topic.keyTerms),
    wantsSteps: WANTS_STEPS.test(question),
    questionStems: stemTokens(question),
  };
  const allUnits: Unit[] = [];
  candidatesOf(passages, ctx).forEach((candidates, i) => {
    const heading = passages[i].heading.replace(/\s+/g, ' ').trim();
    if (candidates.length > 0) {
      allUnits.push({ heading, order: i, candidates, atomic: WORKED_EXAMPLE.test(heading), summary: SUMMARY_HEADING.test(heading) });
    }
  });
  const sentenceCount = allUnits.reduce((n, u) => n + u.candidates.length, 0);
  if (sentenceCount < 3) {
    const what = sentenceCount === 0 ? 'no usable source text' : `too little usable source text (${sentenceCount} sentences)`;
    throw new PipelineError(ErrorCodes.noSources, `${what} for topic ${topic.id}`, {
      details: { topicId: topic.id, passages: passages.length, sentences: sentenceCount },
    });
  }
  // A summary restates the section in takeaway-sized sentences: it gives the takeaways, and is
  // narrated only when the rest of the sources are too thin for the sections.
  const summaries = allUnits.filter((u) => u.summary);
  const body = allUnits.filter((u) => !u.summary);
  const bodyIsEnough =
    body.reduce((n, u) => n + u.candidates.length, 0) >= 3 && body.reduce((n, u) => n + wordsOf(u.candidates), 0) >= BODY_MIN_WORDS;
  let units: Unit[] = (bodyIsEnough ? body : allUnits).map((u, i) => ({ ...u, order: i }));
  units = splitToAtLeast(units, 3);
  const totalWords = units.reduce((n, u) => n + wordsOf(u.candidates), 0);
  const materials: TopicMaterials = input.materials ?? EMPTY_MATERIALS;
  const glossary = materials.glossary;
  // A worked example from the book, when it has one that the screen can show step by step.
  const firstCitation = passages[0]?.id ?? '';
  const example = materials.examples.map((e) => exampleSection(e, firstCitation)).find((e): e is ScriptSection => e !== null) ?? null;
  const textSections = example ? 3 : units.length >= 4 && totalWords >= 4 * 60 ? 4 : 3;
  const core = findCore(units, bodyIsEnough ? summaries : [], ctx, question, topic.title);
  const groups = questionFirst(groupUnits(units, textSections, ctx, core), ctx);
  // The first section states the core idea: its own best statement when it has one nearly as good,
  // else the topic's best statement, borrowed from the passage that holds it.
  const pinned = core ? firstSectionStatement(groups[0], core, ctx, question, topic.title) : null;

  const hook = hookText(subject, phrase, interest);
  const family = interestFamily(interest ?? GENERAL_INTEREST);
  const concept = conceptPhrase(topic, phrase);
  const analogies = interest ? analogiesFor({ subject, family, interest, concept, seed: seedOf(`${topic.id}|${interest}`) }, 2) : [];
  const equations = pickEquations(materials.equations, ctx.questionTokens, question, 2);
  // "What is X?" about a term of the glossary: the lesson opens by saying what X is, in the book's words.
  const opening = definitionOpening(question, glossary);
  const extraWords =
    (opening ? countWords(opening.say) : 0) +
    analogies.reduce((n, a) => n + countWords(a.say), 0) +
    equations.reduce((n, e) => n + countWords(equationBeat(e.eq).say), 0) +
    (example ? countWords(sectionNarration(example)) : 0);
  const hookWords = countWords(hook);
  const passageRank = new Map(passages.map((p, i) => [p.id, i]));
  const figuresByPassage = new Map<string, Figure[]>();
  const figureById = new Map((Array.isArray(input.figures) ? input.figures : []).map((f) => [f.id, f]));
  for (const p of passages) {
    const shown = (p.figureIds ?? []).map((id) => figureById.get(id)).filter((f): f is Figure => !!f && !!f.path && !!(f.alt || '').trim());
    if (shown.length) figuresByPassage.set(p.id, shown);
  }

  const plan = (budget: number): Plan => {
    const beatCtx: BeatContext = { glossary, figuresByPassage, shownFigures: new Set(), keyTerms: lessonKeyTerms(topic.keyTerms, glossary.map((g) => g.term)) };
    const used = new Set<string>();
    const narrated = new Set<string>();
    const sections: ScriptSection[] = [];
    const chosen: Candidate[][] = [];
    groups.forEach((g, i) => {
      const own = Math.min(budget, SECTION_WORDS.max);
      const picked = pickSentences(g, own, SECTION_WORDS.max, used, narrated, i === 0 ? pinned : null, ctx);
      for (const c of picked) {
        used.add(normalized(c.text));
        narrated.add(candidateKey(c));
      }
      chosen.push(picked);
      sections.push(buildSection(g, picked, beatCtx, topic.title));
    });
    const { takeaways, sources } = pickTakeaways(groups, chosen, topic, sections, summaries, ctx, question);
    citeTakeawaySources(sections, sources, passageRank);
    const words =
      hookWords + extraWords + sections.reduce((n, s) => n + countWords(sectionNarration(s)), 0) + takeaways.reduce((n, t) => n + countWords(t), 0);
    return { sections, takeaways, words };
  };

  // One budget for the sections that are not worked examples, sized so the whole narration lands
  // in the 2-3 minute window, then nudged until it does (or the sources run out).
  const atomicWords = groups.reduce((n, g) => n + (g.primary.atomic ? Math.min(wordsOf(g.primary.candidates), SECTION_WORDS.max) : 0), 0);
  const flexible = Math.max(1, groups.filter((g) => !g.primary.atomic).length);
  let budget = clamp(
    Math.round((SCRIPT_WORDS.target - hookWords - extraWords - atomicWords - textSections * TAKEAWAY_ESTIMATE_WORDS) / flexible),
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

  const sections = result.sections;
  // Equations: a sentence that already says the equation shows it; else the one the question asks
  // about opens the first section, and another follows the sentence it belongs to.
  equations.forEach(({ eq, relevance }, n) => {
    const beat = equationBeat(eq, n);
    if (showOnSpokenSentence(sections, eq, beat)) return;
    if (n === 0 && relevance >= 2) {
      sections[0]!.beats.splice(sections[0]!.beats.length > 1 ? 1 : 0, 0, beat);
      return;
    }
    const words = new Set(`${eq.label ?? ''} ${eq.context}`.toLowerCase().match(/[a-z]{4,}/g) ?? []);
    let best = { section: 0, beat: 0, score: -1 };
    sections.forEach((sec, i) =>
      sec.beats.forEach((b, j) => {
        const overlap = (b.say.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => words.has(w)).length;
        if (overlap > best.score) best = { section: i, beat: j, score: overlap };
      }),
    );
    sections[best.section]!.beats.splice(best.beat + 1, 0, beat);
  });
  // The interest comes back in the body: one analogy in each of two sections after the first (never
  // between a sentence and the one that leans on it).
  analogies.forEach((a, n) => {
    const sec = sections[Math.min(sections.length - 1, 1 + n)]!;
    sec.beats.splice(interestSlot(sec.beats), 0, interestBeat(a.say, a.card, family));
  });
  if (opening && sections[0]) {
    const first = sections[0].beats;
    const same = first.findIndex((b) => b.kind === 'term' && b.term.toLowerCase() === opening.term.toLowerCase());
    if (same >= 0 && `${opening.say} ${first[same]!.say}`.length <= SAY_MAX) {
      // the card already there says it first
      const [card] = first.splice(same, 1);
      first.unshift({ ...(card as typeof opening), say: `${opening.say} ${card!.say}` });
    } else if (same < 0) first.unshift(opening);
  }
  if (example) sections.push(example);
  for (const sec of sections) sec.beats = sec.beats.slice(0, 14);
  numberRepeatedHeadings(sections);
  const takeaways = screenTakeaways(result.takeaways, sections);
  const words = hookWords + sections.reduce((n, sec) => n + countWords(sectionNarration(sec)), 0) + takeaways.reduce((n, t) => n + countWords(t), 0);
  const keyTerm = glossary.find((g) => topic.keyTerms.some((k) => k.toLowerCase() === g.term.toLowerCase())) ?? glossary[0] ?? null;

  const script: Script = {
    title: makeTitle(topic.title, interest),
    hook,
    sections,
    keyTakeaways: takeaways,
    check: checkQuestion(materials, keyTerm, takeaways[0] ?? topic.title, topic.title),
    keyTerms: lessonKeyTerms(topic.keyTerms, glossary.map((g) => g.term)),
    attribution: [{ book: book.title, publisher: book.publisher, license: book.license, licenseUrl: book.licenseUrl, url: book.url }],
    subject,
    interest: interest ?? GENERAL_INTEREST,
    gradeBand: band,
    wordCount: words,
    estimatedSeconds: Math.round((words / WORDS_PER_MINUTE) * 60 * 10) / 10,
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

/**
 * The question first: the section whose passage answers what was asked opens the lesson, the rest
 * follow in the book's order. A section moves only when it matches clearly more of the question.
 */
function questionFirst(groups: Group[], ctx: ScoringContext): Group[] {
  const asked = (g: Group): number => {
    const tokens = stemTokens(`${g.primary.heading} ${g.primary.candidates.map((c) => c.text).join(' ')}`);
    let n = 0;
    for (const t of ctx.questionStems ?? []) if (tokens.has(t)) n++;
    return n;
  };
  let best = 0;
  groups.forEach((g, i) => {
    if (asked(g) > asked(groups[best]!)) best = i;
  });
  if (best === 0 || asked(groups[best]!) < asked(groups[0]!) + 2) return groups;
  return [groups[best]!, ...groups.filter((_g, i) => i !== best)];
}

const MINOR_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** A heading the book sets in capitals ("REACTIONS: THE NON-IMPORTATION MOVEMENT") in title case; others unchanged. */
function titleCase(heading: string): string {
  const h = heading.replace(/\s+/g, ' ').trim();
  if (!/[A-Z]{3}/.test(h) || /[a-z]/.test(h)) return h;
  return h
    .toLowerCase()
    .split(' ')
    .map((w, i) => (i > 0 && MINOR_WORDS.has(w) ? w : w.replace(/^(\p{L})/u, (c) => c.toUpperCase()).replace(/-(\p{L})/gu, (_m, c: string) => `-${c.toUpperCase()}`)))
    .join(' ');
}

/** A key term of the topic or the topic itself, as a noun phrase for an analogy (a name keeps its capital). */
function conceptPhrase(topic: Topic, phrase: string): string {
  // The topic itself ("Newton's second law of motion"); a key term only when the title is too long to slot in.
  const term = topic.keyTerms.find((k) => k.length >= 4 && k.length <= 40);
  const text = (phrase.length <= 40 || !term ? phrase : term).replace(/\s+/g, ' ').trim();
  // Lower-case a common noun ("Friction" -> "friction"), not a name ("Newton's second law", "Massachusetts Circular Letter").
  const isName = /^[A-Z][a-z]+['\u2019]s\b/.test(text) || /^[A-Z]{2,}/.test(text) || /\s[A-Z]/.test(text);
  return isName ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

const spokenForm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** A point beat whose sentence already says the equation in words becomes the equation's beat (its sentence kept). */
function showOnSpokenSentence(sections: ScriptSection[], eq: Equation, beat: Extract<Beat, { kind: 'equation' }>): boolean {
  const speech = spokenForm(eq.speech);
  if (speech.split(' ').length < 3) return false;
  for (const sec of sections) {
    const j = sec.beats.findIndex((b) => b.kind === 'point' && spokenForm(b.say).includes(speech));
    if (j >= 0) {
      sec.beats[j] = { ...beat, say: sec.beats[j]!.say };
      return true;
    }
  }
  return false;
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Takeaways written for the screen: whole and at most TAKEAWAY_MAX characters, shortened to a clean phrase
 * or left out, never cut; the lesson's key terms and points fill in when fewer than three are left.
 */
function screenTakeaways(takeaways: string[], sections: ScriptSection[]): string[] {
  const out: string[] = [];
  for (const t of takeaways) {
    const clean = t.replace(/\s+/g, ' ').trim();
    const phrase = clean.length <= TAKEAWAY_MAX ? clean : toScreenPhrase(clean, TAKEAWAY_MAX);
    if (phrase && !findCut(phrase) && !findDanglingReference(phrase) && !out.includes(phrase)) out.push(phrase);
  }
  // Fill up to three with the key terms the lesson defined, then its points.
  for (const s of sections) {
    for (const b of s.beats) {
      const line = b.kind === 'term' ? `${b.term}: ${b.definition}` : null;
      if (out.length < 3 && line && line.length <= TAKEAWAY_MAX && !out.includes(line)) out.push(line);
    }
  }
  const headings = new Set(sections.map((s) => s.heading.toLowerCase()));
  for (const s of sections) {
    for (const b of s.beats) if (out.length < 3 && b.kind === 'point' && !headings.has(b.text.toLowerCase()) && !out.includes(b.text)) out.push(b.text);
  }
  return out.slice(0, 5);
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

function foldQuotes(s: string): string {
  return s.replace(/[\u2018\u2019\u02BC`]/g, "'");
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
    const replacement = pieces.map((candidates) => ({
      heading: u.heading,
      order: 0,
      candidates,
      atomic: false,
      summary: u.summary,
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

/** A sentence that can state the idea of a topic: a definition of it or of a key term. */
function isStatement(c: Candidate): boolean {
  return c.definition >= 2 && !c.leans && !QUESTION.test(c.text) && c.words >= 5 && c.words <= CORE_MAX_WORDS;
}

/** How well a statement states this topic for this question (higher is better). */
function statementScore(c: Candidate, ctx: ScoringContext, question: string, title: string): number {
  const stems = stemTokens(c.text);
  let titleOverlap = 0;
  for (const t of stemTokens(title)) if (stems.has(t)) titleOverlap++;
  let asked = 0;
  for (const t of stemTokens(question)) if (stems.has(t)) asked++;
  return 2 * c.definition + 0.75 * titleOverlap + 0.5 * asked - (c.procedural ? 3 : 0) - (c.long && ctx.band !== 'high' ? 1 : 0) - 0.05 * c.passageRank;
}

/**
 * The sentence that states the core idea of the topic: the best definition or statement of the
 * topic (its title) or of a key term, preferring one that the question asks about and one in the
 * body over one in the summary. Null when the sources define nothing.
 */
function findCore(units: Unit[], summaries: Unit[], ctx: ScoringContext, question: string, title: string): Candidate | null {
  let best: Candidate | null = null;
  let bestScore = -Infinity;
  for (const u of [...units, ...summaries]) {
    if (u.atomic) continue;
    for (const c of u.candidates) {
      if (!isStatement(c)) continue;
      const score = statementScore(c, ctx, question, title) - (u.summary ? 1.5 : 0);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
  }
  return best;
}

/** The statement the first section must narrate: its own best one when nearly as good as the core. */
function firstSectionStatement(first: Group, core: Candidate, ctx: ScoringContext, question: string, title: string): Candidate {
  if (first.primary.candidates.includes(core)) return core;
  const coreScore = statementScore(core, ctx, question, title);
  let best: Candidate | null = null;
  let bestScore = -Infinity;
  for (const c of first.primary.candidates) {
    if (!isStatement(c)) continue;
    const score = statementScore(c, ctx, question, title);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best && bestScore >= coreScore - 2.5 ? best : core;
}

const EXAMPLE_HEADING = /\b(?:examples?|everyday|daily|real[- ]world|in action|around us|applications?|uses|in life)\b/i;
const MISCONCEPTION_HEADING = /\b(?:misconceptions?|mistakes?|myths?|errors?)\b/i;

/**
 * The `count` most useful units become the sections (in reading order); the rest lend sentences.
 * Usefulness: the words of the question that go beyond the topic's own name (what the student
 * specifically asked about), the key terms a passage teaches and the definitions it gives, and a
 * light pedagogical prior: the passage that states the idea (the one holding the core statement,
 * else the opening passage), examples, misconceptions and worked examples first, then earlier
 * passages before later ones; procedures and problem-solving strategies last. The unit holding the
 * core statement is always a section.
 */
function groupUnits(units: Unit[], count: number, ctx: ScoringContext, core: Candidate | null): Group[] {
  const topicStems = stemTokens([...ctx.topicTokens].join(' '));
  const specific = new Set([...stemTokens([...ctx.questionTokens].join(' '))].filter((t) => !topicStems.has(t)));
  const coreUnit = core ? units.find((u) => u.candidates.includes(core)) : undefined;
  const names = [...new Set([...ctx.keyTermPhrases, ...(ctx.definitionTerms ?? [])].map((k) => foldQuotes(k.toLowerCase().trim())))].filter(
    (k) => k.length > 2,
  );
  const opening = coreUnit ?? units[0];
  const unitScore = (u: Unit): number => {
    const text = u.candidates.map((c) => c.text).join(' ');
    const tokens = stemTokens(`${u.heading} ${text}`);
    let asked = 0;
    for (const t of specific) if (tokens.has(t)) asked++;
    // The key terms and the topic's own name ("Newton's third law") it mentions.
    const lower = foldQuotes(text.toLowerCase());
    const terms = names.filter((k) => lower.includes(k)).length;
    const definitions = u.candidates.filter((c) => c.definition >= 2).length;
    const words = Math.max(1, wordsOf(u.candidates));
    const procedural = wordsOf(u.candidates.filter((c) => c.procedural)) / words;
    // How well it narrates (a passage of formulas and back-references does not).
    const quality = unitQuality(u, ctx);
    let s = 2 * asked + Math.min(2, 0.5 * terms) + Math.min(1.5, 0.5 * definitions) + clamp(0.3 * quality, -1, 2) - 0.15 * u.order;
    // A passage that is mostly a procedure or strategy (one procedural aside does not count).
    if (procedural >= 0.35) s -= (ctx.wantsSteps ? 1 : 2) * procedural;
    if (u === opening) s += 2;
    else if (u.order === 0) s += 1;
    if (u === coreUnit) s += 100;
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

function candidateKey(c: Candidate): string {
  return `${c.passageId}\u0000${c.index}`;
}

/**
 * A section's sentences, narrated in reading order: the best run of its passage that fits the word
 * budget, where a run starts at a sentence that stands on its own and goes on in order, skipping
 * sentences that cannot be narrated here, until the next one does not fit; the best run is the one
 * whose sentences score highest, so a definition or statement wins over an anecdote or a procedure,
 * and a section does not stop after a vivid opening when the definition comes just after it. Then, if
 * the passage ran out well short of the budget, the leading sentences of the passages it borrows
 * from. The `pinned` statement (the core idea, for the first section) is always narrated.
 *
 * Skipped: a sentence already narrated elsewhere; one too long for the grade band, a step of a
 * procedure (unless the question asks for one) or a formula read out in words (these three only when
 * the section would otherwise be thin); a sentence that leans on one not narrated just before it. A
 * worked example is taken whole, in order, when it fits.
 */
function pickSentences(
  group: Group,
  budget: number,
  cap: number,
  used: Set<string>,
  narrated: Set<string>,
  pinned: Candidate | null,
  ctx: ScoringContext,
): Candidate[] {
  const attempt = (relaxed: boolean): Candidate[] => {
    const picked: Candidate[] = [];
    const taken = new Set<string>();
    let words = 0;
    const take = (c: Candidate): void => {
      picked.push(c);
      taken.add(candidateKey(c));
      words += c.words;
    };
    const fresh = (c: Candidate, also?: Set<string>): boolean =>
      !taken.has(candidateKey(c)) && !(also?.has(candidateKey(c)) ?? false) && !used.has(normalized(c.text));
    const fitsAfter = (current: number, c: Candidate, atomic: boolean): boolean => {
      const after = current + c.words;
      // Take a sentence that overshoots the budget if that lands closer to it than stopping would.
      return atomic ? after <= cap : after <= Math.min(budget, cap) || (after - budget < budget - current && after <= cap);
    };
    const narratable = (c: Candidate): boolean =>
      relaxed || (!c.long && !c.formula && !QUESTION.test(c.text) && (!c.procedural || ctx.wantsSteps === true)) || c === pinned;
    /** A sentence that leans back is narrated only right after the sentence it leans on. */
    const previousOk = (c: Candidate, at: number, alsoTaken?: Set<string>): boolean => {
      if (!c.leans) return true;
      // "Furthermore, ..." only adds: it may follow any sentence of the section, just not open it.
      if (ADDITIVE_START.test(c.text) && !leansOnPrevious(withoutLeadingConnectives(c.text)) && taken.size + (alsoTaken?.size ?? 0) > 0) return true;
      // A passage that opens by pointing back at the one before it: only when the section has nothing else.
      if (c.index === 0) return relaxed && taken.size + (alsoTaken?.size ?? 0) === 0;
      const before = `${c.passageId}\u0000${c.index - 1}`;
      // A part of a split passage may go on from the sentence the section before ended with.
      return taken.has(before) || (alsoTaken?.has(before) ?? false) || (at === 0 && narrated.has(before));
    };
    if (pinned && fresh(pinned) && pinned.words <= cap) take(pinned);

    const units = [group.primary, ...group.supplementary];
    for (const u of units) {
      // Borrow from other passages only when this section's own passage ran out, well short.
      if (u !== group.primary && words >= budget * 0.75) break;
      const pool = u.candidates;
      if (u.atomic || u !== group.primary) {
        // In order from the start: a worked example whole, a borrowed passage by its opening.
        let previousTaken = true;
        for (const [at, c] of pool.entries()) {
          if (taken.has(candidateKey(c))) continue;
          const eligible = fresh(c) && narratable(c) && (!c.leans || (previousTaken && c.index > 0) || previousOk(c, at));
          if (!eligible) {
            previousTaken = false;
            continue;
          }
          if (!fitsAfter(words, c, u.atomic)) break;
          take(c);
          previousTaken = true;
        }
        continue;
      }
      // The best run of the section's own passage.
      const run = bestRun(pool, {
        startWords: words,
        budget,
        fits: (current, c) => fitsAfter(current, c, false),
        eligible: (c, at, inRun) => c !== pinned && fresh(c, inRun) && narratable(c) && previousOk(c, at, inRun),
        openWithReference: relaxed,
      });
      for (const c of run) take(c);
    }
    return picked.sort(readingOrder);
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

/**
 * The best run of sentences: it starts at an eligible sentence (not one that opens with a reference
 * to the sentence before it, unless allowed) and goes on in order, skipping ineligible sentences,
 * until the next eligible one does not fit. Best: the highest total of scores above RUN_SCORE_FLOOR,
 * plus RUN_FILL_VALUE for filling the budget; ties go to the earliest start.
 */
function bestRun(
  pool: Candidate[],
  opts: {
    startWords: number;
    /** The words the section should reach (with `startWords`). */
    budget: number;
    fits: (current: number, c: Candidate) => boolean;
    eligible: (c: Candidate, at: number, inRun: Set<string>) => boolean;
    /** Let a run open with "the wheels" of a sentence it leaves out (a last resort). */
    openWithReference?: boolean;
  },
): Candidate[] {
  let best: Candidate[] = [];
  let bestValue = -Infinity;
  for (let start = 0; start < pool.length; start++) {
    if (pool[start].refersBack && !opts.openWithReference) continue;
    const run: Candidate[] = [];
    const inRun = new Set<string>();
    let words = opts.startWords;
    for (let at = start; at < pool.length; at++) {
      const c = pool[at];
      if (!opts.eligible(c, at, inRun)) {
        if (at === start) break;
        continue;
      }
      if (!opts.fits(words, c)) break;
      run.push(c);
      inRun.add(candidateKey(c));
      words += c.words;
    }
    if (run.length === 0) continue;
    // What its sentences are worth beyond an ordinary sentence, and how much of the budget it fills:
    // a weak sentence is added only when the section would otherwise be short.
    const worth = run.reduce((n, c) => n + c.score - RUN_SCORE_FLOOR, 0);
    const value = worth + RUN_FILL_VALUE * Math.min(1, words / Math.max(1, opts.budget));
    if (value > bestValue) {
      best = run;
      bestValue = value;
    }
  }
  return best;
}

/** Mean score of the best run a unit would give a section of average size: how well it narrates. */
function unitQuality(u: Unit, ctx: ScoringContext): number {
  const run = bestRun(u.candidates, {
    startWords: 0,
    budget: QUALITY_RUN_WORDS,
    fits: (current, c) => current + c.words <= QUALITY_RUN_WORDS,
    eligible: (c, _at, inRun) =>
      !c.long &&
      !c.formula &&
      !QUESTION.test(c.text) &&
      (!c.procedural || ctx.wantsSteps === true) &&
      (!c.leans || (c.index > 0 && inRun.has(`${c.passageId}\u0000${c.index - 1}`)) || (ADDITIVE_START.test(c.text) && inRun.size > 0)),
  });
  return run.length ? run.reduce((n, c) => n + c.score, 0) / run.length : -2;
}

function readingOrder(a: Candidate, b: Candidate): number {
  return a.passageRank - b.passageRank || a.index - b.index;
}

const QUESTION = /\?["'\u2019\u201D)]?$/;
const LEANS_BACK =
  /^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|here|then|however|but|so|thus|therefore|also|instead|another|the other|both|neither|finally|first|second|third|fourth|next|in that case|as a result|even so|yet|still)\b/i;
const SCENARIO = /^(?:suppose|consider|imagine|let us|let's|take|listen|look at|picture|say|if (?:we|you))\b/i;
const MISCONCEPTION = /\b(?:misconceptions?|mistakes?|myths?|fallacy|(?:many|some) (?:people|students) (?:think|believe|feel)|students (?:often|sometimes) (?:think|ask|believe))\b/i;

function buildSection(group: Group, picked: Candidate[], beatCtx: BeatContext, topicTitle: string): ScriptSection {
  const heading = truncate(titleCase(group.primary.heading) || topicTitle, HEADING_MAX_CHARS) || 'Key ideas';
  const citations: string[] = [];
  for (const c of picked) if (!citations.includes(c.passageId)) citations.push(c.passageId);
  let beats = sentencesToBeats(picked.map((c) => ({ text: c.text, passageId: c.passageId })), beatCtx, heading);
  if (beats.length === 0) {
    const first = picked[0];
    beats = first ? [{ kind: 'point', say: first.text.slice(0, 400), text: truncate(heading, 60) }] : [];
  }
  return { heading, beats, citations: citations.length ? citations : [group.primary.candidates[0]!.passageId] };
}

/** A transition that announces more of something, and says nothing on its own. */
const FILLER = /\b(?:examples?|instances?|cases?)\b[^.]{0,60}\b(?:are|is) (?:easy to find|everywhere|all around(?: us)?|common|numerous|plentiful)\b|\beasy to find\b/i;

interface Takeaway {
  text: string;
  /** The passage it comes from, or null (a learning objective, a bullet). */
  source: Candidate | null;
}

/**
 * Three or four takeaways, each a short statement (at most TAKEAWAY_MAX_CHARS, a little more for a
 * definition, and the statement of the topic itself whole). From the summary passage when there is
 * one (its sentences are takeaway-shaped; those about what was narrated, definitions and the topic's
 * statement first); else, or to make up three, the definitions and statements narrated; then the
 * first sentence of each section that can stand alone as a general statement; then the learning
 * objectives. Never a sentence that leans on the one before it, a question, a scenario, a quotation
 * or a transition ("Other examples ... are easy to find.").
 */
function pickTakeaways(
  groups: Group[],
  chosen: Candidate[][],
  topic: Topic,
  sections: ScriptSection[],
  summaries: Unit[],
  ctx: ScoringContext,
  question: string,
): { takeaways: string[]; sources: string[] } {
  const out: Takeaway[] = [];
  const has = (t: string): boolean => out.some((x) => normalized(x.text) === normalized(t));
  const titleStems = stemTokens(topic.title);
  let coreUsed = false;
  const standalone = (c: Candidate): boolean => {
    // An enumeration ("First, the Union ...", "Second, ...") stands alone without its connective.
    const text = withoutLeadingConnectives(c.text);
    return (
      c.words >= 6 &&
      !QUESTION.test(c.text) &&
      !SCENARIO.test(c.text) &&
      !MISCONCEPTION.test(c.text) &&
      !FILLER.test(c.text) &&
      !/["\u201C\u201D]/.test(c.text) &&
      (!c.leans || (text !== c.text && !leansOnPrevious(text))) &&
      !c.procedural &&
      !c.formula &&
      !LEANS_BACK.test(text) &&
      (c.text.match(/\d+(?:\.\d+)?/g)?.length ?? 0) <= 1 &&
      // A pronoun early on, or "this/these/such" anywhere, points back at a sentence the takeaway does not repeat.
      !/\b(?:it|its|they|them|their|he|she|his|her|then)\b/i.test(text.split(/\s+/).slice(0, 8).join(' ')) &&
      !/^(?:we|you)\b/i.test(text) &&
      !/\b(?:this|these|such)\s+\p{L}|\bthose\s+(?!who\b|whose\b|that\b|which\b|of\b|in\b|with\b|for\b)\p{L}/iu.test(text)
    );
  };
  /** The takeaway of a sentence, or null when it cannot be made short enough cleanly. */
  const terms = ctx.definitionTerms ?? [];
  const shortened = (c: Candidate): string | null => {
    const short = toTakeaway(c.text, TAKEAWAY_MAX_CHARS);
    // A definition shortened must still say what it defines ("The first object experiences ..." does not).
    if (short && (c.definition < 2 || definitionStrength(short, terms) >= 2)) return short;
    const whole = toTakeaway(c.text, Number.MAX_SAFE_INTEGER);
    if (!whole) return null;
    if (whole.length <= TAKEAWAY_WHOLE_MAX_CHARS) return whole;
    if (c.definition >= 2 && whole.length <= TAKEAWAY_DEFINITION_MAX_CHARS) return whole;
    // The statement of the topic itself ("Newton's third law of motion states that ...") stays whole.
    const aboutTopic = [...stemTokens(c.text)].some((t) => titleStems.has(t));
    if (!coreUsed && c.definition >= 2.5 && aboutTopic && c.words <= TAKEAWAY_CORE_MAX_WORDS) {
      coreUsed = true;
      return whole;
    }
    return null;
  };
  /** Two takeaways that say nearly the same thing (the law in the body and again in the summary). */
  const repeats = (text: string): boolean => {
    const a = stemTokens(text);
    return out.some((t) => {
      const b = stemTokens(t.text);
      let shared = 0;
      for (const x of a) if (b.has(x)) shared++;
      return shared / Math.max(1, Math.min(a.size, b.size)) >= 0.6;
    });
  };
  const add = (c: Candidate | null, text: string | null): boolean => {
    if (!text || has(text) || out.length >= 4 || repeats(text)) return false;
    out.push({ text, source: c });
    return true;
  };
  const words = (): number => out.reduce((n, t) => n + countWords(t.text), 0);
  const enough = (): boolean => out.length >= 4 || (out.length >= 3 && words() > 45);

  // 1. The summary's sentences and the definitions narrated, ranked together: the summary first
  // (about what the sections narrated, its opening statement first), then definitions and
  // statements, then what the question asks about.
  const narratedStems = stemTokens(chosen.flat().map((c) => c.text).join(' '));
  const questionStems = stemTokens(question);
  const summaryIds = new Set(summaries.flatMap((u) => u.candidates.map(candidateKey)));
  const rank = (c: Candidate): number => {
    const stems = [...stemTokens(c.text)];
    const asked = stems.filter((t) => questionStems.has(t)).length;
    const titled = stems.filter((t) => titleStems.has(t)).length;
    let r = 1.5 * c.definition + 0.5 * asked + 0.5 * titled;
    if (summaryIds.has(candidateKey(c))) {
      const narrated = stems.filter((t) => narratedStems.has(t)).length / Math.max(1, stems.length);
      r += 2 + 2 * narrated + (c.index === 0 ? 1.5 : 0) - 0.1 * c.index;
    }
    return r;
  };
  // A summary sentence about the passages retrieved for the question (not another part of the
  // section), a definition, what was asked, or the summary's opening statement.
  const sourceStems = stemTokens(groups.flatMap((g) => [g.primary, ...g.supplementary].flatMap((u) => u.candidates.map((c) => c.text))).join(' '));
  const relevant = (c: Candidate): boolean => {
    const stems = [...stemTokens(c.text)];
    const covered = stems.filter((t) => sourceStems.has(t)).length / Math.max(1, stems.length);
    return c.index === 0 || covered >= 0.34 || c.definition >= 2 || stems.some((t) => questionStems.has(t));
  };
  const pool = [
    ...summaries.flatMap((u) => u.candidates).filter((c) => standalone(c) && relevant(c)),
    ...chosen.flat().filter((c) => c.definition >= 2 && standalone(c) && !summaryIds.has(candidateKey(c))),
  ];
  for (const c of pool.sort((a, b) => rank(b) - rank(a) || readingOrder(a, b))) {
    if (enough()) break;
    add(c, shortened(c));
  }
  // 3. A general statement from each section (worked examples and misconceptions aside).
  const topicWords = contentTokens([topic.title, ...topic.keyTerms].join(' '));
  const aboutSomething = (c: Candidate, i: number): boolean => {
    const heading = contentTokens(groups[i].primary.heading);
    for (const t of contentTokens(c.text)) if (topicWords.has(t) || heading.has(t)) return true;
    return false;
  };
  for (const [maxWords, strict] of [
    [TAKEAWAY_MAX_WORDS, true],
    [TAKEAWAY_RELAXED_MAX_WORDS, false],
  ] as const) {
    if (out.length >= 3) break;
    chosen.forEach((picked, i) => {
      const g = groups[i].primary;
      if (out.length >= 3 || g.atomic || MISCONCEPTION_HEADING.test(g.heading)) return;
      if (out.some((t) => t.source && picked.includes(t.source))) return;
      const ordered = [...picked].sort((a, b) => b.definition - a.definition || readingOrder(a, b));
      for (const c of ordered) {
        if (c.words > maxWords || !standalone(c) || (strict && !aboutSomething(c, i))) continue;
        if (add(c, shortened(c))) break;
      }
    });
  }
  // In reading order, except that the best-ranked statement (the topic's own, when there is one) leads.
  let lead: Takeaway | undefined;
  for (const t of out) {
    if (t.source && isStatement(t.source) && (!lead || statementScore(t.source, ctx, question, topic.title) > statementScore(lead.source!, ctx, question, topic.title))) lead = t;
  }
  out.sort((a, b) => (a === lead ? -1 : b === lead ? 1 : a.source && b.source ? readingOrder(a.source, b.source) : a.source ? -1 : b.source ? 1 : 0));
  // 4. The learning objectives; at the very least, two slide bullets.
  for (const objective of topic.objectives) {
    if (out.length >= 3) break;
    const o = objective.replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
    if (!o) continue;
    add(null, `You should now be able to ${o.charAt(0).toLowerCase()}${o.slice(1)}.`);
  }
  // At the very least two: the sections' points.
  const points = sections.flatMap((s) => s.beats.flatMap((b) => (b.kind === 'point' ? [b.text] : [])));
  for (const p of points) if (out.length < 2 && isCleanBullet(p)) add(null, `${p}.`);
  for (const p of points) if (out.length < 2 && !has(`${p}.`)) out.push({ text: `${p}.`, source: null });
  const sources = [...new Set(out.flatMap((t) => (t.source ? [t.source.passageId] : [])))];
  return { takeaways: out.slice(0, 4).map((t) => t.text), sources };
}

/**
 * A passage that gives a takeaway is cited: by the section it is narrated in, else by the last
 * section that starts before it in reading order (the first section, if none does).
 */
function citeTakeawaySources(sections: ScriptSection[], sources: string[], passageRank: Map<string, number>): void {
  for (const id of sources) {
    if (sections.some((s) => s.citations.includes(id))) continue;
    const rank = passageRank.get(id) ?? Number.MAX_SAFE_INTEGER;
    let target = sections[0];
    for (const s of sections) if ((passageRank.get(s.citations[0]) ?? Number.MAX_SAFE_INTEGER) <= rank) target = s;
    target.citations.push(id);
  }
}
