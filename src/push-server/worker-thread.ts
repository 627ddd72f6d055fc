/**
 * The push worker (and its maintenance) in a worker thread of its own with its own database
 * connection (docs/design.md §Workers, default mode); started, restarted and stopped by main.ts
 * through platform/workers/thread-supervisor.ts. It hears of new jobs from the parent's ingest.
 */
import { systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { runInThread, threadData, type ThreadPart } from '../platform/workers/thread-side.js';
import { startTracing, stopTracing } from '../platform/tracing/tracing.js';
import { openPushDatabase } from './db/connect.js';
import { createPushDeps } from './deps.js';
import { startPushWorker } from './push/run-worker.js';
import type { WorkerOptions } from './push/worker.js';

export interface PushThreadData {
  config: Config & { adminToken: string; masterKey: string };
  worker?: Partial<WorkerOptions>;
}

/** The worker runs one loop: a few connections are enough on PostgreSQL. */
const THREAD_POOL_SIZE = 4;

const { config, worker: options } = threadData<PushThreadData>();

async function startPart(): Promise<ThreadPart> {
  // A thread has its own module instances: it traces only if it starts tracing itself.
  await startTracing('push-server', config.tracing);
  const database = openPushDatabase(config.pushDatabaseUrl, THREAD_POOL_SIZE, false);
  const deps = createPushDeps({
    database,
    logger: createLogger('push-server', config.logLevel).child({ thread: 'push worker' }),
    masterKey: config.masterKey,
    adminToken: config.adminToken,
    clock: systemClock,
    allowPrivateEndpoints: config.allowPrivateWebhooks,
    vapidSubject: config.pushVapidSubject,
    retentionDays: config.pushRetentionDays,
  });
  const worker = await startPushWorker(deps, options, { handOff: false });
  return {
    inbound: deps.signal,
    // The pushes this thread counted; gauges read the database at scrape time in the parent already.
    metrics: async () =>
      (await deps.metrics.registry.getMetricsAsJSON()).filter(
        (metric) => metric.name.startsWith('queuebell_') && String(metric.type) !== 'gauge',
      ),
    stop: async () => {
      await worker.stop();
      await database.close();
      await stopTracing('push-server');
    },
  };
}

await runInThread(startPart, { niceIncrement: config.workerNice });
