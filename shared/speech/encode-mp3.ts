import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ErrorCodes, PipelineError } from '../errors.js';
import { FFMPEG_PATH } from '../media/ffmpeg-binaries.js';
import { ffprobeJson } from '../media/ffprobe-json.js';
import { encodeWav } from './wav.js';

/** Narration audio format of the reference notes: MP3, 24 kHz (mono speech). */
export const MP3_SAMPLE_RATE_HZ = 24_000;
export const MP3_BITRATE_KBPS = 64;

export interface Mp3Options {
  /** Constant bit rate in kbit/s (default 64; 64-96 is plenty for mono speech). */
  bitrateKbps?: number;
  /** Output sample rate (default 24000). */
  sampleRateHz?: number;
}

/**
 * Encode 16-bit mono PCM to an MP3 file (libmp3lame, CBR, 24 kHz mono), feeding raw s16le on
 * ffmpeg's stdin. The output is a seekable file so ffmpeg writes the Xing/LAME header with the
 * encoder delay and padding: decoders (and ffprobe) then report the true duration.
 */
export async function encodeMp3(pcm: Buffer, sampleRateHz: number, outPath: string, opts: Mp3Options = {}): Promise<{ path: string; sizeBytes: number }> {
  if (!Number.isInteger(sampleRateHz) || sampleRateHz <= 0) throw new Error(`invalid sample rate ${sampleRateHz}`);
  if (pcm.length % 2 !== 0) throw new Error('PCM length must be a whole number of 16-bit samples');
  const bitrate = opts.bitrateKbps ?? MP3_BITRATE_KBPS;
  const outRate = opts.sampleRateHz ?? MP3_SAMPLE_RATE_HZ;
  const argv = [
    '-hide_banner', '-loglevel', 'error',
    '-f', 's16le', '-ar', String(sampleRateHz), '-ac', '1', '-i', 'pipe:0',
    '-vn', '-c:a', 'libmp3lame', '-b:a', `${bitrate}k`, '-ac', '1', '-ar', String(outRate),
    '-map_metadata', '-1', '-write_xing', '1', '-id3v2_version', '0',
    '-f', 'mp3', '-y', outPath,
  ];
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    const fail = (message: string, cause?: unknown) =>
      reject(new PipelineError(ErrorCodes.speechFailed, `mp3 encoding failed: ${message}`, { cause, details: { stderr: stderr.split('\n').filter(Boolean).slice(-10) } }));
    // Spawned directly with an argument array (no shell); the PCM goes in on stdin.
    const child = spawn(FFMPEG_PATH, argv, { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.once('error', (err) => fail(err.message, err));
    // ffmpeg exiting early closes stdin under us: its exit code tells why, not the EPIPE.
    child.stdin.on('error', () => undefined);
    child.once('close', (code, signal) => {
      if (signal) fail(`ffmpeg was killed with signal ${signal}`);
      else if (code) fail(`ffmpeg exited with code ${code}`);
      else resolve();
    });
    child.stdin.end(pcm);
  });
  const { size } = await stat(outPath);
  return { path: outPath, sizeBytes: size };
}

/** Encode to MP3 and return the bytes (through a temporary file, see `encodeMp3`). */
export async function encodeMp3ToBuffer(pcm: Buffer, sampleRateHz: number, opts: Mp3Options = {}): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vividly-mp3-'));
  try {
    const { path: file } = await encodeMp3(pcm, sampleRateHz, path.join(dir, 'narration.mp3'), opts);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Write 16-bit mono PCM as a WAV file. */
export async function writeWav(outPath: string, pcm: Buffer, sampleRateHz: number): Promise<void> {
  await writeFile(outPath, encodeWav(pcm, sampleRateHz));
}

export interface AudioProbe {
  durationSeconds: number;
  codec: string;
  sampleRateHz: number;
  channels: number;
  bitRate: number | undefined;
  formatName: string;
}

/** ffprobe an audio file: duration (container, else stream), codec, sample rate, channels. */
export async function probeAudio(file: string): Promise<AudioProbe> {
  const data = await ffprobeJson(file);
  const stream = data.streams.find((s) => s.codec_type === 'audio');
  if (!stream) throw new Error(`no audio stream in ${file}`);
  const num = (v: unknown): number | undefined => {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    durationSeconds: num(data.format.duration) ?? num(stream.duration) ?? 0,
    codec: stream.codec_name ?? '',
    sampleRateHz: num(stream.sample_rate) ?? 0,
    channels: stream.channels ?? 0,
    bitRate: num(stream.bit_rate) ?? num(data.format.bit_rate),
    formatName: data.format.format_name ?? '',
  };
}
