import assert from 'node:assert/strict';
import { audioJob, jobArgv, loudnessJob, muxJob, slideClipJob, trimClipJob } from '../../shared/media/ffmpeg-args.js';
import { countPictures, parameterSets } from '../../shared/media/h264-annexb.js';

/** The value of the last occurrence of an option (output options come after the inputs). */
const opt = (argv: string[], name: string) => argv[argv.lastIndexOf(name) + 1];

describe('media: ffmpeg argument builders', () => {
  it('slide clip: image read once, converted once, looped in memory; closed GOP, no B-frames, BT.709', () => {
    const j = slideClipJob({ image: '/w/slide-0.rgba', raw: true, frames: 30, output: '/w/clip-0-30.h264', container: 'h264' });
    const argv = jobArgv(j);
    assert.deepEqual(j.inputs[0].options.slice(-8), ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', '1920x1080', '-framerate', '30']);
    assert.ok(!argv.includes('-loop'), 'the image is not re-read per frame');
    assert.equal(opt(argv, '-vf'), 'scale=1920:1080:out_color_matrix=bt709:out_range=tv,format=yuv420p,loop=loop=29:size=1:start=0');
    assert.equal(opt(argv, '-frames:v'), '30');
    assert.equal(opt(argv, '-c:v'), 'libx264');
    assert.equal(opt(argv, '-tune'), 'stillimage');
    assert.equal(opt(argv, '-bf'), '0');
    assert.equal(opt(argv, '-g'), '30');
    assert.equal(opt(argv, '-pix_fmt'), 'yuv420p');
    assert.equal(opt(argv, '-colorspace'), 'bt709');
    assert.match(opt(argv, '-x264-params'), /open-gop=0/);
    assert.equal(opt(argv, '-f'), 'h264');
    assert.equal(argv[argv.length - 1], '/w/clip-0-30.h264');
    assert.ok(argv.includes('-nostdin'));
  });

  it('refuses relative paths, unknown presets and bad frame counts', () => {
    assert.throws(() => slideClipJob({ image: 'slide.png', frames: 30, output: '/w/x.h264', container: 'h264' }));
    assert.throws(() => slideClipJob({ image: '/w/s.png', frames: 0, output: '/w/x.h264', container: 'h264' }));
    assert.throws(() => slideClipJob({ image: '/w/s.png', frames: 30, output: '/w/x.h264', container: 'h264', preset: 'fast -i /etc/passwd' as never }));
    assert.throws(() => trimClipJob({ source: '/w/a.h264', frames: 1.5, output: '/w/b.h264', container: 'h264' }));
    assert.throws(() => audioJob({ source: '/w/a.wav', output: 'out.m4a' }));
  });

  it('trim: stream copy of the first frames; raw input gets a frame rate', () => {
    const argv = jobArgv(trimClipJob({ source: '/w/a.h264', frames: 17, output: '/w/b.h264', container: 'h264' }));
    assert.equal(opt(argv, '-c'), 'copy');
    assert.equal(opt(argv, '-frames:v'), '17');
    assert.equal(opt(argv, '-r'), '30');
  });

  it('audio: AAC 128k, video dropped, sample rate only when asked', () => {
    const argv = jobArgv(audioJob({ source: '/w/n.mp3', output: '/w/a.m4a' }));
    assert.equal(opt(argv, '-c:a'), 'aac');
    assert.equal(opt(argv, '-b:a'), '128k');
    assert.ok(argv.includes('-vn'));
    assert.ok(!argv.includes('-ar'));
    assert.equal(opt(jobArgv(audioJob({ source: '/w/n.mp3', output: '/w/a.m4a', sampleRate: 48000 })), '-ar'), '48000');
  });

  it('audio: a measured gain then a peak limiter, at the source rate (no resampling)', () => {
    const argv = jobArgv(audioJob({ source: '/w/n.mp3', output: '/w/a.m4a', loudness: { gainDb: 4.26, limitDbfs: -1.5 } }));
    assert.equal(opt(argv, '-af'), 'volume=4.26dB,alimiter=limit=0.8414:level=false:attack=5:release=50');
    assert.ok(!argv.includes('-ar'));
    assert.throws(() => audioJob({ source: '/w/n.mp3', output: '/w/a.m4a', loudness: { gainDb: Number.NaN, limitDbfs: -1.5 } }));
    assert.throws(() => audioJob({ source: '/w/n.mp3', output: '/w/a.m4a', loudness: { gainDb: 3, limitDbfs: 2 } }));
  });

  it('loudness: measured by ebur128 with true peak, logged at info so its summary reaches stderr', () => {
    const argv = jobArgv(loudnessJob({ source: '/w/n.wav' }));
    assert.equal(opt(argv, '-af'), 'ebur128=peak=true');
    assert.equal(opt(argv, '-loglevel'), 'info');
    assert.equal(opt(argv, '-f'), 'null');
  });

  it('mux: both streams copied, faststart, timestamps generated at 30 fps for a raw stream', () => {
    const raw = jobArgv(muxJob({ video: '/w/v.h264', videoKind: 'h264', audio: '/w/a.m4a', output: '/o/out.mp4' }));
    assert.deepEqual(raw.slice(raw.indexOf('-f'), raw.indexOf('-f') + 4), ['-f', 'h264', '-r', '30']);
    assert.equal(opt(raw, '-f'), 'mp4');
    assert.equal(opt(raw, '-c'), 'copy');
    assert.equal(opt(raw, '-movflags'), '+faststart');
    assert.equal(opt(raw, '-video_track_timescale'), '15360');
    const concat = jobArgv(muxJob({ video: "/w/it's/list.ffconcat", videoKind: 'concat', audio: '/w/a.m4a', output: '/o/out.mp4' }));
    assert.deepEqual(concat.slice(concat.indexOf('-f'), concat.indexOf('-f') + 4), ['-f', 'concat', '-safe', '0']);
    assert.ok(concat.includes("/w/it's/list.ffconcat"), 'paths are argv entries, never shell-quoted');
  });
});

describe('media: H.264 Annex B reading', () => {
  // SPS, PPS, IDR slice (first_mb 0), P slice (first_mb 0), P slice (first_mb != 0)
  const stream = Buffer.concat([
    Buffer.from([0, 0, 0, 1, 0x67, 0x64, 0x00, 0x28]),
    Buffer.from([0, 0, 0, 1, 0x68, 0xee, 0x3c, 0x80]),
    Buffer.from([0, 0, 1, 0x65, 0x88, 0x84]),
    Buffer.from([0, 0, 0, 1, 0x41, 0x9a, 0x02]),
    Buffer.from([0, 0, 1, 0x41, 0x40, 0x01]),
  ]);
  it('finds parameter sets and counts pictures', () => {
    assert.deepEqual(parameterSets(stream), { sps: ['67640028'], pps: ['68ee3c80'] });
    assert.deepEqual(countPictures(stream), { pictures: 2, idr: 1 });
  });
});
