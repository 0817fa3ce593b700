import type { StorageObjectData } from '../../events/schemas.js';
import type { Generation } from '../domain/generation.js';
import type { Ports } from './ports.js';

/**
 * Which generation an object-finalized event belongs to. Eventarc filters by bucket only, so
 * anything else that lands in the bucket (a stray or hostile upload, a sibling artefact) gets a
 * reason to be ignored instead.
 */
export function identifyGenerationObject(
  object: StorageObjectData,
  bucket: string,
  generationOf: (name: string) => string | null,
): { generationId: string } | { ignore: string } {
  if (object.bucket !== bucket) return { ignore: `bucket ${object.bucket} is not ${bucket}` };
  const id = generationOf(object.name);
  if (!id) return { ignore: 'object name is not one this stage acts on' };
  if (object.metadata?.generationId !== id) return { ignore: 'object metadata does not name its generation' };
  return { generationId: id };
}

/**
 * The emit of a stage whose output is an uploaded object. On a re-emit (the work was recorded by an
 * earlier delivery) the object is uploaded again only if it is missing, by redoing the
 * deterministic work: this heals a crash between recording the result and uploading it.
 */
export async function emitObject<F>(
  generation: Generation,
  ports: Ports,
  files: F | undefined,
  opts: {
    bucket: string;
    name: string;
    produce: () => Promise<F>;
    upload: (files: F) => Promise<void>;
    cleanup: (files: F) => Promise<void>;
  },
): Promise<void> {
  if (files) return opts.upload(files);
  if (await ports.objects.stat(opts.bucket, opts.name)) return;
  ports.log.warn('re-producing a recorded but missing object', { generationId: generation.id, object: opts.name });
  const again = await opts.produce();
  try {
    await opts.upload(again);
  } finally {
    await opts.cleanup(again);
  }
}
