/**
 * Runs the push server: opens and migrates its database, then listens (role api), pushes (role
 * worker), or both (role all, the default of `queuebell start`). close() stops taking requests,
 * writes what was accepted, lets the worker finish or release what it holds, then closes the rest.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import { listenOrExplain } from '../platform/http/listen.js';
import { createLogger } from '../platform/logger.js';
import type { RunningService, ServiceRole } from '../platform/service.js';
import { superviseThread, threadEntry } from '../platform/workers/thread-supervisor.js';
import { startTracing, stopTracing } from '../platform/tracing/tracing.js';
import { buildPushApp } from './app.js';
import { migratePushDatabase, openPushDatabase } from './db/connect.js';
import { createPushDeps, type PushDeps } from './deps.js';
import { startPushWorker, type RunningPushWorker } from './push/run-worker.js';
import { checkSourceSecretsOpen } from './apps/source-secrets.js';
import type { WorkerOptions } from './push/worker.js';
import type { PushThreadData } from './worker-thread.js';

export interface PushServerOptions {
  config: Config;
  role: ServiceRole;
  logger?: Logger;
  clock?: Clock;
  /** Tuning for tests and the bench; the defaults suit production. */
  worker?: Partial<WorkerOptions>;
  /** Run the push worker in a worker thread of its own (the CLI's default, QUEUEBELL_WORKER_THREADS); otherwise on the main thread. */
  threads?: boolean;
}

export async function startPushServer(options: PushServerOptions): Promise<RunningService> {
  const { config, role } = options;
  if (!config.adminToken || !config.masterKey) throw new Error('the push server needs an admin token and a master key');
  const logger = options.logger ?? createLogger('push-server', config.logLevel);
  // Before the app is built: its requests make spans only if the service traces by then.
  await startTracing('push-server', config.tracing);
  const database = openPushDatabase(config.pushDatabaseUrl);
  const deps = createPushDeps({
    database,
    logger,
    masterKey: config.masterKey,
    adminToken: config.adminToken,
    clock: options.clock ?? systemClock,
    allowPrivateEndpoints: config.allowPrivateWebhooks,
    vapidSubject: config.pushVapidSubject,
    retentionDays: config.pushRetentionDays,
    rateLimitPerAddressPerMinute: config.pushRateLimitPerAddressPerMinute,
    http: { publicUrl: config.pushPublicUrl, trustProxy: config.trustProxy, accessLog: config.accessLog },
  });
  let http: ServedHttp;
  try {
    await migratePushDatabase(database);
    await checkSourceSecretsOpen(deps.db, deps.box, database.location);
    http = await serveHttp(deps, config, role);
  } catch (error) {
    await database.close();
    throw error;
  }
  let worker: RunningPushWorker | null;
  try {
    worker = await startPushBackground(deps, options);
  } catch (error) {
    await http.app.close();
    await database.close();
    throw error;
  }
  logger.info({ role, url: http.url, healthUrl: http.healthUrl, database: database.location }, 'push server started');
  return {
    url: http.url,
    healthUrl: http.healthUrl,
    close: async () => {
      await http.app.close();
      await deps.ingest.flush();
      await worker?.stop();
      await database.close();
      await stopTracing('push-server');
      logger.info('push server stopped');
    },
  };
}

/** What the push server thread (server-thread.ts) is started with. */
export interface PushServerThreadData {
  config: Config & { adminToken: string; masterKey: string };
}

/** What the push server thread says once it listens. */
export interface PushServerThreadInfo {
  url: string | null;
  healthUrl: string | null;
}

/**
 * The push server as `queuebell start` runs it by default: the whole service in a worker thread,
 * restarted if it crashes (docs/design.md §Workers). The port should be fixed: a restarted thread
 * listens anew, on another port if it was 0.
 */
export async function startPushServerInThread(options: { config: Config; logger?: Logger }): Promise<RunningService> {
  const { config } = options;
  if (!config.adminToken || !config.masterKey) throw new Error('the push server needs an admin token and a master key');
  const logger = options.logger ?? createLogger('push-server', config.logLevel);
  const data: PushServerThreadData = { config: config as PushServerThreadData['config'] };
  const thread = await superviseThread({ name: 'push server', entry: threadEntry(import.meta.url, './server-thread'), data, logger });
  const { url, healthUrl } = (thread.info ?? { url: null, healthUrl: null }) as PushServerThreadInfo;
  return { url, healthUrl, close: () => thread.stop() };
}

interface ServedHttp {
  app: HttpServer;
  /** The API, null for role worker. */
  url: string | null;
  healthUrl: string;
}

/**
 * The API (roles api and all) on the push port. A worker-only process serves /healthz, /readyz (a
 * write) and /metrics (its pushes are counted there) on a port of its own; a taken port stops the
 * start with a one-line PortTakenError (docs/design.md §Faults).
 */
async function serveHttp(deps: PushDeps, config: Config, role: ServiceRole): Promise<ServedHttp> {
  if (role !== 'worker') {
    const app = await buildPushApp(deps);
    const url = await listenOrExplain(app, { port: config.pushPort, host: config.host, setting: 'QUEUEBELL_PUSH_PORT' });
    return { app, url, healthUrl: url };
  }
  const app = await createHttpServer({
    title: 'queuebell push worker',
    description: 'Health, readiness and metrics of a push worker.',
    logger: deps.logger,
    metrics: deps.metrics.registry,
    isReady: () => deps.database.checkWritable(),
  });
  const healthUrl = await listenOrExplain(app, { port: config.pushWorkerPort, host: config.host, setting: 'QUEUEBELL_PUSH_WORKER_PORT' });
  deps.logger.info({ healthUrl }, 'push worker health, readiness and metrics listening');
  return { app, url: null, healthUrl };
}

/** The push worker (roles worker and all): on this thread, or in a thread of its own that ingest wakes. */
export async function startPushBackground(deps: PushDeps, options: PushServerOptions): Promise<RunningPushWorker | null> {
  if (options.role === 'api') return null;
  const workerOptions = { journalDir: options.config.dataDir, ...options.worker };
  if (!options.threads) return startPushWorker(deps, workerOptions, { handOff: true });
  const data: PushThreadData = { config: options.config as PushThreadData['config'], worker: workerOptions };
  const thread = await superviseThread({
    name: 'push worker',
    entry: threadEntry(import.meta.url, './worker-thread'),
    data,
    logger: deps.logger,
  });
  const unsubscribe = deps.signal.subscribe(() => thread.wake());
  const readMetrics = () => thread.metrics();
  deps.threadMetrics.push(readMetrics);
  return {
    stop: async () => {
      deps.threadMetrics.splice(deps.threadMetrics.indexOf(readMetrics), 1);
      unsubscribe();
      await thread.stop();
    },
  };
}
