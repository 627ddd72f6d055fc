/**
 * Runs the queue service: opens and migrates the database, serves the API (role api or all) or
 * only health, readiness and metrics (role worker), and runs the background workers (role worker
 * or all). Only this file reads configuration.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { listenOrExplain } from '../platform/http/listen.js';
import { createHttpServer, createMetricsRegistry, type HttpServer } from '../platform/http/server.js';
import { createLogger } from '../platform/logger.js';
import type { RunningService, ServiceRole } from '../platform/service.js';
import { Signal } from '../platform/signal.js';
import { queueMetricsOf } from './metrics.js';
import { buildQueueApp } from './app.js';
import { migrateQueueDatabase, openQueueDatabase } from './db/connect.js';
import type { QueueServiceDeps } from './deps.js';
import { deliveryProgressOf, dispatcherReadiness, registerDeliveryGauges } from './dispatch/delivery-stall.js';
import { Dispatcher, type DispatcherOptions } from './dispatch/dispatcher.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';

export interface QueueServiceOptions {
  config: Config & { adminToken: string; masterKey: string };
  role: ServiceRole;
  logger?: Logger;
  clock?: Clock;
  /** Tuning of the dispatcher (role worker or all); policy.ts has the defaults. */
  dispatch?: Partial<DispatcherOptions>;
  /** Tuning of the scheduler of timeouts and reminders (role worker or all); scheduler/policy.ts has the defaults. */
  scheduler?: Partial<SchedulerOptions>;
}

export interface RunningQueueService extends RunningService {
  /** The dispatcher of roles worker and all (its stats), null for role api. */
  dispatcher: Dispatcher | null;
  /** The scheduler of timeouts, reminders and appointment alerts (roles worker and all), null for role api. */
  scheduler: Scheduler | null;
}

export async function startQueueService(options: QueueServiceOptions): Promise<RunningQueueService> {
  const logger = options.logger ?? createLogger('queue-service', options.config.logLevel);
  const database = openQueueDatabase(options.config.databaseUrl);
  const deps: QueueServiceDeps = {
    database,
    clock: options.clock ?? systemClock,
    config: options.config,
    logger,
    outboxSignal: new Signal(),
  };
  let http: ServedHttp;
  try {
    const applied = await migrateQueueDatabase(database);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    http = await serveHttp(deps, options.role);
  } catch (error) {
    await database.close();
    throw error;
  }
  const dispatcher = options.role === 'api' ? null : new Dispatcher(deps, { journalDir: options.config.dataDir, ...options.dispatch });
  await dispatcher?.start();
  // Live streams start with the API (app.ts); time-driven changes run beside the dispatcher.
  const scheduler = options.role === 'api' ? null : new Scheduler(deps, options.scheduler);
  scheduler?.start();
  return {
    url: http.url,
    healthUrl: http.healthUrl,
    dispatcher,
    scheduler,
    async close() {
      await http.app.close();
      await scheduler?.stop();
      // After the API: changes committed during its last requests are still delivered or released.
      await dispatcher?.stop();
      await database.close();
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
 * The API (roles api and all) on the queue port; a worker-only process is watched too: health,
 * readiness (a write) and metrics on a port of its own (docs/design.md §Faults).
 */
async function serveHttp(deps: QueueServiceDeps, role: ServiceRole): Promise<ServedHttp> {
  const { config, logger, database } = deps;
  if (role !== 'worker') {
    const app = await buildQueueApp(deps, { runsDispatcher: role === 'all' });
    const url = await listenOrExplain(app, { port: config.queuePort, host: config.host, setting: 'QUEUEBELL_QUEUE_PORT' });
    logger.info({ url, database: database.location, role }, 'queue service listening');
    return { app, url, healthUrl: url };
  }
  const metrics = createMetricsRegistry('queue-service');
  registerDeliveryGauges(metrics, () => deliveryProgressOf(deps));
  queueMetricsOf(deps).attach(metrics);
  const app = await createHttpServer({
    title: 'queuebell queue worker',
    description: 'Health, readiness and metrics of a queue service worker.',
    logger,
    metrics,
    isReady: dispatcherReadiness(deps),
  });
  const healthUrl = await listenOrExplain(app, { port: config.queueWorkerPort, host: config.host, setting: 'QUEUEBELL_QUEUE_WORKER_PORT' });
  logger.info({ healthUrl, database: database.location, role }, 'queue worker health, readiness and metrics listening');
  return { app, url: null, healthUrl };
}
