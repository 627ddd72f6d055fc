/**
 * What an operator does with tickets at a counter (docs/design.md §States and transitions): call
 * the next one, recall, move a ticket to another state. Each is one unit of work
 * (docs/design.md §Unit of work): state change, history and messages together, retried when
 * another counter won the ticket.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { TicketState, type TicketStateCode } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findNextWaitingTicket, findTicketForCompany, hasCallableTicket, takeCallTurn } from '../db/queries/tickets.js';
import { engineOf } from '../../platform/db/engine-of.js';
import type { CounterCaller } from '../http/auth.js';
import { isRecall } from '../tickets/change.js';
import { runTicketUnit } from '../tickets/unit-of-work.js';
import { openSession, queuesToActIn, type CounterSession } from './counter.js';
import { assertMayMoveTo, queuesAllowing, rolesInQueue } from '../entities/operator-roles.js';

export async function callNext(deps: QueueServiceDeps, caller: CounterCaller, endpointId: string): Promise<TicketView> {
  // Two counters picked the same ticket: the loser looks again instead of failing.
  return runTicketUnit(deps, async (db, apply) => {
    const session = await openSession(db, caller, endpointId);
    const mayCall = queuesAllowing(
      session.roles,
      session.queueIds,
      (role) => role.allowedStates.includes(TicketState.CALLED),
      'This operator may not call tickets here.',
    );
    const queueIds = (await queuesToActIn(db, session)).filter((id) => mayCall.includes(id));
    await takeCallTurn(db, session.queueIds);
    const now = deps.clock.now();
    const next = queueIds.length ? await findNextWaitingTicket(db, queueIds, now) : undefined;
    if (!next) {
      // Every callable row is held by another transaction (a cancellation, an alert of another line): look again.
      if (engineOf(db) === 'postgres' && (await hasCallableTicket(db, queueIds, now)))
        throw new AppError('CONFLICT', 'The next ticket is being changed; try again.');
      throw new AppError('NO_TICKET_WAITING');
    }
    return (await apply({ kind: 'state', ticket: next, to: TicketState.CALLED, actor: session.actor, endpointId, now })).view;
  });
}

async function counterTicket(db: QueueDb, session: CounterSession, ticketId: string): Promise<Ticket> {
  const ticket = await findTicketForCompany(db, session.endpoint.company_id, ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  if (!session.queueIds.includes(ticket.queue_id)) throw new AppError('ENDPOINT_NOT_SERVING_QUEUE');
  return ticket;
}

export async function moveTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  to: TicketStateCode,
): Promise<TicketView> {
  return runTicketUnit(deps, async (db, apply) => {
    const session = await openSession(db, caller, endpointId);
    const ticket = await counterTicket(db, session, ticketId);
    assertMayMoveTo(rolesInQueue(session.roles, ticket.queue_id), to, isRecall(ticket.state, to));
    const takesCounter = to === TicketState.CALLED || to === TicketState.IN_PROGRESS;
    if (takesCounter && !(await queuesToActIn(db, session)).includes(ticket.queue_id)) {
      throw new AppError('ENDPOINT_CLOSED', 'The counter is closed and hidden mode is not allowed in this queue; open it first.');
    }
    return (
      await apply({ kind: 'state', ticket, to, actor: session.actor, endpointId: takesCounter ? endpointId : null, now: deps.clock.now() })
    ).view;
  });
}

export async function recallTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
): Promise<TicketView> {
  const ticket = await findTicketForCompany(deps.database.db, caller.companyId, ticketId);
  if (ticket && ticket.state !== TicketState.CALLED && ticket.state !== TicketState.ON_HOLD) {
    throw new AppError('INVALID_TRANSITION', 'Only a called or on-hold ticket can be recalled.', {
      from: ticket.state,
      to: TicketState.CALLED,
    });
  }
  return moveTicket(deps, caller, endpointId, ticketId, TicketState.CALLED);
}
