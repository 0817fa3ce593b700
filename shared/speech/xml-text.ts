/**
 * Text that goes into XML (SSML): removal of characters XML 1.0 forbids, then escaping.
 *
 * XML 1.0 `Char` ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * Everything else (C0 controls, lone UTF-16 surrogates, U+FFFE, U+FFFF) cannot appear in a
 * document at all, not even as a character reference, so it is dropped. C1 controls
 * (U+007F-U+009F) are legal but "discouraged" and never meaningful in prose: also dropped.
 */

// Lone surrogates: a high not followed by a low, or a low not preceded by a high.
const ILLEGAL_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drop characters that are illegal (or discouraged controls) in XML 1.0. Other text is kept as is. */
export function sanitizeXmlText(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, (c) => (c === '\u0085' ? ' ' : ''));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Sanitised and escaped for use as XML character data or as a quoted attribute value. */
export function escapeXml(text: string): string {
  return sanitizeXmlText(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** True when every character of `text` is an XML 1.0 `Char` (no surrogate halves, no C0 controls but tab/LF/CR). */
export function isXmlChars(text: string): boolean {
  return /^(?:[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(text);
}
