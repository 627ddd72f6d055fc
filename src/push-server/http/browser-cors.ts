/**
 * Step ① from a web page: the ticket page is served by another origin (the queue service,
 * or the company's own site) and registers its Web Push subscription here from the browser, which
 * first asks with a CORS preflight. These routes authenticate by header — the app's public key, a
 * pushId's bearer secret — never by cookie, so letting any origin call them gives a foreign page
 * nothing it could not do with curl. Ingest, admin and server-key routes stay without CORS.
 */
import type { HttpServer } from '../../platform/http/server.js';

const BROWSER_PATHS = [/^\/v1\/apps\/[^/]+\/vapid-public-key$/, /^\/v1\/apps\/[^/]+\/devices$/, /^\/v1\/push-ids\/[^/]+(\/.*)?$/];

export function allowBrowserRegistration(app: HttpServer): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!BROWSER_PATHS.some((pattern) => pattern.test(path))) return;
    void reply.header('access-control-allow-origin', '*');
    if (request.method !== 'OPTIONS') return;
    return reply.code(204).headers({
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type, x-app-key',
      'access-control-max-age': '600',
    }).send();
  });
}
