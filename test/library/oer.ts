import { existsSync } from 'node:fs';
import path from 'node:path';

/** The OpenStax books the tests read: `VIVIDLY_OER_DIR`, default `../shared/oer/openstax` from the repository root. */
export const OER_DIR = process.env.VIVIDLY_OER_DIR ?? path.resolve(process.cwd(), '../shared/oer/openstax');

/** The OpenStax folder, or an error that says how to provide it (tests that need the books fail, never skip). */
export function requireOerDir(...sub: string[]): string {
  const dir = path.join(OER_DIR, ...sub);
  if (!existsSync(dir)) {
    throw new Error(
      `OpenStax books not found at ${dir}. These tests read the four OpenStax books (physics, chemistry, algebra, us-history); ` +
        'set VIVIDLY_OER_DIR to the folder that holds them (default: ../shared/oer/openstax relative to the repository root).',
    );
  }
  return dir;
}
