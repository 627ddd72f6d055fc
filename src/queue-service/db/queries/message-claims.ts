/**
 * How dispatchers take messages and give them back (docs/design.md §Delivery). Claims are the only place
 * where the engines really differ:
 * - PostgreSQL: due candidates are locked `FOR UPDATE SKIP LOCKED`, so concurrent workers take
 *   different rows; then one transaction-scoped advisory lock per lane (ticket × destination), so
 *   only one worker at a time decides about a lane; then the lanes are read again — after the lock,
 *   hence after any other worker's claim in them committed — and planned by the caller's `plan`
 *   (the dispatcher's lane rules).
 * - SQLite: one process owns the file and runs one write transaction at a time (BEGIN IMMEDIATE),
 *   so the same reads and writes are already serial.
 * A claim is a lease: `lease_owner` plus `next_attempt_at` set to the lease's end, after which the
 * message is due again for anyone (its worker died or hung). The holder renews it while the message
 * is in flight (`renewLeases`); on PostgreSQL a lease whose holder's liveness lock is free is due at
 * once (`takeOverLeasesOfStoppedWorkers`), and leases are stamped and judged by the database's clock
 * (`now: 'database'`), so a worker whose clock runs ahead cannot take over a live one
 * (docs/design.md §Workers).
 */
import { beginImmediate } from '../../../platform/db/sqlite-begin.js';
import { sql } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { engineOf } from '../../../platform/db/engine-of.js';
import { workerHasStopped } from '../../../platform/workers/liveness.js';
import { readLeaseTime as readTime, type LeaseTime } from '../../../platform/db/lease-time.js';
import type { Message, MessageStatus, QueueServiceSchema } from '../schema.js';
import type { QueueDb } from '../types.js';

/** What a claim reads of each message in a lane (one ticket's messages to one destination). */
export interface LaneRow {
  id: string;
  ticket_id: string;
  channel: string;
  destination_id: string | null;
  ticket_version: number;
  status: MessageStatus;
  /** For a delivering message: when its lease ends. */
  next_attempt_at: number;
  deliver_by: number;
}

/** What a claim does to the lanes it locked. */
export interface LanePlan {
  claim: string[];
  supersede: string[];
  expire: string[];
  /** Lanes whose newest message is due but waits for an older one on the wire: worth a claim when that one settles. */
  held: number;
}

/** The lane of a message, and the key of its advisory lock. */
export function laneKey(row: Pick<LaneRow, 'ticket_id' | 'channel' | 'destination_id'>): string {
  return `${row.ticket_id}|${row.channel}|${row.destination_id ?? ''}`;
}

export interface ClaimRequest {
  workerId: string;
  now: LeaseTime;
  limit: number;
  leaseMs: number;
  /** Destinations not to claim for now (breaker open, at capacity): only their expired messages are taken, to expire them. */
  excludeDestinations: string[];
  /** The same for the SMS and e-mail channels. */
  excludeChannels: string[];
  /** Decides about the locked lanes: `rows` are all their messages, `claimable` the due ones this claim holds. */
  plan(rows: LaneRow[], now: number, claimable: ReadonlySet<string>): LanePlan;
}

/** A claim with its time read. */
type TimedClaim = ClaimRequest & { now: number };

export interface ClaimResult {
  claimed: Message[];
  superseded: number;
  expired: number;
  /** Due messages found (before lane rules); as many as the limit means more may be due. */
  candidates: number;
  /** Lanes whose next message waits for one on the wire. */
  held: number;
}

const NONE: ClaimResult = { claimed: [], superseded: 0, expired: 0, candidates: 0, held: 0 };

