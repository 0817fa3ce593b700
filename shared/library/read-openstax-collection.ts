/**
 * An OpenStax book folder (`collections/*.collection.xml` + `modules/mNNNNN/index.cnxml` + `media/`)
 * to one LibraryBundle per collection.
 *
 * Ids are deterministic: book = slug, topic = `${bookId}/${moduleId}`, passage = `${topicId}#p${ordinal}`,
 * figure = `${topicId}#${figureXmlId}`, equation / worked example / review question =
 * `${topicId}#eq${n}` / `#ex${n}` / `#rq${n}` (n from 0 in reading order). Modules outside any chapter
 * (preface, appendices) are skipped. A topic's materials are in `bundle.materials` when it has any.
 * A module shared by several collections of the folder is parsed once.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Book, Figure, LibraryBundle, Passage, Subject, Topic, TopicMaterials } from '../domain/library.js';
import type { ExtractedMaterials } from './extract-materials.js';
import { readCnxmlModule, type ParsedModule } from './parse-cnxml-module.js';
import { NS, childElements, firstChild, localName, normalizeSpace, parseXml, rawText, type Element } from './xml.js';

export const OPENSTAX_PUBLISHER = 'OpenStax';
export const OPENSTAX_LICENSE = 'CC BY 4.0';
export const OPENSTAX_LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/';

/** One module reference in reading order, with the chapter that contains it. */
export interface CollectionEntry {
  moduleId: string;
  /** Title of the innermost enclosing subcollection; null for modules outside any chapter. */
  chapter: string | null;
}

export interface CollectionInfo {
  file: string;
  title: string;
  slug: string;
  entries: CollectionEntry[];
}

export interface SkippedModule {
  bookId: string;
  moduleId: string;
  reason: string;
}

export interface ReadCollectionResult {
  bundles: LibraryBundle[];
  skipped: SkippedModule[];
}

export interface ReadCollectionOptions {
  /** Shared across calls to parse each module file once (keyed by absolute file path). */
  cache?: Map<string, Promise<ParsedModule>>;
  /** Called after each collection is assembled. */
  onCollection?: (info: { slug: string; title: string; topics: number }) => void;
}

/** Subject of a book from keywords of its slug and title. Throws for a book we cannot place. */
export function subjectForBook(slug: string, title: string): Subject {
  const s = `${slug} ${title}`.toLowerCase();
  const rules: [RegExp, Subject][] = [
    [/physic/, 'physics'],
    [/chemi/, 'chemistry'],
    [/biolog|anatomy|microbio|life science/, 'biology'],
    [/algebra|precalc|calculus|trigonometr|statistic|geometr|prealgebra|mathemat|\bmath\b/, 'math'],
    [/histor/, 'history'],
    [/literature|writing|poetry/, 'literature'],
  ];
  for (const [re, subject] of rules) if (re.test(s)) return subject;
  throw new Error(`cannot tell the subject of book "${title}" (slug "${slug}"): add a keyword rule to subjectForBook`);
}

/** Parse a `*.collection.xml`: title, slug and the modules in reading order with their chapter. */
export function parseCollectionXml(xml: string, file: string): CollectionInfo {
  const doc = parseXml(xml, file);
  const root = doc.documentElement;
  if (!root || localName(root) !== 'collection') throw new Error(`${file}: not a collection document`);
  const metadata = firstChild(root, 'metadata');
  const title = metadata ? firstChild(metadata, 'title', NS.mdml) : null;
  const slug = metadata ? firstChild(metadata, 'slug', NS.mdml) : null;
  const bookTitle = title ? normalizeSpace(rawText(title)) : '';
  if (!bookTitle) throw new Error(`${file}: collection has no md:title`);
  const bookSlug = slug ? normalizeSpace(rawText(slug)) : slugify(bookTitle);

  const entries: CollectionEntry[] = [];
  const walk = (contentEl: Element, chapter: string | null): void => {
    for (const child of childElements(contentEl)) {
      if (child.namespaceURI !== NS.collxml) continue;
      const name = localName(child);
      if (name === 'module') {
        const doc = child.getAttribute('document');
        if (doc) entries.push({ moduleId: doc.trim(), chapter });
      } else if (name === 'subcollection') {
        const t = firstChild(child, 'title', NS.mdml);
        const inner = firstChild(child, 'content', NS.collxml);
        if (inner) walk(inner, t ? normalizeSpace(rawText(t)) : chapter);
      }
    }
  };
  const content = firstChild(root, 'content', NS.collxml);
  if (content) walk(content, null);
  return { file, title: bookTitle, slug: bookSlug, entries };
}

