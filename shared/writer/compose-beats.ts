import type { Equation, Figure, GlossaryEntry, TopicMaterials, WorkedExample } from '../domain/library.js';
import { keyPhrases } from '../text/key-phrases.js';
import { EXAMPLE_TEXT_MAX, SCREEN_PHRASE_MAX, type Beat, type CheckQuestion, type InterestFamily, type ScriptSection } from '../domain/script.js';
import { countWords, splitSentences } from '../text/sentences.js';
import { findDanglingReference, opensWithOrphanPronoun } from './check-script-text.js';
import { toScreenPhrase } from './screen-phrase.js';

/**
 * The offline writer's beats: narrated sentences become screens (a point, a key-term card, a
 * figure), equations and worked examples come from the topic's materials, never invented.
 */

/** The longest `say` of a beat (schema limit, with room to spare). */
/** Longest narration of one beat (the script schema's Say allows 420). */
export const SAY_MAX = 400;
const DEFINITION_MAX = 140;

export interface NarratedSentence {
  text: string;
  passageId: string;
}

export interface BeatContext {
  glossary: GlossaryEntry[];
  /** Figures the section may show (with a file and alt text), by the passage that references them. */
  figuresByPassage: Map<string, Figure[]>;
  /** Figure ids already shown in the lesson (a figure is shown once). */
  shownFigures: Set<string>;
  /** Terms already carded in the lesson (folded case): a term card is shown once. */
  shownTerms?: Set<string>;
  /** The book's key terms of the topic (a sentence with no short phrase may show the one it names). */
  keyTerms?: string[];
}

/**
 * What a point shows for a sentence with no short phrase of its own: the best key phrase it says
 * (a key term, a number with its unit, a name, two or three content words) when that is not the
 * heading or the point before; else the heading.
 */
function fallbackPointText(text: string, heading: string, ctx: BeatContext, prev: Beat | undefined): string {
  const before = prev && prev.kind === 'point' ? prev.text : '';
  const ranked = keyPhrases(text, `${heading} ${before}`, ctx.keyTerms ?? ctx.glossary.map((g) => g.term)).sort((a, b) => b.score - a.score);
  // a strong phrase (a key term, a name, a number), else a phrase of two words or more, before the heading again
  const best = ranked.find((c) => c.score >= 8) ?? ranked.find((c) => c.score >= 4 && c.text.includes(' '));
  if (best) return capitalise(best.text).slice(0, SCREEN_PHRASE_MAX);
  return toScreenPhrase(heading, SCREEN_PHRASE_MAX) ?? heading.slice(0, SCREEN_PHRASE_MAX).trim();
}

const foldCase = (s: string) => s.toLowerCase().replace(/[\u2018\u2019]/g, "'");

/** The glossary term a sentence defines ("Inertia is ...", "... is called inertia"), if any. */
function definedTerm(sentence: string, glossary: GlossaryEntry[]): GlossaryEntry | null {
  const s = foldCase(sentence);
  for (const g of glossary) {
    const t = foldCase(g.term.trim());
    if (t.length < 3) continue;
    if (s.startsWith(`${t} is `) || s.startsWith(`${t} are `) || s.startsWith(`the ${t} is `) || new RegExp(`\\b(?:called|known as|defined as|termed)\\s+(?:the\\s+|an?\\s+)?${escapeRegex(t)}\\b`).test(s)) return g;
  }
  return null;
}

