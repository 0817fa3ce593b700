import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { isXmlChars } from '../../shared/speech/xml-text.js';

/**
 * Strict well-formedness check: every character an XML 1.0 Char, every `&` a reference, no `]]>`
 * (xmldom tolerates a bare `&` and `]]>` in text, XML does not), no `>` outside markup, and
 * @xmldom/xmldom parses it without a single warning or error. Returns the document.
 */
export function parseStrict(xml: string): Document {
  if (!isXmlChars(xml)) throw new Error(`characters illegal in XML 1.0 in ${JSON.stringify(xml)}`);
  if (/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(xml)) throw new Error(`bare & in ${JSON.stringify(xml)}`);
  if (xml.includes(']]>')) throw new Error(`]]> in ${JSON.stringify(xml)}`);
  // Markup here is only start/end/empty tags whose attribute values are escaped: strip it, then no < or > may remain.
  const text = xml.replace(/<\/?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+="[^"<>]*")*\s*\/?>/g, '');
  if (/[<>]/.test(text)) throw new Error(`stray < or > in character data of ${JSON.stringify(xml)}`);
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      problems.push(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  if (problems.length) throw new Error(`not well-formed: ${problems.join('; ')}\n${xml}`);
  return doc;
}

export function elements(node: Node): Element[] {
  const out: Element[] = [];
  const walk = (n: Node): void => {
    if (n.nodeType === 1) out.push(n as Element);
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(node);
  return out;
}

export function textOf(node: Node): string {
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}
