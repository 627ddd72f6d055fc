/**
 * Runs the queue service: opens and migrates the database, serves the API (role api or all) and
 * runs the background workers (role worker or all). Only this file reads configuration.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import type { RunningService, ServiceRole } from '../platform/service.js';
import { Signal } from '../platform/signal.js';
import { buildQueueApp } from './app.js';
import { migrateQueueDatabase, openQueueDatabase } from './db/connect.js';
import type { QueueServiceDeps } from './deps.js';
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
  const applied = await migrateQueueDatabase(database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const deps: QueueServiceDeps = { database, clock: options.clock ?? systemClock, config: options.config, logger, outboxSignal: new Signal() };

  const app = options.role === 'worker' ? null : await buildQueueApp(deps);
  let url: string | null = null;
  if (app) {
    await app.listen({ port: options.config.queuePort, host: options.config.host });
    url = `http://${options.config.host}:${(app.server.address() as { port: number }).port}`;
    logger.info({ url, database: database.location, role: options.role }, 'queue service listening');
  }
  const dispatcher = options.role === 'api' ? null : new Dispatcher(deps, options.dispatch);
  await dispatcher?.start();
  // Live streams start with the API (app.ts); time-driven changes run beside the dispatcher.
  const scheduler = options.role === 'api' ? null : new Scheduler(deps, options.scheduler);
  scheduler?.start();
  return {
    url,
    dispatcher,
    scheduler,
    async close() {
      await app?.close();
      await scheduler?.stop();
      // After the API: changes committed during its last requests are still delivered or released.
      await dispatcher?.stop();
      await database.close();
    },
  };
}