/** The longest glossary term a sentence names that the section has not carded yet. */
function mentionedTerm(sentence: string, glossary: GlossaryEntry[], beats: Beat[]): GlossaryEntry | null {
  const s = foldCase(sentence);
  let best: GlossaryEntry | null = null;
  for (const g of glossary) {
    const t = foldCase(g.term.trim());
    if (t.length < 4 || beats.some((b) => b.kind === 'term' && foldCase(b.term) === t)) continue;
    if (new RegExp(`\\b${escapeRegex(t)}\\b`).test(s) && (!best || t.length > best.term.length)) best = g;
  }
  return best;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A one-line definition for a card: the glossary's, shortened to a screen line when it is long. */
function cardDefinition(entry: GlossaryEntry): string | null {
  const d = entry.definition.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (d.length <= DEFINITION_MAX) return d;
  return toScreenPhrase(d, DEFINITION_MAX);
}

/**
 * Narrated sentences -> beats. Each sentence is a beat whose screen is a short phrase of it; a
 * sentence that defines a glossary term shows the term card; a sentence from a passage with a
 * figure shows that figure (once); a sentence with no clean phrase joins the beat before it (two
 * sentences, one screen), or, first in its section, shows the section's first phrase.
 */
export function sentencesToBeats(sentences: NarratedSentence[], ctx: BeatContext, heading: string): Beat[] {
  const beats: Beat[] = [];
  const shownTerms = (ctx.shownTerms ??= new Set());
  const carded = (term: string) => shownTerms.has(foldCase(term.trim()));
  const card = (term: string) => shownTerms.add(foldCase(term.trim()));
  for (const s of sentences) {
    const text = s.text.replace(/\s+/g, ' ').trim();
    if (!text || findDanglingReference(text)) continue;
    const prev = beats[beats.length - 1];
    const term = definedTerm(text, ctx.glossary);
    const definition = term ? cardDefinition(term) : null;
    if (term && definition && !carded(term.term)) {
      card(term.term);
      beats.push({ kind: 'term', say: text, term: term.term.slice(0, 60), definition });
      continue;
    }
    const figure = (ctx.figuresByPassage.get(s.passageId) ?? []).find((f) => !ctx.shownFigures.has(f.id));
    if (figure && beats.length > 0) {
      ctx.shownFigures.add(figure.id);
      beats.push({ kind: 'figure', say: text, figureId: figure.id, caption: figureCaption(figure) });
      continue;
    }
    const phrase = toScreenPhrase(text, SCREEN_PHRASE_MAX);
    if (!phrase) {
      // A sentence too long for the screen shows the key term it is about, when it names one.
      const mentioned = mentionedTerm(text, ctx.glossary.filter((g) => !carded(g.term)), beats);
      const def = mentioned ? cardDefinition(mentioned) : null;
      if (mentioned && def) {
        card(mentioned.term);
        beats.push({ kind: 'term', say: text, term: mentioned.term.slice(0, 60), definition: def });
        continue;
      }
    }
    const sentencesInPrev = prev ? splitSentences(prev.say).length : 0;
    if (!phrase && prev && sentencesInPrev < 2 && prev.say.length + text.length + 1 <= SAY_MAX) {
      prev.say = `${prev.say} ${text}`;
      continue;
    }
    if (!phrase && prev && opensWithOrphanPronoun(text, prev.say)) continue;
    // (names that only say the heading again are not a point: "First New Deal" under "The First New Deal")
    const names = namesAndDates(text);
    const shown = phrase ?? (names && !foldCase(heading).includes(foldCase(names)) ? names : null) ?? sentenceSubject(text, heading);
    if (text.length > SAY_MAX) continue;
    if (!shown) {
      // Nothing short to show: the sentence stays with the screen before it (three sentences at most).
      if (prev && splitSentences(prev.say).length < 3 && prev.say.length + text.length + 1 <= SAY_MAX) prev.say = `${prev.say} ${text}`;
      else beats.push({ kind: 'point', say: text, text: fallbackPointText(text, heading, ctx, prev) });
      continue;
    }
    beats.push({ kind: 'point', say: text, text: shown });
  }
  // The screen changes at least once a section: a lone beat of two sentences becomes two beats.
  const only = beats.length === 1 ? beats[0]! : null;
  const parts = only ? splitSentences(only.say) : [];
  if (only && parts.length >= 2) {
    only.say = parts[0]!;
    const rest = parts.slice(1).join(' ');
    beats.push({ kind: 'point', say: rest, text: fallbackPointText(rest, heading, ctx, only) });
  }
  return beats;
}

const SUBJECT_VERB = /^((?:the |a |an )?[\p{L}\p{N}'\u2019-]+(?: [\p{L}\p{N}'\u2019-]+){0,6}?) (?:is|are|was|were|states|describes|shows|means|says|gives|tells|explains|relates|depends|acts|occurs|happens|has|have|can|cannot|will|must|changes|causes|produces|measures|tells us)\b/iu;
const NOT_A_SUBJECT = /^(?:when|if|because|since|although|while|as|for|in|on|at|by|with|after|before|during|this|these|that|those|it|they|there|here|we|you|one|such|both|each|however|thus|so|then|now)\b/i;

/**
 * What a long sentence is about, for the screen: its subject when it opens with one ("Newton's
 * second law states that ..." -> "Newton's second law"), unless that is only the heading again.
 */
