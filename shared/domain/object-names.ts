/** Where each artefact of a generation lives. Names derive from the generation id only, never from user text. */
export const objectNames = {
  narration: (id: string) => `narrations/${id}/narration.mp3`,
  video: (id: string) => `videos/${id}/video.mp4`,
  captions: (id: string) => `videos/${id}/captions.vtt`,
  poster: (id: string) => `videos/${id}/poster.jpg`,
  /** WebVTT chapters (one cue per part of the lesson), beside the captions. */
  chapters: (id: string) => `videos/${id}/chapters.vtt`,
};

const NARRATION_RE = /^narrations\/(gen_[A-Za-z0-9_-]{8,64})\/narration\.mp3$/;
const VIDEO_RE = /^videos\/(gen_[A-Za-z0-9_-]{8,64})\/video\.mp4$/;

export function generationOfNarration(name: string): string | null {
  return NARRATION_RE.exec(name)?.[1] ?? null;
}
export function generationOfVideo(name: string): string | null {
  return VIDEO_RE.exec(name)?.[1] ?? null;
}
