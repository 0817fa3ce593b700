/** RIFF/WAVE reading and writing for 16-bit PCM. */

export interface WavPcm {
  /** 16-bit little-endian PCM (interleaved if several channels). */
  pcm: Buffer;
  sampleRateHz: number;
  channels: number;
  bitsPerSample: number;
}

/**
 * Parse a RIFF/WAVE file by walking its chunks (no fixed 44-byte header assumed). Requires integer
 * PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the PCM subformat) at 16 bits. A `data` size larger
 * than the file (a writer that never patched the header) is clamped to the bytes present.
 */
export function parseWav(input: Uint8Array): WavPcm {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new Error('truncated fmt chunk');
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe && size >= 40 && body + 26 <= buf.length) format = buf.readUInt16LE(body + 24); // extensible: subformat GUID starts with the format code
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if (fmt.format !== 1 || fmt.bits !== 16) throw new Error(`unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bits); 16-bit PCM expected`);
      if (fmt.channels < 1 || fmt.rate < 1) throw new Error('invalid WAV fmt chunk');
      const end = Math.min(buf.length, body + size);
      const frame = 2 * fmt.channels;
      const usable = end - body - ((end - body) % frame);
      return { pcm: buf.subarray(body, body + usable), sampleRateHz: fmt.rate, channels: fmt.channels, bitsPerSample: 16 };
    }
    offset = body + size + (size & 1); // chunks are word-aligned
  }
  throw new Error('no data chunk in WAV file');
}

/** A canonical 44-byte-header WAV file around 16-bit PCM. */
export function encodeWav(pcm: Buffer, sampleRateHz: number, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
