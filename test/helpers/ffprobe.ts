import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FFMPEG_PATH, FFPROBE_PATH } from '../../shared/media/ffmpeg-binaries.js';

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  duration?: string;
  nb_frames?: string;
}

/** ffprobe's JSON view of a media file: format and streams. */
export async function ffprobe(file: string): Promise<{ format: { duration: string; format_name: string }; streams: ProbedStream[] }> {
  const { stdout } = await promisify(execFile)(FFPROBE_PATH, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}

export function rate(r: string | undefined): number {
  const [a, b] = (r ?? '0/1').split('/').map(Number);
  return b ? a / b : a;
}

/** Integrated loudness (EBU R128, LUFS) of a file's audio, measured by ffmpeg's ebur128 filter. */
export async function integratedLoudness(file: string): Promise<number> {
  const { stderr } = await promisify(execFile)(FFMPEG_PATH, ['-hide_banner', '-nostats', '-i', file, '-map', '0:a:0', '-af', 'ebur128', '-f', 'null', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const m = summary.match(/I:\s+(-?[\d.]+) LUFS/);
  if (!m) throw new Error('no integrated loudness in ffmpeg output');
  return Number(m[1]);
}