function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** True for a folder that looks like an OpenStax book checkout (has `collections/`). */
export function isBookFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'collections'));
}

/** The collection files of a book folder, sorted by name. */
export async function listCollections(bookDir: string): Promise<string[]> {
  const dir = path.join(bookDir, 'collections');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.collection.xml')).sort();
  return names.map((n) => path.join(dir, n));
}

/** Map over items with at most `limit` promises in flight, keeping order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Build the bundle of one collection from parsed modules. */
export function assembleBundle(info: CollectionInfo, modules: Map<string, ParsedModule | Error>): { bundle: LibraryBundle; skipped: SkippedModule[] } {
  const bookId = info.slug;
  const book: Book = {
    id: bookId,
    title: info.title,
    subject: subjectForBook(info.slug, info.title),
    publisher: OPENSTAX_PUBLISHER,
    license: OPENSTAX_LICENSE,
    licenseUrl: OPENSTAX_LICENSE_URL,
    url: `https://openstax.org/details/books/${info.slug}`,
  };
  // corequisite-support material ships inside modules shared with the other algebra books; only the corequisite edition shows it
  const includeCoreq = /corequisite/i.test(`${info.slug} ${info.title}`);
  const topics: Topic[] = [];
  const passages: Passage[] = [];
  const figures: Figure[] = [];
  const materials: Record<string, TopicMaterials> = {};
  const skipped: SkippedModule[] = [];
  const seen = new Set<string>();

  for (const entry of info.entries) {
    if (entry.chapter === null) continue; // preface, appendices: not student topics
    if (seen.has(entry.moduleId)) continue;
    seen.add(entry.moduleId);
    const parsed = modules.get(entry.moduleId);
    if (!parsed) {
      skipped.push({ bookId, moduleId: entry.moduleId, reason: 'module file not found' });
      continue;
    }
    if (parsed instanceof Error) {
      skipped.push({ bookId, moduleId: entry.moduleId, reason: parsed.message });
      continue;
    }
    const topicId = `${bookId}/${entry.moduleId}`;
    const keptPassages = parsed.passages.filter((p) => includeCoreq || !p.coreqOnly);
    if (!keptPassages.length) {
      skipped.push({ bookId, moduleId: entry.moduleId, reason: 'no student-facing text' });
      continue;
    }
    const keptFigures = parsed.figures.filter((f) => includeCoreq || !f.coreqOnly);
    const figureIds = new Set(keptFigures.map((f) => f.xmlId));
    topics.push({
      id: topicId,
      bookId,
      title: parsed.title,
      subject: book.subject,
      chapter: entry.chapter,
      moduleId: entry.moduleId,
      objectives: parsed.objectives,
      keyTerms: parsed.keyTerms.filter((t) => includeCoreq || !t.coreqOnly).map((t) => t.term),
      ordinal: topics.length,
    });
    keptPassages.forEach((p, ordinal) => {
      passages.push({
        id: `${topicId}#p${ordinal}`,
        topicId,
        ordinal,
        heading: p.heading,
        text: p.text,
        figureIds: p.figureXmlIds.filter((id) => figureIds.has(id)).map((id) => `${topicId}#${id}`),
      });
    });
    for (const f of keptFigures) {
      figures.push({ id: `${topicId}#${f.xmlId}`, topicId, alt: f.alt, caption: f.caption, path: f.path, mimeType: f.mimeType });
    }
    const m = parsed.materials ? topicMaterials(topicId, parsed.materials, includeCoreq) : null;
    if (m) materials[topicId] = m;
  }
  return { bundle: { book, topics, passages, figures, materials }, skipped };
}

