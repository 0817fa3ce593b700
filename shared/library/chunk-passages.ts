import { countWords, splitSentences } from '../text/sentences.js';

/** One paragraph-sized piece of student-facing text, in reading order. */
export interface TextBlock {
  heading: string;
  text: string;
  /** XML ids of figures referenced by or placed next to this block. */
  figureIds: string[];
  /** Blocks of different groups never share a chunk (e.g. corequisite-only material). */
  group: string;
}

export interface TextChunk {
  heading: string;
  text: string;
  figureIds: string[];
  group: string;
  words: number;
}

export interface ChunkOptions {
  minWords?: number;
  maxWords?: number;
}

interface Unit {
  text: string;
  words: number;
  figureIds: string[];
}

interface Piece {
  heading: string;
  group: string;
  units: Unit[];
  words: number;
}

const DEFAULTS = { minWords: 60, maxWords: 220 };

/**
 * Sentences of a text. A "sentence" longer than `max` words only occurs in spoken multi-line math
 * (table rows joined by semicolons); it is split at semicolons, then commas, then between words.
 */
function sentencesWithin(text: string, max: number): string[] {
  const out: string[] = [];
  const pack = (pieces: string[], sep: string, next: (s: string) => void): void => {
    let cur = '';
    for (const piece of pieces) {
      const candidate = cur ? `${cur}${sep}${piece}` : piece;
      if (cur && countWords(candidate) > max) {
        next(cur);
        cur = piece;
      } else cur = candidate;
    }
    if (cur) next(cur);
  };
  const byWords = (s: string): void => {
    if (countWords(s) <= max) out.push(s);
    else pack(s.split(/\s+/), ' ', (p) => out.push(p));
  };
  const byCommas = (s: string): void => {
    if (countWords(s) <= max) out.push(s);
    else pack(s.split(/(?<=,)\s+/), ' ', byWords);
  };
  for (const sentence of splitSentences(text)) {
    if (countWords(sentence) <= max) out.push(sentence);
    else pack(sentence.split(/(?<=;)\s+/), ' ', byCommas);
  }
  return out;
}

/** Split a paragraph that is longer than `max` words into sentence groups of similar size. */
function splitLong(text: string, figureIds: string[], max: number): Unit[] {
  const words = countWords(text);
  if (words <= max) return [{ text, words, figureIds }];
  const sentences = sentencesWithin(text, max);
  const parts = Math.ceil(words / max);
  const target = words / parts;
  const units: Unit[] = [];
  let cur: string[] = [];
  let curWords = 0;
  for (const s of sentences) {
    const w = countWords(s);
    if (cur.length && (curWords + w > max || curWords >= target)) {
      units.push({ text: cur.join(' '), words: curWords, figureIds: [] });
      cur = [];
      curWords = 0;
    }
    cur.push(s);
    curWords += w;
  }
  if (cur.length) units.push({ text: cur.join(' '), words: curWords, figureIds: [] });
  units[0].figureIds = figureIds;
  return units;
}

/** Take leading sentences of `unit` while `room` words allow; returns [taken, rest]. */
function takeSentences(unit: Unit, room: number): [Unit | null, Unit | null] {
  const sentences = splitSentences(unit.text);
  let taken = 0;
  let words = 0;
  while (taken < sentences.length - 1) {
    const w = countWords(sentences[taken]);
    if (words + w > room) break;
    words += w;
    taken++;
  }
  if (taken === 0) return [null, unit];
  const head = sentences.slice(0, taken).join(' ');
  const tail = sentences.slice(taken).join(' ');
  return [
    { text: head, words: countWords(head), figureIds: unit.figureIds },
    { text: tail, words: countWords(tail), figureIds: [] },
  ];
}

function merge(a: Piece, b: Piece): Piece {
  return { heading: a.words >= b.words ? a.heading : b.heading, group: a.group, units: [...a.units, ...b.units], words: a.words + b.words };
}

/**
 * Group paragraphs into passages of roughly `minWords`..`maxWords` words without cutting sentences.
 *
 * Paragraphs under the same heading are packed greedily; a paragraph longer than the maximum is split
 * at sentence boundaries; a chunk that would stay under the minimum is topped up with whole sentences
 * of the next paragraph. Remaining short chunks are merged into a neighbour (same heading first, then
 * across headings, taking the heading of the larger part) when the result stays within 125% of the maximum.
 */
export function chunkBlocks(blocks: TextBlock[], options: ChunkOptions = {}): TextChunk[] {
  const min = options.minWords ?? DEFAULTS.minWords;
  const max = options.maxWords ?? DEFAULTS.maxWords;
  const slack = Math.round(max * 1.25);

  // 1. runs of blocks sharing heading and group
  const runs: { heading: string; group: string; blocks: TextBlock[] }[] = [];
  for (const b of blocks) {
    if (!b.text.trim()) continue;
    const last = runs[runs.length - 1];
    if (last && last.heading === b.heading && last.group === b.group) last.blocks.push(b);
    else runs.push({ heading: b.heading, group: b.group, blocks: [b] });
  }

  // 2. pack each run
  const pieces: Piece[][] = runs.map((run) => {
    const units = run.blocks.flatMap((b) => splitLong(b.text, b.figureIds, max));
    const out: Piece[] = [];
    let cur: Piece = { heading: run.heading, group: run.group, units: [], words: 0 };
    const flush = (): void => {
      if (cur.units.length) out.push(cur);
      cur = { heading: run.heading, group: run.group, units: [], words: 0 };
    };
    for (let unit of units) {
      if (cur.units.length && cur.words + unit.words > max) {
        if (cur.words < min) {
          const [head, rest] = takeSentences(unit, max - cur.words);
          if (head) {
            cur.units.push(head);
            cur.words += head.words;
            unit = rest!;
          }
        }
        flush();
      }
      cur.units.push(unit);
      cur.words += unit.words;
    }
    flush();
    // a short tail joins its predecessor when that stays reasonable
    if (out.length >= 2) {
      const last = out[out.length - 1];
      const prev = out[out.length - 2];
      if (last.words < min && prev.words + last.words <= slack) out.splice(out.length - 2, 2, merge(prev, last));
    }
    return out;
  });

  // 3. short pieces merge across headings (never across groups)
  const flat = pieces.flat();
  for (let i = 0; i < flat.length; i++) {
    const p = flat[i];
    if (p.words >= min) continue;
    const next = flat[i + 1];
    const prev = flat[i - 1];
    if (next && next.group === p.group && p.words + next.words <= slack) {
      flat.splice(i, 2, merge(p, next));
      i--;
    } else if (prev && prev.group === p.group && prev.words + p.words <= slack) {
      flat.splice(i - 1, 2, merge(prev, p));
      i -= 2;
    }
  }

  return flat.map((p) => {
    const text = p.units.map((u) => u.text).join(' ');
    return {
      heading: p.heading,
      group: p.group,
      text,
      words: countWords(text),
      figureIds: [...new Set(p.units.flatMap((u) => u.figureIds))],
    };
  });
}
