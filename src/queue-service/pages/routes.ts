/**
 * The web pages served by the queue service: the ticket page at `/`, the counter desk at
 * `/desk`, the display board at `/display/{placeId}`, the admin page at `/admin` and the kiosk at `/kiosk`, their hashed
 * assets (cached for a year: a new build has new names), the service worker, and `/config.json`
 * with the public values the pages need. Hidden from OpenAPI: these are pages, not API. No
 * credential and no CORS: the pages are same-origin and public.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { connectOrigins, readPagesConfig } from './pages-config.js';
import { loadAssets, pickEncoding, type Asset } from './static-assets.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages and the service worker are revalidated on every load (a 304 when unchanged), so a deploy is seen at once. */
const REVALIDATE = 'no-cache';
const ROOT_FILES: Record<string, string> = {
  '/sw.js': REVALIDATE,
  '/favicon.svg': 'public, max-age=86400',
  '/manifest.webmanifest': 'public, max-age=86400',
};

const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>queuebell</title><p>The web pages are not built yet. Run <code>npm run build:web</code> (npm install and npm start do it for you).</p>';

export async function registerPages(app: HttpServer, deps: QueueServiceDeps): Promise<void> {
  await routeGroup(app, (scope) => pageRoutes(scope, deps));
}

function pageRoutes(app: HttpServer, deps: QueueServiceDeps): void {
  const hide = { schema: { hide: true } };
  const page = (file: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const asset = loadAssets()?.get(file);
    const origins = connectOrigins(await readPagesConfig(deps));
    void reply.headers(pageSecurityHeaders(origins));
    if (!asset) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return sendAsset(request, reply, asset, REVALIDATE);
  };

  app.get('/', hide, page('/index.html'));
  app.get('/desk', hide, page('/desk.html'));
  app.get('/admin', hide, page('/admin.html'));
  app.get('/kiosk', hide, page('/kiosk.html'));
  app.get('/display', hide, page('/display.html'));
  app.get(
    '/display/:placeId',
    { schema: { hide: true, params: Type.Object({ placeId: Type.String({ maxLength: 64 }) }) } },
    page('/display.html'),
  );

  app.get('/config.json', hide, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return readPagesConfig(deps);
  });

  app.get('/assets/*', hide, async (request, reply) => {
    const asset = loadAssets()?.get(new URL(request.url, 'http://x').pathname);
    if (!asset) return reply.callNotFound();
    return sendAsset(request, reply, asset, IMMUTABLE);
  });

  for (const [path, cacheControl] of Object.entries(ROOT_FILES)) {
    app.get(path, hide, async (request, reply) => {
      const asset = loadAssets()?.get(path);
      if (!asset) return reply.callNotFound();
      if (path === '/sw.js') void reply.header('service-worker-allowed', '/');
      return sendAsset(request, reply, asset, cacheControl);
    });
  }
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
  void reply
    .header('cache-control', cacheControl)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    .type(asset.contentType);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const { body, encoding } = pickEncoding(asset, request.headers['accept-encoding']);
  if (encoding) void reply.header('content-encoding', encoding);
  return reply.send(body);
}

/**
 * The pages load only their own scripts and styles and talk only to this service, the push server
 * and (in the demo) the fake Web Push window: an injected script would have nowhere to send data.
 */
function pageSecurityHeaders(connectTo: string[]): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectTo.join(' ')}`.trim(),
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'content-security-policy': csp, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
}
