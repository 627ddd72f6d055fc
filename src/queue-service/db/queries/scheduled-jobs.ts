import { sql } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { engineOf } from '../../../platform/db/engine-of.js';
import { readLeaseTime, type LeaseTime } from '../../../platform/db/lease-time.js';
import { workerHasStopped } from '../../../platform/workers/liveness.js';
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
  /** 'database': the lease is stamped and judged by the database's clock (docs/design.md §Workers). */
  now: LeaseTime;
  limit: number;
  leaseMs: number;
}

/**
 * Takes the due jobs, earliest first, under a lease: `lease_owner` is set and `due_at` moves to the
 * lease's end, after which a job whose scheduler died is due again for anyone; its holder renews it
 * while the job is waiting to fire (`renewJobLeases`). On PostgreSQL rows another scheduler is
 * claiming are skipped (SKIP LOCKED); SQLite has a single writer.
 */
export function claimDueJobs(database: Pick<Database<QueueServiceSchema>, 'transaction'>, claim: JobClaim): Promise<ScheduledJob[]> {
  return database.transaction(async (trx) => {
    const now = await readLeaseTime(trx, claim.now);
    let due = trx.selectFrom('scheduled_jobs').select('id').where('due_at', '<=', now).orderBy('due_at').limit(claim.limit);
    if (engineOf(trx) === 'postgres') due = due.forUpdate().skipLocked();
    return trx
      .updateTable('scheduled_jobs')
      .set({ lease_owner: claim.workerId, due_at: now + claim.leaseMs, attempts: sql<number>`attempts + 1` })
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

/** Gives a claimed job back, due `delayMs` after `now` (a retry after a failure; 0: at once). */
export async function releaseJob(db: QueueDb, jobId: string, workerId: string, now: LeaseTime, delayMs = 0): Promise<void> {
  const at = (await readLeaseTime(db, now)) + delayMs;
  await db
    .updateTable('scheduled_jobs')
    .set({ lease_owner: null, due_at: at })
    .where('id', '=', jobId)
    .where('lease_owner', '=', workerId)
    .execute();
}

/** How long until the next job is due (0: due now), or null when none is scheduled. */
export async function nextJobDueIn(db: QueueDb, now: LeaseTime): Promise<number | null> {
  const row = await db.selectFrom('scheduled_jobs').select('due_at').orderBy('due_at').limit(1).executeTakeFirst();
  return row ? Math.max(0, Number(row.due_at) - (await readLeaseTime(db, now))) : null;
}

/** Extends this scheduler's leases on jobs not yet fired; returns the ids it still holds. */
export async function renewJobLeases(db: QueueDb, workerId: string, ids: string[], leaseMs: number, now: LeaseTime): Promise<string[]> {
  if (ids.length === 0) return [];
  const end = (await readLeaseTime(db, now)) + leaseMs;
  const rows = await db
    .updateTable('scheduled_jobs')
    .set({ due_at: end })
    .where('id', 'in', ids)
    .where('lease_owner', '=', workerId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * PostgreSQL: jobs leased by schedulers whose liveness lock is free (their process died) fall due
 * now. Never this scheduler's own. SQLite has one scheduler: nothing to do.
 */
export async function takeOverJobLeasesOfStoppedWorkers(db: QueueDb, workerId: string): Promise<number> {
  if (engineOf(db) === 'sqlite') return 0;
  const now = await readLeaseTime(db, 'database');
  const result = await sql`
    update scheduled_jobs set due_at = ${now}
    where due_at > ${now} and lease_owner in (
      select owner from (select distinct lease_owner as owner from scheduled_jobs where lease_owner is not null and due_at > ${now}) held
      where owner <> ${workerId} and ${sql.raw(workerHasStopped('held.owner'))})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
