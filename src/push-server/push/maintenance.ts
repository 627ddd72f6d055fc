/**
 * Housekeeping the worker role runs every half minute: waiting pushes past their deadline end as
 * expired (those of a paused provider would otherwise wait forever), and history older than the
 * retention goes. Messages are kept a week — far beyond the 24 hours webhook-id dedupe needs.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { PushDb } from '../db/connect.js';
import { deleteMessagesReceivedBefore } from '../db/queries/messages.js';
import { deleteJobsFinishedBefore, expireOverdueJobs } from '../db/queries/push-jobs.js';
import { deleteReceiptsCreatedBefore } from '../db/queries/receipts.js';

export const RETENTION_MS = 7 * 24 * 3600_000;
const MAINTENANCE_INTERVAL_MS = 30_000;

export async function runMaintenance(db: PushDb, now: number): Promise<{ expired: number; purgedJobs: number; purgedMessages: number }> {
  const expired = await expireOverdueJobs(db, now);
  const purgedJobs = await deleteJobsFinishedBefore(db, now - RETENTION_MS);
  const purgedMessages = await deleteMessagesReceivedBefore(db, now - RETENTION_MS);
  await deleteReceiptsCreatedBefore(db, now - RETENTION_MS);
  return { expired, purgedJobs, purgedMessages };
}

/** Starts the periodic run; returns the function that stops it. */
export function scheduleMaintenance(db: PushDb, clock: Clock, logger: Logger, intervalMs = MAINTENANCE_INTERVAL_MS): () => Promise<void> {
  let current: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = runMaintenance(db, clock.now()).catch((error: unknown) =>
      logger.warn({ err: error }, 'push maintenance failed; next run retries'),
    );
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
