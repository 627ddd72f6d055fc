/**
 * What an operator does with tickets at a counter (docs/design.md §States and transitions): call
 * the next one or a chosen one, recall, move a ticket to another state. Each is one unit of work
 * (docs/design.md §Unit of work): state change, history and messages together, retried when
 * another counter won the ticket.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { TicketState, type TicketStateCode } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import {
  currentTicketsOfEndpoint,
  findNextWaitingTicket,
  findTicketForCompany,
  hasCallableTicket,
  takeCallTurn,
} from '../db/queries/tickets.js';
import { engineOf } from '../../platform/db/engine-of.js';
import type { CounterCaller } from '../http/auth.js';
import { isRecall } from '../tickets/change.js';
import { runTicketUnit, type ApplyChange } from '../tickets/unit-of-work.js';
import { openSession, queuesToActIn, type CounterSession } from './counter.js';
import { assertMayMoveTo, queuesAllowing, rolesInQueue } from '../entities/operator-roles.js';

/** What becomes of the ticket a counter is calling or serving when it calls another (docs/design.md §Moving tickets). */
export type PreviousTicket = 'done' | 'no_show' | 'on_hold' | 'keep';

/** The states a previous ticket goes through, from called or in progress; no show passes through on hold, as its timer would. */
const PREVIOUS_STEPS: Record<Exclude<PreviousTicket, 'keep'>, TicketStateCode[]> = {
  done: [TicketState.DONE],
  on_hold: [TicketState.ON_HOLD],
  no_show: [TicketState.ON_HOLD, TicketState.NO_SHOW],
};

/**
 * Before a counter calls a ticket, the ones it is calling or serving (but `except`, a recall):
 * without a word on them, 409 ENDPOINT_BUSY naming them, so a counter never gathers called tickets
 * unawares; otherwise each ends as said, in the same unit of work as the call.
 */
async function settlePreviousTickets(
  db: QueueDb,
  apply: ApplyChange,
  session: CounterSession,
  previous: PreviousTicket | undefined,
  except: string | null,
  now: number,
): Promise<void> {
  if (previous === 'keep') return;
  const current = (await currentTicketsOfEndpoint(db, session.endpoint.id)).filter((ticket) => ticket.id !== except);
  if (current.length === 0) return;
  if (previous === undefined) {
    const [first] = current;
    throw new AppError(
      'ENDPOINT_BUSY',
      `This counter is ${first!.state === TicketState.CALLED ? 'calling' : 'serving'} ticket ${first!.label}; send previousTicket (done, no_show, on_hold or keep) to say what becomes of it.`,
      {
        ticketId: first!.id,
        label: first!.label,
        state: first!.state,
        tickets: current.map((ticket) => ({ ticketId: ticket.id, label: ticket.label, state: ticket.state })),
      },
    );
  }
  for (const ticket of current) {
    let latest = ticket;
    for (const to of PREVIOUS_STEPS[previous]) {
      assertMayMoveTo(rolesInQueue(session.roles, ticket.queue_id), to, false);
      latest = (await apply({ kind: 'state', ticket: latest, to, actor: session.actor, now })).ticket;
    }
  }
}

export async function callNext(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  previous?: PreviousTicket,
): Promise<TicketView> {
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
    const now = deps.clock.now();
    await settlePreviousTickets(db, apply, session, previous, null, now);
    await takeCallTurn(db, session.queueIds);
    const next = queueIds.length ? await findNextWaitingTicket(db, queueIds, endpointId, now) : undefined;
    if (!next) {
      // Every callable row is held by another transaction (a cancellation, an alert of another line): look again.
      if (engineOf(db) === 'postgres' && (await hasCallableTicket(db, queueIds, endpointId, now)))
        throw new AppError('CONFLICT', 'The next ticket is being changed; try again.');
      throw new AppError('NO_TICKET_WAITING');
    }
    return (await apply({ kind: 'state', ticket: next, to: TicketState.CALLED, actor: session.actor, endpointId, now })).view;
  });
}

export async function counterTicket(db: QueueDb, session: CounterSession, ticketId: string): Promise<Ticket> {
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

/** Calls one chosen ticket out of order: as call next, but this ticket (docs/design.md §Moving tickets). */
export async function callTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  previous?: PreviousTicket,
): Promise<TicketView> {
  return runTicketUnit(deps, async (db, apply) => {
    const session = await openSession(db, caller, endpointId);
    const ticket = await counterTicket(db, session, ticketId);
    assertMayMoveTo(rolesInQueue(session.roles, ticket.queue_id), TicketState.CALLED, isRecall(ticket.state, TicketState.CALLED));
    if (!(await queuesToActIn(db, session)).includes(ticket.queue_id)) {
      throw new AppError('ENDPOINT_CLOSED', 'The counter is closed and hidden mode is not allowed in this queue; open it first.');
    }
    const now = deps.clock.now();
    await settlePreviousTickets(db, apply, session, previous, ticket.id, now);
    const fresh = (await findTicketForCompany(db, session.endpoint.company_id, ticketId)) ?? ticket;
    return (await apply({ kind: 'state', ticket: fresh, to: TicketState.CALLED, actor: session.actor, endpointId, now })).view;
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
