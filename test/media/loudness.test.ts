import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FFMPEG_PATH } from '../../shared/media/ffmpeg-binaries.js';
import { audioJob, loudnessJob, toneWavJob } from '../../shared/media/ffmpeg-args.js';
import { runFfmpeg } from '../../shared/media/ffmpeg-run.js';
import { loudnessGain, MAX_GAIN_DB, parseEbur128Summary, PEAK_CEILING_DBFS } from '../../shared/media/loudness.js';
import { integratedLoudness } from '../helpers/ffprobe.js';

const SUMMARY = `[Parsed_ebur128_0 @ 0xed3bf00] Summary:

  Integrated loudness:
    I:         -41.6 LUFS
    Threshold: -51.6 LUFS

  Loudness range:
    LRA:         0.1 LU
    Threshold: -61.6 LUFS
    LRA low:   -41.7 LUFS
    LRA high:  -41.6 LUFS

  True peak:
    Peak:      -26.7 dBFS
`;

describe('narration loudness', () => {
  it('reads integrated loudness and true peak from the ebur128 summary', () => {
    assert.deepEqual(parseEbur128Summary(SUMMARY), { integratedLufs: -41.6, truePeakDbfs: -26.7 });
  });

  it('reads silence as -inf, and nothing from output without a summary', () => {
    const silent = SUMMARY.replace('I:         -41.6', 'I:         -inf').replace('-26.7 dBFS', '-inf dBFS');
    assert.deepEqual(parseEbur128Summary(silent), { integratedLufs: -Infinity, truePeakDbfs: -Infinity });
    assert.equal(parseEbur128Summary('[aac @ 0x1] Qavg: 120'), null);
    assert.equal(parseEbur128Summary(''), null);
  });

  it('gains what is missing to the target, not more than the cap, nothing for silence', () => {
    assert.deepEqual(loudnessGain({ integratedLufs: -22.5, truePeakDbfs: -6 }, -16), { gainDb: 6.5, limitDbfs: PEAK_CEILING_DBFS });
    assert.equal(loudnessGain({ integratedLufs: -9, truePeakDbfs: 0 }, -16).gainDb, -7);
    assert.equal(loudnessGain({ integratedLufs: -60, truePeakDbfs: -40 }, -16).gainDb, MAX_GAIN_DB);
    assert.equal(loudnessGain({ integratedLufs: -Infinity, truePeakDbfs: -Infinity }, -16).gainDb, 0);
  });

  it('a quiet tone measured, gained and limited lands at the target without clipping', async function () {
    this.timeout(20000);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vividly-loudness-test-'));
    try {
      const wav = path.join(dir, 'tone.wav');
      await runFfmpeg(toneWavJob({ seconds: 8, output: wav, sampleRate: 22050 }));
      const measured = parseEbur128Summary(await runFfmpeg(loudnessJob({ source: wav })));
      assert.ok(measured, 'a summary was read');
      assert.ok(measured.integratedLufs < -18, `the tone starts quieter than the target (${measured.integratedLufs})`);
      const out = path.join(dir, 'a.m4a');
      await runFfmpeg(audioJob({ source: wav, output: out, loudness: loudnessGain(measured, -16) }));
      const lufs = await integratedLoudness(out);
      assert.ok(Math.abs(lufs - -16) <= 1, `at ${lufs} LUFS, target -16`);
      const { stderr } = await promisify(execFile)(FFMPEG_PATH, ['-hide_banner', '-nostats', '-i', out, '-af', 'volumedetect', '-f', 'null', '-']);
      const max = Number(/max_volume:\s*(-?[\d.]+) dB/.exec(stderr)?.[1]);
      assert.ok(max <= -1, `sample peak ${max} dBFS stays under the ceiling`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
