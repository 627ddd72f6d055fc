/**
 * A route group is an encapsulated Fastify plugin: the auth hook it adds and the request property
 * it decorates apply to its own routes only, so no hook has to tell groups apart by URL
 * (docs/design.md §HTTP route groups). Groups load in the order they are registered, which keeps
 * the order of paths in the OpenAPI document.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HttpServer } from './server.js';

export async function routeGroup(parent: HttpServer, build: (scope: HttpServer) => void | Promise<void>): Promise<void> {
  await parent.register(async (plugin) => build(plugin.withTypeProvider<TypeBoxTypeProvider>()));
}
