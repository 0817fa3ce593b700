/**
 * Minimal reading of H.264 Annex B byte streams (start-code delimited NAL units): enough to check
 * that clips joined by byte concatenation share their parameter sets, and to count pictures.
 */

export interface NalUnit {
  type: number;
  /** The NAL unit without its start code. */
  data: Buffer;
}

export function* nalUnits(buf: Buffer): Generator<NalUnit> {
  const n = buf.length;
  let i = 0;
  let start = -1;
  while (i + 2 < n) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      if (start >= 0) {
        let end = i;
        while (end > start && buf[end - 1] === 0) end--; // zero_byte of a 4-byte start code
        if (end > start) yield { type: buf[start] & 0x1f, data: buf.subarray(start, end) };
      }
      start = i + 3;
      i += 3;
    } else {
      i += 1;
    }
  }
  if (start >= 0 && start < n) yield { type: buf[start] & 0x1f, data: buf.subarray(start, n) };
}

/** Distinct SPS (type 7) and PPS (type 8) payloads, hex encoded, in order of appearance. */
export function parameterSets(buf: Buffer): { sps: string[]; pps: string[] } {
  const sps = new Set<string>();
  const pps = new Set<string>();
  for (const nal of nalUnits(buf)) {
    if (nal.type === 7) sps.add(nal.data.toString('hex'));
    else if (nal.type === 8) pps.add(nal.data.toString('hex'));
  }
  return { sps: [...sps], pps: [...pps] };
}

/**
 * Pictures in the stream: coded slices (types 1 and 5) whose first_mb_in_slice is 0, i.e. whose
 * slice header starts with the Exp-Golomb code for 0 (a single 1 bit).
 */
export function countPictures(buf: Buffer): { pictures: number; idr: number } {
  let pictures = 0;
  let idr = 0;
  for (const nal of nalUnits(buf)) {
    if ((nal.type === 1 || nal.type === 5) && nal.data.length > 1 && (nal.data[1] & 0x80) !== 0) {
      pictures++;
      if (nal.type === 5) idr++;
    }
  }
  return { pictures, idr };
}
