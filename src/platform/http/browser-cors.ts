/**
 * CORS for route groups that browsers call from other origins (docs/design.md §HTTP route groups).
 * Those routes authenticate by header or query key, never by cookie, so letting any origin call
 * them gives a foreign page nothing it could not do with curl. Called inside a group's plugin, it
 * covers that group's routes only.
 */
import type { FastifyReply } from 'fastify';
import type { HttpServer } from './server.js';

export function allowBrowsers(scope: HttpServer, allowHeaders: readonly string[]): void {
  const headers = allowHeaders.join(', ');
  // Each route gets an OPTIONS route so the preflight reaches this scope's hook, which answers it
  // before any credential hook runs (a preflight carries no credential). Another group may have
  // added one for the same path already: the router is shared.
  scope.addHook('onRoute', function addPreflight(route) {
    const methods = [route.method].flat();
    if (methods.includes('OPTIONS') || methods.includes('HEAD') || this.hasRoute({ method: 'OPTIONS', url: route.url })) return;
    this.options(route.url, { schema: { hide: true } }, async (_request, reply) => answerPreflight(reply, headers));
  });
  scope.addHook('onRequest', async (request, reply) => {
    void reply.header('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') return answerPreflight(reply, headers);
  });
}

function answerPreflight(reply: FastifyReply, allowHeaders: string): FastifyReply {
  return reply
    .code(204)
    .headers({
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': allowHeaders,
      'access-control-max-age': '600',
    })
    .send();
}
