import type { LibraryBundle, Subject } from '../../domain/library.js';
import { BIOLOGY } from './biology.js';
import { CHEMISTRY } from './chemistry.js';
import { HISTORY } from './history.js';
import { LITERATURE } from './literature.js';
import { MATH } from './math.js';
import { PHYSICS } from './physics.js';

export { STARTER_LICENSE, STARTER_LICENSE_URL, STARTER_PUBLISHER, STARTER_URL, starterBookId } from './define.js';

/**
 * The starter library: one small book per subject, written for Vividly and released under CC BY 4.0,
 * so that a fresh clone can make a video with no OpenStax checkout and no configuration.
 */
export const STARTER_LIBRARY: LibraryBundle[] = [PHYSICS, CHEMISTRY, BIOLOGY, MATH, HISTORY, LITERATURE];

/** The starter book of one subject. */
export function starterBundle(subject: Subject): LibraryBundle {
  const bundle = STARTER_LIBRARY.find((b) => b.book.subject === subject);
  if (!bundle) throw new Error(`no starter book for subject ${subject}`);
  return bundle;
}
