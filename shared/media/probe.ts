import { ffprobeJson } from './ffprobe-json.js';

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  frames: number | null;
}

export interface ProbedAudio {
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
}

export interface MediaProbe {
  /** Container duration in seconds. */
  durationSeconds: number;
  formatName: string;
  sizeBytes: number | null;
  /** First video stream, or null when there is none (cover art is not a video stream here). */
  video: ProbedVideo | null;
  /** First audio stream, or null when there is none. */
  audio: ProbedAudio | null;
}

/** `30/1`, `30000/1001`, `0/0` -> number (0 when unknown). */
export function parseRate(rate: string | undefined | null): number {
  if (!rate) return 0;
  const [n, d] = rate.split('/').map(Number);
  if (d === undefined) return Number.isFinite(n) ? n : 0;
  return Number.isFinite(n) && Number.isFinite(d) && d !== 0 ? n / d : 0;
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** ffprobe of a media file: container, first video and audio stream. Rejects when the file cannot be read as media. */
export async function probeMedia(file: string): Promise<MediaProbe> {
  const data = await ffprobeJson(file);
  {
    {
      const fmtDuration = num(data.format?.duration);
      const v = data.streams.find((s) => s.codec_type === 'video' && !(s.disposition && s.disposition.attached_pic));
      const a = data.streams.find((s) => s.codec_type === 'audio');
      return {
        durationSeconds: fmtDuration || Math.max(num(v?.duration), num(a?.duration)),
        formatName: String(data.format?.format_name ?? ''),
        sizeBytes: data.format?.size ? num(data.format.size) : null,
        video: v
          ? {
              codec: String(v.codec_name ?? ''),
              width: num(v.width),
              height: num(v.height),
              fps: parseRate(v.r_frame_rate) || parseRate(v.avg_frame_rate),
              durationSeconds: num(v.duration) || fmtDuration,
              frames: v.nb_frames && v.nb_frames !== 'N/A' ? num(v.nb_frames) : null,
            }
          : null,
        audio: a
          ? {
              codec: String(a.codec_name ?? ''),
              sampleRate: num(a.sample_rate),
              channels: num(a.channels),
              durationSeconds: num(a.duration) || fmtDuration,
            }
          : null,
      };
    }
  }
}
