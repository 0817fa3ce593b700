/**
 * One OpenStax CNXML module (`modules/mNNNNN/index.cnxml`) to student-facing content: title,
 * learning objectives, key terms, passages (60-220 words, split at paragraph then sentence
 * boundaries) and figures (alt text, caption with its math written for the screen, resolved image file).
 *
 * Dropped entirely, as not student exposition: teacher notes (any class mentioning "teacher"),
 * exercises, problems, solutions, worked examples, review/practice/test sections, hands-on lab
 * instructions and link-out boxes (media, link-to-learning, click-and-explore, watch/virtual physics).
 * Corequisite-support material (`coreq-skills`, shipped inside modules shared with other books) is
 * kept but flagged, so the collection reader includes it only in the corequisite book.
 *
 * A second pass over the same document (extract-materials.ts) keeps what the passages leave out and a
 * lesson can use: display equations, worked examples, review questions and glossary entries.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkBlocks, type TextBlock } from './chunk-passages.js';
import { exerciseMarkupMayHoldMaterials, extractMaterials, exampleRanges, type ExtractedMaterials } from './extract-materials.js';
import { mathToSpeech, speakSymbols } from './mathml-to-speech.js';
import { mathToText } from './mathml-to-text.js';
import {
  NS,
  childElements,
  classes,
  descendants,
  firstChild,
  isElement,
  isMathMl,
  isText,
  localName,
  normalizeSpace,
  parseXml,
  rawText,
  tidyProse,
  type Element,
  type Node,
} from './xml.js';

export interface ParsedFigure {
  /** The figure's XML id inside the module. */
  xmlId: string;
  alt: string;
  caption: string;
  mimeType: string;
  /** Absolute path of the image, or null when the file does not exist. */
  path: string | null;
  coreqOnly: boolean;
}

export interface ParsedPassage {
  heading: string;
  text: string;
  /** XML ids of the figures referenced inside or placed next to the passage. */
  figureXmlIds: string[];
  coreqOnly: boolean;
}

export interface ParsedModule {
  moduleId: string;
  title: string;
  objectives: string[];
  keyTerms: { term: string; coreqOnly: boolean }[];
  passages: ParsedPassage[];
  figures: ParsedFigure[];
  /** Equations, worked examples, review questions and glossary (each item flagged when corequisite-only). */
  materials: ExtractedMaterials;
}

export interface ParseModuleOptions {
  /** Path of the module file; image sources resolve relative to it. */
  file: string;
  /** Falls back to `md:content-id`, then to the folder name. */
  moduleId?: string;
  minWords?: number;
  maxWords?: number;
  /** Extract materials (default true); false leaves them empty and parses only what passages need. */
  materials?: boolean;
}

/** Elements that never hold exposition. */
const DROPPED_ELEMENTS = new Set(['exercise', 'problem', 'solution', 'example', 'commentary', 'footnote', 'glossary', 'metadata', 'iframe']);

/** Class tokens of sections and notes that are not exposition. */
const DROPPED_CLASSES = new Set([
  'review-questions', 'practice-problems', 'check-understanding', 'exercises', 'section-exercises', 'review-exercises',
  'critical-thinking', 'practice-perfect', 'practice-test', 'short-answer', 'extended-response', 'multiple-choice',
  'concept', 'performance', 'problems', 'try', 'grasp-check', 'worked-example', 'key-equations', 'contrib-auth',
  'sr-contrib-auth', 'references',
  // link-out boxes built around an external video, simulation or site, and hands-on lab instructions
  'media', 'media-notitle', 'media-notitile', 'click-and-explore', 'watch-physics', 'virtual-physics', 'os-interactive',
  'link-to-learning', 'snap-lab',
]);

const COREQ_CLASS = 'coreq-skills';

