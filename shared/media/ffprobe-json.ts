import { execFile } from 'node:child_process';
import { FFPROBE_PATH } from './ffmpeg-binaries.js';

export interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
}

export interface FfprobeResult {
  format: { duration?: string; format_name?: string; size?: string; bit_rate?: string };
  streams: FfprobeStream[];
}

/** ffprobe's JSON description of a media file (format and streams); rejects when ffprobe cannot read it. */
export function ffprobeJson(file: string, timeoutMs = 60_000): Promise<FfprobeResult> {
  return new Promise((resolve, reject) => {
    // An argument array, no shell: the file name is never interpreted.
    execFile(FFPROBE_PATH, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', file], { maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffprobe could not read the file: ${String(stderr || err.message).trim().split('\n').slice(-3).join(' ')}`));
      try {
        const parsed = JSON.parse(stdout) as Partial<FfprobeResult>;
        resolve({ format: parsed.format ?? {}, streams: Array.isArray(parsed.streams) ? parsed.streams : [] });
      } catch (e) {
        reject(new Error(`ffprobe printed no JSON: ${(e as Error).message}`));
      }
    });
  });
}
