/**
 * SQL on `push_jobs`: one row per message and device, claimed by workers with a lease.
 * A claimed job keeps `status = 'sending'`, `lease_owner` and `available_at` = end of its lease, so
 * a worker that dies mid-send leaves a job that becomes claimable again by itself, with no reaper.
 * Leases are stamped by the database's clock (`now: 'database'`), renewed by their holder while the
 * push is in flight, and on PostgreSQL taken over at once when the holder's liveness lock is free
 * (docs/design.md §Workers).
 */
import { CompiledQuery, sql, type Insertable, type Selectable } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';
import { readLeaseTime, type LeaseTime } from '../../../platform/db/lease-time.js';
import { workerHasStopped } from '../../../platform/workers/liveness.js';
import type { PushDb } from '../connect.js';
import { sortableIdFloor } from './messages.js';
import type { PushJobStatus, PushJobTable } from '../schema.js';

export type PushJobRow = Selectable<PushJobTable>;

// 16 columns a row: 1,000 rows stay under SQLite's 32,766 bound parameters.
const INSERT_CHUNK = 1000;

export async function insertPushJobs(db: PushDb, rows: Insertable<PushJobTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await db
      .insertInto('push_jobs')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}

/** Latest state wins: a waiting push for the same device and ticket is not worth sending any more. */
export async function supersedeWaitingJobs(
  db: PushDb,
  pairs: readonly { deviceId: string; collapseKey: string }[],
  now: number,
): Promise<number> {
  if (pairs.length === 0) return 0;
  const values = sql.join(pairs.map((p) => sql`(${p.deviceId}, ${p.collapseKey})`));
  const result = await sql`
    update push_jobs set status = 'superseded', finished_at = ${now}, updated_at = ${now}
    where status = 'pending' and (device_id, collapse_key) in (values ${values})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface ClaimOptions {
  now: LeaseTime;
  limit: number;
  leaseMs: number;
  /** The lease's owner (null: nobody renews it, it simply runs out). */
  workerId?: string | null;
}

export interface Claimed {
  jobs: PushJobRow[];
  /** The time the leases were stamped with. */
  now: number;
}

/**
 * Claims due jobs of apps whose provider is not paused. PostgreSQL: `FOR UPDATE SKIP LOCKED` lets
 * any number of workers claim side by side without waiting on each other. SQLite: one writer at a
 * time anyway, so the single UPDATE … RETURNING is already atomic.
 */
export async function claimPushJobs(db: PushDb, options: ClaimOptions): Promise<PushJobRow[]> {
  return (await claimPushJobsAt(db, options)).jobs;
}

/** claimPushJobs, also answering the time the leases were stamped with. */
export async function claimPushJobsAt(db: PushDb, options: ClaimOptions): Promise<Claimed> {
  const now = await readLeaseTime(db, options.now);
  let due = db
    .selectFrom('push_jobs as j')
    .select('j.id')
    // Literal, not bound: only then can the planners prove the partial claim index applies.
    .where(sql<boolean>`j.status in ('pending', 'sending')`)
    .where('j.available_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('provider_pauses as p')
            .select('p.app_id')
            .whereRef('p.app_id', '=', 'j.app_id')
            .whereRef('p.provider', '=', 'j.provider'),
        ),
      ),
    )
    .orderBy('j.available_at')
    .limit(options.limit);
  if (engineOf(db) === 'postgres') due = due.forUpdate().skipLocked();
  const jobs = await db
    .updateTable('push_jobs')
    .set({
      status: 'sending',
      attempts: sql`attempts + 1`,
      available_at: now + options.leaseMs,
      lease_owner: options.workerId ?? null,
      updated_at: now,
    })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return { jobs, now };
}

/** A claimed job, fenced by the attempt it was claimed for. */
export interface HeldJob {
  id: string;
  attempts: number;
}

/** Extends this worker's leases on jobs still sending; returns the ids it still holds. */
export async function renewPushLeases(
  db: PushDb,
  workerId: string,
  jobs: readonly HeldJob[],
  leaseMs: number,
  now: LeaseTime,
): Promise<string[]> {
  if (jobs.length === 0) return [];
  const end = (await readLeaseTime(db, now)) + leaseMs;
  const rows = await db
    .updateTable('push_jobs')
    .set({ available_at: end })
    .where(
      'id',
      'in',
      jobs.map((job) => job.id),
    )
    .where('lease_owner', '=', workerId)
    .where(sql<boolean>`status = 'sending'`)
    .returning(['id', 'attempts'])
    .execute();
  const fenced = new Map(jobs.map((job) => [job.id, job.attempts]));
  return rows.filter((row) => fenced.get(row.id) === row.attempts).map((row) => row.id);
}

/**
 * PostgreSQL: jobs leased by workers whose liveness lock is free (their process died) fall due now
 * rather than when their lease runs out. Never this worker's own. SQLite has one worker: nothing to do.
 */
export async function takeOverPushLeasesOfStoppedWorkers(db: PushDb, workerId: string): Promise<number> {
  if (engineOf(db) === 'sqlite') return 0;
  const now = await readLeaseTime(db, 'database');
  const result = await sql`
    update push_jobs set available_at = ${now}
    where status = 'sending' and available_at > ${now} and lease_owner in (
      select owner from (select distinct lease_owner as owner from push_jobs where status = 'sending' and available_at > ${now}) held
      where owner <> ${workerId} and ${sql.raw(workerHasStopped('held.owner'))})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Shutdown: jobs claimed but never sent go back at once, their attempt not counted, instead of
 * waiting out their lease.
 */
export async function releasePushClaims(db: PushDb, workerId: string, jobs: readonly HeldJob[], now: LeaseTime): Promise<number> {
  if (jobs.length === 0) return 0;
  const at = await readLeaseTime(db, now);
  let released = 0;
  for (const job of jobs) {
    const result = await db
      .updateTable('push_jobs')
      .set({ status: 'pending', available_at: at, lease_owner: null, attempts: sql`attempts - 1`, updated_at: at })
      .where('id', '=', job.id)
      .where('attempts', '=', job.attempts)
      .where('lease_owner', '=', workerId)
      .where(sql<boolean>`status = 'sending'`)
      .executeTakeFirst();
    released += Number(result.numUpdatedRows);
  }
  return released;
}

export interface JobUpdate {
  id: string;
  /** The attempt number the worker claimed: a fence against a job re-claimed after its lease ran out. */
  attempts: number;
  status: PushJobStatus;
  availableAt: number;
  finishedAt: number | null;
  lastStatus: number | null;
  lastReason: string | null;
}

/**
 * Writes a batch of outcomes in one statement. PostgreSQL needs the VALUES typed; on SQLite the
 * same casts make the planner scan the whole table instead of probing the primary key, so there
 * the values go in bare. The text is built directly rather than through sql`` fragments: with
 * seven parameters a row, fragment objects were most of the cost of a batch.
 */
export async function applyJobUpdates(db: PushDb, updates: readonly JobUpdate[], now: number): Promise<number> {
  if (updates.length === 0) return 0;
  const postgres = engineOf(db) === 'postgres';
  const params: unknown[] = [];
  const slot = (value: unknown, type?: string): string => {
    params.push(value);
    const placeholder = postgres ? `$${params.length}` : '?';
    return postgres && type ? `cast(${placeholder} as ${type})` : placeholder;
  };
  const rows = updates.map(
    (u) =>
      `(${slot(u.id)}, ${slot(u.attempts, 'integer')}, ${slot(u.status)}, ${slot(u.availableAt, 'bigint')}, ${slot(u.finishedAt, 'bigint')}, ${slot(u.lastStatus, 'integer')}, ${slot(u.lastReason)})`,
  );
  const text = `with v(id, attempts, status, available_at, finished_at, last_status, last_reason) as (values ${rows.join(', ')})
    update push_jobs set status = v.status, available_at = v.available_at, finished_at = v.finished_at, lease_owner = null,
      last_status = v.last_status, last_reason = v.last_reason, updated_at = ${slot(now, 'bigint')}
    from v where push_jobs.id = v.id and push_jobs.attempts = v.attempts and push_jobs.status = 'sending'`;
  const result = await db.executeQuery(CompiledQuery.raw(text, params));
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Replays outcomes from a stopped worker's journal (docs/design.md §Faults). A delivered push is
 * recorded whatever became of its job since — never left to be sent again, expired or superseded;
 * any other outcome only where the job is still the attempt it was (the `attempts` fence).
 */
export async function replayJobUpdates(db: PushDb, updates: readonly JobUpdate[], now: number): Promise<number> {
  const delivered = updates.filter((u) => u.status === 'delivered');
  let written = await applyJobUpdates(
    db,
    updates.filter((u) => u.status !== 'delivered'),
    now,
  );
  for (const update of delivered) {
    const result = await db
      .updateTable('push_jobs')
      .set({
        status: 'delivered',
        finished_at: update.finishedAt,
        lease_owner: null,
        last_status: update.lastStatus,
        last_reason: update.lastReason,
        updated_at: now,
      })
      .where('id', '=', update.id)
      .where('status', 'in', ['pending', 'sending', 'expired', 'superseded'])
      .executeTakeFirst();
    written += Number(result.numUpdatedRows);
  }
  return written;
}

/** On time or not at all: waiting jobs past their deadline (for example of a paused app) end as expired. */
export async function expireOverdueJobs(db: PushDb, now: number): Promise<number> {
  const result = await db
    .updateTable('push_jobs')
    .set({ status: 'expired', finished_at: now, updated_at: now, last_reason: sql`coalesce(last_reason, 'deadline passed')` })
    .where(sql<boolean>`status = 'pending'`)
    .where('deliver_by', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function listJobsOfMessages(db: PushDb, messageIds: readonly string[]): Promise<PushJobRow[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('push_jobs').selectAll().where('message_id', 'in', messageIds).orderBy('created_at').execute();
}

export async function countJobsByStatus(db: PushDb): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('push_jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/** Up to `limit` finished jobs created before `before`, found through the time-sortable primary key. */
export async function deleteFinishedJobsBefore(db: PushDb, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('push_jobs')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('push_jobs')
        .select('id')
        .where('id', '<', sortableIdFloor('psh', before))
        .where(sql<boolean>`status not in ('pending', 'sending')`)
        .orderBy('id')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
