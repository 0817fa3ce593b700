import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StorageObjectData } from '../../events/schemas.js';
import type { Generation } from '../../shared/domain/generation.js';
import { generationOfNarration, objectNames } from '../../shared/domain/object-names.js';
import { PipelineError } from '../../shared/errors.js';
import { buildChapters, buildChaptersVtt } from '../../shared/media/build-chapters.js';
import { renderVideo } from '../../shared/media/render-video.js';
import type { Ports } from '../../shared/runtime/ports.js';
import { emitObject, identifyGenerationObject } from '../../shared/runtime/generation-objects.js';
import type { StageProgressReporter, StageSpec } from '../../shared/runtime/run-stage.js';

interface RenderedFiles {
  dir: string;
  videoPath: string;
  captionsPath: string;
  posterPath: string;
  chaptersPath: string;
}

/** Which generation a narration upload belongs to; anything else in the bucket is ignored with a reason. */
export function identifyNarration(object: StorageObjectData, ports: Ports): { generationId: string } | { ignore: string } {
  return identifyGenerationObject(object, ports.config.narrationBucket, generationOfNarration);
}

/** render: slides at the narration's section timings, captions, poster and a 1080p30 H.264/AAC MP4. */
export const renderStage: StageSpec<RenderedFiles> = {
  stage: 'render',
  input: 'narrated',
  output: 'rendered',

  async work(generation, ports, progress) {
    const { files, video } = await renderGeneration(generation, ports, progress);
    return { patch: { video }, artefact: files, mediaSeconds: video.durationSeconds };
  },

  async emit(generation, ports, artefact) {
    await emitObject(generation, ports, artefact, {
      bucket: ports.config.videoBucket,
      name: objectNames.video(generation.id),
      produce: async () => (await renderGeneration(generation, ports, async () => {})).files,
      // Re-produced (no artefact: an earlier delivery recorded the render but the video never landed):
      // captions and poster that earlier upload did store are not written again.
      upload: (files) => upload(generation, ports, files, { onlyMissing: artefact === undefined }),
      cleanup: (files) => renderStage.cleanup!(files),
    });
  },

  async cleanup(artefact) {
    await rm(artefact.dir, { recursive: true, force: true });
  },
};

async function renderGeneration(generation: Generation, ports: Ports, progress: StageProgressReporter) {
  const { script, narration } = generation;
  if (!script || !narration) throw new PipelineError('STATE_INCONSISTENT', 'narrated without a script or narration', { retryable: false });
  const dir = await mkdtemp(path.join(tmpdir(), 'vividly-render-'));
  try {
    const audioPath = path.join(dir, 'narration.mp3');
    await ports.objects.download(narration.bucket, narration.object, audioPath);
    const figureIds = [...new Set(script.sections.flatMap((s) => s.beats.flatMap((b) => (b.kind === 'figure' ? [b.figureId] : []))))];
    const figures = figureIds.length ? await ports.library.getFigures(figureIds) : [];
    const out = await renderVideo({
      script,
      narration,
      audioPath,
      figures,
      workDir: path.join(dir, 'work'),
      outDir: path.join(dir, 'out'),
      preset: ports.config.renderPreset,
      onProgress: (fraction: number) => void progress(fraction),
    });
    // Chapters: one cue per part of the lesson, at the narration's section timings.
    const chaptersPath = path.join(dir, 'chapters.vtt');
    await writeFile(chaptersPath, buildChaptersVtt(buildChapters(script, narration.segments, out.durationSeconds)), 'utf8');
    const video = {
      bucket: ports.config.videoBucket,
      object: objectNames.video(generation.id),
      captionsObject: objectNames.captions(generation.id),
      posterObject: objectNames.poster(generation.id),
      chaptersObject: objectNames.chapters(generation.id),
      durationSeconds: out.durationSeconds,
      width: out.width,
      height: out.height,
      fps: out.fps,
      sizeBytes: out.sizeBytes,
    };
    return { files: { dir, videoPath: out.videoPath, captionsPath: out.captionsPath, posterPath: out.posterPath, chaptersPath }, video };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function upload(generation: Generation, ports: Ports, files: RenderedFiles, opts: { onlyMissing?: boolean } = {}): Promise<void> {
  const bucket = ports.config.videoBucket;
  const metadata = { generationId: generation.id };
  const sibling = async (name: string, file: string, contentType: string, kind: string) => {
    // Rendering is deterministic: a caption or poster already stored is the one we would write.
    if (opts.onlyMissing && (await ports.objects.stat(bucket, name))) return;
    await ports.objects.put(bucket, name, { path: file }, { contentType, metadata: { ...metadata, kind } });
  };
  // Captions, poster and chapters first: the video's finalize event means "everything is there".
  await sibling(objectNames.captions(generation.id), files.captionsPath, 'text/vtt; charset=utf-8', 'captions');
  await sibling(objectNames.poster(generation.id), files.posterPath, 'image/jpeg', 'poster');
  await sibling(objectNames.chapters(generation.id), files.chaptersPath, 'text/vtt; charset=utf-8', 'chapters');
  await ports.objects.put(bucket, objectNames.video(generation.id), { path: files.videoPath }, { contentType: 'video/mp4', metadata: { ...metadata, kind: 'video' } });
}
