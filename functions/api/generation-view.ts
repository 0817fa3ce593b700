import type { Generation, Stage } from '../../shared/domain/generation.js';
import { PIPELINE } from '../../shared/domain/pipeline.js';
import type { Ports } from '../../shared/runtime/ports.js';

/** The stages a client follows and each one's share of the overall progress, from the pipeline table. */
const VIEWED_STAGES: { stage: Stage; weight: number }[] = PIPELINE.flatMap((row) => ('progressShare' in row ? [{ stage: row.function, weight: row.progressShare }] : []));

/** What a client sees of a generation: status, each stage's progress, and when done signed links to the media. */
export async function generationView(g: Generation, ports: Ports, extra: Record<string, unknown> = {}) {
  const stages = Object.fromEntries(
    VIEWED_STAGES.map(({ stage }) => {
      const s = g.stages[stage];
      const state = g.status === 'completed' && !s ? 'skipped' : (s?.state ?? 'pending');
      return [stage, { state, progress: state === 'skipped' ? 1 : (s?.progress ?? 0), attempts: s?.attempts ?? 0 }];
    }),
  );
  const progress = g.status === 'completed' ? 1 : VIEWED_STAGES.reduce((sum, { stage, weight }) => sum + weight * stages[stage].progress, 0);
  return {
    id: g.id,
    status: g.status,
    progress: Number(progress.toFixed(3)),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    request: g.request,
    topic: g.topic ?? null,
    stages,
    cacheHit: g.cacheHit ?? false,
    // Who chose the topic, wrote the script and spoke it, and which preferred provider fell back (code only).
    providers: Object.fromEntries(
      Object.entries(g.providers ?? {}).map(([step, p]) => [step, { provider: p.provider, ...(p.fallbackFrom ? { fallbackFrom: { provider: p.fallbackFrom.provider, code: p.fallbackFrom.code } } : {}) }]),
    ),
    result: g.status === 'completed' ? await resultOf(g, ports) : null,
    // A failure's stage, code and message, and what a client may act on: for TOPIC_NOT_COVERED,
    // `details.alternatives` (up to 3 topics: id, title, book; a topicId to ask for instead).
    error: g.error ? { stage: g.error.stage, code: g.error.code, message: g.error.message, ...(g.error.details ? { details: g.error.details } : {}) } : null,
    ...extra,
  };
}

async function resultOf(g: Generation, ports: Ports) {
  if (!g.video || !g.script) return null;
  const ttl = ports.config.signedUrlTtlSeconds;
  const [video, captions, poster, chapters] = await Promise.all([
    ports.objects.signedUrl(g.video.bucket, g.video.object, ttl),
    ports.objects.signedUrl(g.video.bucket, g.video.captionsObject, ttl),
    ports.objects.signedUrl(g.video.bucket, g.video.posterObject, ttl),
    // Videos rendered before chapters existed have none.
    g.video.chaptersObject ? ports.objects.signedUrl(g.video.bucket, g.video.chaptersObject, ttl) : null,
  ]);
  return {
    video: { url: video, durationSeconds: g.video.durationSeconds, width: g.video.width, height: g.video.height, fps: g.video.fps, sizeBytes: g.video.sizeBytes },
    captions: { url: captions, format: 'text/vtt' },
    chapters: chapters ? { url: chapters, format: 'text/vtt' } : null,
    poster: { url: poster },
    // What is said, sentence by sentence, with when (seconds): the page's transcript.
    transcript: g.narration ? g.narration.cues.map((c) => ({ start: c.start, end: c.end, text: c.text })) : [],
    urlsExpireInSeconds: ttl,
    script: {
      title: g.script.title,
      hook: g.script.hook,
      sections: g.script.sections.map((s) => ({ heading: s.heading, citations: s.citations })),
      keyTakeaways: g.script.keyTakeaways,
    },
    narration: g.narration ? { voice: g.narration.voice, provider: g.narration.provider, durationSeconds: g.narration.durationSeconds } : null,
    attribution: g.script.attribution,
  };
}
