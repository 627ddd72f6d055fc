/**
 * Moving tickets at a counter (docs/design.md §Moving tickets): transfer a ticket to a queue of its
 * place or to one counter, make it priority, write a note for staff. Each is one unit of work
 * (docs/design.md §Unit of work); the answers are the staff view, with the note.
 */
import { AppError } from '../../contract/errors.js';
import { isWaiting } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findEndpointForCompany, queueIdsOfEndpoint } from '../db/queries/endpoints.js';
import { findQueueForCompany } from '../db/queries/queues.js';
import { lastPlaceInLine } from '../db/queries/tickets.js';
import type { CounterCaller } from '../http/auth.js';
import { assertPriorityAllowed, parseQueueSettings } from '../entities/queue-settings.js';
import { runTicketUnit, type ApplyChange } from '../tickets/unit-of-work.js';
import { openSession, type CounterSession } from './counter.js';
import { counterTicket } from './ticket-actions.js';
import { presentForStaff, staffViewOf, type StaffTicketView } from './staff-view.js';

export interface TransferInput {
  /** The queue it goes to; absent: its own queue when the counter named serves it, else that counter's only queue. */
  toQueueId?: string;
  /** The counter it is kept for; absent: any counter serving the queue. */
  toEndpointId?: string;
  /** keep: its place in line (when it joined); end: behind everyone waiting now. */
  place: 'keep' | 'end';
}

/** Where a transfer goes: a queue of the ticket's place, and a counter of that place serving it. */
async function transferTarget(db: QueueDb, session: CounterSession, ticket: Ticket, input: TransferInput) {
  const companyId = session.endpoint.company_id;
  let served: string[] | null = null;
  if (input.toEndpointId !== undefined) {
    const endpoint = await findEndpointForCompany(db, companyId, input.toEndpointId);
    if (!endpoint) throw new AppError('ENDPOINT_NOT_FOUND');
    if (endpoint.place_id !== ticket.place_id)
      throw new AppError('TRANSFER_NOT_ALLOWED', 'That counter is in another place.', { toEndpointId: endpoint.id });
    served = await queueIdsOfEndpoint(db, endpoint.id);
  }
  let queueId = input.toQueueId;
  if (queueId === undefined) {
    if (!served)
      throw new AppError('VALIDATION_FAILED', 'Say where the ticket goes: toQueueId, toEndpointId or both.', { field: 'body.toQueueId' });
    if (served.includes(ticket.queue_id)) queueId = ticket.queue_id;
    else if (served.length === 1) queueId = served[0]!;
    else
      throw new AppError('VALIDATION_FAILED', 'That counter serves several queues; say which with toQueueId.', { field: 'body.toQueueId' });
  }
  const queue = await findQueueForCompany(db, companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND', undefined, { queueId });
  if (queue.place_id !== ticket.place_id)
    throw new AppError('TRANSFER_NOT_ALLOWED', 'That queue is in another place.', { toQueueId: queueId });
  if (served && !served.includes(queueId)) throw new AppError('ENDPOINT_NOT_SERVING_QUEUE', 'That counter does not serve that queue.');
  return { queueId, endpointId: input.toEndpointId ?? null };
}

/** One unit of work on one ticket of the queues the counter serves. */
function onCounterTicket<T>(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  work: (db: QueueDb, apply: ApplyChange, session: CounterSession, ticket: Ticket, now: number) => Promise<T>,
): Promise<T> {
  return runTicketUnit(deps, async (db, apply) => {
    const session = await openSession(db, caller, endpointId);
    const ticket = await counterTicket(db, session, ticketId);
    return work(db, apply, session, ticket, deps.clock.now());
  });
}

export async function transferTicket(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  input: TransferInput,
): Promise<StaffTicketView> {
  return onCounterTicket(deps, caller, endpointId, ticketId, async (db, apply, session, ticket, now) => {
    // A waiting appointment holds a slot of its queue's calendar: move it with a postponement, or call it first.
    if (ticket.is_appointment === 1 && isWaiting(ticket.state)) {
      throw new AppError('TRANSFER_NOT_ALLOWED', 'A waiting appointment keeps its slot; call it first, or postpone it.');
    }
    const target = await transferTarget(db, session, ticket, input);
    // Behind everyone, even a ticket booked within the same millisecond.
    const lineAt = input.place === 'end' ? Math.max(now, ((await lastPlaceInLine(db, target.queueId)) ?? now) + 1) : null;
    const applied = await apply({ kind: 'transfer', ticket, ...target, lineAt, actor: session.actor, now });
    return staffViewOf(applied.ticket, applied.view);
  });
}

export async function setTicketPriority(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  priority: boolean,
): Promise<StaffTicketView> {
  return onCounterTicket(deps, caller, endpointId, ticketId, async (db, apply, session, ticket, now) => {
    if ((ticket.priority === 1) === priority) return presentForStaff(db, ticket, now);
    if (!isWaiting(ticket.state)) throw new AppError('TICKET_NOT_WAITING', 'Only a waiting ticket can be made priority or not.');
    const queue = await findQueueForCompany(db, session.endpoint.company_id, ticket.queue_id);
    if (priority) assertPriorityAllowed(parseQueueSettings(queue!.settings), ticket.is_appointment);
    const applied = await apply({
      kind: 'mark',
      ticket,
      mark: 'priority',
      changes: { priority: priority ? 1 : 0 },
      detail: { priority },
      actor: session.actor,
      now,
    });
    return staffViewOf(applied.ticket, applied.view);
  });
}

/** A note for staff (at most 1,000 characters; empty removes it): never in the person's view, a message or the display. */
export async function setTicketNote(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  ticketId: string,
  note: string | null,
): Promise<StaffTicketView> {
  return onCounterTicket(deps, caller, endpointId, ticketId, async (db, apply, session, ticket, now) => {
    const text = note?.trim() || null;
    if (text === ticket.staff_note) return presentForStaff(db, ticket, now);
    // The event says a note was written or removed, never what it says: history is read more widely than the desk.
    const applied = await apply({
      kind: 'mark',
      ticket,
      mark: 'note',
      changes: { staff_note: text },
      detail: { removed: text === null },
      actor: session.actor,
      now,
    });
    return staffViewOf(applied.ticket, applied.view);
  });
}