/** A module's extracted materials as one topic's (ids, ordinals; corequisite-only items only in the corequisite book); null when none. */
export function topicMaterials(topicId: string, extracted: ExtractedMaterials, includeCoreq: boolean): TopicMaterials | null {
  const keep = <T extends { coreqOnly: boolean }>(items: T[]): T[] => items.filter((i) => includeCoreq || !i.coreqOnly);
  const out: TopicMaterials = {
    equations: keep(extracted.equations).map((e, ordinal) => ({
      id: `${topicId}#eq${ordinal}`,
      topicId,
      math: e.math,
      speech: e.speech,
      context: e.context,
      ...(e.label ? { label: e.label } : {}),
      ordinal,
    })),
    examples: keep(extracted.examples).map((x, ordinal) => ({ id: `${topicId}#ex${ordinal}`, topicId, title: x.title, problem: x.problem, ...(x.problemScreen ? { problemScreen: x.problemScreen } : {}), steps: x.steps, ordinal })),
    reviewQuestions: keep(extracted.reviewQuestions).map((q, i) => ({ id: `${topicId}#rq${i}`, topicId, question: q.question, answer: q.answer, ...(q.questionScreen ? { questionScreen: q.questionScreen } : {}), ...(q.answerScreen ? { answerScreen: q.answerScreen } : {}) })),
    glossary: keep(extracted.glossary).map((g) => ({ term: g.term, definition: g.definition })),
  };
  const empty = !out.equations.length && !out.examples.length && !out.reviewQuestions.length && !out.glossary.length;
  return empty ? null : out;
}

/** Read one `*.collection.xml` of a book folder (`<book>/collections/x.collection.xml`) into a bundle. */
export async function readOpenStaxCollection(
  collectionFile: string,
  options: Pick<ReadCollectionOptions, 'cache'> = {},
): Promise<{ bundle: LibraryBundle; skipped: SkippedModule[] }> {
  const file = path.resolve(collectionFile);
  const dir = path.dirname(path.dirname(file));
  const cache = options.cache ?? new Map<string, Promise<ParsedModule>>();
  const info = parseCollectionXml(await readFile(file, 'utf8'), file);
  const wanted = [...new Set(info.entries.filter((e) => e.chapter !== null).map((e) => e.moduleId))];
  const modules = new Map<string, ParsedModule | Error>();
  await mapLimit(wanted, 8, async (moduleId) => {
    const moduleFile = path.join(dir, 'modules', moduleId, 'index.cnxml');
    if (!existsSync(moduleFile)) return;
    let pending = cache.get(moduleFile);
    if (!pending) {
      pending = readCnxmlModule(moduleFile, { moduleId });
      cache.set(moduleFile, pending);
    }
    try {
      modules.set(moduleId, await pending);
    } catch (err) {
      modules.set(moduleId, err instanceof Error ? err : new Error(String(err)));
    }
  });
  return assembleBundle(info, modules);
}

/**
 * Read every collection of one book folder. Modules are parsed once per file (the cache may be shared
 * between folders), with bounded concurrency. A module that fails to parse is reported in `skipped`
 * with its reason instead of failing the whole book.
 */
export async function readOpenStaxBookFolder(bookDir: string, options: ReadCollectionOptions = {}): Promise<ReadCollectionResult> {
  const dir = path.resolve(bookDir);
  if (!isBookFolder(dir)) throw new Error(`${dir}: not an OpenStax book folder (no collections/ directory)`);
  const cache = options.cache ?? new Map<string, Promise<ParsedModule>>();
  const files = await listCollections(dir);
  if (!files.length) throw new Error(`${dir}/collections: no *.collection.xml files`);
  const bundles: LibraryBundle[] = [];
  const skipped: SkippedModule[] = [];
  for (const file of files) {
    const { bundle, skipped: s } = await readOpenStaxCollection(file, { cache });
    bundles.push(bundle);
    skipped.push(...s);
    options.onCollection?.({ slug: bundle.book.id, title: bundle.book.title, topics: bundle.topics.length });
  }
  return { bundles, skipped };
}
