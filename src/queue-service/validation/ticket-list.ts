/** The counter's view of its line: tickets of the queues it serves, filtered by state, time or text. */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import type { QueueServiceDeps } from '../deps.js';
import { findTicketForCompany, searchTickets } from '../db/queries/tickets.js';
import type { CounterCaller } from '../http/auth.js';
import { presentStoredTicket } from '../booking/user-tickets.js';
import { openSession } from './counter.js';

export interface TicketListQuery {
  states?: number[];
  text?: string;
  queueId?: string;
  from?: number;
  to?: number;
  limit: number;
}

export async function listCounterTickets(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  query: TicketListQuery,
): Promise<TicketView[]> {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  const queueIds = query.queueId ? session.queueIds.filter((id) => id === query.queueId) : session.queueIds;
  if (queueIds.length === 0) return [];
  // LIKE wildcards in a search text are taken literally by dropping them.
  const text = query.text?.replace(/[%_\\]/g, '').trim() || undefined;
  const tickets = await searchTickets(db, {
    companyId: caller.companyId,
    queueIds,
    states: query.states,
    text,
    from: query.from,
    to: query.to,
    limit: query.limit,
  });
  const now = deps.clock.now();
  return Promise.all(tickets.map((ticket) => presentStoredTicket(db, ticket, now)));
}

export async function getCounterTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
): Promise<TicketView> {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  const ticket = await findTicketForCompany(db, caller.companyId, ticketId);
  if (!ticket || !session.queueIds.includes(ticket.queue_id)) throw new AppError('TICKET_NOT_FOUND');
  return presentStoredTicket(db, ticket, deps.clock.now());
}
