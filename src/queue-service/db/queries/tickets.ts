import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type Updateable } from 'kysely';
import { isTicketStateCode } from '../../../contract/ticket-states.js';
import type { QueueDb } from '../types.js';
import type { NewTicket, QueueServiceSchema, Ticket, TicketTable } from '../schema.js';
import { engineOf } from '../../../platform/db/engine-of.js';
import { insertRow, prepared, preparedPer, updateRows, type Placeholders } from '../../../platform/db/prepared.js';

export function insertTicket(db: QueueDb, ticket: NewTicket): Promise<unknown> {
  return insertRow(db, 'tickets', ticket);
}

export function findTicketForCompany(db: QueueDb, companyId: string, ticketId: string): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('company_id', '=', companyId).executeTakeFirst();
}

export function findTicketForUser(db: QueueDb, userId: string, ticketId: string): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst();
}

export function listTicketsForUser(db: QueueDb, userId: string, limit = 100): Promise<Ticket[]> {
  return db.selectFrom('tickets').selectAll().where('user_id', '=', userId).orderBy('booked_at', 'desc').limit(limit).execute();
}

/**
 * Writes a change only if nobody changed the ticket since it was read (optimistic concurrency):
 * two desks acting on one ticket cannot both win. Returns whether the row was updated.
 */
export async function updateTicketIfVersion(
  db: QueueDb,
  ticketId: string,
  version: number,
  changes: Updateable<TicketTable>,
): Promise<boolean> {
  return (await updateRows(db, 'tickets', changes, { id: ticketId, version })) > 0n;
}

/**
 * Predicates of the partial indexes tickets_fifo_line and tickets_appointment_line. They are
 * literal SQL, not bound parameters: a planner only uses a partial index when the query repeats
 * its predicate with the same constants.
 */
const IN_FIFO_LINE = sql<boolean>`state in (0, 50, 100) and is_appointment = 0`;
const IN_APPOINTMENT_LINE = sql<boolean>`state in (0, 50, 100) and is_appointment = 1`;

/**
 * The next ticket for a counter (docs/design.md §Moving tickets): a priority walk-in first, then an
 * appointment once due (never before its time), else FIFO across the queues the counter serves, in
 * line order. A waiting ticket kept for another counter is skipped. One index lookup per queue
 * reads only each line's head. On PostgreSQL the heads are locked and rows another counter is
 * calling right now are skipped, so concurrent calls get different tickets; SQLite has a single writer.
 */
export async function findNextWaitingTicket(db: QueueDb, queueIds: string[], endpointId: string, now: number): Promise<Ticket | undefined> {
  const priorityHeads: Ticket[] = [];
  const dueHeads: Ticket[] = [];
  const fifoHeads: Ticket[] = [];
  for (const queueId of queueIds) {
    // The line's head is a priority ticket whenever the line holds one.
    const fifoHead = await FIFO_HEAD_FOR_COUNTER.first(db, { queueId, endpointId });
    if (fifoHead?.priority === 1) {
      priorityHeads.push(fifoHead);
      continue;
    }
    const dueHead = await DUE_APPOINTMENT_FOR_COUNTER.first(db, { queueId, endpointId, now });
    if (dueHead) dueHeads.push(dueHead);
    else if (fifoHead) fifoHeads.push(fifoHead);
  }
  if (priorityHeads.length > 0) return earliest(priorityHeads, (t) => [t.line_at, t.label_number]);
  if (dueHeads.length > 0) return earliest(dueHeads, (t) => [t.booked_for ?? 0, t.booked_at]);
  return earliest(fifoHeads, (t) => [t.line_at, t.label_number]);
}

/** Prepared (every call next runs both per queue); on PostgreSQL the row is locked, skipping locked ones. */
const FIFO_HEAD_FOR_COUNTER = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string; endpointId: string }>) => {
  const head = inLineOrder(db.selectFrom('tickets').selectAll().where('queue_id', '=', p.queueId).where(IN_FIFO_LINE))
    .where(forThisCounter(p.endpointId))
    .limit(1);
  return engineOf(db) === 'postgres' ? head.forUpdate().skipLocked() : head;
});

const DUE_APPOINTMENT_FOR_COUNTER = prepared(
  (db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string; endpointId: string; now: number }>) => {
    const due = db
      .selectFrom('tickets')
      .selectAll()
      .where('queue_id', '=', p.queueId)
      .where(IN_APPOINTMENT_LINE)
      .where('booked_for', '<=', p.now)
      .where(forThisCounter(p.endpointId))
      .orderBy('booked_for')
      .limit(1);
    return engineOf(db) === 'postgres' ? due.forUpdate().skipLocked() : due;
  },
);

