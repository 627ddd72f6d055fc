/**
 * Expiry, every half minute beside the push worker: waiting pushes past their deadline end as
 * expired (those of a paused provider would otherwise wait forever). Old history goes by the
 * retention instead (retention.ts).
 */
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { startPeriodicTask } from '../../platform/workers/periodic-task.js';
import type { PushDb } from '../db/connect.js';
import { expireOverdueJobs } from '../db/queries/push-jobs.js';

const MAINTENANCE_INTERVAL_MS = 30_000;

export async function runMaintenance(db: PushDb, now: number): Promise<{ expired: number }> {
  return { expired: await expireOverdueJobs(db, now) };
}

/** Starts the periodic run; returns the function that stops it. */
export function scheduleMaintenance(db: PushDb, clock: Clock, logger: Logger, intervalMs = MAINTENANCE_INTERVAL_MS): () => Promise<void> {
  const task = startPeriodicTask({
    everyMs: intervalMs,
    logger,
    failure: 'push maintenance failed; next run retries',
    run: async () => {
      await runMaintenance(db, clock.now());
    },
  });
  return () => task.stop();
}
