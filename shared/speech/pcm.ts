/** Helpers for 16-bit little-endian mono PCM. */

export const BYTES_PER_SAMPLE = 2;

export function sampleCount(pcm: Buffer): number {
  return Math.floor(pcm.length / BYTES_PER_SAMPLE);
}

/** Zero samples lasting `ms` milliseconds at `sampleRateHz` (rounded to whole samples). */
export function silence(ms: number, sampleRateHz: number): Buffer {
  return Buffer.alloc(Math.max(0, Math.round((ms * sampleRateHz) / 1000)) * BYTES_PER_SAMPLE);
}

/** Root mean square of the samples (0 for empty input), in sample units (full scale 32768). */
export function rms(pcm: Buffer): number {
  const n = sampleCount(pcm);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = pcm.readInt16LE(i * BYTES_PER_SAMPLE);
    sum += v * v;
  }
  return Math.sqrt(sum / n);
}

export interface TrimOptions {
  /** Absolute sample value at or below which a sample counts as silent (default 96, about -51 dBFS). */
  threshold?: number;
  /** Silence kept before the first and after the last loud sample (default 20 ms). */
  padMs?: number;
}

/**
 * Remove leading and trailing silence (engines add a sentence-final pause of ~0.3 s, which would
 * double the pauses the narrator inserts itself). Returns a view of the input; an all-silent input
 * becomes empty.
 */
export function trimSilence(pcm: Buffer, sampleRateHz: number, opts: TrimOptions = {}): Buffer {
  const threshold = opts.threshold ?? 96;
  const pad = Math.round(((opts.padMs ?? 20) * sampleRateHz) / 1000);
  const n = sampleCount(pcm);
  let first = 0;
  while (first < n && Math.abs(pcm.readInt16LE(first * BYTES_PER_SAMPLE)) <= threshold) first++;
  if (first === n) return pcm.subarray(0, 0);
  let last = n - 1;
  while (last > first && Math.abs(pcm.readInt16LE(last * BYTES_PER_SAMPLE)) <= threshold) last--;
  const start = Math.max(0, first - pad);
  const end = Math.min(n, last + 1 + pad);
  return pcm.subarray(start * BYTES_PER_SAMPLE, end * BYTES_PER_SAMPLE);
}
