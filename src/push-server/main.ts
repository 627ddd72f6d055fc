/**
 * Runs the push server: opens and migrates its database, then listens (role api), pushes (role
 * worker), or both (role all, the default of `queuebell start`). close() stops taking requests,
 * writes what was accepted, lets the worker finish or release what it holds, then closes the rest.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { createHttpServer, type HttpServer } from '../platform/http/server.js';
import { createLogger } from '../platform/logger.js';
import { buildPushApp } from './app.js';
import { migratePushDatabase, openPushDatabase } from './db/connect.js';
import { createPushDeps, type PushDeps } from './deps.js';
import { closeProviders, createProviders } from './providers/index.js';
import { scheduleMaintenance } from './push/maintenance.js';
import { PushWorker, type WorkerOptions } from './push/worker.js';

export interface PushServerOptions {
  config: Config;
  role: 'all' | 'api' | 'worker';
  logger?: Logger;
  clock?: Clock;
  /** Tuning for tests and the bench; the defaults suit production. */
  worker?: Partial<WorkerOptions>;
}

export interface RunningService {
  /** HTTP base URL when the API role listens, else null. */
  url: string | null;
  close(): Promise<void>;
}

export async function startPushServer(options: PushServerOptions): Promise<RunningService> {
  const { config, role } = options;
  if (!config.adminToken || !config.masterKey) throw new Error('the push server needs an admin token and a master key');
  const logger = options.logger ?? createLogger('push-server', config.logLevel);
  const database = openPushDatabase(config.pushDatabaseUrl);
  await migratePushDatabase(database);
  const deps = createPushDeps({
    database, logger, masterKey: config.masterKey, adminToken: config.adminToken,
    clock: options.clock ?? systemClock, allowPrivateEndpoints: config.allowPrivateWebhooks,
  });
  const api = role === 'worker' ? null : await listen(deps, config);
  const ops = role === 'worker' ? await listenForOperations(deps, config) : null;
  const worker = role === 'api' ? null : await startWorker(deps, options.worker);
  logger.info({ role, url: api?.url ?? null, database: database.location }, 'push server started');
  return {
    url: api?.url ?? null,
    close: async () => {
      await api?.app.close();
      await ops?.close();
      await deps.ingest.flush();
      await worker?.stop();
      await deps.signal.close();
      await database.close();
      logger.info('push server stopped');
    },
  };
}

async function listen(deps: PushDeps, config: Config): Promise<{ app: HttpServer; url: string }> {
  const app = await buildPushApp(deps);
  await app.listen({ port: config.pushPort, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.pushPort;
  // A wildcard bind is reachable on loopback; the URL must be one a local client can use.
  const bound = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const host = bound.includes(':') ? `[${bound}]` : bound;
  return { app, url: `http://${host}:${port}` };
}

/**
 * A worker-only process still serves /healthz, /readyz and /metrics (its pushes are counted there)
 * on the push port. When that port is taken — an API process of the same configuration on the same
 * host — it runs without them rather than failing.
 */
async function listenForOperations(deps: PushDeps, config: Config): Promise<HttpServer | null> {
  const ops = await createHttpServer({ title: 'queuebell push worker', description: 'Health and metrics of a push worker.', logger: deps.logger, metrics: deps.metrics.registry, isReady: async () => true });
  try {
    await ops.listen({ port: config.pushPort, host: config.host });
    deps.logger.info({ address: ops.server.address() }, 'push worker health and metrics listening');
    return ops;
  } catch (error) {
    deps.logger.warn({ err: error }, 'push worker: port taken, running without /metrics and /healthz');
    await ops.close();
    return null;
  }
}

async function startWorker(deps: PushDeps, options: Partial<WorkerOptions> = {}): Promise<{ stop(): Promise<void> }> {
  const providers = createProviders({ allowPrivateEndpoints: deps.allowPrivateEndpoints });
  if (deps.database.pgPool) await deps.signal.listen(deps.database.pgPool, deps.logger);
  const worker = new PushWorker({ ...deps, providers }, options);
  worker.start();
  // Role all: pushes written by this process's ingest go straight to this worker.
  deps.ingest.attach(worker);
  const stopMaintenance = scheduleMaintenance(deps.db, deps.clock, deps.logger);
  return {
    stop: async () => {
      deps.ingest.attach(null);
      await worker.stop();
      await stopMaintenance();
      await closeProviders(providers);
    },
  };
}
