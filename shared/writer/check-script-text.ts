import { SCREEN_PHRASE_MAX, TAKEAWAY_MAX, type Beat, type Script } from '../domain/script.js';
import { GENERAL_INTEREST } from './interest.js';

export type TextProblemCode = 'DANGLING_REFERENCE' | 'ORPHAN_PRONOUN' | 'CUT_TEXT' | 'SCREEN_TEXT_TOO_LONG' | 'INTEREST_MISSING' | 'EMPTY_TEXT';

/** One problem in a script's text: what, where (a path into the script), the text at fault, and why. */
export interface TextProblem {
  code: TextProblemCode;
  /** A path into the script, e.g. 'sections[1].beats[2].say'. */
  where: string;
  text: string;
  detail: string;
}

/** A phrase pattern that points at something the viewer neither heard nor sees. */
export interface DanglingReference {
  name: string;
  pattern: RegExp;
  /** Only dangling when no figure is on screen ("the graph shows"). */
  visual?: boolean;
}

const NUMBER = String.raw`(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const ORDINAL = String.raw`(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)`;
// A number that is a label, not a quantity or the start of an expression ("equation 2x + 3 = 7").
const LABEL_NUMBER = String.raw`\(?\d+(?:[.\-\u2013]\d+)*\)?(?![\p{L}\p{N}]|\.\d|\s*[=+*/×÷^<>])`;

/**
 * Phrases a textbook uses to point at its own numbering, layout and features. In a narrated video
 * none of them is on screen, so each one leans on something the viewer never got. Checked in order.
 */
export const DANGLING_REFERENCES: readonly DanglingReference[] = [
  { name: 'numbered step', pattern: new RegExp(String.raw`\bsteps?\s+${NUMBER}\b`, 'iu') },
  {
    name: 'numbered figure or table',
    pattern: new RegExp(String.raw`\b(?:figures?|figs?\.|tables?|graphs?|diagrams?|charts?|exhibits?|panels?|illustrations?)\s*${LABEL_NUMBER}`, 'iu'),
  },
  {
    name: 'numbered example or equation',
    // "for example 5 newtons" is a quantity after a discourse marker, not a label.
    pattern: new RegExp(String.raw`(?<!\bfor\s)\b(?:examples?|equations?|eqs?\.|eqns?\.|formulas?|exercises?|problems?|questions?|checkpoints?)\s*${LABEL_NUMBER}`, 'iu'),
  },
  {
    name: 'numbered part of the book',
    // "Chapter 11 bankruptcy" and "Section 8 housing" are names, not references.
    pattern: /\b(?:chapters?|sections?|modules?|lessons?|pages?|appendix|appendices|paragraphs?|§)\s*\d+(?:\.\d+)*\b(?!\s+(?:bankruptcy|housing|vouchers?)\b)/iu,
  },
  {
    name: 'numbered method or case',
    pattern: new RegExp(
      String.raw`\b(?:(?:methods?|approach(?:es)?|techniques?|strateg(?:y|ies)|options?|scenarios?)\s+#?${NUMBER}|(?:cases?|rules?|propert(?:y|ies)|parts?|items?|lines?|rows?|columns?)\s+#?\d+)\b`,
      'iu',
    ),
  },
  {
    name: 'ordinal method or case',
    pattern: new RegExp(
      String.raw`\bthe\s+${ORDINAL}\s+(?:methods?|approach(?:es)?|techniques?|strateg(?:y|ies)|cases?|options?|scenarios?|exercises?|examples?|equations?|figures?|tables?|graphs?|diagrams?)\b`,
      'iu',
    ),
  },
  {
    name: 'lettered part',
    // "f(a)" is function notation; "(a)" and "part (b)" label parts of a figure or problem.
    pattern: /(?<![\p{L}\p{N}_])\(\s*(?:[a-hA-H]|i{1,3}|iv|vi?)\s*\)|\b[Pp]arts?\s+(?:\([a-hA-H]\)|[A-H]\b)/u,
  },
  {
    name: 'above or below',
    pattern:
      /\b(?:shown|seen|given|listed|described|mentioned|discussed|illustrated|defined|stated|noted|outlined|presented|derived|depicted|pictured|explained|summari[sz]ed|displayed|written|calculated|provided|included|indicated)\s+(?:above|below)\b|\bthe\s+above\b|\b(?:see|as)\s+(?:above|below)\b|\b(?:figures?|tables?|equations?|examples?|lists?|diagrams?|graphs?|charts?|steps?|formulas?|expressions?|definitions?|problems?|sentences?|passages?|paragraphs?|discussions?|photos?|text|questions?|exercises?)\s+(?:above|below)\b/iu,
  },
  {
    name: 'the following',
    // "The following year" is a time, not a pointer to a list.
    pattern:
      /\bthe\s+following\b(?!\s+(?:days?|nights?|morning|afternoon|evening|weeks?|weekend|months?|years?|decades?|century|centuries|seasons?|spring|summer|fall|autumn|winter|games?|match|election|generations?)\b)/iu,
  },
  { name: 'as follows', pattern: /\bas\s+follows\s*[.:]?\s*$/iu },
  {
    name: 'another part of the book',
    // "the last section of the race" is not the book.
    pattern: /\b(?:previous|preceding|next|following|earlier|later|last|subsequent|another|upcoming|coming)\s+(?:chapters?|sections?|modules?|lessons?|units?)\b(?!\s+(?:in|of)\b)/iu,
  },
  {
    name: 'this part of the book',
    // "this chapter in American history" is a figure of speech.
    pattern: /\b(?:this|that|these|the\s+same)\s+(?:chapters?|sections?|modules?)\b(?!\s+(?:in|of)\b)/iu,
  },
  { name: 'textbook', pattern: /\btextbooks?\b/iu },
  {
    name: 'reference with its target missing',
    // What is left of "as shown in Figure 3" when the link text is lost: "as shown in ,".
    pattern: /\b(?:shown|seen|given|listed|illustrated|depicted|described|summari[sz]ed|pictured)\s+in\s*(?=[,.;:)]|$)|\(\s*(?:see\s*)?\)/iu,
  },
  {
    name: 'as discussed earlier',
    pattern: /\bas\s+(?:was\s+)?(?:discussed|mentioned|defined|described|noted|explained|stated|shown|covered|introduced)\s+(?:earlier|previously|elsewhere)\b/iu,
  },
  {
    name: 'textbook feature',
    // Title case, as the books print them: "watch physics frame by frame" is not the feature.
    pattern: /\b(?:Link to Learning|Snap Lab|Watch Physics|Virtual Physics|Work in Physics|Fun in Physics|Boundless Physics|Click and Explore|Defining American|Portrait of a Chemist|How Sciences Interconnect|Try It\s*#\s*\d+)\b/u,
  },
  {
    name: 'pointing at a visual',
    visual: true,
    pattern: /\b(?:in|on|from|see|look\s+at|using|according\s+to|as\s+in)\s+(?:the|this|that)\s+(?:graph|diagram|figure|chart|picture|illustration|photo|photograph|drawing|sketch)\b/iu,
  },
  {
    name: 'this visual',
    visual: true,
    pattern: /\b(?:this|these)\s+(?:graphs?|diagrams?|figure|charts?|pictures?|illustrations?|photos?|photographs?|drawings?)\b/iu,
  },
  {
    name: 'the graph',
    visual: true,
    // "the graph of a linear function" is the mathematical object, not a picture on a page.
    pattern: /\bthe\s+(?:graph|diagram|chart)\b(?!\s+of\b)|\bthe\s+(?:figure|picture|illustration|photo|photograph)\s+(?:shows?|illustrates?|depicts?|displays?|represents?|compares?)\b/iu,
  },
  { name: 'shown here', visual: true, pattern: /\b(?:shown|pictured|illustrated|depicted|displayed)\s+here\b/iu },
];

