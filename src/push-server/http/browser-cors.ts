/**
 * CORS for the route groups web pages call (step ① from a browser, and results by pushId): the
 * ticket page is served by another origin (the queue service, or the company's own site) and
 * registers its Web Push subscription here, after a CORS preflight. These routes authenticate by
 * header — the app's public key, a pushId's bearer secret — never by cookie, so letting any origin
 * call them gives a foreign page nothing it could not do with curl. Called inside a group's plugin,
 * it covers that group's routes only: ingest, admin and server-key routes send no CORS headers.
 */
import type { FastifyReply } from 'fastify';
import type { HttpServer } from '../../platform/http/server.js';

export function allowBrowsers(scope: HttpServer): void {
  // Each route of the group gets an OPTIONS route so the preflight reaches this scope's hook; the
  // hook answers it before any credential hook of a sub-group runs (a preflight carries no credential).
  const preflightUrls = new Set<string>();
  scope.addHook('onRoute', function addPreflight(route) {
    const methods = [route.method].flat();
    if (methods.includes('OPTIONS') || methods.includes('HEAD') || preflightUrls.has(route.url)) return;
    preflightUrls.add(route.url);
    this.options(route.url, { schema: { hide: true } }, async (_request, reply) => answerPreflight(reply));
  });
  scope.addHook('onRequest', async (request, reply) => {
    void reply.header('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') return answerPreflight(reply);
  });
}

function answerPreflight(reply: FastifyReply): FastifyReply {
  return reply
    .code(204)
    .headers({
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type, x-app-key',
      'access-control-max-age': '600',
    })
    .send();
}
