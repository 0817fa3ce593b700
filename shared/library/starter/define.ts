import type { Book, LibraryBundle, Passage, Subject, Topic } from '../../domain/library.js';

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

export interface StarterTopicSpec {
  /** Lower-case, hyphenated; the topic id is `${bookId}/${slug}`. */
  slug: string;
  title: string;
  chapter: string;
  objectives: string[];
  keyTerms: string[];
  passages: StarterPassageSpec[];
}

export function starterBookId(subject: Subject): string {
  return `vividly-starter-${subject}`;
}

/** Collapse the layout whitespace of the template literals the content is written in. */
function prose(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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
  });
  return { book, topics: outTopics, passages, figures: [] };
}
