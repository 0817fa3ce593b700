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

/** One book with its topics, passages and figures: the unit of ingestion. */
export interface LibraryBundle {
  book: Book;
  topics: Topic[];
  passages: Passage[];
  figures: Figure[];
}
