import { sql, type Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueServiceSchema } from '../schema.js';
import type { QueueDb } from '../types.js';

export interface WaitingCounts {
  tickets: number;
  people: number;
}

type Change = { queueId: string; tickets: number; people: number };

function adjustment(ticketColumn: 'fifo_tickets' | 'appointment_tickets', peopleColumn: 'fifo_people' | 'appointment_people') {
  return prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<Change>) =>
    db
      .insertInto('queue_counters')
      .values({
        queue_id: p.queueId,
        fifo_tickets: 0,
        fifo_people: 0,
        appointment_tickets: 0,
        appointment_people: 0,
        [ticketColumn]: p.tickets,
        [peopleColumn]: p.people,
      })
      .onConflict((oc) =>
        oc.column('queue_id').doUpdateSet({
          [ticketColumn]: sql<number>`queue_counters.${sql.ref(ticketColumn)} + ${p.tickets}`,
          [peopleColumn]: sql<number>`queue_counters.${sql.ref(peopleColumn)} + ${p.people}`,
        }),
      )
      .returning([`${ticketColumn} as tickets`, `${peopleColumn} as people`]),
  );
}

const adjustFifo = adjustment('fifo_tickets', 'fifo_people');
const adjustAppointments = adjustment('appointment_tickets', 'appointment_people');

/**
 * Adds to a queue's waiting counters (negative to remove) and returns them after the change.
 * The upsert creates the row on the queue's first ticket.
 */
export async function adjustWaitingCounters(
  db: QueueDb,
  queueId: string,
  appointment: boolean,
  tickets: number,
  people: number,
): Promise<WaitingCounts> {
  const row = await (appointment ? adjustAppointments : adjustFifo).one(db, { queueId, tickets, people });
  return { tickets: Number(row.tickets), people: Number(row.people) };
}

/** Waiting tickets and people (FIFO and appointments) of one queue. */
export async function waitingCountsOfQueue(db: QueueDb, queueId: string): Promise<WaitingCounts> {
  const row = await db.selectFrom('queue_counters').selectAll().where('queue_id', '=', queueId).executeTakeFirst();
  return row
    ? { tickets: row.fifo_tickets + row.appointment_tickets, people: row.fifo_people + row.appointment_people }
    : { tickets: 0, people: 0 };
}

/** FIFO tickets and people waiting across several queues (a counter's line). */
export async function fifoCountsOfQueues(db: QueueDb, queueIds: string[]): Promise<WaitingCounts> {
  const row = await db
    .selectFrom('queue_counters')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('fifo_tickets'), sql<number>`0`).as('tickets'),
      eb.fn.coalesce(eb.fn.sum<number>('fifo_people'), sql<number>`0`).as('people'),
    ])
    .where('queue_id', 'in', queueIds)
    .executeTakeFirstOrThrow();
  return { tickets: Number(row.tickets), people: Number(row.people) };
}