/** Tickets any counter may call, and those kept for this one. */
function forThisCounter(endpointId: string) {
  return (eb: ExpressionBuilder<QueueServiceSchema, 'tickets'>) =>
    eb.or([eb('for_endpoint_id', 'is', null), eb('for_endpoint_id', '=', endpointId)]);
}

/** FIFO line order (index tickets_fifo_line): priority first, then place in line, label number, id. */
function inLineOrder<O>(query: SelectQueryBuilder<QueueServiceSchema, 'tickets', O>): SelectQueryBuilder<QueueServiceSchema, 'tickets', O> {
  return query.orderBy('priority', 'desc').orderBy('line_at').orderBy('label_number').orderBy('id');
}

function earliest(tickets: Ticket[], key: (ticket: Ticket) => [number, number]): Ticket | undefined {
  return tickets.reduce<Ticket | undefined>((best, ticket) => {
    if (!best) return ticket;
    const [a1, a2] = key(ticket);
    const [b1, b2] = key(best);
    return a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && ticket.id < best.id))) ? ticket : best;
  }, undefined);
}

/** Where a FIFO ticket stands in its line: what line order compares. */
export type LineSpot = Pick<Ticket, 'id' | 'priority' | 'line_at' | 'label_number'>;

/** Waiting FIFO tickets ahead of one in the given queues, in line order (priority, place in line, label number, id). */
export async function countWaitingAhead(db: QueueDb, queueIds: string[], spot: LineSpot): Promise<{ tickets: number; people: number }> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => [eb.fn.countAll<number>().as('tickets'), eb.fn.coalesce(eb.fn.sum<number>('group_size'), sql<number>`0`).as('people')])
    .where('queue_id', 'in', queueIds)
    .where(IN_FIFO_LINE)
    .where((eb) =>
      eb.or([
        eb('priority', '>', spot.priority),
        eb.and([
          eb('priority', '=', spot.priority),
          eb.or([
            eb('line_at', '<', spot.line_at),
            eb.and([
              eb('line_at', '=', spot.line_at),
              eb.or([
                eb('label_number', '<', spot.label_number),
                eb.and([eb('label_number', '=', spot.label_number), eb('id', '<', spot.id)]),
              ]),
            ]),
          ]),
        ]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return { tickets: Number(row.tickets), people: Number(row.people) };
}

export interface TicketSearch {
  companyId: string;
  queueIds: string[];
  states?: number[];
  /** Matches label, name or phone (prefix for labels and phones, substring for names). */
  text?: string;
  from?: number;
  to?: number;
  limit: number;
}

export function searchTickets(db: QueueDb, search: TicketSearch): Promise<Ticket[]> {
  let query = db.selectFrom('tickets').selectAll().where('company_id', '=', search.companyId).where('queue_id', 'in', search.queueIds);
  if (search.states?.length) {
    // A filter may name codes no ticket can have: they match nothing.
    const states = search.states.filter(isTicketStateCode);
    if (states.length === 0) return Promise.resolve([]);
    query = query.where('state', 'in', states);
  }
  if (search.from !== undefined) query = query.where('booked_at', '>=', search.from);
  if (search.to !== undefined) query = query.where('booked_at', '<', search.to);
  if (search.text) {
    const text = search.text;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('upper', ['label']), 'like', `${text.toUpperCase()}%`),
        eb(eb.fn('lower', ['name']), 'like', `%${text.toLowerCase()}%`),
        eb('phone', 'like', `${text}%`),
      ]),
    );
  }
  return query.orderBy('booked_at').orderBy('label_number').orderBy('id').limit(search.limit).execute();
}

/** A waiting FIFO ticket as the line sees it: enough to count who is ahead of whom. */
export interface LineEntry extends LineSpot {
  queue_id: string;
  state: number;
  group_size: number;
}

const LINE_COLUMNS = ['id', 'queue_id', 'state', 'group_size', 'priority', 'line_at', 'label_number'] as const;

