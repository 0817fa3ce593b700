/**
 * A list file for ffmpeg's concat demuxer (`-f concat -safe 0 -i list.txt`).
 *
 * Paths are written single-quoted; a single quote inside a path is written `'\''` (close the
 * quote, an escaped quote, reopen), which is how the demuxer's tokenizer (av_get_token) reads it.
 * Line breaks and NUL cannot be represented and are refused.
 *
 * Each entry may carry an explicit `duration`. With stream copy this matters: without it the
 * demuxer offsets the next file by the container duration, which MP4 rounds to whole
 * milliseconds (a 10-frame clip at 30 fps becomes 0.334 s), shifting every later timestamp.
 */
export interface ConcatEntry {
  path: string;
  /** Duration in seconds of this entry (written with microsecond precision). */
  durationSeconds?: number;
}

export function quoteConcatPath(path: string): string {
  if (/[\r\n\0]/.test(path)) throw new Error('concat list paths cannot contain line breaks or NUL');
  if (path.length === 0) throw new Error('empty path');
  return `'${path.replace(/'/g, "'\\''")}'`;
}

export function formatConcatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`invalid duration ${seconds}`);
  return seconds.toFixed(6);
}

export function buildConcatList(entries: ConcatEntry[]): string {
  const lines = ['ffconcat version 1.0'];
  for (const e of entries) {
    lines.push(`file ${quoteConcatPath(e.path)}`);
    if (e.durationSeconds !== undefined) lines.push(`duration ${formatConcatDuration(e.durationSeconds)}`);
  }
  return lines.join('\n') + '\n';
}

/** Reads a list back (the subset written above); used by tests to check the quoting round-trips. */
export function parseConcatList(text: string): ConcatEntry[] {
  const out: ConcatEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('ffconcat ')) continue;
    if (line.startsWith('file ')) {
      out.push({ path: unquoteToken(line.slice(5).trim()) });
    } else if (line.startsWith('duration ') && out.length > 0) {
      out[out.length - 1].durationSeconds = Number(line.slice(9).trim());
    }
  }
  return out;
}

/** The token rules of av_get_token: '...' is literal, a backslash escapes one character outside quotes. */
export function unquoteToken(token: string): string {
  let out = '';
  let i = 0;
  while (i < token.length) {
    const c = token[i];
    if (c === "'") {
      const end = token.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated quote');
      out += token.slice(i + 1, end);
      i = end + 1;
    } else if (c === '\\') {
      out += token[i + 1] ?? '';
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}
