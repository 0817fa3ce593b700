import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FFMPEG_PATH } from '../../shared/media/ffmpeg-binaries.js';
import { encodeMp3, encodeMp3ToBuffer, MP3_SAMPLE_RATE_HZ, probeAudio, writeWav } from '../../shared/speech/encode-mp3.js';
import { EspeakSpeechEngine } from '../../shared/speech/espeak-speech-engine.js';
import { narrateScript } from '../../shared/speech/narrate-script.js';
import { encodeWav, parseWav } from '../../shared/speech/wav.js';
import { FIXTURE_SCRIPT } from './fixtures.js';

function tone(seconds: number, rate: number, hz = 220): Buffer {
  const n = Math.round(seconds * rate);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  return pcm;
}

/** Decode an audio file with ffmpeg to 16-bit mono WAV at its own rate and return the samples. */
async function decode(file: string, out: string): Promise<{ pcm: Buffer; sampleRateHz: number }> {
  await promisify(execFile)(FFMPEG_PATH, ['-hide_banner', '-loglevel', 'error', '-i', file, '-c:a', 'pcm_s16le', '-ac', '1', '-f', 'wav', '-y', out]);
  return parseWav(await readFile(out));
}

describe('speech: MP3 encoding and WAV files @slow', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vividly-speech-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: Array<{ name: string; seconds: number; rate: number; bitrateKbps?: number }> = [
    { name: 'half a second at 22050 Hz, 64 kbps', seconds: 0.5, rate: 22050 },
    { name: '3.3337 s at 22050 Hz, 96 kbps', seconds: 3.3337, rate: 22050, bitrateKbps: 96 },
    { name: '10 s at 16000 Hz, 80 kbps', seconds: 10, rate: 16000, bitrateKbps: 80 },
    { name: '2 s already at 24000 Hz', seconds: 2, rate: 24000 },
  ];
  for (const c of cases) {
    it(`${c.name}: 24 kHz mono mp3, duration within 0.1 s, decoded length exact`, async () => {
      const pcm = tone(c.seconds, c.rate);
      const pcmSeconds = pcm.length / 2 / c.rate;
      const file = path.join(dir, `tone-${c.seconds}-${c.rate}.mp3`);
      const out = await encodeMp3(pcm, c.rate, file, { bitrateKbps: c.bitrateKbps });
      assert.equal(out.path, file);
      const probe = await probeAudio(file);
      assert.equal(probe.codec, 'mp3');
      assert.equal(probe.sampleRateHz, MP3_SAMPLE_RATE_HZ);
      assert.equal(probe.channels, 1);
      assert.ok(Math.abs(probe.durationSeconds - pcmSeconds) < 0.1, `ffprobe ${probe.durationSeconds} s vs pcm ${pcmSeconds} s`);
      assert.ok(Math.abs((probe.bitRate ?? 0) / 1000 - (c.bitrateKbps ?? 64)) < 2, `bit rate ${probe.bitRate}`);
      // the LAME header's delay/padding lets a decoder return exactly the encoded length
      const decoded = await decode(file, `${file}.wav`);
      assert.equal(decoded.sampleRateHz, 24000);
      assert.ok(Math.abs(decoded.pcm.length / 2 - pcmSeconds * 24000) <= 2, `decoded ${decoded.pcm.length / 2} samples`);
    });
  }

  it('narration of the fixture script: encode time and matching duration', async function () {
    this.timeout(120_000);
    const n = await narrateScript(FIXTURE_SCRIPT, 'female_professional', new EspeakSpeechEngine());
    const file = path.join(dir, 'narration.mp3');
    const t0 = performance.now();
    const { sizeBytes } = await encodeMp3(n.pcm, n.sampleRateHz, file);
    const ms = performance.now() - t0;
    const probe = await probeAudio(file);
    console.log(
      `      [measure] mp3 encode: ${n.durationSeconds.toFixed(1)} s of narration in ${ms.toFixed(0)} ms ` +
        `(${(n.durationSeconds / (ms / 1000)).toFixed(0)}x real time), ${(sizeBytes / 1024).toFixed(0)} KiB; ffprobe ${probe.durationSeconds} s`,
    );
    assert.equal(probe.sampleRateHz, 24000);
    assert.ok(Math.abs(probe.durationSeconds - n.durationSeconds) < 0.1);
  });

  it('encodeMp3ToBuffer returns MP3 bytes and leaves no temp file', async () => {
    const bytes = await encodeMp3ToBuffer(tone(1, 22050), 22050);
    const syncAt = bytes[0] === 0xff ? 0 : bytes.indexOf(0xff);
    assert.ok(syncAt >= 0 && (bytes[syncAt + 1]! & 0xe0) === 0xe0, 'MPEG frame sync');
    const file = path.join(dir, 'buffer.mp3');
    await writeFile(file, bytes);
    assert.equal((await probeAudio(file)).sampleRateHz, 24000);
  });

  it('rejects odd-length PCM and bad sample rates', async () => {
    await assert.rejects(encodeMp3(Buffer.alloc(3), 22050, path.join(dir, 'x.mp3')));
    await assert.rejects(encodeMp3(Buffer.alloc(4), 0, path.join(dir, 'x.mp3')));
  });

  it('writeWav writes a WAV that ffprobe and parseWav read back exactly', async () => {
    const pcm = tone(1.25, 22050);
    const file = path.join(dir, 'tone.wav');
    await writeWav(file, pcm, 22050);
    const back = parseWav(await readFile(file));
    assert.equal(back.sampleRateHz, 22050);
    assert.ok(back.pcm.equals(pcm));
    const probe = await probeAudio(file);
    assert.equal(probe.codec, 'pcm_s16le');
    assert.ok(Math.abs(probe.durationSeconds - 1.25) < 0.001);
  });

  describe('parseWav walks RIFF chunks', () => {
    const pcm = Buffer.from([1, 0, 2, 0, 3, 0, 4, 0]);
    const canonical = encodeWav(pcm, 22050);
    const withChunk = (id: string, body: Buffer): Buffer => {
      const head = Buffer.alloc(8);
      head.write(id, 0, 'ascii');
      head.writeUInt32LE(body.length, 4);
      return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    };
    const cases: Array<[string, Buffer, Buffer]> = [
      ['canonical 44-byte header', canonical, pcm],
      ['odd-sized LIST chunk before data', Buffer.concat([canonical.subarray(0, 36), withChunk('LIST', Buffer.from('INFOabc')), canonical.subarray(36)]), pcm],
      ['extended fmt chunk (18 bytes)', Buffer.concat([canonical.subarray(0, 12), withChunk('fmt ', Buffer.concat([canonical.subarray(20, 36), Buffer.alloc(2)])), canonical.subarray(36)]), pcm],
      ['data size larger than the file (unpatched header)', Buffer.concat([canonical.subarray(0, 40), Buffer.from([0xff, 0xff, 0xff, 0x7f]), pcm]), pcm],
      ['trailing odd byte dropped', Buffer.concat([canonical.subarray(0, 40), Buffer.from([9, 0, 0, 0]), pcm, Buffer.from([5])]), pcm],
    ];
    for (const [name, wav, expected] of cases) {
      it(name, () => {
        const r = parseWav(wav);
        assert.equal(r.sampleRateHz, 22050);
        assert.ok(r.pcm.equals(expected), `${r.pcm.toString('hex')} vs ${expected.toString('hex')}`);
      });
    }
    it('rejects non-WAV and non-PCM input', () => {
      assert.throws(() => parseWav(Buffer.from('not a wav file at all')), /RIFF/);
      const float = Buffer.from(canonical);
      float.writeUInt16LE(3, 20);
      assert.throws(() => parseWav(float), /unsupported/);
    });
  });
});
