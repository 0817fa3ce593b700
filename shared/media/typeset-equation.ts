// MathJax v4 (@mathjax/src 4.1.3, the maintained line) over v3: it runs offline in Node with liteAdaptor, its NewCM font comes from npm, and the font's lazily loaded ranges are reached through a static import table (bundled by esbuild, never fetched).
/**
 * Equations for video slides: TeX (from the script writer) or MathML (OpenStax CNXML `<m:math>`)
 * typeset by MathJax to SVG, glyphs filled with the theme's colours, then rasterised by
 * @napi-rs/canvas (Skia draws the SVG paths as vectors, so the PNG is as crisp as slide text).
 *
 * Inputs are untrusted: TeX is limited to the base and ams packages, with definitions, links,
 * HTML/CSS hooks and colour commands refused before MathJax sees them; MathML is parsed as XML
 * (any `m:`-style prefix, declared or not) and rebuilt from a whitelist of presentation elements
 * and attributes, `<semantics>` reduced to its presentation child, annotations dropped.
 *
 * MathJax is loaded on the first call and kept for the process. Conversions are serialised (the
 * highlight filter reads per-call state, and the font loads missing ranges between retries);
 * rasterisation runs outside that queue.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { MathSource } from '../domain/script.js';
import { ErrorCodes, PipelineError } from '../errors.js';

export interface TypesetOptions {
  /** Glyph colour (CSS hex like '#f4f6fb'). */
  color: string;
  /** Colour of highlighted symbols. */
  highlightColor: string;
  /** Identifiers to highlight, as written (e.g. ['F', 'a']); matched against the text of `<mi>` nodes. */
  highlight?: string[];
  /** Pixel size of 1em (e.g. 72). */
  fontPx: number;
  /** The result is scaled down (never up beyond fontPx) to fit inside these. */
  maxWidthPx: number;
  maxHeightPx: number;
}

export interface TypesetEquation {
  png: Buffer;
  width: number;
  height: number;
  /** The SVG that was rasterised (for tests/debug). */
  svg: string;
}

/** Longest accepted source, in characters (the script schema's limit too). */
export const EQUATION_MAX_CHARS = 6000;
/** A typeset equation wider or taller than this (in em) is refused as absurd. */
export const EQUATION_MAX_EM = { width: 100, height: 30 } as const;
/** Scaled to fit, an equation whose 1em would be smaller than this many pixels is refused (unreadable). */
export const EQUATION_MIN_EM_PX = 10;
/** Transparent margin around the glyphs, in em (MathJax's box can be a hair tighter than the ink). */
const PAD_EM = 0.1;

const EQUATION_INVALID = ErrorCodes.equationInvalid;
const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

/**
 * Typeset an equation into a transparent PNG at its final pixel size: MathJax's box of the
 * equation (display style, left-aligned rows) plus a 0.1em margin on every side, glyphs centred.
 * Draw it with ctx.drawImage(img, x, y) at 1:1 (no further scaling: it is already at slide pixels).
 * Throws PipelineError with code 'EQUATION_INVALID' (retryable: false) for input that does not
 * typeset: parse errors (MathJax merror), forbidden TeX commands, empty, over 6000 chars, or a
 * result that would be absurdly large.
 */
