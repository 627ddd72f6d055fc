/**
 * Aggregates behind operator indicators, over tickets booked in [from, to). Sums and counts only:
 * averages are divided in code, so several groups can be merged (a counter's row across queues).
 */
import { sql } from 'kysely';
import type { QueueDb } from '../types.js';

/**
 * Every state spelled out: with it, both engines walk tickets_queue_state (queue_id, state,
 * booked_at) by range for each state instead of reading the queue's whole history.
 */
const ANY_STATE = sql<boolean>`state in (0, 50, 100, 200, 300, 400, 500, 600, 700)`;

export interface TicketTotals {
  queueId: string;
  endpointId: string | null;
  booked: number;
  served: number;
  noShows: number;
  canceled: number;
  serviceMsSum: number;
  serviceCount: number;
  ratingSum: number;
  ratingCount: number;
}

export async function ticketTotals(db: QueueDb, queueIds: string[], from: number, to: number): Promise<TicketTotals[]> {
  if (queueIds.length === 0) return [];
  const rows = await db
    .selectFrom('tickets')
    .select([
      'queue_id',
      'endpoint_id',
      sql<number>`count(*)`.as('booked'),
      sql<number>`sum(case when state = 700 then 1 else 0 end)`.as('served'),
      sql<number>`sum(case when no_show_at is not null then 1 else 0 end)`.as('no_shows'),
      sql<number>`sum(case when state = 600 then 1 else 0 end)`.as('canceled'),
      sql<number>`sum(case when state = 700 and in_progress_at is not null then done_at - in_progress_at else 0 end)`.as('service_ms_sum'),
      sql<number>`sum(case when state = 700 and in_progress_at is not null then 1 else 0 end)`.as('service_count'),
      sql<number>`sum(coalesce(rating, 0))`.as('rating_sum'),
      sql<number>`sum(case when rating is not null then 1 else 0 end)`.as('rating_count'),
    ])
    .where('queue_id', 'in', queueIds)
    .where(ANY_STATE)
    .where('booked_at', '>=', from)
    .where('booked_at', '<', to)
    .groupBy(['queue_id', 'endpoint_id'])
    .execute();
  return rows.map((row) => ({
    queueId: row.queue_id,
    endpointId: row.endpoint_id,
    booked: Number(row.booked),
    served: Number(row.served),
    noShows: Number(row.no_shows),
    canceled: Number(row.canceled),
    serviceMsSum: Number(row.service_ms_sum),
    serviceCount: Number(row.service_count),
    ratingSum: Number(row.rating_sum),
    ratingCount: Number(row.rating_count),
  }));
}

export interface WaitTotals {
  queueId: string;
  endpointId: string | null;
  waitMsSum: number;
  waitCount: number;
}

/**
 * Time from joining the line (booking, or the appointment's time) to the first call, per queue and
 * counter (the one that called it last).
 * The first call comes from the history: called_at is the latest call, and a recall must not make
 * the wait look longer.
 */
export async function waitTotals(db: QueueDb, placeId: string, queueIds: string[], from: number, to: number): Promise<WaitTotals[]> {
  if (queueIds.length === 0) return [];
  const firstCalls = db
    .selectFrom('ticket_events')
    .select(['ticket_id', sql<number>`min(at)`.as('first_call')])
    .where('place_id', '=', placeId)
    .where('to_state', '=', 200)
    .where('at', '>=', from)
    .groupBy('ticket_id')
    .as('fc');
  const rows = await db
    .selectFrom('tickets as t')
    .innerJoin(firstCalls, 'fc.ticket_id', 't.id')
    .select([
      't.queue_id',
      't.endpoint_id',
      sql<number>`sum(case when fc.first_call > (case when t.is_appointment = 1 and t.booked_for > t.booked_at then t.booked_for else t.booked_at end)
        then fc.first_call - (case when t.is_appointment = 1 and t.booked_for > t.booked_at then t.booked_for else t.booked_at end) else 0 end)`.as(
        'wait_ms_sum',
      ),
      sql<number>`count(*)`.as('wait_count'),
    ])
    .where('t.queue_id', 'in', queueIds)
    .where('t.booked_at', '>=', from)
    .where('t.booked_at', '<', to)
    .groupBy(['t.queue_id', 't.endpoint_id'])
    .execute();
  return rows.map((row) => ({
    queueId: row.queue_id,
    endpointId: row.endpoint_id,
    waitMsSum: Number(row.wait_ms_sum),
    waitCount: Number(row.wait_count),
  }));
}
