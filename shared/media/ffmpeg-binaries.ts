import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/** Paths of the ffmpeg and ffprobe binaries shipped as npm packages (overridable for packaging). */
export const FFMPEG_PATH: string = process.env.VIVIDLY_FFMPEG_PATH || ffmpegInstaller.path;
export const FFPROBE_PATH: string = process.env.VIVIDLY_FFPROBE_PATH || ffprobeInstaller.path;
