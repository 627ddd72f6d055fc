/**
 * How push workers in other processes learn that jobs are waiting (docs/design.md §Workers): a
 * NOTIFY on this channel, which every worker's engine LISTENs to on PostgreSQL. In-process workers
 * are woken by `deps.signal` instead.
 */
import { notifyChannel } from '../../platform/db/notify.js';
import type { PushDb } from '../db/connect.js';

export const JOBS_CHANNEL = 'queuebell_push_jobs';

/** Inside a transaction, sent at commit; nothing on SQLite (one process). */
export function announceJobs(db: PushDb): Promise<void> {
  return notifyChannel(db, JOBS_CHANNEL);
}
