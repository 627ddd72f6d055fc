/**
 * The push server's HTTP API as a Fastify instance, without listening: main.ts listens, tests
 * build their own on port 0. Routes: admin (apps, sources), registration (step ①), ingest (step ③)
 * and results; plus /openapi.json, /docs, /healthz, /readyz and /metrics from the HTTP base.
 * Each group is a plugin with its own credential hook, and CORS where browsers call it
 * (docs/design.md §HTTP route groups).
 */
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import type { PushDeps } from './deps.js';
import { routeGroup } from '../platform/http/route-group.js';
import { registerAppRoutes } from './http/admin-routes.js';
import { requireAdminToken } from './http/callers.js';
import { registerIngestRoutes } from './http/ingest-routes.js';
import { registerRegistrationRoutes } from './http/registration-routes.js';
import { registerResultsRoutes } from './http/results-routes.js';
import { SECURITY_SCHEMES } from './http/schemas.js';
import { registerSourceRoutes } from './http/source-routes.js';

/** A step ③ body is a few kilobytes (a 4,000-character text and a ticket view); 64 KiB leaves room and bounds abuse. */
const PUSH_BODY_LIMIT = 64 * 1024;

export async function buildPushApp(deps: PushDeps): Promise<HttpServer> {
  const app = await createHttpServer({
    title: 'queuebell push server',
    description:
      'Maps pushIds to devices (step ①), ingests signed notification messages (step ③) and pushes them through APNs, FCM and Web Push (step ④).',
    logger: deps.logger,
    traced: 'push-server',
    metrics: deps.metrics.registry,
    bodyLimit: PUSH_BODY_LIMIT,
    isReady: () => deps.database.checkWritable(),
    tags: [
      { name: 'admin', description: 'Apps, credentials and sources (admin token).' },
      { name: 'registration', description: 'Step ①: pushIds and devices.' },
      { name: 'ingest', description: 'Step ③: notification messages from sources.' },
      { name: 'results', description: 'What became of each push.' },
    ],
    securitySchemes: SECURITY_SCHEMES,
    trustProxy: deps.http.trustProxy,
    accessLog: deps.http.accessLog,
    moreMetrics: () => Promise.all(deps.threadMetrics.map((read) => read())),
  });
  // Loaded in this order, which is the order of the OpenAPI paths.
  await routeGroup(app, (admin) => {
    requireAdminToken(admin, deps);
    registerAppRoutes(admin, deps);
    registerSourceRoutes(admin, deps);
  });
  await registerRegistrationRoutes(app, deps);
  await registerResultsRoutes(app, deps);
  await registerIngestRoutes(app, deps);
  return app;
}