export async function typesetEquation(math: MathSource, opts: TypesetOptions): Promise<TypesetEquation> {
  checkOptions(opts);
  const converted = await convert(math, {
    color: opts.color,
    highlightColor: opts.highlightColor,
    highlight: highlightSet(opts.highlight),
  });
  const { widthEm, heightEm } = converted;
  const padEm = PAD_EM;
  const scale = Math.min(1, opts.maxWidthPx / ((widthEm + 2 * padEm) * opts.fontPx), opts.maxHeightPx / ((heightEm + 2 * padEm) * opts.fontPx));
  const emPx = opts.fontPx * scale;
  if (emPx < EQUATION_MIN_EM_PX) {
    throw invalid(`the equation is too large to read in ${opts.maxWidthPx}x${opts.maxHeightPx} px (1em would be ${emPx.toFixed(1)} px)`);
  }
  const width = Math.max(1, Math.min(opts.maxWidthPx, Math.ceil((widthEm + 2 * padEm) * emPx)));
  const height = Math.max(1, Math.min(opts.maxHeightPx, Math.ceil((heightEm + 2 * padEm) * emPx)));
  const glyphW = widthEm * emPx;
  const glyphH = heightEm * emPx;
  const svg = converted.svg.replace(/^<svg\b([^>]*)>/, (_m, attrs: string) => {
    const rest = attrs.replace(/\s(width|height|style)="[^"]*"/g, '');
    return `<svg width="${fmt(glyphW)}" height="${fmt(glyphH)}"${rest}>`;
  });
  try {
    // Imported here, not at the top: code that only checks equations (the writers) must not pull the native canvas into its bundle.
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const img = await loadImage(Buffer.from(svg, 'utf8'));
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, (width - glyphW) / 2, (height - glyphH) / 2, glyphW, glyphH);
    const png = await canvas.encode('png');
    return { png, width, height, svg };
  } catch (err) {
    throw new PipelineError(ErrorCodes.renderFailed, `could not rasterise a typeset equation: ${err instanceof Error ? err.message : String(err)}`, { retryable: false, cause: err });
  }
}

