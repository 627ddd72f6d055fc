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
import { buildPushApp } from './app.js';
import { migratePushDatabase, openPushDatabase } from './db/connect.js';
import { createPushDeps, type PushDeps } from './deps.js';
import { closeProviders, createProviders } from './providers/index.js';
import { scheduleMaintenance } from './push/maintenance.js';
import { PushWorker, type WorkerOptions } from './push/worker.js';
import { ReceiptSender } from './receipts/sender.js';

export interface PushServerOptions {
  config: Config;
  role: ServiceRole;
  logger?: Logger;
  clock?: Clock;
  /** Tuning for tests and the bench; the defaults suit production. */
  worker?: Partial<WorkerOptions>;
}

export async function startPushServer(options: PushServerOptions): Promise<RunningService> {
  const { config, role } = options;
  if (!config.adminToken || !config.masterKey) throw new Error('the push server needs an admin token and a master key');
  const logger = options.logger ?? createLogger('push-server', config.logLevel);
  const database = openPushDatabase(config.pushDatabaseUrl);
  const deps = createPushDeps({
    database,
    logger,
    masterKey: config.masterKey,
    adminToken: config.adminToken,
    clock: options.clock ?? systemClock,
    allowPrivateEndpoints: config.allowPrivateWebhooks,
    rateLimitPerAddressPerMinute: config.pushRateLimitPerAddressPerMinute,
  });
  let http: ServedHttp;
  try {
    await migratePushDatabase(database);
    http = await serveHttp(deps, config, role);
  } catch (error) {
    await database.close();
    throw error;
  }
  const worker = role === 'api' ? null : await startWorker(deps, { journalDir: config.dataDir, ...options.worker });
  logger.info({ role, url: http.url, healthUrl: http.healthUrl, database: database.location }, 'push server started');
  return {
    url: http.url,
    healthUrl: http.healthUrl,
    close: async () => {
      await http.app.close();
      await deps.ingest.flush();
      await worker?.stop();
      await database.close();
      logger.info('push server stopped');
    },
  };
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

async function startWorker(deps: PushDeps, options: Partial<WorkerOptions> = {}): Promise<{ stop(): Promise<void> }> {
  const providers = createProviders({ allowPrivateEndpoints: deps.allowPrivateEndpoints });
  const worker = new PushWorker({ ...deps, providers }, options);
  await worker.start();
  // Role all: pushes written by this process's ingest go straight to this worker.
  deps.ingest.attach(worker);
  const receipts = new ReceiptSender(deps);
  await receipts.start();
  const stopMaintenance = scheduleMaintenance(deps.db, deps.clock, deps.logger);
  return {
    stop: async () => {
      deps.ingest.attach(null);
      await worker.stop();
      await receipts.stop();
      await stopMaintenance();
      await closeProviders(providers);
    },
  };
}