export function claimDueMessages(
  database: Pick<Database<QueueServiceSchema>, 'db' | 'engine'>,
  requested: ClaimRequest,
): Promise<ClaimResult> {
  return ownTransaction(database, async (trx) => {
    const request = { ...requested, now: await readTime(trx, requested.now) };
    const candidates = await selectDueCandidates(trx, request);
    if (candidates.length === 0) return NONE;
    const lanes = await lockLanes(trx, [...new Set(candidates.map(laneKey))]);
    const mine = candidates.filter((row) => lanes.has(laneKey(row)));
    if (mine.length === 0) return { ...NONE, candidates: candidates.length };
    const rows = (await selectLaneRows(trx, [...new Set(mine.map((row) => row.ticket_id))])).filter((row) => lanes.has(laneKey(row)));
    const plan = request.plan(rows, request.now, new Set(mine.map((row) => row.id)));
    const superseded = await closeActive(trx, plan.supersede, 'superseded', null, request.now);
    const expired = await closeActive(trx, plan.expire, 'expired', 'deadline passed before delivery', request.now);
    const claimed =
      plan.claim.length === 0
        ? []
        : await trx
            .updateTable('messages')
            .set({
              status: 'delivering',
              lease_owner: request.workerId,
              lease_expires_at: request.now + request.leaseMs,
              next_attempt_at: request.now + request.leaseMs,
            })
            .where('id', 'in', plan.claim)
            .returningAll()
            .execute();
    return { claimed, superseded, expired, candidates: candidates.length, held: plan.held };
  });
}

/**
 * A claim is on the latency path from a commit to the receiver, so on SQLite it takes the writer
 * for its own short transaction (BEGIN IMMEDIATE, like the group commit) instead of joining the
 * next group-commit batch, whose result would wait for every booking in that batch.
 */
function ownTransaction<T>(database: Pick<Database<QueueServiceSchema>, 'db' | 'engine'>, work: (trx: QueueDb) => Promise<T>): Promise<T> {
  if (database.engine === 'postgres') return database.db.transaction().execute(work);
  return database.db.connection().execute(async (connection) => {
    await beginImmediate((query) => connection.executeQuery(query));
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    }
  });
}

type Candidate = Pick<Message, 'id' | 'ticket_id' | 'channel' | 'destination_id'>;

function selectDueCandidates(trx: QueueDb, request: TimedClaim): Promise<Candidate[]> {
  let query = trx
    .selectFrom('messages')
    .select(['id', 'ticket_id', 'channel', 'destination_id'])
    // Verbatim predicate of the partial index messages_active_due (migration 0002).
    .where(sql<boolean>`status in ('pending', 'delivering')`)
    .where('next_attempt_at', '<=', request.now);
  const { excludeDestinations, excludeChannels, now } = request;
  if (excludeDestinations.length > 0) {
    query = query.where((eb) =>
      eb.or([eb('destination_id', 'is', null), eb('destination_id', 'not in', excludeDestinations), eb('deliver_by', '<=', now)]),
    );
  }
  if (excludeChannels.length > 0) {
    query = query.where((eb) => eb.or([eb('channel', 'not in', excludeChannels as Message['channel'][]), eb('deliver_by', '<=', now)]));
  }
  query = query.orderBy('next_attempt_at').limit(request.limit);
  return engineOf(trx) === 'postgres' ? query.forUpdate().skipLocked().execute() : query.execute();
}

/** The lanes this transaction may decide about; on PostgreSQL the others belong to a concurrent claim for now. */
async function lockLanes(trx: QueueDb, keys: string[]): Promise<Set<string>> {
  if (engineOf(trx) === 'sqlite') return new Set(keys);
  const { rows } = await sql<{ key: string }>`
    select key from unnest(${keys}::text[]) as key
    where pg_try_advisory_xact_lock(hashtextextended('queuebell-lane:' || key, 0))`.execute(trx);
  return new Set(rows.map((row) => row.key));
}

function selectLaneRows(trx: QueueDb, ticketIds: string[]): Promise<LaneRow[]> {
  return trx
    .selectFrom('messages')
    .select(['id', 'ticket_id', 'channel', 'destination_id', 'ticket_version', 'status', 'next_attempt_at', 'deliver_by'])
    .where('ticket_id', 'in', ticketIds)
    .execute();
}