export function sentenceSubject(sentence: string, heading = ''): string | null {
  const m = SUBJECT_VERB.exec(sentence.trim());
  if (!m) return null;
  const subject = m[1]!.replace(/^(?:the|a|an) /i, (a) => a.charAt(0).toUpperCase() + a.slice(1));
  if (NOT_A_SUBJECT.test(subject) || subject.split(' ').length < 2 || subject.length > SCREEN_PHRASE_MAX) return null;
  if (foldCase(subject) === foldCase(heading.trim())) return null;
  return subject.charAt(0).toUpperCase() + subject.slice(1);
}

const NAME_WORD = /^(?:\p{Lu}[\p{L}'\u2019.-]*|of|the|and|de|von|van)$/u;
const SMALL = new Set(['of', 'the', 'and', 'de', 'von', 'van']);

/**
 * What a long sentence names, for the screen: its proper names of two words or more ("Townshend
 * Revenue Act", "John Dickinson") and its years, joined by a middle dot; null when it names none
 * or they do not fit. The sentence's first word is skipped unless a name continues from it.
 */
export function namesAndDates(sentence: string, max = SCREEN_PHRASE_MAX): string | null {
  const words = sentence.replace(/[“”"()]/g, ' ').split(/\s+/).filter(Boolean);
  const found: string[] = [];
  let run: string[] = [];
  const flush = () => {
    while (run.length && SMALL.has(run[run.length - 1]!)) run.pop();
    while (run.length && SMALL.has(run[0]!)) run.shift();
    if (run.length >= 2) found.push(run.join(' ').replace(/['\u2019]s$/u, ''));
    run = [];
  };
  words.forEach((raw, i) => {
    const w = raw.replace(/[,;:.!?]+$/, '');
    const ends = w !== raw;
    if (/^(1[0-9]{3}|20[0-9]{2})s?$/.test(w)) {
      flush();
      found.push(w);
    } else if (NAME_WORD.test(w) && !(i === 0 && !NAME_WORD.test((words[1] ?? '').replace(/[,;:.!?]+$/, '')))) {
      run.push(w);
    } else flush();
    if (ends) flush();
  });
  flush();
  const unique = [...new Set(found)].filter((n) => !/^(?:The|A|An|In|On|At|By|For|From|With|As|To)\s/.test(n) || n.split(' ').length > 2).map((n) => n.replace(/^(?:The|In|On|At|By|For|From|With|As|To)\s+/, ''));
  let out = '';
  for (const n of unique) {
    const next = out ? `${out} \u00b7 ${n}` : n;
    if (next.length > max) break;
    out = next;
  }
  return out && (out.includes(' ') || /\d/.test(out)) ? out : null;
}

/** A figure's caption for the screen: the book's caption without its "(credit: ...)" tail when too long. */
export function figureCaption(f: Figure): string {
  const caption = (f.caption || f.alt).replace(/\s+/g, ' ').trim();
  if (caption.length <= 160) return caption;
  const noCredit = caption.replace(/\s*\(credit[^)]*\)\s*$/i, '');
  if (noCredit.length <= 160) return noCredit;
  return toScreenPhrase(noCredit, 160) ?? noCredit.split(/(?<=[.!?])\s+/)[0]!.slice(0, 160);
}

const SYMBOLS_OPENERS = ['In symbols', 'Written as an equation', 'As an equation'];

/** An equation beat: shown typeset, said in words. */
export function equationBeat(eq: Equation, n = 0): Extract<Beat, { kind: 'equation' }> {
  const speech = eq.speech.replace(/\s+/g, ' ').trim().replace(/[.]$/, '');
  const label = eq.label ? capitalise(eq.label.replace(/^the\s+/i, '')) : undefined;
  // "Newton's second law says ...", "The quadratic formula says ...".
  // (a label in title case is a common noun all the same: "Quadratic Formula" -> "The quadratic formula")
  const common = (l: string) => (l.split(/\s+/).every((w) => /^\p{Lu}/u.test(w)) ? l.toLowerCase() : `${l.charAt(0).toLowerCase()}${l.slice(1)}`);
  const named = label && (/^\p{Lu}\p{Ll}+['\u2019]s\b/u.test(label) ? label : `The ${common(label)}`);
  const say = named ? `${named} says: ${speech}.` : `${SYMBOLS_OPENERS[n % SYMBOLS_OPENERS.length]}: ${speech}.`;
  const beat: Extract<Beat, { kind: 'equation' }> = { kind: 'equation', say: say.slice(0, SAY_MAX), math: eq.math };
  if (label && label.length <= SCREEN_PHRASE_MAX) beat.label = label;
  return beat;
}

function capitalise(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** How much an equation is about the question: words of its label, context or speech the question uses, or its symbols written out. */
export function equationRelevance(eq: Equation, questionTokens: Set<string>, questionRaw: string): number {
  const words = new Set(`${eq.label ?? ''} ${eq.context}`.toLowerCase().match(/[a-z]{3,}/g) ?? []);
  let score = 0;
  for (const t of questionTokens) if (words.has(t)) score += 1;
  if (eq.label && questionRaw.toLowerCase().includes(eq.label.toLowerCase().replace(/^the\s+/, ''))) score += 3;
  // "F = ma", "PV = nRT": the formula typed as letters.
  const typed = questionRaw.replace(/\s+/g, '');
  if (/=/.test(typed) && eq.math.source.length < 2000) {
    const letters = (typed.match(/[A-Za-z]/g) ?? []).join('');
    const eqLetters = eq.math.format === 'tex' ? eq.math.source.replace(/\\[a-z]+/gi, '').match(/[A-Za-z]/g) ?? [] : [...eq.math.source.matchAll(/<(?:\w+:)?mi[^>]*>([^<]*)</g)].map((m) => m[1]!.trim());
    const eqSet = new Set(eqLetters.join('').split(''));
    if (letters.length >= 2 && letters.split('').every((c) => eqSet.has(c))) score += 4;
  }
  return score;
}

/** The best equations for the lesson: the question's first, then in the book's order; trivial ones left out. */
export function pickEquations(equations: Equation[], questionTokens: Set<string>, questionRaw: string, max = 2): Array<{ eq: Equation; relevance: number }> {
  const usable = equations.filter((e) => e.speech.trim().length >= 5 && e.speech.length <= 300);
  const scored = usable.map((eq) => ({ eq, relevance: equationRelevance(eq, questionTokens, questionRaw) + (eq.label ? 1 : 0) }));
  scored.sort((a, b) => b.relevance - a.relevance || a.eq.ordinal - b.eq.ordinal);
  // One form of a law is enough ("a = F/m" and "F = ma" are the same law).
  const seen = new Set<string>();
  return scored.filter(({ eq }) => {
    const key = (eq.label ?? eq.id).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, max);
}

/** Most words a worked example says (its problem and steps): about a minute of spoken math. */
export const EXAMPLE_WORDS_MAX = 140;

/** A step shows all it says (the screen fills in as it is read), in whole sentences. */
const STEP_TEXT_MAX = EXAMPLE_TEXT_MAX;

function screenStep(text: string): string | null {
  // A step that is a connective before its equation ("Therefore,") shows the word without the comma.
  const t = text.replace(/\s+/g, ' ').trim().replace(/^(\p{L}+)\s*[,:;]$/u, '$1');
  if (!t) return null;
  if (t.length <= STEP_TEXT_MAX) return t;
  // As many whole sentences as fit; a first sentence too long alone becomes a screen phrase.
  let kept = '';
  for (const sentence of splitSentences(t)) {
    const next = kept ? `${kept} ${sentence}` : sentence;
    if (next.length > STEP_TEXT_MAX) break;
    kept = next;
  }
  return kept || toScreenPhrase(splitSentences(t)[0] ?? t, SCREEN_PHRASE_MAX);
}

/**
 * A worked example as a section: the problem (step 0), then each step of the book's solution, its
 * equation typeset. Nothing is invented: a step the screen cannot show cleanly is left out, and an
 * example left with fewer than two steps is not used.
 */
export function exampleSection(example: WorkedExample, citation: string): ScriptSection | null {
  // The screen shows quantities in symbols where the book's math reads well on a line; the voice says them.
  const problemText = screenStep(example.problemScreen ?? example.problem);
  if (!problemText || example.problem.length > SAY_MAX - 40) return null;
  const title = example.title.replace(/\s+/g, ' ').trim().slice(0, 80) || 'Worked example';
  const beats: Beat[] = [{ kind: 'example', say: `Let's work an example. ${example.problem.trim()}`.slice(0, SAY_MAX), title, step: 0, text: problemText }];
  let step = 0;
  let words = countWords(beats[0]!.say);
  for (const s of example.steps) {
    if (step >= 4) break;
    // A step's spoken equation may end on the comma of its last row: it ends the sentence.
    const say = s.speech.replace(/\s+/g, ' ').trim().replace(/\s*[,;:]$/, '.');
    if (!say || say.length > SAY_MAX || findDanglingReference(say)) continue;
    const text = screenStep(s.screen ?? s.text) ?? (s.math ? 'Substitute and solve' : null);
    if (!text) continue;
    // Two steps at least; after that, no step that takes the example past its share of the lesson
    // (spoken math is slow: the ideal gas law's four steps ran 79 s and the lesson 248 s).
    if (step >= 2 && words + countWords(say) > EXAMPLE_WORDS_MAX) break;
    words += countWords(say);
    step++;
    const beat: Extract<Beat, { kind: 'example' }> = { kind: 'example', say, title, step, text };
    if (s.math) beat.math = s.math;
    beats.push(beat);
  }
  if (step < 2) return null;
  return { heading: 'Worked example', beats, citations: [citation] };
}

/** The closing question: the module's own review question when it has a short one, else its key term. */
export function checkQuestion(materials: TopicMaterials, fallbackTerm: GlossaryEntry | null, takeaway: string, topicTitle: string): CheckQuestion {
  const review = materials.reviewQuestions
    .filter((q) => q.question.length <= 300 && q.answer.length <= 300 && q.answer.trim().length > 0 && !findDanglingReference(q.question) && !findDanglingReference(q.answer))
    .sort((a, b) => a.question.length + a.answer.length - (b.question.length + b.answer.length))[0];
  if (review) {
    const shown = review.questionScreen && review.answerScreen && review.questionScreen.length <= 300 && review.answerScreen.length <= 300 ? { question: review.questionScreen.trim(), answer: review.answerScreen.trim() } : null;
    return { question: review.question.trim(), answer: review.answer.trim(), ...(shown ? { shown } : {}) };
  }
  if (fallbackTerm) {
    const def = fallbackTerm.definition.replace(/\s+/g, ' ').trim();
    if (def.length <= 280) return { question: `In your own words: what is ${withArticle(fallbackTerm.term.trim())}?`, answer: capitalise(def.endsWith('.') ? def : `${def}.`) };
  }
  const t = takeaway.trim();
  return { question: `What is the one idea to remember about ${topicTitle.replace(/^\d+(\.\d+)*\s*/, '').trim()}?`.slice(0, 300), answer: (t.endsWith('.') ? t : `${t}.`).slice(0, 300) };
}

/** An interest card beat from an analogy. */
export function interestBeat(say: string, card: string, family: InterestFamily): Beat {
  return { kind: 'interest', say: say.slice(0, 420), text: card.slice(0, 120), icon: family };
}

/** A name of two or more capitalised words takes "the" ("the Louisiana Purchase"); a possessive or a common noun does not. */
export function withArticle(term: string): string {
  const t = term.trim();
  if (/^(?:the|a|an)\s/i.test(t) || /['’]s\b/.test(t)) return t;
  const words = t.split(/\s+/);
  return words.length >= 2 && words.every((w) => /^\p{Lu}/u.test(w) || /^(?:of|and|the|de|in)$/.test(w)) ? `the ${t}` : t;
}

// "What is X?", "What was the X?", "Define X", "Explain X", "What does X mean?": the X asked about.
const ASKS_WHAT = [
  /^\s*(?:what|who)(?:'s|\s+(?:is|are|was|were))\s+(?<x>.+?)\s*\??\s*$/i,
  /^\s*(?:define|explain|describe)\s+(?<x>.+?)\s*[.?!]?\s*$/i,
  /^\s*what\s+(?:does|do)\s+(?<x>.+?)\s+mean\s*\??\s*$/i,
];

/**
 * A "what is X" question about a term of the book's glossary, answered in the book's words: the
 * term card that opens the lesson, saying "X is (the book's definition)". Null when the question
 * is not of that shape, the glossary has no such term, or its definition is not a noun phrase
 * that reads after "is".
 */
export function definitionOpening(question: string, glossary: GlossaryEntry[]): Extract<Beat, { kind: 'term' }> | null {
  const asked = ASKS_WHAT.map((re) => re.exec(question)?.groups?.x).find((x): x is string => !!x);
  if (!asked) return null;
  const norm = (s: string) => foldCase(s).replace(/^(?:the|a|an)\s+/, '').replace(/\s+/g, ' ').trim();
  const x = norm(asked);
  // the term, or the term with the subject after it ("a mole in chemistry")
  const entry = glossary.find((g) => {
    const t = norm(g.term);
    return t.length >= 3 && (x === t || x.startsWith(`${t} in `) || x === `${t}s` || `${x}s` === t);
  });
  if (!entry) return null;
  const raw = entry.definition.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  // A definition that is already a sentence about the term ("A unit circle has a center at 0, 0 and radius 1") is said as it is.
  const aboutTerm = new RegExp(`^(?:a|an|the)\\s+${escapeRegex(entry.term.trim())}\\s+(?:is|are|was|were|has|have)\\b`, 'i');
  if (aboutTerm.test(raw)) {
    const card = cardDefinition(entry);
    const said = `${capitalise(raw)}.`;
    return card && said.length <= SAY_MAX && !findDanglingReference(said) ? { kind: 'term', say: said, term: entry.term.trim().slice(0, 60), definition: card } : null;
  }
  // a noun phrase ("the tendency of ...", or without its article: "amount of substance ..." reads
  // "the amount of substance ..."), not a sentence of its own ("a unit circle has a center ...") nor one that names the term
  if (!raw || raw.length > DEFINITION_MAX + 120 || /^\p{Lu}/u.test(raw) && !/^(?:A|An|The)\s/.test(raw)) return null;
  if (/^(?:describes?|states?|refers?|means?|used|uses?|is|are|when|if|how|what|which|who|to|in|on|of|for|by|with|as|this|that|these|those|it)\b/i.test(raw)) return null;
  // (without an article, only a noun can follow "the": not a participle or an adverb, "signed on January 1")
  if (!/^(?:a|an|the|one|any)\s/i.test(raw) && /^\p{L}+(?:ed|ly|ing|en)\b/u.test(raw)) return null;
  const def = /^(?:a|an|the|one|any)\s/i.test(raw) ? raw : `the ${raw}`;
  if (new RegExp(`\\b${escapeRegex(norm(entry.term))}\\b`).test(norm(def)) || /^(?:a|an|the|one|any)\s+(?:[\p{L}'’-]+\s+){0,3}(?:is|are|was|were|has|have|can|will)\b/iu.test(def)) return null;
  const card = cardDefinition(entry);
  if (!card) return null;
  const past = /\b(?:was|were)\b/i.test(question);
  const plural = /[^s]s$/i.test(entry.term.trim()) && !/['’]s$/.test(entry.term.trim());
  const verb = past ? (plural ? 'were' : 'was') : plural ? 'are' : 'is';
  // the article the student used ("the unit circle", "a mole"), else a name's ("the Louisiana Purchase")
  const article = /^(the|a|an)\s/i.exec(asked.trim())?.[1]?.toLowerCase();
  const named = article && !/^(?:the|a|an)\s/i.test(entry.term.trim()) ? `${article} ${entry.term.trim()}` : withArticle(entry.term.trim());
  const say = `${capitalise(named)} ${verb} ${def.charAt(0).toLowerCase()}${def.slice(1)}.`;
  if (say.length > SAY_MAX || findDanglingReference(say)) return null;
  return { kind: 'term', say, term: entry.term.trim().slice(0, 60), definition: card };
}

/** Where an interest card may go in a section: not before a beat that leans on the one before it ("That year, however, ..."). */
export function interestSlot(beats: Beat[]): number {
  const mid = Math.max(1, Math.ceil(beats.length / 2));
  const leans = (b: Beat | undefined) => !!b && (opensWithOrphanPronoun(b.say, null) || LEANS_BACK.test(b.say.trim()) || LEANS_BACK_PHRASE.test(b.say.trim()));
  for (let d = 0; d <= beats.length; d++) {
    for (const p of [mid + d, mid - d]) if (p >= 1 && p <= beats.length && !leans(beats[p])) return p;
  }
  return beats.length;
}

// An opening phrase that continues the sentence before it ("In his efforts to do so, he ...", "By doing this, ...").
const LEANS_BACK_PHRASE = /^(?:[\p{L}’']+\s+){0,3}(?:his|her|its|their|this|that|these|those|such)\b[^,]{0,40},|^[^,.]{0,40}\b(?:do|doing|did)\s+(?:so|this|that)\b/iu;
// An opening that continues the sentence before it.
const LEANS_BACK = /^(?:that|this|these|those|then|there|such|also|but|yet|still|instead|meanwhile|likewise|similarly|in turn|as a result|by then|at that time|however|therefore|thus|so)\b/i;