/** Line order: priority first, then place in line, label number, id (as countWaitingAhead counts). */
export function compareLineOrder(a: LineSpot, b: LineSpot): number {
  return b.priority - a.priority || a.line_at - b.line_at || a.label_number - b.label_number || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The first `limit` waiting FIFO tickets of each queue (one index range each), whole, merged in line order. */
export async function fifoLineHeads(db: QueueDb, queueIds: string[], limit: number): Promise<Ticket[]> {
  const heads: Ticket[] = [];
  for (const queueId of queueIds) heads.push(...(await lineHeadsUpTo(limit).rows(db, { queueId })));
  return heads.sort(compareLineOrder);
}

/** Prepared per limit (the limit is in the SQL, platform/db/sqlite-literal-limits.ts): every change near a line's head reads them. */
const lineHeadsUpTo = preparedPer(prepareLineHeads);

function prepareLineHeads(limit: number) {
  return prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string }>) =>
    inLineOrder(db.selectFrom('tickets').selectAll().where('queue_id', '=', p.queueId).where(IN_FIFO_LINE)).limit(limit),
  );
}

/** The latest place taken in a queue's FIFO line (its tail's line_at), or null when nobody waits. */
export async function lastPlaceInLine(db: QueueDb, queueId: string): Promise<number | null> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('line_at').as('last'))
    .where('queue_id', '=', queueId)
    .where(IN_FIFO_LINE)
    .executeTakeFirst();
  return row?.last == null ? null : Number(row.last);
}

/** Every waiting FIFO ticket of the queues in line order: the positions of a whole line in one read. */
export async function fifoLineOf(db: QueueDb, queueIds: string[]): Promise<LineEntry[]> {
  if (queueIds.length === 0) return [];
  return inLineOrder(db.selectFrom('tickets').select(LINE_COLUMNS).where('queue_id', 'in', queueIds).where(IN_FIFO_LINE)).execute();
}

/**
 * Those of `tickets` (read earlier in this transaction) not changed since, fresh. On PostgreSQL
 * they are locked, and those another transaction is changing right now are skipped rather than
 * waited for: an automatic change never blocks (nor deadlocks) the operator action that triggered
 * it, and the other transaction evaluates them itself. On SQLite, the single writer, nobody else
 * changed them since they were read.
 */
export async function lockUnchangedTickets(db: QueueDb, tickets: Ticket[]): Promise<Ticket[]> {
  if (tickets.length === 0 || engineOf(db) !== 'postgres') return tickets;
  const rows = await db
    .selectFrom('tickets')
    .selectAll()
    .where(
      'id',
      'in',
      tickets.map((ticket) => ticket.id),
    )
    .forUpdate()
    .skipLocked()
    .execute();
  const readVersion = new Map(tickets.map((ticket) => [ticket.id, ticket.version]));
  return rows.filter((row) => readVersion.get(row.id) === row.version);
}

/** The tickets a counter has called or is serving now (index tickets_endpoint_state), oldest call first. */
export function currentTicketsOfEndpoint(db: QueueDb, endpointId: string): Promise<Ticket[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('state', 'in', [200, 500])
    .orderBy('called_at')
    .orderBy('id')
    .execute();
}

export function findTicket(db: QueueDb, ticketId: string): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
}

/** The settings JSON of several queues (automatic alerts read each line's threshold). */
export async function settingsOfQueues(db: QueueDb, queueIds: string[]): Promise<Map<string, string>> {
  if (queueIds.length === 0) return new Map();
  const rows = await db.selectFrom('queues').select(['id', 'settings']).where('id', 'in', queueIds).execute();
  return new Map(rows.map((row) => [row.id, row.settings]));
}

