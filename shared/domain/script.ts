import { z } from 'zod';

export const AttributionSchema = z.object({
  book: z.string(),
  publisher: z.string(),
  license: z.string(),
  licenseUrl: z.string(),
  url: z.string(),
});
export type Attribution = z.infer<typeof AttributionSchema>;

export const ScriptSectionSchema = z.object({
  heading: z.string().min(1).max(120),
  /** What the narrator says for this section. */
  narration: z.string().min(1),
  /** Short lines shown on the slide (readable at 1080p). */
  bullets: z.array(z.string().min(1)).min(1).max(5),
  /** Passage ids this section draws on. */
  citations: z.array(z.string()).min(1),
  /** A figure from the sources shown on this section's slide, if any. */
  figureId: z.string().optional(),
});
export type ScriptSection = z.infer<typeof ScriptSectionSchema>;

/** The script shape of the reference notes: title, hook, 3-4 sections, key takeaways. */
export const ScriptSchema = z.object({
  title: z.string().min(1).max(120),
  hook: z.string().min(1),
  sections: z.array(ScriptSectionSchema).min(3).max(4),
  keyTakeaways: z.array(z.string().min(1)).min(2).max(5),
  attribution: z.array(AttributionSchema).min(1),
  subject: z.string(),
  interest: z.string(),
  gradeBand: z.string(),
  wordCount: z.number().int().positive(),
  estimatedSeconds: z.number().positive(),
  writer: z.string(),
});
export type Script = z.infer<typeof ScriptSchema>;
