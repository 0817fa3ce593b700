import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toneWavJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg } from '../../shared/media/ffmpeg-run.js';
import { parseRate, probeMedia } from '../../shared/media/probe.js';

describe('media: probeMedia', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vividly-probe-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses frame rates', () => {
    assert.equal(parseRate('30/1'), 30);
    assert.ok(Math.abs(parseRate('30000/1001') - 29.97) < 0.01);
    assert.equal(parseRate('0/0'), 0);
    assert.equal(parseRate(undefined), 0);
    assert.equal(parseRate('25'), 25);
  });

  it('describes an audio-only file (no video stream)', async () => {
    const wav = path.join(dir, 'tone.wav');
    await runFfmpeg(toneWavJob({ seconds: 2.5, output: wav, sampleRate: 24000 }));
    const p = await probeMedia(wav);
    assert.equal(p.video, null);
    assert.deepEqual(p.audio && [p.audio.codec, p.audio.sampleRate, p.audio.channels], ['pcm_s16le', 24000, 1]);
    assert.ok(Math.abs(p.durationSeconds - 2.5) < 0.01);
  });

  it('rejects a file that is not media', async () => {
    const txt = path.join(dir, 'x.txt');
    await writeFile(txt, 'not media');
    await assert.rejects(probeMedia(txt));
  });
});
