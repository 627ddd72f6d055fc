import { sql } from 'kysely';
import type { QueueDb } from '../types.js';

export interface WaitingCounts { tickets: number; people: number }

/**
 * Adds to a queue's waiting counters (negative to remove) and returns them after the change.
 * The upsert creates the row on the queue's first ticket.
 */
export async function adjustWaitingCounters(db: QueueDb, queueId: string, appointment: boolean, tickets: number, people: number): Promise<WaitingCounts> {
  const [ticketColumn, peopleColumn] = appointment ? ['appointment_tickets', 'appointment_people'] as const : ['fifo_tickets', 'fifo_people'] as const;
  const row = await db.insertInto('queue_counters')
    .values({ queue_id: queueId, fifo_tickets: 0, fifo_people: 0, appointment_tickets: 0, appointment_people: 0, [ticketColumn]: tickets, [peopleColumn]: people })
    .onConflict((oc) => oc.column('queue_id').doUpdateSet({
      [ticketColumn]: sql<number>`queue_counters.${sql.ref(ticketColumn)} + ${tickets}`,
      [peopleColumn]: sql<number>`queue_counters.${sql.ref(peopleColumn)} + ${people}`,
    }))
    .returning([`${ticketColumn} as tickets`, `${peopleColumn} as people`])
    .executeTakeFirstOrThrow();
  return { tickets: Number(row.tickets), people: Number(row.people) };
}

/** Waiting tickets and people (FIFO and appointments) of one queue. */
export async function waitingCountsOfQueue(db: QueueDb, queueId: string): Promise<WaitingCounts> {
  const row = await db.selectFrom('queue_counters').selectAll().where('queue_id', '=', queueId).executeTakeFirst();
  return row ? { tickets: row.fifo_tickets + row.appointment_tickets, people: row.fifo_people + row.appointment_people } : { tickets: 0, people: 0 };
}

/** FIFO tickets and people waiting across several queues (a counter's line). */
export async function fifoCountsOfQueues(db: QueueDb, queueIds: string[]): Promise<WaitingCounts> {
  const row = await db.selectFrom('queue_counters')
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('fifo_tickets'), sql<number>`0`).as('tickets'), eb.fn.coalesce(eb.fn.sum<number>('fifo_people'), sql<number>`0`).as('people')])
    .where('queue_id', 'in', queueIds)
    .executeTakeFirstOrThrow();
  return { tickets: Number(row.tickets), people: Number(row.people) };
}