/** Cheap validity check used by the script writers: null when it typesets, else a short reason. */
export async function equationProblem(math: MathSource): Promise<string | null> {
  try {
    await convert(math, { color: '#000000', highlightColor: '#000000', highlight: new Set() });
    return null;
  } catch (err) {
    if (err instanceof PipelineError && err.code === EQUATION_INVALID) return err.message;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Input checks

function invalid(reason: string, cause?: unknown): PipelineError {
  return new PipelineError(EQUATION_INVALID, reason, { retryable: false, cause });
}

const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

function checkOptions(opts: TypesetOptions): void {
  const bad = (what: string): never => {
    throw new PipelineError(ErrorCodes.internal, `typesetEquation: ${what}`, { retryable: false });
  };
  if (!HEX_COLOUR.test(opts.color)) bad(`color must be a CSS hex colour, got ${JSON.stringify(opts.color)}`);
  if (!HEX_COLOUR.test(opts.highlightColor)) bad(`highlightColor must be a CSS hex colour, got ${JSON.stringify(opts.highlightColor)}`);
  for (const [k, v] of [['fontPx', opts.fontPx], ['maxWidthPx', opts.maxWidthPx], ['maxHeightPx', opts.maxHeightPx]] as const) {
    if (!Number.isFinite(v) || v <= 0 || v > 16384) bad(`${k} must be a positive number of pixels, got ${v}`);
  }
}

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ',
  phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π',
  Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

/** `F`, `v_0` (→ v), `\Delta` (→ Δ), `x^2` (→ x): the identifier texts to colour. */
function highlightSet(names: string[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of names ?? []) {
    let name = raw.trim();
    const greek = /^\\([A-Za-z]+)/.exec(name);
    if (greek && GREEK[greek[1]!]) name = GREEK[greek[1]!]! + name.slice(greek[0].length);
    name = name.replace(/^\{(.*)\}$/, '$1').split(/[_^]/)[0]!.trim();
    if (name) out.add(name);
  }
  return out;
}

/**
 * TeX control words refused before parsing: definitions (no \newcommand, \def…), links and
 * HTML/CSS hooks, package loading, raw tokens, and colours (the theme decides those).
 */
const FORBIDDEN_TEX = new Set([
  'def', 'edef', 'gdef', 'xdef', 'let', 'futurelet', 'newcommand', 'renewcommand', 'providecommand', 'newenvironment',
  'renewenvironment', 'DeclareMathOperator', 'csname', 'expandafter', 'catcode', 'input', 'include',
  'href', 'url', 'require', 'html', 'class', 'style', 'cssId', 'data', 'unicode', 'mmlToken', 'texttip', 'mathtip', 'toggle',
  'color', 'textcolor', 'colorbox', 'fcolorbox', 'definecolor', 'begingroup', 'endgroup', 'tag', 'label', 'ref', 'eqref',
]);

/** The TeX to hand MathJax: one pair of outer math delimiters removed; throws for forbidden commands. */
function checkTex(source: string): string {
  let tex = source.trim();
  const delimited = /^(?:\$\$([\s\S]*)\$\$|\$([\s\S]*)\$|\\\[([\s\S]*)\\\]|\\\(([\s\S]*)\\\))$/.exec(tex);
  if (delimited) tex = (delimited[1] ?? delimited[2] ?? delimited[3] ?? delimited[4] ?? '').trim();
  if (!tex) throw invalid('the TeX is empty');
  for (const m of tex.matchAll(/\\([A-Za-z]+|[^A-Za-z])/g)) {
    const name = m[1]!;
    if (FORBIDDEN_TEX.has(name) || /^html/i.test(name)) throw invalid(`\\${name} is not allowed in an equation`);
  }
  return tex;
}

/** Presentation MathML elements kept (the rest is refused); token elements hold text only. */
const MATHML_TOKENS = new Set(['mi', 'mn', 'mo', 'mtext', 'ms']);
const MATHML_ELEMENTS = new Set([
  ...MATHML_TOKENS, 'math', 'mrow', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac', 'msqrt', 'mroot', 'mstyle', 'merror', 'mpadded',
  'mphantom', 'mfenced', 'menclose', 'munder', 'mover', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr',
  'mlabeledtr', 'mtd', 'maligngroup', 'malignmark',
]);
/** Reduced to their first child element (the presentation form / the shown action). */
const MATHML_FIRST_CHILD_ONLY = new Set(['semantics', 'maction']);
/** Dropped with their content. */
const MATHML_DROPPED = new Set(['annotation', 'annotation-xml']);
/** Layout attributes kept; colours, links, ids, classes, styles and events are dropped. */
const MATHML_ATTRIBUTES = new Set([
  'mathvariant', 'mathsize', 'displaystyle', 'scriptlevel', 'scriptminsize', 'scriptsizemultiplier', 'dir', 'stretchy', 'symmetric',
  'largeop', 'movablelimits', 'accent', 'accentunder', 'fence', 'separator', 'form', 'lspace', 'rspace', 'minsize', 'maxsize',
  'linethickness', 'numalign', 'denomalign', 'bevelled', 'notation', 'open', 'close', 'separators', 'width', 'height', 'depth',
  'voffset', 'columnalign', 'rowalign', 'columnspacing', 'rowspacing', 'columnlines', 'rowlines', 'frame', 'framespacing',
  'equalrows', 'equalcolumns', 'columnspan', 'rowspan', 'align', 'linebreak', 'fontstyle', 'fontweight', 'lquote', 'rquote',
]);
const MATHML_MAX_DEPTH = 64;
const MATHML_MAX_ELEMENTS = 4000;

// Minimal structural views of xmldom nodes (its types differ across versions).
interface XNode {
  nodeType: number;
  nodeName: string;
  localName?: string | null;
  namespaceURI?: string | null;
  nodeValue?: string | null;
  childNodes: { length: number; [i: number]: XNode };
  attributes?: { length: number; [i: number]: { name: string; localName?: string | null; namespaceURI?: string | null; value: string } };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Parse MathML as XML and rebuild it from the whitelist: an unprefixed `<math display="block">`. */
function cleanMathml(source: string): string {
  let xml = source.trim().replace(/^<\?xml[^>]*\?>\s*/, '');
  if (!xml) throw invalid('the MathML is empty');
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) throw invalid('MathML may not carry a DTD or entity declarations');
  // CNXML excerpts keep the document's prefix (m:math) without its declaration: declare the usual ones.
  const prefixes = new Set(['m', 'mml', 'math']);
  for (const p of xml.matchAll(/<\/?([A-Za-z_][\w.-]*):/g)) prefixes.add(p[1]!);
  const decls = [...prefixes].filter((p) => p !== 'xml' && p !== 'xmlns').map((p) => ` xmlns:${p}="${MATHML_NS}"`).join('');
  xml = `<vividly-equation xmlns="${MATHML_NS}"${decls}>${xml}</vividly-equation>`;
  let doc: { documentElement: XNode | null };
  let problem = '';
  try {
    const parser = new DOMParser({
      onError: (level: string, message: string) => {
        if (level === 'warning') return;
        problem ||= message;
        throw new Error(message);
      },
    });
    doc = parser.parseFromString(xml, 'text/xml') as unknown as { documentElement: XNode | null };
  } catch (err) {
    const said = (problem || firstLine(err)).replace(/"?vividly-equation"?/g, 'the end').split('\n')[0]!.slice(0, 200);
    throw invalid(`malformed MathML: ${said}`, err);
  }
  const wrapper = doc.documentElement;
  if (!wrapper) throw invalid('malformed MathML');
  let root: XNode | null = null;
  for (const child of children(wrapper)) {
    if (child.nodeType === 1) {
      if (root) throw invalid('MathML must be a single <math> element');
      root = child;
    } else if (isTextNode(child) && (child.nodeValue ?? '').trim()) {
      throw invalid('MathML must be a single <math> element (text found outside it)');
    }
  }
  if (!root || nameOf(root) !== 'math' || root.namespaceURI !== MATHML_NS) throw invalid('MathML must be a single <math> element');
  let count = 0;
  const emit = (el: XNode, depth: number): string => {
    if (++count > MATHML_MAX_ELEMENTS) throw invalid('the MathML has too many elements');
    if (depth > MATHML_MAX_DEPTH) throw invalid('the MathML is nested too deeply');
    const name = nameOf(el);
    if (el.namespaceURI !== MATHML_NS) throw invalid(`unsupported element <${el.nodeName}> in MathML`);
    if (MATHML_FIRST_CHILD_ONLY.has(name)) {
      const first = children(el).find((c) => c.nodeType === 1);
      return first && !MATHML_DROPPED.has(nameOf(first)) ? emit(first, depth + 1) : '<mrow></mrow>';
    }
    if (!MATHML_ELEMENTS.has(name)) throw invalid(`unsupported MathML element <${name}>`);
    let attrs = '';
    for (let i = 0; el.attributes && i < el.attributes.length; i++) {
      const a = el.attributes[i]!;
      const an = a.localName ?? a.name;
      if (a.namespaceURI || !MATHML_ATTRIBUTES.has(an) || a.value.length > 200) continue;
      // OpenStax writes space widths without a unit (<mspace width="0.5"/>), which MathJax ignores: ems are meant.
      const value = (an === 'width' || an === 'height' || an === 'depth') && /^\s*\d*\.?\d+\s*$/.test(a.value) ? `${a.value.trim()}em` : a.value;
      attrs += ` ${an}="${escapeXml(value)}"`;
    }
    if (name === 'math') attrs = ` xmlns="${MATHML_NS}" display="block"` + attrs;
    let body = '';
    if (MATHML_TOKENS.has(name)) {
      for (const c of children(el)) {
        if (isTextNode(c)) body += escapeXml(c.nodeValue ?? '');
        else if (c.nodeType === 1 && nameOf(c) !== 'malignmark') throw invalid(`<${name}> may hold only text`);
      }
      // OpenStax spaces words in equations with the text's own spaces ("<mtext> or </mtext>"), which
      // MathML trims: keep them as no-break spaces so "m a or ΣF" does not print as "maorΣF".
      if (name === 'mtext') body = body.replace(/^\s+/, '\u00a0').replace(/\s+$/, '\u00a0');
    } else {
      for (const c of children(el)) {
        if (c.nodeType === 1) {
          if (!MATHML_DROPPED.has(nameOf(c))) body += emit(c, depth + 1);
        } else if (isTextNode(c) && (c.nodeValue ?? '').trim()) {
          throw invalid(`text outside a token element (inside <${name}>)`);
        }
      }
    }
    return `<${name}${attrs}>${body}</${name}>`;
  };
  // The sentence's punctuation after a display equation ("W = mg.") is not part of what is shown.
  return emit(root, 0).replace(/<(mo|mtext)>\s*[,.;]\s*<\/\1>((?:<\/mrow>)*<\/math>)$/, '$2');
}

function children(node: XNode): XNode[] {
  const out: XNode[] = [];
  for (let i = 0; i < node.childNodes.length; i++) out.push(node.childNodes[i]!);
  return out;
}
function nameOf(el: XNode): string {
  return el.localName ?? el.nodeName.replace(/^.*:/, '');
}
function isTextNode(n: XNode): boolean {
  return n.nodeType === 3 || n.nodeType === 4;
}
function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}
function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

// ---------------------------------------------------------------------------------------------
// MathJax

interface Converted {
  /** The `<svg>` element, fill/stroke already in the requested colour. */
  svg: string;
  widthEm: number;
  heightEm: number;
}
interface ConvertState {
  color: string;
  highlightColor: string;
  highlight: Set<string>;
}

// Structural view of MathJax's internal MathML nodes, as the filter uses them.
interface MmlNodeView {
  isKind(kind: string): boolean;
  isToken: boolean;
  getText?(): string;
  attributes: { get(name: string): unknown; set(name: string, value: unknown): void };
  walkTree(fn: (node: MmlNodeView) => void): void;
}

interface Engine {
  convert(source: string, format: 'TeX' | 'MathML', state: ConvertState): Promise<Converted>;
}

let engine: Promise<Engine> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Run conversions one at a time (MathJax's document, filter state and font loading are shared). */
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

async function convert(math: MathSource, state: ConvertState): Promise<Converted> {
  const source = typeof math?.source === 'string' ? math.source : '';
  if (!source.trim()) throw invalid('the equation is empty');
  if (source.length > EQUATION_MAX_CHARS) throw invalid(`the equation is longer than ${EQUATION_MAX_CHARS} characters`);
  let input: string;
  let format: 'TeX' | 'MathML';
  if (math.format === 'tex') {
    input = checkTex(source);
    format = 'TeX';
  } else if (math.format === 'mathml') {
    input = cleanMathml(source);
    format = 'MathML';
  } else {
    throw invalid(`unknown equation format ${JSON.stringify((math as { format?: unknown })?.format)}`);
  }
  const mj = await loadEngine();
  const out = await serial(() => mj.convert(input, format, state));
  if (out.widthEm > EQUATION_MAX_EM.width || out.heightEm > EQUATION_MAX_EM.height) {
    throw invalid(`the equation is absurdly large (${out.widthEm.toFixed(1)}em x ${out.heightEm.toFixed(1)}em)`);
  }
  return out;
}

function loadEngine(): Promise<Engine> {
  engine ??= createEngine().catch((err) => {
    engine = null;
    throw new PipelineError(ErrorCodes.internal, `MathJax failed to load: ${firstLine(err)}`, { retryable: true, cause: err });
  });
  return engine;
}

/**
 * The NewCM font's ranges that MathJax loads on demand (accented Latin, \mathbb, \mathcal, Greek
 * variants, …), all of them, as literal imports so a bundler keeps them (as lazy chunks) and
 * nothing is looked up at run time.
 */
const FONT_RANGES: Record<string, () => Promise<unknown>> = {
  PUA: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/PUA.js'),
  accents: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/accents.js'),
  'accents-b-i': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/accents-b-i.js'),
  arabic: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/arabic.js'),
  arrows: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/arrows.js'),
  braille: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/braille.js'),
  'braille-d': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/braille-d.js'),
  calligraphic: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/calligraphic.js'),
  cherokee: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/cherokee.js'),
  cyrillic: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/cyrillic.js'),
  'cyrillic-ss': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/cyrillic-ss.js'),
  devanagari: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/devanagari.js'),
  'double-struck': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/double-struck.js'),
  fraktur: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/fraktur.js'),
  greek: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/greek.js'),
  'greek-ss': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/greek-ss.js'),
  hebrew: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/hebrew.js'),
  latin: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/latin.js'),
  'latin-b': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/latin-b.js'),
  'latin-bi': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/latin-bi.js'),
  'latin-i': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/latin-i.js'),
  marrows: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/marrows.js'),
  math: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/math.js'),
  monospace: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/monospace.js'),
  'monospace-ex': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/monospace-ex.js'),
  'monospace-l': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/monospace-l.js'),
  mshapes: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/mshapes.js'),
  phonetics: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/phonetics.js'),
  'phonetics-ss': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/phonetics-ss.js'),
  'sans-serif': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif.js'),
  'sans-serif-b': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif-b.js'),
  'sans-serif-bi': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif-bi.js'),
  'sans-serif-ex': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif-ex.js'),
  'sans-serif-i': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif-i.js'),
  'sans-serif-r': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/sans-serif-r.js'),
  script: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/script.js'),
  shapes: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/shapes.js'),
  symbols: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/symbols.js'),
  'symbols-b-i': () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/symbols-b-i.js'),
  variants: () => import('@mathjax/mathjax-newcm-font/js/svg/dynamic/variants.js'),
};

/** MathJax's loader: only the font's own ranges exist. */
async function loadFontRange(file: string): Promise<unknown> {
  const m = /\/svg\/dynamic\/([A-Za-z-]+)\.js$/.exec(file);
  const load = m ? FONT_RANGES[m[1]!] : undefined;
  if (!load) throw new Error(`no font file ${file}`);
  return load();
}

async function createEngine(): Promise<Engine> {
  const [{ mathjax }, { TeX }, { MathML }, { SVG }, { liteAdaptor }, { RegisterHTMLHandler }, { MathJaxNewcmFont }] = await Promise.all([
    import('@mathjax/src/js/mathjax.js'),
    import('@mathjax/src/js/input/tex.js'),
    import('@mathjax/src/js/input/mathml.js'),
    import('@mathjax/src/js/output/svg.js'),
    import('@mathjax/src/js/adaptors/liteAdaptor.js'),
    import('@mathjax/src/js/handlers/html.js'),
    import('@mathjax/mathjax-newcm-font/js/svg.js'),
    import('@mathjax/src/js/input/tex/base/BaseConfiguration.js'),
    import('@mathjax/src/js/input/tex/ams/AmsConfiguration.js'),
  ]);
  mathjax.asyncLoad = loadFontRange;
  mathjax.asyncIsSynchronous = false;
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  const tex = new TeX({ packages: ['base', 'ams'], tags: 'none', maxBuffer: 16 * 1024 });
  const mml = new MathML();
  const svg = new SVG({ fontData: MathJaxNewcmFont, fontCache: 'local', displayAlign: 'left', displayIndent: '0' });
  const doc = mathjax.document('', { InputJax: [tex, mml], OutputJax: svg });

  let state: ConvertState | null = null;
  let errors: string[] = [];
  // After parsing (both inputs): note merror nodes, colour the highlighted identifiers.
  const inspect = (...args: unknown[]): void => {
    const { data } = args[0] as { data: unknown };
    const root = (typeof (data as MmlNodeView).walkTree === 'function' ? data : (data as { root: unknown }).root) as MmlNodeView;
    root.walkTree((node) => {
      if (node.isKind('merror')) {
        const said = node.attributes.get('data-mjx-message') ?? node.attributes.get('data-mjx-error');
        const text: string[] = [];
        node.walkTree((n) => {
          if (n.isToken && n.getText) text.push(n.getText());
        });
        errors.push(typeof said === 'string' && said ? said : text.join(' ').trim() || 'MathJax error');
      } else if (state && state.highlight.size && node.isKind('mi') && node.getText && state.highlight.has(node.getText().trim())) {
        node.attributes.set('mathcolor', state.highlightColor);
      }
    });
  };
  tex.postFilters.add(inspect, 1000);
  mml.postFilters.add(inspect, 1000);

  return {
    async convert(source, format, s) {
      state = s;
      errors = [];
      try {
        if (format === 'TeX') tex.reset();
        const node = await doc.convertPromise(source, { format, display: true });
        if (errors.length) throw invalid(`the equation does not typeset: ${errors[0]!.slice(0, 200)}`);
        // XML serialisation: the HTML one leaves '<' raw in attributes (data-latex="x < 0"), which an SVG parser refuses.
        const svgNode = adaptor.tags(node, 'svg')[0];
        const svgText = svgNode && adaptor.parent(svgNode) === node ? adaptor.serializeXML(svgNode) : '';
        const vb = /^<svg\b[^>]*\sviewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)"/.exec(svgText);
        if (!vb) throw invalid('the equation did not typeset to a single SVG');
        // Characters the math font lacks come out as <text> for a system font: tofu on a server.
        const missing = adaptor.tags(node, 'text').map((t) => adaptor.textContent(t));
        if (missing.length) throw invalid(`the math font has no glyphs for ${JSON.stringify(missing.join('').slice(0, 40))}`);
        return {
          svg: svgText.replace(/currentColor/g, s.color),
          widthEm: Number(vb[3]) / 1000,
          heightEm: Number(vb[4]) / 1000,
        };
      } catch (err) {
        if (err instanceof PipelineError) throw err;
        throw invalid(`the equation does not typeset: ${firstLine(err)}`, err);
      } finally {
        state = null;
      }
    },
  };
}
