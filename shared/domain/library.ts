import { z } from 'zod';

export const SUBJECTS = ['physics', 'chemistry', 'biology', 'math', 'history', 'literature'] as const;
export const SubjectSchema = z.enum(SUBJECTS);
export type Subject = z.infer<typeof SubjectSchema>;

export const BookSchema = z.object({
  id: z.string(),
  title: z.string(),
  subject: SubjectSchema,
  publisher: z.string(),
  license: z.string(),
  licenseUrl: z.string(),
  url: z.string(),
});
export type Book = z.infer<typeof BookSchema>;

/** A topic is one section of one book (a CNXML module within a collection, or a starter topic). */
export const TopicSchema = z.object({
  id: z.string(),
  bookId: z.string(),
  title: z.string(),
  subject: SubjectSchema,
  chapter: z.string(),
  moduleId: z.string().nullable(),
  objectives: z.array(z.string()),
  keyTerms: z.array(z.string()),
  ordinal: z.number().int().nonnegative(),
});
export type Topic = z.infer<typeof TopicSchema>;

export const PassageSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  ordinal: z.number().int().nonnegative(),
  heading: z.string(),
  text: z.string(),
  figureIds: z.array(z.string()),
});
export type Passage = z.infer<typeof PassageSchema>;

export const FigureSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  alt: z.string(),
  caption: z.string(),
  /** Absolute path of the image file on the machine that ingested it, or null when absent. */
  path: z.string().nullable(),
  mimeType: z.string(),
});
export type Figure = z.infer<typeof FigureSchema>;

export interface TopicCandidate {
  topic: Topic;
  book: Book;
  score: number;
  /** 0..1: how much of the question the topic covers. */
  confidence: number;
}

/** A display equation of a topic: its MathML as the book writes it, and how it is said. */
export const EquationSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  /** MathML (`<math>` root, MathML namespace) or TeX for starter topics. */
  math: z.object({ format: z.enum(['tex', 'mathml']), source: z.string() }),
  /** Spoken form (mathml-to-speech). */
  speech: z.string(),
  /** The sentence of the book just before the equation (what it is about), may be empty. */
  context: z.string(),
  /** A name when the book gives one ("Newton's second law"), from the context. */
  label: z.string().optional(),
  ordinal: z.number().int().nonnegative(),
});
export type Equation = z.infer<typeof EquationSchema>;

/** One step of a worked example's solution: a sentence and/or an equation. */
export const ExampleStepSchema = z.object({
  text: z.string(),
  math: z.object({ format: z.enum(['tex', 'mathml']), source: z.string() }).optional(),
  /** Text and equation as spoken. */
  speech: z.string(),
  /** The text as the screen shows it (inline math in symbols), when that differs from `text`. */
  screen: z.string().optional(),
});
export type ExampleStep = z.infer<typeof ExampleStepSchema>;

/** A worked example of the book (CNXML `example` with a problem and a solution). */
export const WorkedExampleSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  title: z.string(),
  /** The problem as stated (spoken form of any math inside). */
  problem: z.string(),
  /** The problem as the screen shows it (inline math in symbols), when that differs from `problem`. */
  problemScreen: z.string().optional(),
  steps: z.array(ExampleStepSchema),
  ordinal: z.number().int().nonnegative(),
});
export type WorkedExample = z.infer<typeof WorkedExampleSchema>;

/** A review or exercise question of the topic with its answer, for the lesson's closing check. */
export const ReviewQuestionSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  question: z.string(),
  answer: z.string(),
  /** Question and answer as the screen shows them (inline math in symbols), when they differ from what is said. */
  questionScreen: z.string().optional(),
  answerScreen: z.string().optional(),
});
export type ReviewQuestion = z.infer<typeof ReviewQuestionSchema>;

/** A glossary entry or key term of a topic with its one-line definition. */
export const GlossaryEntrySchema = z.object({ term: z.string(), definition: z.string() });
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;

/** What a topic offers a lesson beyond its passages. */
export const TopicMaterialsSchema = z.object({
  equations: z.array(EquationSchema),
  examples: z.array(WorkedExampleSchema),
  reviewQuestions: z.array(ReviewQuestionSchema),
  glossary: z.array(GlossaryEntrySchema),
});
export type TopicMaterials = z.infer<typeof TopicMaterialsSchema>;

export const EMPTY_MATERIALS: TopicMaterials = { equations: [], examples: [], reviewQuestions: [], glossary: [] };

/** One book with its topics, passages, figures and materials: the unit of ingestion. */
export interface LibraryBundle {
  book: Book;
  topics: Topic[];
  passages: Passage[];
  figures: Figure[];
  /** Per topic id; a topic without an entry has none. */
  materials?: Record<string, TopicMaterials>;
}
