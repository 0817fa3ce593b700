import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

/** XML namespaces of OpenStax sources. */
export const NS = {
  cnxml: 'http://cnx.rice.edu/cnxml',
  mathml: 'http://www.w3.org/1998/Math/MathML',
  mdml: 'http://cnx.rice.edu/mdml',
  collxml: 'http://cnx.rice.edu/collxml',
} as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export type { Document, Element, Node };

/**
 * Parse an XML string. Fatal errors and errors throw (with the source name in the message);
 * warnings are ignored. Entities are decoded by the parser.
 */
export function parseXml(xml: string, source: string): Document {
  const parser = new DOMParser({
    locator: false,
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${source}: XML ${level}: ${message}`);
    },
  });
  return parser.parseFromString(xml, 'text/xml');
}

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

export function isText(node: Node): boolean {
  return node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE;
}

/** Local name of an element (without prefix). */
export function localName(el: Element): string {
  return el.localName ?? el.nodeName.replace(/^.*:/, '');
}

export function isMathMl(el: Element): boolean {
  return el.namespaceURI === NS.mathml;
}

/** Element children, in order. */
export function childElements(node: Node): Element[] {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (isElement(c)) out.push(c);
  return out;
}

/** First child element with this local name (any namespace unless given). */
export function firstChild(node: Node, name: string, ns?: string): Element | null {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (isElement(c) && localName(c) === name && (ns === undefined || c.namespaceURI === ns)) return c;
  }
  return null;
}

/** All descendant elements with this local name, in document order. */
export function descendants(node: Node, name: string, ns?: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (!isElement(c)) continue;
      if (localName(c) === name && (ns === undefined || c.namespaceURI === ns)) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** Raw text content of a node (all descendant text, no normalisation). */
export function rawText(node: Node): string {
  if (isText(node)) return (node as unknown as { data: string }).data;
  let s = '';
  for (let c = node.firstChild; c; c = c.nextSibling) s += rawText(c);
  return s;
}

/** Class tokens of an element (split on whitespace). */
export function classes(el: Element): string[] {
  const c = el.getAttribute('class');
  return c ? c.trim().split(/\s+/) : [];
}

const C1_CONTROLS: Record<string, string> = { '\u0091': '‘', '\u0092': '’', '\u0093': '“', '\u0094': '”', '\u0096': '–', '\u0097': '—' };

/**
 * Collapse whitespace (including no-break and other Unicode spaces) and trim. Stray C1 control
 * characters (Windows-1252 quotes and dashes decoded as Latin-1) become the characters they meant.
 */
export function normalizeSpace(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => C1_CONTROLS[c] ?? '').replace(/[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/g, ' ').trim();
}

/** Normalise prose assembled from inline pieces: collapse whitespace and tidy spacing around punctuation. */
export function tidyProse(text: string): string {
  return normalizeSpace(text)
    .replace(/\s+([,.;:!?)\]’”])/g, '$1')
    .replace(/([([“])\s+/g, '$1')
    .replace(/([,;])(?=[A-Za-z])/g, '$1 ')
    .replace(/,(?:\s*,)+/g, ',')
    .replace(/([.!?]),/g, '$1')
    .replace(/,\s*\./g, '.')
    .trim();
}
