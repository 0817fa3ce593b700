import type { ScriptSection } from '../../shared/domain/script.js';

/** The screen phrases of a section's point beats. */
export function pointsOf(section: ScriptSection): string[] {
  return section.beats.flatMap((b) => (b.kind === 'point' ? [b.text] : []));
}