/** Ends active messages nobody holds: pending ones, or delivering ones whose lease ran out. */
async function closeActive(trx: QueueDb, ids: string[], status: MessageStatus, error: string | null, now: number): Promise<number> {
  if (ids.length === 0) return 0;
  let mine = trx
    .selectFrom('messages')
    .select('id')
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'delivering'), eb('next_attempt_at', '<=', now)])]));
  // A row another worker locked as its candidate is left for the next round rather than waited for.
  if (engineOf(trx) === 'postgres') mine = mine.forUpdate().skipLocked();
  const result = await trx
    .updateTable('messages')
    .set({ status, last_error: error, lease_owner: null, lease_expires_at: null })
    .where('id', 'in', mine)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How one claimed message ends its attempt. */
export interface Settlement {
  id: string;
  status: MessageStatus;
  /** For `pending`: when to try again. */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  /** An attempt was made (attempt_count grows). */
  attempted: boolean;
}

/**
 * Writes the settlements of this worker's claims; a message whose lease another worker took over
 * meanwhile is left alone — except that a delivery outranks a supersede or expiry made while its
 * outcome waited for the database (the receiver has it). Returns how many were written.
 */
export async function settleClaims(db: QueueDb, workerId: string, settlements: Settlement[]): Promise<number> {
  if (settlements.length === 0) return 0;
  if (engineOf(db) === 'postgres') {
    const { rows } = await sql<{ id: string }>`
      update messages m set status = u.status, next_attempt_at = coalesce(u.next_attempt_at, m.next_attempt_at),
        delivered_at = u.delivered_at, last_error = u.last_error, attempt_count = m.attempt_count + u.attempted,
        lease_owner = null, lease_expires_at = null
      from unnest(${settlements.map((s) => s.id)}::text[], ${settlements.map((s) => s.status)}::text[],
        ${settlements.map((s) => s.nextAttemptAt)}::bigint[], ${settlements.map((s) => s.deliveredAt)}::bigint[],
        ${settlements.map((s) => s.lastError)}::text[], ${settlements.map((s) => (s.attempted ? 1 : 0))}::int[])
        as u(id, status, next_attempt_at, delivered_at, last_error, attempted)
      where m.id = u.id and (m.lease_owner = ${workerId} and m.status = 'delivering'
        or u.status = 'delivered' and m.status in ('superseded', 'expired'))
      returning m.id`.execute(db);
    return rows.length;
  }
  // SQLite: one statement per group of equal settlements — in a batch nearly all are "delivered now".
  let written = 0;
  for (const group of groupEqual(settlements)) {
    const [first] = group;
    const result = await db
      .updateTable('messages')
      .set((eb) => ({
        status: first!.status,
        next_attempt_at: first!.nextAttemptAt ?? eb.ref('next_attempt_at'),
        delivered_at: first!.deliveredAt,
        last_error: first!.lastError,
        attempt_count: eb('attempt_count', '+', first!.attempted ? 1 : 0),
        lease_owner: null,
        lease_expires_at: null,
      }))
      .where(
        'id',
        'in',
        group.map((s) => s.id),
      )
      .where((eb) => {
        const mine = eb.and([eb('lease_owner', '=', workerId), eb('status', '=', 'delivering')]);
        return first!.status === 'delivered' ? eb.or([mine, eb('status', 'in', ['superseded', 'expired'])]) : mine;
      })
      .executeTakeFirst();
    written += Number(result.numUpdatedRows);
  }
  return written;
}

/**
 * Replays settlements from a stopped dispatcher's journal (docs/design.md §Faults). A delivered
 * message is recorded whatever became of it since — it was received, so it is neither sent again nor
 * left superseded or expired; any other settlement only where `workerId` (the journal's writer)
 * still holds the message.
 */