/** True for anything a student should not see as a passage. */
export function isDropped(el: Element): boolean {
  const name = localName(el);
  if (!isMathMl(el) && DROPPED_ELEMENTS.has(name)) return true;
  const cls = el.getAttribute('class') ?? '';
  if (/teacher/i.test(cls)) return true;
  for (const token of classes(el)) {
    const t = token.toLowerCase().replace(/\u2010/g, '-');
    if (DROPPED_CLASSES.has(t) || /(^|-)(exercises?|problems?|solutions?)$/.test(t)) return true;
  }
  return false;
}

const MIME_BY_EXT: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp' };

/** Normalise sloppy mime types ("image/jpg", "jpeg") and infer a missing one from the extension. */
export function normalizeMimeType(mime: string | null, src: string): string {
  const m = (mime ?? '').trim().toLowerCase();
  if (m === 'image/jpg' || m === 'jpg' || m === 'jpeg') return 'image/jpeg';
  if (m && !m.includes('/')) return `image/${m}`;
  if (m) return m;
  return MIME_BY_EXT[path.extname(src).toLowerCase()] ?? 'application/octet-stream';
}

/** Resolve an image `src` relative to the module file; null when the file does not exist. */
export function resolveMediaPath(moduleFile: string, src: string): string | null {
  if (!src || /^[a-z]+:\/\//i.test(src)) return null;
  const dir = path.dirname(path.resolve(moduleFile));
  const candidates = [src];
  try {
    const decoded = decodeURIComponent(src);
    if (decoded !== src) candidates.push(decoded);
  } catch {
    /* not URI-encoded */
  }
  for (const c of candidates) {
    const p = path.resolve(dir, c);
    if (existsSync(p)) return p;
  }
  return null;
}

function endsSentence(text: string): boolean {
  return /[.!?:;…]["'”’)]*$/.test(text);
}

class ModuleParser {
  private readonly byId = new Map<string, Element>();
  private readonly blocks: (TextBlock & { coreqOnly: boolean })[] = [];
  private readonly figures = new Map<string, ParsedFigure>();
  private readonly terms: { term: string; coreqOnly: boolean }[] = [];
  private pendingFigures: string[] = [];
  private figureCounter = 0;
  /** Reading for the screen (a caption): inline math written in symbols, see registerFigure. */
  private screenMath = false;

  constructor(
    private readonly doc: Element,
    private readonly file: string,
  ) {
    this.indexIds(doc);
  }

  /** Ids inside exercises are not indexed: passages read the document as if exercises were cut out (see stripExercises). */
  private indexIds(node: Node): void {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (!isElement(c)) continue;
      const id = c.getAttribute('id');
      if (id && !this.byId.has(id)) this.byId.set(id, c);
      if (localName(c) !== 'exercise' || isMathMl(c)) this.indexIds(c);
    }
  }

  parse(moduleIdHint: string | undefined): Omit<ParsedModule, 'materials'> & { blocks: TextBlock[] } {
    const metadata = firstChild(this.doc, 'metadata');
    const mdTitle = metadata ? firstChild(metadata, 'title', NS.mdml) : null;
    const titleEl = firstChild(this.doc, 'title', NS.cnxml);
    const titleSource = titleEl ?? mdTitle;
    const title = (titleSource ? tidyProse(this.inline(titleSource, null)) : '') || 'Untitled';
    const contentId = metadata ? firstChild(metadata, 'content-id', NS.mdml) : null;
    const moduleId = moduleIdHint ?? (contentId ? normalizeSpace(rawText(contentId)) : path.basename(path.dirname(this.file)));

    const content = firstChild(this.doc, 'content', NS.cnxml);
    if (content) this.walkChildren(content, { heading: title, coreqOnly: false });
    this.flushPendingFigures();

    return {
      moduleId,
      title,
      objectives: this.objectives(content, metadata),
      keyTerms: this.keyTerms(content),
      passages: [],
      figures: [...this.figures.values()],
      blocks: this.blocks,
    };
  }

  // ----- structure -----

  private walkChildren(el: Element, ctx: { heading: string; coreqOnly: boolean }): void {
    for (const child of childElements(el)) this.walkBlock(child, ctx);
  }

  private walkBlock(el: Element, ctx: { heading: string; coreqOnly: boolean }): void {
    if (isDropped(el)) return;
    if (isMathMl(el)) {
      this.appendText(mathToSpeech(el), ctx);
      return;
    }
    const name = localName(el);
    switch (name) {
      case 'section': {
        // key terms and learning objectives are metadata, not passages
        if (el.getAttribute('id') === 'keyterms' || classes(el).includes('learning-objectives')) return;
        const titleEl = firstChild(el, 'title');
        const heading = titleEl ? tidyProse(this.inline(titleEl, null)) || ctx.heading : ctx.heading;
        const coreqOnly = ctx.coreqOnly || classes(el).includes(COREQ_CLASS);
        this.flushPendingFigures();
        this.walkChildren(el, { heading, coreqOnly });
        this.flushPendingFigures();
        return;
      }
      case 'note':
        if (classes(el).includes('learning-objectives')) return;
        this.walkChildren(el, ctx);
        return;
      case 'title':
      case 'label':
      case 'table':
      case 'media':
        return;
      case 'figure': {
        const id = this.registerFigure(el, ctx.coreqOnly);
        if (id) this.placeFigure(id, ctx);
        return;
      }
      case 'equation':
        this.appendText(tidyProse(this.inline(el, null, ctx.coreqOnly)), ctx);
        return;
      case 'list': {
        const refs = new Set<string>();
        const text = this.listText(el, refs, ctx.coreqOnly);
        this.pushBlock(text, ctx, [...refs]);
        return;
      }
      case 'para':
      case 'quote':
      case 'preformat':
      case 'code':
        this.pushInline(el, ctx);
        return;
      default:
        if (childElements(el).some((c) => ['para', 'section', 'list', 'figure', 'note', 'equation'].includes(localName(c)))) this.walkChildren(el, ctx);
        else this.pushInline(el, ctx);
    }
  }

  private pushInline(el: Element, ctx: { heading: string; coreqOnly: boolean }): void {
    const refs = new Set<string>();
    const text = tidyProse(this.inline(el, refs, ctx.coreqOnly));
    this.pushBlock(text, ctx, [...refs]);
  }

  private pushBlock(rawText: string, ctx: { heading: string; coreqOnly: boolean }, refs: string[] = []): void {
    const text = capitalizeInsertedPhrases(rawText);
    if (!text) {
      this.pendingFigures.push(...refs);
      return;
    }
    // a paragraph that starts in lower case continues the sentence of a display equation before it
    const last = this.blocks[this.blocks.length - 1];
    if (/^[a-z]/.test(text) && last && last.heading === ctx.heading && last.coreqOnly === ctx.coreqOnly && !this.pendingFigures.length) {
      last.text = tidyProse(`${last.text} ${text}`);
      for (const id of refs) if (!last.figureIds.includes(id)) last.figureIds.push(id);
      return;
    }
    const figureIds = [...this.pendingFigures, ...refs];
    this.pendingFigures = [];
    this.blocks.push({ heading: ctx.heading, text, figureIds, group: ctx.coreqOnly ? 'coreq' : 'main', coreqOnly: ctx.coreqOnly });
  }

  /** Display equations and stray math continue the preceding paragraph when it is in the same place. */
  private appendText(text: string, ctx: { heading: string; coreqOnly: boolean }): void {
    if (!text) return;
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.heading === ctx.heading && last.coreqOnly === ctx.coreqOnly && !this.pendingFigures.length) {
      last.text = tidyProse(`${last.text} ${text}`);
    } else {
      this.pushBlock(text, ctx);
    }
  }

  /** A figure in the flow belongs to the paragraph before it (same heading), else to the next one. */
  private placeFigure(id: string, ctx: { heading: string; coreqOnly: boolean }): void {
    const last = this.blocks[this.blocks.length - 1];
    if (last && last.heading === ctx.heading && last.coreqOnly === ctx.coreqOnly && !this.pendingFigures.length) {
      if (!last.figureIds.includes(id)) last.figureIds.push(id);
    } else {
      this.pendingFigures.push(id);
    }
  }

  private flushPendingFigures(): void {
    if (!this.pendingFigures.length) return;
    const last = this.blocks[this.blocks.length - 1];
    if (last) last.figureIds.push(...this.pendingFigures.filter((id) => !last.figureIds.includes(id)));
    this.pendingFigures = [];
  }

  // ----- figures -----

  private registerFigure(el: Element, coreqOnly: boolean): string | null {
    const xmlId = el.getAttribute('id') || `figure-${++this.figureCounter}`;
    if (this.figures.has(xmlId)) return xmlId;
    const media = descendants(el, 'media', NS.cnxml).find((m) => !isDropped(m)) ?? null;
    const images = media ? descendants(media, 'image', NS.cnxml) : descendants(el, 'image', NS.cnxml);
    const image = images.find((i) => !i.getAttribute('for') || /^(default|online|web)$/i.test(i.getAttribute('for')!)) ?? images[0];
    if (!image) return null;
    const src = image.getAttribute('src') ?? '';
    const captionEl = firstChild(el, 'caption', NS.cnxml);
    // A caption is read on screen, never aloud: its math written in symbols where it reads well on a line.
    let caption = '';
    if (captionEl) {
      this.screenMath = true;
      try {
        caption = tidyProse(this.inline(captionEl, null));
      } finally {
        this.screenMath = false;
      }
    }
    this.figures.set(xmlId, {
      xmlId,
      alt: normalizeSpace(media?.getAttribute('alt') ?? ''),
      caption,
      mimeType: normalizeMimeType(image.getAttribute('mime-type'), src),
      path: resolveMediaPath(this.file, src),
      coreqOnly,
    });
    return xmlId;
  }

  // ----- inline text -----

  /** Spoken text of inline content. Figure links and embedded figures are added to `refs`. */
  private inline(node: Node, refs: Set<string> | null, coreqOnly = false): string {
    let out = '';
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (isText(c)) {
        out += rawText(c);
        continue;
      }
      if (!isElement(c) || isDropped(c)) continue;
      if (isMathMl(c)) {
        out += ` ${(this.screenMath ? mathToText(c) : null) ?? mathToSpeech(c)} `;
        continue;
      }
      out += this.inlineElement(c, refs, coreqOnly);
    }
    return out;
  }

  private inlineElement(el: Element, refs: Set<string> | null, coreqOnly: boolean): string {
    switch (localName(el)) {
      case 'newline':
      case 'space':
        return ' ';
      case 'label':
      case 'title':
      case 'media':
      case 'table':
      case 'caption':
        return '';
      case 'figure': {
        const id = this.registerFigure(el, coreqOnly);
        if (id) refs?.add(id);
        return ' ';
      }
      case 'link':
        return this.linkText(el, refs, coreqOnly);
      case 'sub': {
        const t = normalizeSpace(this.inline(el, refs, coreqOnly));
        return /^[\d.]+$/.test(t) ? t : ` sub ${t} `;
      }
      case 'sup':
        return this.supText(normalizeSpace(this.inline(el, refs, coreqOnly)));
      case 'list':
        return ` ${this.listText(el, refs, coreqOnly)} `;
      case 'term': {
        const t = tidyProse(this.inline(el, refs, coreqOnly));
        if (t && !classes(el).includes('no-emphasis')) this.terms.push({ term: t, coreqOnly });
        return t;
      }
      case 'equation':
      case 'note':
      case 'quote':
        return ` ${this.inline(el, refs, coreqOnly)} `;
      default:
        return this.inline(el, refs, coreqOnly);
    }
  }

  private supText(t: string): string {
    if (t === '2') return ' squared ';
    if (t === '3') return ' cubed ';
    if (/^[−-]?\d+(\.\d+)?$/.test(t)) return ` to the power ${speakSymbols(t)} `;
    return t;
  }

  /** A link's own text, or for an empty cross-reference a short phrase naming what it points to. */
  private linkText(el: Element, refs: Set<string> | null, coreqOnly: boolean): string {
    const target = el.getAttribute('target-id');
    const external = el.getAttribute('document');
    const targetEl = target && !external ? this.byId.get(target) : undefined;
    if (targetEl && localName(targetEl) === 'figure') refs?.add(target!);
    const own = this.inline(el, refs, coreqOnly);
    if (normalizeSpace(own)) return own;
    if (external) return ' another section ';
    if (!targetEl) return el.getAttribute('url') ? ' this link ' : ' ';
    const kind = localName(targetEl);
    const phrase: Record<string, string> = {
      figure: 'the figure', table: 'the table', equation: 'the equation', example: 'the example', exercise: 'the exercise',
      section: 'that section', note: 'the feature box', list: 'the list', para: 'the text',
    };
    return ` ${phrase[kind] ?? 'the text'} `;
  }

  private listText(list: Element, refs: Set<string> | null, coreqOnly: boolean): string {
    const items: string[] = [];
    for (const item of childElements(list)) {
      if (localName(item) !== 'item' || isDropped(item)) continue;
      let t = tidyProse(this.inline(item, refs, coreqOnly));
      if (!t) continue;
      if (!endsSentence(t)) t += '.';
      items.push(t);
    }
    return items.join(' ');
  }

  // ----- metadata -----

  private objectives(content: Element | null, metadata: Element | null): string[] {
    const fromList = (root: Element): string[] =>
      descendants(root, 'item')
        .map((i) => tidyProse(this.inline(i, null)))
        .filter(Boolean);
    if (content) {
      const notes = descendants(content, 'note').filter((n) => classes(n).includes('learning-objectives') && !hasDroppedAncestor(n, content));
      const items = notes.flatMap(fromList);
      if (items.length) return dedupe(items);
    }
    const abstract = metadata ? firstChild(metadata, 'abstract', NS.mdml) : null;
    return abstract ? dedupe(fromList(abstract)) : [];
  }

  private keyTerms(content: Element | null): { term: string; coreqOnly: boolean }[] {
    const out: { term: string; coreqOnly: boolean }[] = [];
    if (content) {
      for (const section of descendants(content, 'section')) {
        if (section.getAttribute('id') !== 'keyterms') continue;
        for (const entry of descendants(section, 'entry')) {
          const t = tidyProse(this.inline(entry, null));
          if (t) out.push({ term: t, coreqOnly: false });
        }
      }
    }
    out.push(...this.terms);
    const glossary = firstChild(this.doc, 'glossary', NS.cnxml);
    if (glossary) {
      for (const def of descendants(glossary, 'definition')) {
        const term = firstChild(def, 'term');
        const t = term ? tidyProse(this.inline(term, null)) : '';
        if (t) out.push({ term: t, coreqOnly: false });
      }
    }
    const seen = new Map<string, { term: string; coreqOnly: boolean }>();
    for (const t of out) {
      const term = t.term.replace(/[.,;:]+$/, '');
      const key = term.toLowerCase().replace(/[’‘]/g, "'");
      const prev = seen.get(key);
      if (!prev) seen.set(key, { term, coreqOnly: t.coreqOnly });
      else if (!t.coreqOnly) prev.coreqOnly = false;
    }
    return [...seen.values()];
  }
}

