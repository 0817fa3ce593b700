import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FFPROBE_PATH } from '../../shared/media/ffmpeg-binaries.js';

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
