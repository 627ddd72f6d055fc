/**
 * A route group is an encapsulated Fastify plugin: the auth hook it adds and the request property
 * it decorates apply to its own routes only, so no hook has to tell groups apart by URL
 * (docs/design.md §HTTP route groups). Groups load in the order they are registered, which keeps
 * the order of paths in the OpenAPI document.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { HttpServer } from './server.js';

export async function routeGroup(parent: HttpServer, build: (scope: HttpServer) => void | Promise<void>): Promise<void> {
  await parent.register(async (plugin) => build(plugin.withTypeProvider<TypeBoxTypeProvider>()));
}

/**
 * Decorates the group's requests with `name` and sets it from `resolve` before every handler.
 * preHandler: after validation, so a malformed request is a 400 whoever sends it. Every request of
 * the group has the property from the start (one object shape), null until the hook ran.
 */
export function requireCaller<K extends keyof FastifyRequest>(
  scope: HttpServer,
  name: K,
  resolve: (request: FastifyRequest) => Promise<FastifyRequest[K]>,
): void {
  scope.decorateRequest(name, null as never);
  scope.addHook('preHandler', async (request) => {
    request[name] = await resolve(request);
  });
}
