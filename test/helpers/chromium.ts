import { accessSync, constants } from 'node:fs';

/** Where Debian's `chromium` package (and a few other distributions) put the browser. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/snap/bin/chromium'];

/** Flags for headless Chromium in a container: no sandbox (we run as root), no GPU, no /dev/shm. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'];

/**
 * The system Chromium that playwright-core drives (it downloads no browser of its own here):
 * CHROMIUM_PATH if set, else the usual install paths. Returns the path, or the reason it is missing
 * for a test's `this.skip()` message.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { executablePath: string } | { reason: string } {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CANDIDATES;
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return { executablePath: file };
    } catch {
      // try the next one
    }
  }
  return {
    reason: `no Chromium found (looked for ${candidates.join(', ')}): install Debian's package with \`apt-get install -y chromium\` or set CHROMIUM_PATH`,
  };
}
