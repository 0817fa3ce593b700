import { z } from 'zod';

export const AttributionSchema = z.object({
  book: z.string(),
  publisher: z.string(),
  license: z.string(),
  licenseUrl: z.string(),
  url: z.string(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

/** Longest text a point, a takeaway or an interest card may put on screen (readable on a phone). */
export const SCREEN_PHRASE_MAX = 60;
/** Longest key takeaway: a whole sentence of the book, so a law is stated whole (three lines on screen). */
export const TAKEAWAY_MAX = 200;
/** Longest text a worked-example step may put on screen: all it says, as long as what is said (the screen fills in as it is read). */
export const EXAMPLE_TEXT_MAX = 420;

/** An equation as it is written: TeX (what Gemini writes) or MathML (what OpenStax ships). Typeset before render. */
export const MathSchema = z.object({
  format: z.enum(['tex', 'mathml']),
  source: z.string().min(1).max(6000),
});
export type MathSource = z.infer<typeof MathSchema>;

/** Interest families: each has analogy templates (offline writer) and an icon (render). */
export const INTEREST_FAMILIES = ['sports', 'music', 'games', 'cooking', 'art', 'animals', 'space', 'vehicles', 'building', 'nature', 'general'] as const;
export const InterestFamilySchema = z.enum(INTEREST_FAMILIES);
export type InterestFamily = z.infer<typeof InterestFamilySchema>;

/** What the narrator says during one beat: one or two sentences. */
const Say = z.string().min(1).max(420);
const ScreenPhrase = z.string().min(1).max(SCREEN_PHRASE_MAX);

/**
 * A beat: one or two narrated sentences and what the screen shows while they are spoken. The
 * screen changes when the beat's first sentence starts.
 */
export const BeatSchema = z.discriminatedUnion('kind', [
  /** A point appears under the heading; earlier points of the section stay, dimmed. */
  z.object({ kind: z.literal('point'), say: Say, text: ScreenPhrase }),
  /** A key-term card: the term and a one-line definition. */
  z.object({ kind: z.literal('term'), say: Say, term: z.string().min(1).max(60), definition: z.string().min(1).max(140) }),
  /**
   * A typeset equation, shown whole; `highlight` names the symbols being talked about (e.g. ["F", "a"]),
   * drawn in the accent colour. `label` is a short name ("Newton's second law").
   */
  z.object({
    kind: z.literal('equation'),
    say: Say,
    math: MathSchema,
    label: z.string().max(SCREEN_PHRASE_MAX).optional(),
    highlight: z.array(z.string().min(1).max(16)).max(4).optional(),
  }),
  /** A figure from the sources, large, with its caption, a slow zoom. */
  z.object({ kind: z.literal('figure'), say: Say, figureId: z.string().min(1), caption: z.string().min(1).max(160) }),
  /** One step of a worked example; step 0 states the problem. */
  z.object({
    kind: z.literal('example'),
    say: Say,
    title: z.string().min(1).max(80),
    step: z.number().int().min(0).max(12),
    text: z.string().min(1).max(EXAMPLE_TEXT_MAX),
    math: MathSchema.optional(),
  }),
  /** The student's interest, tied to the idea: the analogy in a sentence, with an icon. */
  z.object({ kind: z.literal('interest'), say: Say, text: z.string().min(1).max(120), icon: InterestFamilySchema }),
]);
export type Beat = z.infer<typeof BeatSchema>;
export type BeatKind = Beat['kind'];
export const BEAT_KINDS = BeatSchema.options.map((o) => o.shape.kind.value) as BeatKind[];

export const ScriptSectionSchema = z.object({
  heading: z.string().min(1).max(120),
  /** The moments of this section, in order. */
  beats: z.array(BeatSchema).min(1).max(14),
  /** Passage ids this section draws on. */
  citations: z.array(z.string()).min(1),
});
export type ScriptSection = z.infer<typeof ScriptSectionSchema>;

/** The closing check: a question, a pause to think, then its answer. */
export const CheckQuestionSchema = z.object({
  question: z.string().min(1).max(300),
  answer: z.string().min(1).max(300),
  /** What the screen shows, when it differs from what is said (the book's math in symbols, not words). */
  shown: z.object({ question: z.string().min(1).max(300), answer: z.string().min(1).max(300) }).optional(),
});
export type CheckQuestion = z.infer<typeof CheckQuestionSchema>;

/**
 * The script: title, hook, 3-4 sections of beats (the first answers the question asked), key
 * takeaways (short screen phrases, each its own beat), one check-yourself question, attribution.
 */
export const ScriptSchema = z.object({
  title: z.string().min(1).max(120),
  hook: z.string().min(1),
  sections: z.array(ScriptSectionSchema).min(3).max(4),
  // Whole sentences of the book.
  keyTakeaways: z.array(z.string().min(1).max(TAKEAWAY_MAX)).min(2).max(5),
  check: CheckQuestionSchema,
  /** The book's key terms and glossary terms of the topic: render shows one as the voice says it. */
  keyTerms: z.array(z.string().min(1).max(60)).max(40).optional(),
  attribution: z.array(AttributionSchema).min(1),
  subject: z.string(),
  interest: z.string(),
  gradeBand: z.string(),
  wordCount: z.number().int().positive(),
  estimatedSeconds: z.number().positive(),
  writer: z.string(),
});
export type Script = z.infer<typeof ScriptSchema>;

/** Everything a section's beats say, in order (captions, word counts, citations checks). */
export function sectionNarration(section: ScriptSection): string {
  return section.beats.map((b) => b.say).join(' ');
}
