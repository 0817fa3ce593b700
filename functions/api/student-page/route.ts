import type { Request } from 'express';
import { PipelineError } from '../../../shared/errors.js';
import type { ObjectStore } from '../../../shared/ports/object-store.port.js';
import type { Ports } from '../../../shared/runtime/ports.js';
import type { HostRoute } from '../api.js';
import { apiKeysOf } from '../api-keys.js';
import { loadStudentPage } from './assets.js';

/**
 * The student page as a route of the API's host: `GET /` (the page) and `GET /assets/...` (its
 * bundled script, style and icon), on the API's own origin, so the page calls the API with no
 * CORS. Served by the local server (`npm start`) and by the api function in the cloud.
 *
 * Content-Security-Policy: nothing but this origin, plus the origin of the object store's signed
 * URLs for the video, its poster and its text tracks when that is another one (Cloud Storage in
 * the cloud; the same server locally). No inline script or style, no other connection.
 */
export function studentPageRoute(ports: Ports): HostRoute {
  return async (req, res) => {
    const isPage = req.path === '/' || req.path === '/index.html';
    if (!isPage && !req.path.startsWith('/assets/')) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new PipelineError('METHOD_NOT_ALLOWED', 'use GET', { httpStatus: 405 });
    let assets;
    try {
      assets = await loadStudentPage();
    } catch (err) {
      throw new PipelineError('UNAVAILABLE', 'the student page could not be built', { httpStatus: 503, cause: err });
    }
    const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
    if (isPage) {
      const media = await mediaOrigin(ports);
      const extra = media && media !== originOf(req) ? ` ${media}` : '';
      const html = assets.html
        .replaceAll('{{SCRIPT}}', assets.script)
        .replaceAll('{{STYLE}}', assets.style)
        .replaceAll('{{ICON}}', assets.icon)
        .replaceAll('{{KEYS}}', apiKeysOf(ports.config.apiKeys).open ? 'open' : 'required');
      res.status(200).set({
        ...security,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': [
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          `img-src 'self'${extra}`,
          `media-src 'self'${extra}`,
          "connect-src 'self'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
      });
      res.send(html);
      return 200;
    }
    const file = assets.files[req.path];
    if (!file) throw new PipelineError('NOT_FOUND', 'no such file', { httpStatus: 404 });
    res.status(200).set({ ...security, 'content-type': file.contentType, 'cache-control': 'public, max-age=31536000, immutable' });
    res.send(file.body);
    return 200;
  };
}

const origins = new WeakMap<ObjectStore, string>();

/**
 * The origin the object store's signed URLs point at, learnt by signing a URL for a name that
 * need not exist (no request to the store; Cloud Storage signs through IAM once per process).
 * Undefined when signing fails (the page then allows only its own origin, and says so by failing
 * to load media rather than by opening the policy).
 */
async function mediaOrigin(ports: Ports): Promise<string | undefined> {
  const known = origins.get(ports.objects);
  if (known) return known;
  try {
    const origin = new URL(await ports.objects.signedUrl(ports.config.videoBucket, 'videos/gen_origincheck00/video.mp4', 60)).origin;
    origins.set(ports.objects, origin);
    return origin;
  } catch (err) {
    ports.log.warn('student page: cannot sign a URL, so media are allowed from this origin only', { stage: 'api', error: String((err as Error)?.message ?? err) });
    return undefined;
  }
}

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}
