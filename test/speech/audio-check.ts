/** Small signal measurements for tests on 16-bit mono PCM. */

function samples(pcm: Buffer): Float32Array {
  const n = Math.floor(pcm.length / 2);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = pcm.readInt16LE(i * 2);
  return x;
}

/** Median fundamental frequency (Hz) of the loud, voiced frames, by autocorrelation; NaN if none. */
export function medianPitchHz(pcm: Buffer, sampleRateHz: number): number {
  const x = samples(pcm);
  const W = 1024;
  const found: number[] = [];
  for (let s = 0; s + W + sampleRateHz / 60 < x.length; s += 512) {
    let energy = 0;
    for (let i = 0; i < W; i++) energy += x[s + i]! ** 2;
    if (Math.sqrt(energy / W) < 1000) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = Math.floor(sampleRateHz / 400); lag < sampleRateHz / 60; lag++) {
      let c = 0;
      for (let i = 0; i < W; i++) c += x[s + i]! * x[s + i + lag]!;
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    if (bestLag && best / energy > 0.5) found.push(sampleRateHz / bestLag);
  }
  found.sort((a, b) => a - b);
  return found.length ? found[Math.floor(found.length / 2)]! : NaN;
}

/** True when every sample in [from, to) is zero. */
export function isZero(pcm: Buffer, fromSample: number, toSample: number): boolean {
  for (let i = fromSample; i < toSample; i++) if (pcm.readInt16LE(i * 2) !== 0) return false;
  return true;
}