/** Stores a rating unless the ticket was rated or changed meanwhile; returns whether it did. */
export async function rateTicketOnce(
  db: QueueDb,
  ticketId: string,
  version: number,
  rating: number,
  comment: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('tickets')
    .set({ rating, rating_comment: comment })
    .where('id', '=', ticketId)
    .where('version', '=', version)
    .where('rating', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Call-next takes turns per queue on PostgreSQL (transaction-scoped advisory locks, in id order so
 * two counters never wait for each other in a circle). Without it, a counter skipping the rows
 * another call is locking — its head, and the tickets that call is alerting — could call out of
 * order or find the line empty. SQLite has a single writer.
 */
export async function takeCallTurn(db: QueueDb, queueIds: string[]): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  for (const queueId of [...queueIds].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${`call-next:${queueId}`}))`.execute(db);
  }
}

/** Whether some ticket of the queues is callable now, locked or not (call-next found none it could lock). */
export async function hasCallableTicket(db: QueueDb, queueIds: string[], endpointId: string, now: number): Promise<boolean> {
  if (queueIds.length === 0) return false;
  const row = await db
    .selectFrom('tickets')
    .select('id')
    .where('queue_id', 'in', queueIds)
    .where((eb) => eb.or([IN_FIFO_LINE, eb.and([IN_APPOINTMENT_LINE, eb('booked_for', '<=', now)])]))
    .where(forThisCounter(endpointId))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who holds tickets: a user, a phone number or an e-mail address (each has an index: migrations 0001, 0006, 0020). */
export type TicketHolder = { column: 'user_id' | 'phone' | 'mail'; value: string };

/**
 * How many open tickets (waiting, called or on hold: state below 400, the predicate of the partial
 * indexes, verbatim) the holder has in a queue, counting no further than `upTo`.
 */
export async function countOpenTicketsOfHolder(db: QueueDb, queueId: string, holder: TicketHolder, upTo: number): Promise<number> {
  const row = await OPEN_TICKETS_OF_HOLDER[holder.column](upTo).one(db, { queueId, value: holder.value });
  return Number(row.n);
}

/**
 * Prepared, one per holder column and limit: every booking under a fair-use limit runs one to
 * three of them. The limit is part of the SQL, not a parameter (platform/db/sqlite-literal-limits.ts);
 * a company has a handful of distinct limits.
 */
const OPEN_TICKETS_OF_HOLDER = {
  user_id: preparedPer((upTo: number) => prepareOpenTicketCount('user_id', upTo)),
  phone: preparedPer((upTo: number) => prepareOpenTicketCount('phone', upTo)),
  mail: preparedPer((upTo: number) => prepareOpenTicketCount('mail', upTo)),
};

function prepareOpenTicketCount(column: TicketHolder['column'], upTo: number) {
  return prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string; value: string }>) =>
    db
      .selectFrom((inner) =>
        inner
          .selectFrom('tickets')
          .select(sql.lit(1).as('one'))
          .where(column, '=', p.value)
          // SQLite, without statistics, would take the (queue_id, state) index over a phone's or an
          // address's own and walk every open ticket of the queue; `+queue_id` leaves it the
          // holder's index, one probe. The users' index (user_id, queue_id, state) it takes by
          // itself, and counts on it alone (test/queue-service/db/index-plans.test.ts).
          .where(engineOf(db) === 'sqlite' && column !== 'user_id' ? sql.raw('+queue_id') : sql.ref('queue_id'), '=', p.queueId)
          .where(sql<boolean>`state < 400`)
          .limit(upTo)
          .as('open'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n')),
  );
}

/** The holder's oldest open ticket in a queue. */
export function findOldestOpenTicketOfHolder(db: QueueDb, queueId: string, holder: TicketHolder): Promise<Ticket | undefined> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where(holder.column, '=', holder.value)
    .where('queue_id', '=', queueId)
    .where(sql<boolean>`state < 400`)
    .orderBy('booked_at')
    .limit(1)
    .executeTakeFirst();
}

/** Personal fields of a ticket (docs/design.md §Retention); what stays — states, times, labels — feeds the statistics. */
const ERASED_TICKET_FIELDS = {
  name: null,
  phone: null,
  mail: null,
  push_id: null,
  rating_comment: null,
  send_push: 0,
  send_sms: 0,
  send_mail: 0,
} as const;

/**
 * Erases the personal fields of these tickets of one company and moves their version on: a change
 * that read one before runs again (a CONFLICT) instead of writing the old values into a message.
 * Only the unit of work calls it (tickets/unit-of-work.ts). Returns the tickets erased now.
 */
export async function eraseTicketsPersonalData(db: QueueDb, companyId: string, ticketIds: string[], now: number): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const result = await db
    .updateTable('tickets')
    .set((eb) => ({ ...ERASED_TICKET_FIELDS, personal_data_erased_at: now, version: eb('version', '+', 1) }))
    .where('company_id', '=', companyId)
    .where('id', 'in', ticketIds)
    .where('personal_data_erased_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The ids of a person's tickets whose data is still there. */
export async function ticketIdsOfUser(db: QueueDb, companyId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('personal_data_erased_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/** Up to `limit` ended tickets (canceled, done) last changed before `before` whose data is still there (index tickets_to_purge). */
export async function endedTicketsToPurge(db: QueueDb, companyId: string, before: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('company_id', '=', companyId)
    .where('updated_at', '<', before)
    .where(sql<boolean>`personal_data_erased_at is null and state in (600, 700)`)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