/** Words that need an antecedent when they open a sentence. */
export const ORPHAN_OPENERS: readonly string[] = ['this', 'these', 'they', 'those', 'it', 'such', 'both', 'he', 'she', 'his', 'her', 'its', 'their', 'them'];

/** Openings that look anaphoric but are not. */
export const ORPHAN_EXCEPTIONS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  // "It is easy to see that ...", "It turns out that ...", "It is gravity that ...": no antecedent.
  {
    name: 'expletive it',
    pattern: /^it(?:['\u2019]s|\s+is|\s+was|\s+seems|\s+turns\s+out|\s+can\s+be|\s+may\s+be|\s+might\s+be|\s+would\s+be|\s+will\s+be|\s+takes|\s+helps)\s+(?:\S+\s+){0,4}?(?:to|that|how|why|whether)\b/iu,
  },
  { name: 'those who', pattern: /^those\s+(?:who|that|of\s+us)\b/iu },
  { name: 'both ... and', pattern: /^both\s+(?:\S+\s+){1,6}?and\b/iu },
  { name: 'this time of day', pattern: /^(?:this|these)\s+(?:morning|afternoon|evening|week|weekend|month|year|season|summer|winter|spring|fall|days)\b/iu },
];

/** Endings that show a text was cut off mid-way. */
export const CUT_ENDINGS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'ellipsis', pattern: /(?:\.{2,}|…)\s*["'”’)\]]*\s*$/u },
  { name: 'unclosed parenthesis', pattern: /\([^()]*$/u },
  { name: 'unclosed bracket', pattern: /\[[^\]]*$/u },
  { name: 'abbreviation with nothing after it', pattern: /\b(?:e\.\s?g|i\.\s?e|cf|vs|viz)\.?,?\s*$/iu },
  {
    name: 'trailing conjunction or preposition',
    pattern: /\b(?:and|or|but|nor|the|than|because|whose|its|their|versus|such\s+as|as\s+well\s+as|including)\s*\.?\s*$/iu,
  },
  // With a full stop these can end a sentence ("It has to.", "what it is made of."); without one they are a cut.
  { name: 'trailing "to" or "of"', pattern: /\b(?:to|of)\s*$/iu },
  // Case-sensitive: "vitamin A" is whole.
  // Spoken math ends in a variable named a ("F equals m a", "b times a", "denominator 2 a"): not an article.
  { name: 'trailing article', pattern: /(?:^|(?<!(?:^|\s)(?:\p{L}|\p{N}+|times|equals|plus|minus|over|is|denominator|numerator))\s)(?:a|an)\s*\.?\s*$/u },
  { name: 'trailing dash', pattern: /(?:—|–|--|\s-)\s*$/u },
  { name: 'trailing comma, colon or semicolon', pattern: /[,;:]\s*$/u },
];

/** Longest text each kind of screen text may have. */
export const SCREEN_TEXT_MAX = { point: SCREEN_PHRASE_MAX, takeaway: TAKEAWAY_MAX } as const;

/** How many interest beats a script for a student with an interest needs. */
export const MIN_INTEREST_BEATS = 2;

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'cf', 'dr', 'mr', 'mrs', 'ms', 'st', 'jr', 'sr', 'fig', 'figs', 'eq', 'eqs', 'no', 'approx', 'ca', 'mt', 'prof', 'gen', 'gov', 'sen', 'rep', 'pres']);

