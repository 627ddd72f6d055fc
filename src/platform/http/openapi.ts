/**
 * OpenAPI at /openapi.json and its docs UI at /docs, built on first request. @fastify/swagger and
 * its UI (with YAML, JSON-schema resolution and static files: several MB of every process's memory)
 * are loaded only then, into a mirror Fastify instance given the same routes and schemas, which
 * @fastify/swagger documents exactly as it would have on the app itself. Most processes are never
 * asked.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
  tags: { name: string; description: string }[];
  securitySchemes: Record<string, unknown>;
}

/** Records every route of `app` from now on; serves the document and the UI built from them. */
export function installLazyOpenApi(app: Pick<FastifyInstance, 'addHook' | 'get'>, info: OpenApiInfo): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    // The mirror adds HEAD routes of its own, as the app did; @fastify/swagger leaves them out anyway.
    if (route.method !== 'HEAD') routes.push(route);
  });
  let mirror: Promise<FastifyInstance> | null = null;
  const built = () => {
    mirror ??= buildMirror(routes, info).catch((error: unknown) => {
      mirror = null;
      throw error;
    });
    return mirror;
  };

  app.get('/openapi.json', { schema: { hide: true } }, async () => (await built()).swagger());
  const docs = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await (await built()).inject({ method: 'GET', url: request.url, headers: request.headers });
    const { 'content-length': _length, connection: _connection, 'transfer-encoding': _encoding, date: _date, ...headers } = answer.headers;
    reply.code(answer.statusCode);
    reply.headers(headers);
    return reply.send(answer.rawPayload);
  };
  app.get('/docs', { schema: { hide: true } }, docs);
  app.get('/docs/*', { schema: { hide: true } }, docs);
}

async function buildMirror(routes: readonly RouteOptions[], info: OpenApiInfo): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ]);
  const mirror = Fastify({ logger: false });
  // The mirror only describes the routes: nothing is validated or serialized there.
  mirror.setValidatorCompiler(() => () => true);
  mirror.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await mirror.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: info.title, description: info.description, version: info.version },
      tags: info.tags,
      components: { securitySchemes: info.securitySchemes as never },
    },
  });
  await mirror.register(swaggerUi, { routePrefix: '/docs' });
  mirror.get('/openapi.json', { schema: { hide: true } }, async () => null);
  for (const route of routes) {
    if (route.url === '/openapi.json' || route.url === '/docs' || route.url === '/docs/*') continue;
    mirror.route({ method: route.method, url: route.url, schema: route.schema, handler: async () => null });
  }
  await mirror.ready();
  return mirror;
}
