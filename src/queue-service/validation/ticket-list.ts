/** The counter's view of its line: tickets of the queues it serves, filtered by state, time or text. */
import { findLatestEventWithAction } from '../db/queries/ticket-event-feed.js';
import { reachOfChange, type Reach } from '../receipts/reach.js';
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findTicketForCompany, searchTickets } from '../db/queries/tickets.js';
import type { CounterCaller } from '../http/auth.js';
import { presentForStaff, type StaffTicketView } from './staff-view.js';
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
): Promise<StaffTicketView[]> {
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
  return Promise.all(tickets.map((ticket) => presentForStaff(db, ticket, now)));
}

export async function getCounterTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
): Promise<StaffTicketView> {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  const ticket = await findTicketForCompany(db, caller.companyId, ticketId);
  if (!ticket || !session.queueIds.includes(ticket.queue_id)) throw new AppError('TICKET_NOT_FOUND');
  return presentForStaff(db, ticket, deps.clock.now());
}

/**
 * Whether the ticket's latest call reached the person (docs/design.md §Timeline): the desk's
 * reached / not reached mark. `reached` is null while the call is still on its way.
 */
export async function getCallReach(deps: QueueServiceDeps, caller: CounterCaller, endpointId: string, ticketId: string): Promise<Reach> {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  const ticket = await findTicketForCompany(db, caller.companyId, ticketId);
  if (!ticket || !session.queueIds.includes(ticket.queue_id)) throw new AppError('TICKET_NOT_FOUND');
  const call = await findLatestEventWithAction(db, ticket.id, 'TICKET_CALLED');
  if (!call) return { reached: null, channel: null, at: null, changeToReachedMs: null };
  return reachOfChange(db, ticket.id, call.version, Number(call.at));
}