const INSERTED_PHRASES = /(^|[.!?]["”’)]?\s+)(the figure|the table|the equation|the example|the exercise|the feature box|the list|the text|that section|another section|this link)\b/g;

/** Cross-reference phrases we insert for empty links start with a capital at the start of a sentence. */
function capitalizeInsertedPhrases(text: string): string {
  return text.replace(INSERTED_PHRASES, (_m, lead: string, phrase: string) => lead + phrase[0].toUpperCase() + phrase.slice(1));
}

function hasDroppedAncestor(el: Element, stop: Element): boolean {
  for (let p = el.parentNode; p && p !== stop; p = p.parentNode) if (isElement(p) && isDropped(p)) return true;
  return false;
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * Exercises (problems with solutions) are about half the bytes of the OpenStax corpus and are never
 * passages, so they are cut out as text before DOM parsing, which halves ingestion time. The opening
 * tag stays (self-closed) so cross-references to an exercise still resolve. Comments go first, since
 * some hold commented-out markup. Exercises do not nest in CNXML. `keep(markup, offset)` leaves an
 * exercise in (offsets are into the text without comments).
 */
export function stripExercises(xml: string, keep?: (exercise: string, offset: number, text: string) => boolean): string {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  return text.replace(/<((?:\w+:)?exercise)\b([^>]*?)(?<!\/)>[\s\S]*?<\/\1\s*>/g, (m: string, tag: string, attrs: string, offset: number) =>
    keep?.(m, offset, text) ? m : `<${tag}${attrs}/>`,
  );
}

/**
 * The module text to parse: exercises cut out, except those the materials pass may use (inside worked
 * examples, or with a solution that could make a review question; see exerciseMarkupMayHoldMaterials).
 */
function textToParse(xml: string, materials: boolean): string {
  if (!materials) return stripExercises(xml);
  let ranges: [number, number][] | null = null;
  return stripExercises(xml, (markup, offset, text) => {
    ranges ??= exampleRanges(text);
    const inExample = ranges.some(([a, b]) => offset > a && offset < b);
    return exerciseMarkupMayHoldMaterials(markup, inExample);
  });
}

/**
 * Parse a module; when the XML is not well-formed because of a piece of MathML, that math is left out
 * (each `<m:math>` that does not parse on its own is removed) and the module parsed again.
 */
function parseModuleXml(text: string, file: string): ReturnType<typeof parseXml> {
  try {
    return parseXml(text, file);
  } catch (err) {
    const repaired = removeMalformedMath(text);
    if (repaired === text) throw err;
    try {
      return parseXml(repaired, file);
    } catch {
      throw err;
    }
  }
}

const MATH_BLOCK = /<((?:\w+:)?math)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1\s*>)/g;

/** The text with every `<m:math>` element that is not well-formed XML on its own removed. */
export function removeMalformedMath(text: string): string {
  const prefixes = new Set<string>();
  for (const m of text.matchAll(/xmlns:(\w+)="[^"]*"/g)) prefixes.add(m[1]!);
  const decl = [...prefixes].map((p) => ` xmlns:${p}="urn:x-${p}"`).join('');
  return text.replace(MATH_BLOCK, (block) => {
    try {
      parseXml(`<root${decl}>${block}</root>`, 'math');
      return block;
    } catch {
      return '';
    }
  });
}

/** Parse CNXML text of one module. */
export function parseCnxmlModule(xml: string, options: ParseModuleOptions): ParsedModule {
  const withMaterials = options.materials !== false;
  const doc = parseModuleXml(textToParse(xml, withMaterials), options.file);
  const root = doc.documentElement;
  if (!root || localName(root) !== 'document') throw new Error(`${options.file}: not a CNXML document`);
  const parsed = new ModuleParser(root, options.file).parse(options.moduleId);
  const chunks = chunkBlocks(parsed.blocks, { minWords: options.minWords, maxWords: options.maxWords });
  const known = new Set(parsed.figures.map((f) => f.xmlId));
  const { blocks: _blocks, ...rest } = parsed;
  const materials = withMaterials
    ? extractMaterials(root, { isDropped, keyTerms: parsed.keyTerms.map((t) => t.term) })
    : { equations: [], examples: [], reviewQuestions: [], glossary: [] };
  return {
    ...rest,
    passages: chunks.map((c) => ({
      heading: c.heading,
      text: c.text,
      figureXmlIds: c.figureIds.filter((id) => known.has(id)),
      coreqOnly: c.group === 'coreq',
    })),
    materials,
  };
}

/** Read and parse one module file. */
export async function readCnxmlModule(file: string, options: Omit<ParseModuleOptions, 'file'> = {}): Promise<ParsedModule> {
  const xml = await readFile(file, 'utf8');
  return parseCnxmlModule(xml, { ...options, file });
}