export async function replaySettlements(db: QueueDb, workerId: string, settlements: Settlement[]): Promise<number> {
  const delivered = settlements.filter((s) => s.status === 'delivered');
  let written = await settleClaims(
    db,
    workerId,
    settlements.filter((s) => s.status !== 'delivered'),
  );
  for (const s of delivered) {
    const result = await db
      .updateTable('messages')
      .set((eb) => ({
        status: 'delivered',
        delivered_at: s.deliveredAt,
        last_error: null,
        attempt_count: eb('attempt_count', '+', s.attempted ? 1 : 0),
        lease_owner: null,
        lease_expires_at: null,
      }))
      .where('id', '=', s.id)
      .where('status', 'in', ['pending', 'delivering', 'superseded', 'expired'])
      .executeTakeFirst();
    written += Number(result.numUpdatedRows);
  }
  return written;
}

function groupEqual(settlements: Settlement[]): Settlement[][] {
  const done: Settlement[][] = [];
  const open = new Map<string, Settlement[]>();
  for (const s of settlements) {
    const key = JSON.stringify([s.status, s.nextAttemptAt, s.deliveredAt, s.lastError, s.attempted]);
    let group = open.get(key);
    // 500 ids per statement stays far below SQLite's limit on bound values.
    if (!group || group.length >= 500) {
      group = [];
      open.set(key, group);
      done.push(group);
    }
    group.push(s);
  }
  return done;
}

/**
 * Extends this worker's leases on messages still in flight; returns the ids it still holds (the
 * others were settled meanwhile or taken over).
 */
export async function renewLeases(db: QueueDb, workerId: string, ids: string[], leaseMs: number, now: LeaseTime): Promise<string[]> {
  if (ids.length === 0) return [];
  const end = (await readTime(db, now)) + leaseMs;
  const rows = await db
    .updateTable('messages')
    .set({ lease_expires_at: end, next_attempt_at: end })
    .where('id', 'in', ids)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'delivering')
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * PostgreSQL: leases held by workers whose liveness lock is free (their connection ended: the
 * process died) fall due now rather than when they run out. SQLite has one worker, so nothing to do.
 */
export async function takeOverLeasesOfStoppedWorkers(db: QueueDb, workerId: string): Promise<number> {
  if (engineOf(db) === 'sqlite') return 0;
  const now = await readTime(db, 'database');
  // Never its own: its lock may be away for a moment (a dropped connection being replaced) while it still works.
  const result = await sql`
    update messages set next_attempt_at = ${now}
    where status = 'delivering' and next_attempt_at > ${now} and lease_owner in (
      select owner from (select distinct lease_owner as owner from messages where status = 'delivering' and next_attempt_at > ${now}) held
      where owner <> ${workerId} and ${sql.raw(workerHasStopped('held.owner'))})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Shutdown: claims this worker will not send go back to the pool at once instead of waiting out their lease. */
export async function releaseClaims(db: QueueDb, workerId: string, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('messages')
    .set({ status: 'pending', next_attempt_at: now, lease_owner: null, lease_expires_at: null })
    .where('id', 'in', ids)
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'delivering')
    .execute();
}

/** A route's breaker opened: its waiting messages sleep until the probe, but never past their deadline. */
export async function parkRoute(
  db: QueueDb,
  route: { destinationId: string } | { channel: Message['channel'] },
  until: number,
): Promise<number> {
  const least = engineOf(db) === 'postgres' ? sql<number>`least(${until}::bigint, deliver_by)` : sql<number>`min(${until}, deliver_by)`;
  let query = db
    .updateTable('messages')
    .set({ next_attempt_at: least })
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', until);
  query =
    'destinationId' in route
      ? query.where('destination_id', '=', route.destinationId)
      : query.where('channel', '=', route.channel).where('destination_id', 'is', null);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** A destination was disabled or deleted: what still waits for it fails now rather than at its deadline. */
export async function failWaitingForDestination(db: QueueDb, destinationId: string, error: string): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'failed', last_error: error })
    .where('destination_id', '=', destinationId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
