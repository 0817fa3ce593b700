import type { Book, LibraryBundle, Passage, Subject, Topic, TopicMaterials } from '../../domain/library.js';

/** Licence and home of the starter library: written for this project, released under CC BY 4.0. */
export const STARTER_PUBLISHER = 'Vividly';
export const STARTER_LICENSE = 'CC BY 4.0';
export const STARTER_LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/';
export const STARTER_URL = 'https://github.com/vividly/vividly/tree/main/shared/library/starter';

const SUBJECT_NAMES: Record<Subject, string> = {
  physics: 'Physics',
  chemistry: 'Chemistry',
  biology: 'Biology',
  math: 'Math',
  history: 'History',
  literature: 'Literature',
};

export interface StarterPassageSpec {
  heading: string;
  text: string;
}

/** A key equation: TeX (MathJax base and ams), how it is read aloud, the sentence it belongs to, and its name if it has one. */
export interface StarterEquationSpec {
  tex: string;
  say: string;
  context: string;
  label?: string;
}

/** One step of a worked example: a sentence, and an equation in TeX with how it is read (both or either). */
export interface StarterStepSpec {
  text: string;
  tex?: string;
  /** Required with `tex`. */
  say?: string;
}

export interface StarterExampleSpec {
  title: string;
  problem: string;
  steps: StarterStepSpec[];
}

export interface StarterMaterialsSpec {
  equations?: StarterEquationSpec[];
  examples?: StarterExampleSpec[];
  reviewQuestions?: { question: string; answer: string }[];
  glossary?: { term: string; definition: string }[];
}

export interface StarterTopicSpec {
  /** Lower-case, hyphenated; the topic id is `${bookId}/${slug}`. */
  slug: string;
  title: string;
  chapter: string;
  objectives: string[];
  keyTerms: string[];
  passages: StarterPassageSpec[];
  /** Equations, worked examples, review questions and glossary (ids `#eqN`, `#exN`, `#rqN`). */
  materials?: StarterMaterialsSpec;
}

export function starterBookId(subject: Subject): string {
  return `vividly-starter-${subject}`;
}

/** Collapse the layout whitespace of the template literals the content is written in. */
function prose(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A topic's materials from their spec, with ids and ordinals; null when it has none. */
function defineMaterials(topicId: string, spec: StarterMaterialsSpec | undefined): TopicMaterials | null {
  if (!spec) return null;
  const math = (tex: string) => ({ format: 'tex' as const, source: tex.trim() });
  const materials: TopicMaterials = {
    equations: (spec.equations ?? []).map((e, ordinal) => ({
      id: `${topicId}#eq${ordinal}`,
      topicId,
      math: math(e.tex),
      speech: prose(e.say),
      context: prose(e.context),
      ...(e.label ? { label: prose(e.label) } : {}),
      ordinal,
    })),
    examples: (spec.examples ?? []).map((x, ordinal) => ({
      id: `${topicId}#ex${ordinal}`,
      topicId,
      title: prose(x.title),
      problem: prose(x.problem),
      steps: x.steps.map((s) => {
        if (s.tex && !s.say) throw new Error(`starter ${topicId}: a step with TeX needs its spoken form (say)`);
        return { text: prose(s.text), ...(s.tex ? { math: math(s.tex) } : {}), speech: prose(`${s.text} ${s.say ?? ''}`) };
      }),
      ordinal,
    })),
    reviewQuestions: (spec.reviewQuestions ?? []).map((q, i) => ({ id: `${topicId}#rq${i}`, topicId, question: prose(q.question), answer: prose(q.answer) })),
    glossary: (spec.glossary ?? []).map((g) => ({ term: prose(g.term), definition: prose(g.definition) })),
  };
  const empty = !materials.equations.length && !materials.examples.length && !materials.reviewQuestions.length && !materials.glossary.length;
  return empty ? null : materials;
}

/** Build one starter book (a `LibraryBundle`) from its topics, assigning ids and ordinals. */
export function defineStarterBook(subject: Subject, topics: StarterTopicSpec[]): LibraryBundle {
  const book: Book = {
    id: starterBookId(subject),
    title: `Vividly Starter Library: ${SUBJECT_NAMES[subject]}`,
    subject,
    publisher: STARTER_PUBLISHER,
    license: STARTER_LICENSE,
    licenseUrl: STARTER_LICENSE_URL,
    url: STARTER_URL,
  };
  const outTopics: Topic[] = [];
  const passages: Passage[] = [];
  const materials: Record<string, TopicMaterials> = {};
  topics.forEach((spec, topicOrdinal) => {
    const topicId = `${book.id}/${spec.slug}`;
    outTopics.push({
      id: topicId,
      bookId: book.id,
      title: prose(spec.title),
      subject,
      chapter: prose(spec.chapter),
      moduleId: null,
      objectives: spec.objectives.map(prose),
      keyTerms: spec.keyTerms.map(prose),
      ordinal: topicOrdinal,
    });
    spec.passages.forEach((p, i) => {
      passages.push({
        id: `${topicId}#p${i + 1}`,
        topicId,
        ordinal: i,
        heading: prose(p.heading),
        text: prose(p.text),
        figureIds: [],
      });
    });
    const m = defineMaterials(topicId, spec.materials);
    if (m) materials[topicId] = m;
  });
  return { book, topics: outTopics, passages, figures: [], ...(Object.keys(materials).length ? { materials } : {}) };
}
