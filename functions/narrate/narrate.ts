import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Generation } from '../../shared/domain/generation.js';
import { objectNames } from '../../shared/domain/object-names.js';
import { PipelineError } from '../../shared/errors.js';
import type { Ports } from '../../shared/runtime/ports.js';
import { emitObject } from '../../shared/runtime/generation-objects.js';
import type { StageSpec } from '../../shared/runtime/run-stage.js';
import { encodeMp3 } from '../../shared/speech/encode-mp3.js';

interface NarrationFile {
  dir: string;
  file: string;
}

/**
 * narrate: the script spoken by the configured speech chain (ElevenLabs, Google Cloud TTS, espeak-ng:
 * the whole script by one provider, the next one only when it fails), timed per section and sentence,
 * encoded to MP3 24 kHz. The provider that spoke, and the failure it stood in for, are recorded
 * (`narration.provider`, `providers.speech`). Its emit is the upload to the narration bucket, whose
 * finalize event triggers render; so the timings are recorded before the audio exists.
 */
export const narrateStage: StageSpec<NarrationFile> = {
  stage: 'narrate',
  input: 'script_written',
  output: 'narrated',

  async work(generation, ports, progress) {
    const { narration, artefact, note } = await synthesise(generation, ports, progress);
    return { patch: { narration, providers: { speech: note } }, artefact, mediaSeconds: narration.durationSeconds };
  },

  async emit(generation, ports, artefact) {
    await emitObject(generation, ports, artefact, {
      bucket: ports.config.narrationBucket,
      name: objectNames.narration(generation.id),
      // Re-produced audio must match the recorded timings: the same provider, no fallback to another voice.
      produce: async () => (await synthesise(generation, ports, async () => {}, generation.narration?.provider)).artefact,
      upload: (files) => upload(generation, ports, files),
      cleanup: (files) => narrateStage.cleanup!(files),
    });
  },

  async cleanup(artefact) {
    await rm(artefact.dir, { recursive: true, force: true });
  },
};

async function synthesise(generation: Generation, ports: Ports, progress: (f: number) => Promise<void>, provider?: string) {
  const script = generation.script;
  if (!script) throw new PipelineError('STATE_INCONSISTENT', 'script_written without a script', { retryable: false });
  const voice = generation.request.voice;
  const spoken = await ports.speech.narrate(script, voice, {
    onProgress: (f) => void progress(f * 0.9),
    log: ports.log.child({ generationId: generation.id, component: 'speech' }),
    provider,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'vividly-narrate-'));
  const file = path.join(dir, 'narration.mp3');
  try {
    await encodeMp3(spoken.pcm, spoken.sampleRateHz, file);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  await progress(1);
  return {
    artefact: { dir, file },
    narration: {
      bucket: ports.config.narrationBucket,
      object: objectNames.narration(generation.id),
      durationSeconds: spoken.durationSeconds,
      voice,
      provider: spoken.provider,
      sampleRateHz: 24000,
      segments: spoken.segments,
      cues: spoken.cues,
      characters: spoken.characters,
    },
    note: spoken.fallbackFrom ? { provider: spoken.provider, fallbackFrom: spoken.fallbackFrom } : { provider: spoken.provider },
  };
}

async function upload(generation: Generation, ports: Ports, artefact: NarrationFile): Promise<void> {
  await ports.objects.put(ports.config.narrationBucket, objectNames.narration(generation.id), { path: artefact.file }, {
    contentType: 'audio/mpeg',
    metadata: { generationId: generation.id, kind: 'narration' },
  });
}
