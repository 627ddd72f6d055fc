import { sql } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { engineOf } from '../../../platform/db/engine-of.js';
import type { NewScheduledJob, QueueServiceSchema, ScheduledJob, ScheduledJobKind } from '../schema.js';
import type { QueueDb } from '../types.js';

/** Schedules jobs; one already there for the same ticket, kind and rule is moved to the new time and released. */
export async function upsertJobs(db: QueueDb, jobs: NewScheduledJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('scheduled_jobs')
    .values(jobs)
    .onConflict((oc) =>
      oc.columns(['ticket_id', 'kind', 'rule_id']).doUpdateSet({
        due_at: sql<number>`excluded.due_at`,
        lease_owner: null,
        attempts: 0,
      }),
    )
    .execute();
}

export async function deleteJobsOfTicket(db: QueueDb, ticketId: string, kinds: ScheduledJobKind[]): Promise<void> {
  await db.deleteFrom('scheduled_jobs').where('ticket_id', '=', ticketId).where('kind', 'in', kinds).execute();
}

export interface JobClaim {
  workerId: string;
  now: number;
  limit: number;
  leaseMs: number;
}

/**
 * Takes the due jobs, earliest first, under a lease: `lease_owner` is set and `due_at` moves to the
 * lease's end, after which a job whose scheduler died is due again for anyone. On PostgreSQL rows
 * another scheduler is claiming are skipped (SKIP LOCKED); SQLite has a single writer.
 */
export function claimDueJobs(database: Pick<Database<QueueServiceSchema>, 'transaction'>, claim: JobClaim): Promise<ScheduledJob[]> {
  return database.transaction(async (trx) => {
    let due = trx.selectFrom('scheduled_jobs').select('id').where('due_at', '<=', claim.now).orderBy('due_at').limit(claim.limit);
    if (engineOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
    return trx
      .updateTable('scheduled_jobs')
      .set({ lease_owner: claim.workerId, due_at: claim.now + claim.leaseMs, attempts: sql<number>`attempts + 1` })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  });
}

/**
 * Removes a claimed job inside the transaction that carries it out. False when the job is no longer
 * this worker's: the ticket changed and rescheduled or dropped it, or the lease ran out and another
 * worker took it. Either way this worker must not act.
 */
export async function takeClaimedJob(db: QueueDb, jobId: string, workerId: string): Promise<boolean> {
  const result = await db.deleteFrom('scheduled_jobs').where('id', '=', jobId).where('lease_owner', '=', workerId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Gives a claimed job back, due at `dueAt` (a retry after a failure). */
export async function releaseJob(db: QueueDb, jobId: string, workerId: string, dueAt: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({ lease_owner: null, due_at: dueAt })
    .where('id', '=', jobId)
    .where('lease_owner', '=', workerId)
    .execute();
}

/** When the next job is due, or null when none is scheduled. */
export async function nextJobDueAt(db: QueueDb): Promise<number | null> {
  const row = await db.selectFrom('scheduled_jobs').select('due_at').orderBy('due_at').limit(1).executeTakeFirst();
  return row ? Number(row.due_at) : null;
}
