/**
 * One background part of the queue service — the dispatcher or the scheduler — in a worker thread
 * of its own with its own database connection (docs/design.md §Workers, default mode); started,
 * restarted and stopped by main.ts through platform/workers/thread-supervisor.ts.
 */
import { systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { Signal } from '../platform/signal.js';
import { runInThread, threadData, type ThreadPart } from '../platform/workers/thread-side.js';
import { startTracing, stopTracing } from '../platform/tracing/tracing.js';
import { openQueueDatabase } from './db/connect.js';
import type { QueueServiceDeps } from './deps.js';
import { Registry } from 'prom-client';
import { queueMetricsOf } from './metrics.js';
import { Dispatcher, type DispatcherOptions } from './dispatch/dispatcher.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import { startPurgeTimer } from './privacy/purge-timer.js';

export interface QueueThreadData {
  part: 'dispatcher' | 'scheduler';
  config: Config & { adminToken: string; masterKey: string };
  dispatch?: Partial<DispatcherOptions>;
  scheduler?: Partial<SchedulerOptions>;
}

/** A thread's part needs few connections on PostgreSQL: it runs one loop. */
const THREAD_POOL_SIZE = 4;

async function startPart(data: QueueThreadData): Promise<ThreadPart> {
  const { config } = data;
  // A thread has its own module instances: it traces only if it starts tracing itself.
  await startTracing('queue-service', config.tracing);
  const database = openQueueDatabase(config.databaseUrl, THREAD_POOL_SIZE, false);
  const deps: QueueServiceDeps = {
    database,
    clock: systemClock,
    config,
    logger: createLogger('queue-service', config.logLevel).child({ thread: data.part }),
    outboxSignal: new Signal(),
  };
  if (data.part === 'dispatcher') {
    const dispatcher = new Dispatcher(deps, data.dispatch);
    // What it counts, for the API's /metrics to add up (the waiting gauges the parent reads from the database itself).
    const registry = new Registry();
    queueMetricsOf(deps).attachDispatcher(registry);
    await dispatcher.start();
    return {
      inbound: deps.outboxSignal,
      metrics: () => registry.getMetricsAsJSON(),
      stop: async () => {
        await dispatcher.stop();
        await database.close();
        await stopTracing('queue-service');
      },
    };
  }
  const scheduler = new Scheduler(deps, data.scheduler);
  scheduler.start();
  // Retention runs beside the scheduler (privacy/purge-timer.ts).
  const purge = startPurgeTimer(deps);
  return {
    // Fired timeouts and reminders wrote messages and ticket events: the dispatcher and the live streams should look.
    outbound: deps.outboxSignal,
    stop: async () => {
      await purge.stop();
      await scheduler.stop();
      await database.close();
      await stopTracing('queue-service');
    },
  };
}

const data = threadData<QueueThreadData>();
await runInThread(() => startPart(data), { niceIncrement: data.config.workerNice });
