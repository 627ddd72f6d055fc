/**
 * How push workers in other processes learn that jobs are waiting (docs/design.md §Workers): a
 * NOTIFY on this channel, which every worker's engine LISTENs to on PostgreSQL. In-process workers
 * are woken by `deps.signal` instead.
 */
import type { Kysely } from 'kysely';
import { notifyChannel } from '../../platform/db/notify.js';

export const JOBS_CHANNEL = 'queuebell_push_jobs';

/** Inside a transaction, sent at commit; nothing on SQLite (one process). */
export function announceJobs(db: Kysely<any>): Promise<void> {
  return notifyChannel(db, JOBS_CHANNEL);
}
