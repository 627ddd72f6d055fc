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
import { superviseThread, threadEntry } from '../platform/workers/thread-supervisor.js';
import { startTracing, stopTracing } from '../platform/tracing/tracing.js';
import { queueMetricsOf } from './metrics.js';
import { buildQueueApp } from './app.js';
import { migrateQueueDatabase, openQueueDatabase } from './db/connect.js';
import { threadMetricsOf, type QueueServiceDeps } from './deps.js';
import { deliveryProgressOf, dispatcherReadiness, registerDeliveryGauges } from './dispatch/delivery-stall.js';
import { Dispatcher, type DispatcherOptions } from './dispatch/dispatcher.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import type { QueueThreadData } from './worker-thread.js';
import { startPurgeTimer } from './privacy/purge-timer.js';
import { checkWebhookSecretsOpen } from './dispatch/signing-secrets.js';

export interface QueueServiceOptions {
  config: Config & { adminToken: string; masterKey: string };
  role: ServiceRole;
  logger?: Logger;
  clock?: Clock;
  /** Tuning of the dispatcher (role worker or all); policy.ts has the defaults. */
  dispatch?: Partial<DispatcherOptions>;
  /** Tuning of the scheduler of timeouts and reminders (role worker or all); scheduler/policy.ts has the defaults. */
  scheduler?: Partial<SchedulerOptions>;
  /**
   * Run the dispatcher and the scheduler in worker threads of their own (the CLI's default,
   * QUEUEBELL_WORKER_THREADS); otherwise on the main thread beside the API (tests).
   */
  threads?: boolean;
}

export interface RunningQueueService extends RunningService {
  /** The dispatcher of roles worker and all (its stats), null for role api and in a thread. */
  dispatcher: Dispatcher | null;
  /** The scheduler of timeouts, reminders and appointment alerts (roles worker and all), null for role api and in a thread. */
  scheduler: Scheduler | null;
}

interface Background {
  dispatcher: Dispatcher | null;
  scheduler: Scheduler | null;
  stop(): Promise<void>;
}

export async function startQueueService(options: QueueServiceOptions): Promise<RunningQueueService> {
  const logger = options.logger ?? createLogger('queue-service', options.config.logLevel);
  // Before the app is built: its requests make spans only if the service traces by then.
  await startTracing('queue-service', options.config.tracing);
  const database = openQueueDatabase(options.config.databaseUrl);
  const deps: QueueServiceDeps = {
    database,
    clock: options.clock ?? systemClock,
    config: options.config,
    logger,
    outboxSignal: new Signal(),
    threadMetrics: [],
  };
  let http: ServedHttp;
  try {
    const applied = await migrateQueueDatabase(database);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    await checkWebhookSecretsOpen(deps);
    http = await serveHttp(deps, options.role);
  } catch (error) {
    await database.close();
    throw error;
  }
  let background: Background;
  try {
    background = await startBackground(deps, options);
  } catch (error) {
    await http.app.close();
    await database.close();
    throw error;
  }
  return {
    url: http.url,
    healthUrl: http.healthUrl,
    dispatcher: background.dispatcher,
    scheduler: background.scheduler,
    async close() {
      await http.app.close();
      // After the API: changes committed during its last requests are still delivered or released.
      await background.stop();
      await database.close();
      await stopTracing('queue-service');
    },
  };
}

/** The dispatcher and the scheduler (roles worker and all): on this thread, or each in a thread of its own. */
async function startBackground(deps: QueueServiceDeps, options: QueueServiceOptions): Promise<Background> {
  if (options.role === 'api') return { dispatcher: null, scheduler: null, stop: async () => {} };
  if (options.threads) return startThreads(deps, options);
  const dispatcher = new Dispatcher(deps, { journalDir: options.config.dataDir, ...options.dispatch });
  await dispatcher.start();
  // Live streams start with the API (app.ts); time-driven changes run beside the dispatcher.
  const scheduler = new Scheduler(deps, options.scheduler);
  scheduler.start();
  const purge = startPurgeTimer(deps);
  return {
    dispatcher,
    scheduler,
    async stop() {
      await purge.stop();
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}

async function startThreads(deps: QueueServiceDeps, options: QueueServiceOptions): Promise<Background> {
  const entry = threadEntry(import.meta.url, './worker-thread');
  const data = (part: QueueThreadData['part']): QueueThreadData => ({
    part,
    config: options.config,
    dispatch: { journalDir: options.config.dataDir, ...options.dispatch },
    scheduler: options.scheduler,
  });
  const dispatcher = await superviseThread({ name: 'dispatcher', entry, data: data('dispatcher'), logger: deps.logger });
  // Commits of the API (and of the scheduler, below) wake the dispatcher thread; /metrics adds up what it counts.
  const unsubscribeWake = deps.outboxSignal.subscribe(() => dispatcher.wake());
  const readMetrics = () => dispatcher.metrics();
  deps.threadMetrics?.push(readMetrics);
  const unsubscribe = () => {
    unsubscribeWake();
    deps.threadMetrics?.splice(deps.threadMetrics.indexOf(readMetrics), 1);
  };
  const scheduler = await superviseThread({
    name: 'scheduler',
    entry,
    data: data('scheduler'),
    logger: deps.logger,
    onWake: () => deps.outboxSignal.notify(),
  }).catch(async (error: unknown) => {
    unsubscribe();
    await dispatcher.stop();
    throw error;
  });
  return {
    dispatcher: null,
    scheduler: null,
    async stop() {
      await scheduler.stop();
      unsubscribe();
      await dispatcher.stop();
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
    moreMetrics: threadMetricsOf(deps),
    isReady: dispatcherReadiness(deps),
  });
  const healthUrl = await listenOrExplain(app, { port: config.queueWorkerPort, host: config.host, setting: 'QUEUEBELL_QUEUE_WORKER_PORT' });
  logger.info({ healthUrl, database: database.location, role }, 'queue worker health, readiness and metrics listening');
  return { app, url: null, healthUrl };
}
