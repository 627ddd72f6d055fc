/**
 * The Fastify base both services build on: TypeBox schemas, the one error shape, OpenAPI at
 * /openapi.json with a docs UI at /docs, /healthz, /readyz and Prometheus /metrics. A request that
 * arrives while the server closes is answered 503 SHUTTING_DOWN in the same shape.
 */
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AggregatorRegistry, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from '../../contract/errors.js';
import { NotWritableError } from '../db/heartbeat.js';
import { answerFrameworkError, installErrorHandling } from './error-handler.js';
import { installLazyOpenApi } from './openapi.js';
import { installStorableTextCheck } from './storable-text.js';
import { validatorCompiler } from './validators.js';
import { installRequestSpans } from '../tracing/request-spans.js';
import type { TracedService } from '../tracing/tracing.js';

export type HttpServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpServerOptions {
  title: string;
  description: string;
  version?: string;
  logger: FastifyBaseLogger;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /**
   * Answers /readyz: throws or returns false when a dependency (the database) is not usable, or
   * returns a line naming what is wrong. The message of a NotWritableError is shown to the caller;
   * any other error only by its name.
   */
  isReady?: () => Promise<unknown>;
  metrics: Registry;
  tags?: { name: string; description: string }[];
  securitySchemes?: Record<string, unknown>;
  /** Proxy addresses or CIDR ranges whose X-Forwarded-For is believed (request.ip); empty or absent: none. */
  trustProxy?: string[];
  /** Log every request answered (Fastify's "request completed" lines, credentials redacted). */
  accessLog?: boolean;
  /** Metrics counted elsewhere in the process (worker threads), as getMetricsAsJSON lists: /metrics adds them up with its own. */
  moreMetrics?: () => Promise<unknown[][]>;
  /** The service whose spans requests make, when it traces (docs/design.md §Traces). */
  traced?: TracedService;
}

/**
 * A request the HTTP parser refused (headers or URL past Node's 16 KiB, a malformed request line):
 * answered in the one error shape, then the connection is closed.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason, code, message] = tooLarge
    ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', 'The request line and headers are too large.']
    : [400, 'Bad Request', 'VALIDATION_FAILED', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    logController: new LogController({ disableRequestLogging: !options.accessLog }),
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
    requestIdHeader: 'x-request-id',
    // Fastify's own 503 would leave the one error shape; installShutdownAnswer answers instead.
    return503OnClosing: false,
    // A URL that does not decode or a path segment over maxParamLength is refused by the router
    // before any hook runs; without this Fastify would answer in its own shape, echoing the URL.
    frameworkErrors: answerFrameworkError,
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // Node's parser refuses a request line or headers over its limit before Fastify sees it.
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  installStorableTextCheck(app);
  installShutdownAnswer(app);
  installRequestMetrics(app, options.metrics);
  if (options.traced) installRequestSpans(app, options.traced);

  installLazyOpenApi(app, {
    title: options.title,
    description: options.description,
    version: options.version ?? '0.1.0',
    tags: options.tags ?? [],
    securitySchemes: options.securitySchemes ?? {},
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    const failure = await readinessFailure(options.isReady);
    if (failure !== null) throw new AppError('NOT_READY', failure, undefined, { 'retry-after': String(NOT_READY_RETRY_AFTER_SECONDS) });
    return { status: 'ready' };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', options.metrics.contentType);
    const more = (await options.moreMetrics?.()) ?? [];
    if (more.length === 0) return options.metrics.metrics();
    const own = await options.metrics.getMetricsAsJSON();
    return AggregatorRegistry.aggregate([own, ...more] as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
  });
  return app;
}

/** Longer than any id we issue; a longer path segment is refused before routing. */
const MAX_PATH_PARAMETER_LENGTH = 100;
const NOT_READY_RETRY_AFTER_SECONDS = 5;
/** Long enough for in-flight requests to end and a restart or another instance to take over. */
const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 5;

/** What /readyz says failed, or null when ready. */
async function readinessFailure(isReady: HttpServerOptions['isReady']): Promise<string | null> {
  if (!isReady) return null;
  try {
    const answer = await isReady();
    if (typeof answer === 'string') return `Not ready: ${answer}`;
    return answer === false ? 'The service is not ready.' : null;
  } catch (error) {
    if (error instanceof NotWritableError) return `Not ready: ${error.message}`;
    return `Not ready: the readiness check failed (${error instanceof Error ? error.name : 'unknown error'}).`;
  }
}

/**
 * Closing stops accepting connections, but a request can still arrive on a connection that was
 * busy at that moment; it gets 503 SHUTTING_DOWN (Fastify has already set Connection: close).
 */
function installShutdownAnswer(app: HttpServer): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Callback style, as the metrics hook: an async hook costs every request a promise and a microtask turn.
  app.addHook('onRequest', (_request, _reply, done) => {
    if (closing) done(new AppError('SHUTTING_DOWN', undefined, undefined, { 'retry-after': String(SHUTTING_DOWN_RETRY_AFTER_SECONDS) }));
    else done();
  });
}

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

function installRequestMetrics(app: HttpServer, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/**
 * An empty JSON body reads as null instead of a 400: Lineberty's clients send `PUT …/cancel` with
 * `Content-Type: application/json` and nothing after it (docs/lineberty.md §Requests). Anything
 * else goes through Fastify's own parser, with its prototype-poisoning checks.
 */
export function acceptEmptyJsonBodies(app: HttpServer): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, null);
    return parseJson(request, String(body), done);
  });
}
