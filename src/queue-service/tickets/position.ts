/**
 * Where a waiting ticket stands: tickets and people ahead of it in its own queue, and
 * in the line its counters draw from (every queue sharing a counter with it); and when it will
 * probably be called.
 */
import type { TicketPosition } from '../../contract/message.js';
import { isWaiting } from '../../contract/ticket-states.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { countWaitingAhead } from '../db/queries/tickets.js';
import { queueIdsSharingCounters } from '../db/queries/endpoints.js';
import { serviceFactsOfQueue, type ServiceFacts } from '../db/queries/service-times.js';
import { fifoCountsOfQueues, type WaitingCounts } from '../db/queries/queue-counters.js';

export async function positionOf(db: QueueDb, ticket: Ticket): Promise<TicketPosition | null> {
  if (!isWaiting(ticket.state)) return null;
  if (ticket.is_appointment === 1) return { queue: { tickets: 0, people: 0 }, endpoint: { tickets: 0, people: 0 } };
  const queue = await countWaitingAhead(db, [ticket.queue_id], ticket);
  const line = await queueIdsSharingCounters(db, ticket.queue_id);
  const endpoint = line.length === 1 ? queue : await countWaitingAhead(db, line, ticket);
  return { queue, endpoint };
}

/**
 * The position of a FIFO ticket just booked without priority, from the queue's counters after it
 * was counted in: everyone else waiting is ahead of it, so no count over the line is needed.
 */
export async function positionOfNewest(db: QueueDb, ticket: Ticket, queueCountsWithIt: WaitingCounts): Promise<TicketPosition> {
  const queue = { tickets: queueCountsWithIt.tickets - 1, people: queueCountsWithIt.people - ticket.group_size };
  const line = await queueIdsSharingCounters(db, ticket.queue_id);
  if (line.length === 1) return { queue, endpoint: queue };
  const all = await fifoCountsOfQueues(db, line);
  return { queue, endpoint: { tickets: all.tickets - 1, people: all.people - ticket.group_size } };
}

/**
 * People ahead in the counters' line, served in parallel by the open counters, each taking the
 * queue's service time per person. With no counter open yet, one is assumed.
 */
export function estimateCallTime(now: number, peopleAhead: number, openCounters: number, serviceMinutes: number): number {
  return now + Math.round((peopleAhead * serviceMinutes * 60_000) / Math.max(1, openCounters));
}

/** The queue's moving average of service minutes per person, or the configured default until it has history. */
export function serviceMinutesPerPerson(facts: ServiceFacts, defaultServiceMinutes: number): number {
  return facts.msPerPerson === null ? defaultServiceMinutes : facts.msPerPerson / 60_000;
}

export async function estimatedCallTimeOf(
  db: QueueDb,
  ticket: Ticket,
  position: TicketPosition | null,
  defaultServiceMinutes: number,
  now: number,
): Promise<number | null> {
  if (!isWaiting(ticket.state)) return null;
  if (ticket.is_appointment === 1) return ticket.booked_for;
  if (!position) return null;
  const facts = await serviceFactsOfQueue(db, ticket.queue_id);
  return estimateCallTime(now, position.endpoint.people, facts.openCounters, serviceMinutesPerPerson(facts, defaultServiceMinutes));
}
