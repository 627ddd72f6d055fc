import { sql, type Updateable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { NewTicket, Ticket, TicketTable } from '../schema.js';
import { TicketState } from '../../../contract/ticket-states.js';
import { engineOf } from '../../../platform/db/engine-of.js';

/** States that hold a place in the line. */
export const WAITING_STATES = [TicketState.BOOKED, TicketState.TO_CONFIRM, TicketState.ALERTED];

export function insertTicket(db: QueueDb, ticket: NewTicket): Promise<unknown> {
  return db.insertInto('tickets').values(ticket).execute();
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
export async function updateTicketIfVersion(db: QueueDb, ticketId: string, version: number, changes: Updateable<TicketTable>): Promise<boolean> {
  const result = await db.updateTable('tickets').set(changes).where('id', '=', ticketId).where('version', '=', version).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The next ticket for a counter: FIFO across the queues it serves, an appointment never before its
 * time and first once due. On PostgreSQL the row is locked and rows other counters are calling
 * right now are skipped, so concurrent calls get different tickets; SQLite has a single writer.
 */
export function findNextWaitingTicket(db: QueueDb, queueIds: string[], now: number): Promise<Ticket | undefined> {
  const query = db.selectFrom('tickets').selectAll()
    .where('queue_id', 'in', queueIds)
    .where('state', 'in', WAITING_STATES)
    .where((eb) => eb.or([eb('is_appointment', '=', 0), eb('booked_for', '<=', now)]))
    .orderBy(sql`CASE WHEN is_appointment = 1 THEN 0 ELSE 1 END`)
    .orderBy(sql`COALESCE(booked_for, booked_at)`)
    .orderBy('booked_at').orderBy('label_number').orderBy('id')
    .limit(1);
  return (engineOf(db) === 'postgres' ? query.forUpdate().skipLocked() : query).executeTakeFirst();
}

/** Waiting tickets ahead of one in the given queues: booked earlier (ties broken by label number, then id). */
export async function countWaitingAhead(db: QueueDb, queueIds: string[], bookedAt: number, labelNumber: number, ticketId: string): Promise<{ tickets: number; people: number }> {
  const row = await db.selectFrom('tickets')
    .select((eb) => [eb.fn.countAll<number>().as('tickets'), eb.fn.coalesce(eb.fn.sum<number>('group_size'), sql<number>`0`).as('people')])
    .where('queue_id', 'in', queueIds)
    .where('state', 'in', WAITING_STATES)
    .where('is_appointment', '=', 0)
    .where((eb) => eb.or([
      eb('booked_at', '<', bookedAt),
      eb.and([eb('booked_at', '=', bookedAt), eb.or([eb('label_number', '<', labelNumber), eb.and([eb('label_number', '=', labelNumber), eb('id', '<', ticketId)])])]),
    ]))
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
  let query = db.selectFrom('tickets').selectAll()
    .where('company_id', '=', search.companyId)
    .where('queue_id', 'in', search.queueIds);
  if (search.states?.length) query = query.where('state', 'in', search.states);
  if (search.from !== undefined) query = query.where('booked_at', '>=', search.from);
  if (search.to !== undefined) query = query.where('booked_at', '<', search.to);
  if (search.text) {
    const text = search.text;
    query = query.where((eb) => eb.or([
      eb(eb.fn('upper', ['label']), 'like', `${text.toUpperCase()}%`),
      eb(eb.fn('lower', ['name']), 'like', `%${text.toLowerCase()}%`),
      eb('phone', 'like', `${text}%`),
    ]));
  }
  return query.orderBy('booked_at').orderBy('label_number').orderBy('id').limit(search.limit).execute();
}