/** The sentences of a narrated text; abbreviations and initials ("e.g.", "U.S.") do not end one. */
function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[\p{Lu}\p{N}])/gu)) {
    const end = m.index + m[0].length;
    const before = text.slice(start, m.index + 1);
    const lastWord = (before.match(/(\S+)$/u)?.[1] ?? '').replace(/^[("'“‘[]+/u, '').replace(/\.$/u, '').toLowerCase();
    if (m[0].startsWith('.') && (ABBREVIATIONS.has(lastWord) || /^(?:\p{L}\.)*\p{L}$/u.test(lastWord))) continue;
    out.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/**
 * The phrase of a sentence that refers to something the viewer has not heard or seen ("Figure 3",
 * "in step two", "as shown above"), or null. With `figureOnScreen`, pointing at "the graph" is fine.
 */
export function findDanglingReference(sentence: string, options: { figureOnScreen?: boolean } = {}): string | null {
  return matchDanglingReference(sentence, options.figureOnScreen ?? false)?.match ?? null;
}

function matchDanglingReference(sentence: string, figureOnScreen: boolean): { name: string; match: string } | null {
  for (const ref of DANGLING_REFERENCES) {
    if (ref.visual && figureOnScreen) continue;
    const m = ref.pattern.exec(sentence);
    if (m) return { name: ref.name, match: m[0].trim() };
  }
  return null;
}

const OPENER = new RegExp(`^(?:["“'‘(]\\s*)?(?:(?:and|but|so|yet|now)\\s*,?\\s+)?(${ORPHAN_OPENERS.join('|')})\\b`, 'iu');

/**
 * Whether a sentence opens with a pronoun or demonstrative ("This is why", "They") that has nothing
 * to point back to: `previous` is null when no sentence of the same stretch of narration comes before.
 */
export function opensWithOrphanPronoun(sentence: string, previous: string | null): boolean {
  if (previous !== null && previous.trim() !== '') return false;
  const m = OPENER.exec(sentence.trim());
  if (!m) return false;
  const from = sentence.trim().slice(m.index + m[0].length - m[1].length);
  return !ORPHAN_EXCEPTIONS.some((e) => e.pattern.test(from));
}

/** Why a text looks cut off mid-way ("ellipsis", "trailing dash"...), or null when it ends whole. */
export function findCut(text: string): string | null {
  const t = text.trim();
  for (const ending of CUT_ENDINGS) if (ending.pattern.test(t)) return ending.name;
  return null;
}

interface Located {
  where: string;
  text: string;
}

/** Every text field of a beat that the screen shows, with its path (captions and labels included). */
function beatScreenTexts(beat: Beat, at: string): Located[] {
  switch (beat.kind) {
    case 'point':
      return [{ where: `${at}.text`, text: beat.text }];
    case 'term':
      return [
        { where: `${at}.term`, text: beat.term },
        { where: `${at}.definition`, text: beat.definition },
      ];
    case 'equation':
      return beat.label === undefined ? [] : [{ where: `${at}.label`, text: beat.label }];
    case 'figure':
      return [{ where: `${at}.caption`, text: beat.caption }];
    case 'example':
      return [
        { where: `${at}.title`, text: beat.title },
        // a step that leads into its equation ("... we have:") is complete: the equation is under it
        { where: `${at}.text`, text: beat.math ? beat.text.replace(/:\s*$/, '.') : beat.text },
      ];
    case 'interest':
      return [{ where: `${at}.text`, text: beat.text }];
  }
}

// Screen texts that must read as whole phrases; a term's name and a figure's label may be bare nouns.
const CUT_CHECKED = /\.(?:text|definition|caption)$/;
// Screen texts the writer composes; a figure's caption comes with its figure, "(a)" and all.
const REFERENCE_CHECKED = /\.(?:text|definition|title)$/;

/** Every problem in a script's narrated and on-screen text (see TextProblem codes), in script order. */
export function checkScriptText(script: Script): TextProblem[] {
  const problems: TextProblem[] = [];
  const add = (code: TextProblemCode, where: string, text: string, detail: string): void => {
    problems.push({ code, where, text, detail });
  };

  const checkEmpty = (where: string, text: string): boolean => {
    if (text.trim() !== '') return false;
    add('EMPTY_TEXT', where, text, 'is empty');
    return true;
  };
  const checkCut = (where: string, text: string): void => {
    const cut = findCut(text);
    if (cut) add('CUT_TEXT', where, text, `ends cut off (${cut})`);
  };
  const checkReference = (where: string, sentence: string, figureOnScreen: boolean): void => {
    const ref = matchDanglingReference(sentence, figureOnScreen);
    if (ref) add('DANGLING_REFERENCE', where, sentence, `refers to "${ref.match}" (${ref.name}), which the viewer neither hears nor sees`);
  };
  // Narration: every sentence is checked for references and its opening; the whole for a cut ending.
  // Returns the last sentence, the antecedent the next stretch of the same narration may lean on.
  const checkNarration = (where: string, text: string, previous: string | null, figureOnScreen = false): string | null => {
    if (checkEmpty(where, text)) return previous;
    let prev = previous;
    for (const sentence of splitSentences(text)) {
      checkReference(where, sentence, figureOnScreen);
      if (opensWithOrphanPronoun(sentence, prev)) {
        add('ORPHAN_PRONOUN', where, sentence, 'opens with a pronoun whose antecedent was never said (first sentence of its part of the script)');
      }
      prev = sentence;
    }
    checkCut(where, text);
    return prev;
  };

  checkEmpty('title', script.title);
  checkNarration('hook', script.hook, null);

  script.sections.forEach((section, s) => {
    checkEmpty(`sections[${s}].heading`, section.heading);
    // A new section starts a new stretch of narration: nothing before it can be pointed back to.
    let previous: string | null = null;
    section.beats.forEach((beat, b) => {
      const at = `sections[${s}].beats[${b}]`;
      previous = checkNarration(`${at}.say`, beat.say, previous, beat.kind === 'figure');
      for (const { where, text } of beatScreenTexts(beat, at)) {
        if (checkEmpty(where, text)) continue;
        if (CUT_CHECKED.test(where)) checkCut(where, text);
        if (REFERENCE_CHECKED.test(where)) checkReference(where, text, false);
      }
      if (beat.kind === 'equation') checkEmpty(`${at}.math.source`, beat.math.source);
      if (beat.kind === 'point' && beat.text.length > SCREEN_TEXT_MAX.point) {
        add('SCREEN_TEXT_TOO_LONG', `${at}.text`, beat.text, `is ${beat.text.length} characters; a point may have ${SCREEN_TEXT_MAX.point}`);
      }
    });
  });

  script.keyTakeaways.forEach((takeaway, i) => {
    const where = `keyTakeaways[${i}]`;
    // Each takeaway is its own beat, alone on screen: it cannot lean on the one before.
    checkNarration(where, takeaway, null);
    if (takeaway.length > SCREEN_TEXT_MAX.takeaway) {
      add('SCREEN_TEXT_TOO_LONG', where, takeaway, `is ${takeaway.length} characters; a takeaway may have ${SCREEN_TEXT_MAX.takeaway}`);
    }
  });

  const lastOfQuestion = checkNarration('check.question', script.check.question, null);
  checkNarration('check.answer', script.check.answer, lastOfQuestion);

  const interest = script.interest.trim().toLowerCase();
  if (interest !== '' && interest !== GENERAL_INTEREST) {
    const count = script.sections.reduce((n, section) => n + section.beats.filter((b) => b.kind === 'interest').length, 0);
    if (count < MIN_INTEREST_BEATS) {
      add('INTEREST_MISSING', 'sections', script.interest, `has ${count} interest beat(s) for "${script.interest}"; a script for a student's interest needs ${MIN_INTEREST_BEATS}`);
    }
  }
  return problems;
}
