/**
 * Narration loudness: what ffmpeg's EBU R128 meter measured (loudnessJob in ffmpeg-args.ts), and
 * the gain that brings it to the target. A linear gain keeps speech as the voice made it (one-pass
 * loudnorm compresses dynamically and resamples to 192 kHz); a limiter after it catches the
 * peaks the gain would push over the ceiling.
 */

export interface LoudnessMeasure {
  /** Integrated loudness, LUFS; -Infinity for silence. */
  integratedLufs: number;
  /** True peak, dBFS; -Infinity for silence. */
  truePeakDbfs: number;
}

/** Peak ceiling after the gain, dBFS (EBU R128's streaming practice: -1 to -2 dBTP). */
export const PEAK_CEILING_DBFS = -1.5;
/** At most this much gain: a nearly silent track is not lifted into its noise floor. */
export const MAX_GAIN_DB = 30;
/** Quieter than this is silence (gating leaves nothing to measure): no gain. */
const SILENCE_LUFS = -70;

/** Reads the `Summary:` block ebur128 prints at the end (`I: -23.4 LUFS`, `Peak: -3.2 dBFS`); null when absent. */
export function parseEbur128Summary(stderr: string): LoudnessMeasure | null {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) return null;
  const summary = stderr.slice(at);
  const value = (label: string): number | null => {
    const m = new RegExp(`${label}:\\s+(-?inf|-?\\d+(?:\\.\\d+)?)\\s`).exec(summary);
    if (!m) return null;
    return m[1]!.endsWith('inf') ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  };
  const integratedLufs = value('I');
  if (integratedLufs === null) return null;
  return { integratedLufs, truePeakDbfs: value('Peak') ?? -Infinity };
}

/** The gain (dB) that brings the measured loudness to the target; 0 for silence, at most MAX_GAIN_DB. */
export function loudnessGain(m: LoudnessMeasure, targetLufs: number): { gainDb: number; limitDbfs: number } {
  if (!Number.isFinite(m.integratedLufs) || m.integratedLufs < SILENCE_LUFS) return { gainDb: 0, limitDbfs: PEAK_CEILING_DBFS };
  const gainDb = Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, targetLufs - m.integratedLufs));
  return { gainDb: Math.round(gainDb * 100) / 100, limitDbfs: PEAK_CEILING_DBFS };
}
