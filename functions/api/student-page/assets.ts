import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The student page's files: its HTML (a template the route fills per request) and its script
 * and style bundled by esbuild, under content-hashed names so they can be cached for good.
 *
 * Built from the sources next to this file: at the first request of a process (`npm start`, the
 * emulators, tests), once, or by `npm run build`, which bundles the result into the api function
 * in place of this module (cdktf/build-functions.ts), so the deployed function never runs esbuild.
 */
export interface StudentPageAssets {
  /** The page, with {{SCRIPT}}, {{STYLE}}, {{ICON}} and {{KEYS}} to fill. */
  html: string;
  script: string;
  style: string;
  icon: string;
  /** Every served file by its path (`/assets/app-<hash>.js`, ...). */
  files: Record<string, { body: string; contentType: string }>;
}

const DIR = path.dirname(fileURLToPath(import.meta.url));

/** Browsers the bundle is written for (esbuild lowers newer syntax; the page needs fetch streams and :focus-visible). */
export const BROWSER_TARGETS = ['chrome105', 'firefox110', 'safari16', 'edge105'];

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M12 9v14l11-7z" fill="#fff"/></svg>`;

/** Bundles the page with esbuild (minified, one script and one style sheet). */
export async function buildStudentPage(): Promise<StudentPageAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { app: path.join(DIR, 'main.ts'), style: path.join(DIR, 'page.css') },
    bundle: true,
    write: false,
    outdir: path.join(DIR, 'out'),
    format: 'iife',
    target: BROWSER_TARGETS,
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))!.text;
  const html = await readFile(path.join(DIR, 'page.html'), 'utf8');
  const named = (base: string, ext: string, body: string) => `/assets/${base}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
  const script = named('app', 'js', js);
  const style = named('app', 'css', css);
  const icon = named('icon', 'svg', ICON);
  return {
    html,
    script,
    style,
    icon,
    files: {
      [script]: { body: js, contentType: 'text/javascript; charset=utf-8' },
      [style]: { body: css, contentType: 'text/css; charset=utf-8' },
      [icon]: { body: ICON, contentType: 'image/svg+xml' },
    },
  };
}

let loading: Promise<StudentPageAssets> | undefined;

/** The page's files, built once per process (a failed build is tried again at the next call). */
export function loadStudentPage(): Promise<StudentPageAssets> {
  loading ??= buildStudentPage().catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
