/**
 * Every change of a ticket goes through here: the transition rule (docs/design.md §States and transitions), the row update
 * guarded by the ticket's version, the history event and the outbox messages, all on the same
 * transaction the caller opened — and what the change sets off in that same transaction: the
 * ticket's due rows (timeouts, reminders), the service-time average, and the alerts of tickets
 * that are now near the head of the line.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import {
  ACTION_FOR_STATE, TICKET_STATE_NAMES, TicketState, allowedTransitions, canTransition, isWaiting,
  type TicketAction, type TicketStateCode,
} from '../../contract/ticket-states.js';
import type { TicketPosition } from '../../contract/message.js';
import { adjustWaitingCounters } from '../db/queries/queue-counters.js';
import type { Ticket, TicketUpdate } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { updateTicketIfVersion } from '../db/queries/tickets.js';
import { insertTicketEventForFeed } from '../db/queries/ticket-event-feed.js';
import { writeTicketMessages } from '../notifications/outbox.js';
import { syncJobsAfterChange } from '../scheduler/ticket-jobs.js';
import { alertNearTheHead } from './alerts.js';
import { presentTicket } from './present.js';
import { recordServiceTime } from './service-time.js';
import { loadTicketContext, type TicketContext } from './ticket-context.js';

export interface StateChange {
  to: TicketStateCode;
  /** Who made it: `operator:<id>`, `user:<id>`, `system:<reason>`. */
  actor: string;
  /** The counter calling or serving the ticket, when there is one. */
  endpointId?: string | null;
  now: number;
}

const TIMESTAMP_COLUMN: Partial<Record<TicketStateCode, keyof TicketUpdate>> = {
  50: 'to_confirm_at', 100: 'alerted_at', 200: 'called_at', 300: 'on_hold_at', 400: 'no_show_at',
  500: 'in_progress_at', 600: 'canceled_at', 700: 'done_at',
};

function assertTransition(from: TicketStateCode, to: TicketStateCode): void {
  if (!canTransition(from, to)) {
    throw new AppError('INVALID_TRANSITION',
      `A ${TICKET_STATE_NAMES[from]} ticket (${from}) cannot become ${TICKET_STATE_NAMES[to]} (${to}).`,
      { from, to, allowed: allowedTransitions(from) });
  }
}

export async function changeTicketState(db: QueueDb, ticket: Ticket, change: StateChange, known: KnownFacts = {}): Promise<{ ticket: Ticket; view: TicketView }> {
  const from = ticket.state;
  assertTransition(from, change.to);
  const isRecall = change.to === TicketState.CALLED && (from === TicketState.CALLED || from === TicketState.ON_HOLD);
  const update: TicketUpdate = {
    state: change.to,
    updated_at: change.now,
    version: ticket.version + 1,
    recall_count: ticket.recall_count + (isRecall ? 1 : 0),
    [TIMESTAMP_COLUMN[change.to]!]: change.now,
  };
  if (change.endpointId !== undefined && change.endpointId !== null) update.endpoint_id = change.endpointId;
  if (!(await updateTicketIfVersion(db, ticket.id, ticket.version, update))) {
    throw new AppError('CONFLICT', `Ticket ${ticket.label} was changed by someone else meanwhile; reload it and try again.`);
  }
  if (isWaiting(from) && !isWaiting(change.to)) {
    await adjustWaitingCounters(db, ticket.queue_id, ticket.is_appointment === 1, -1, -ticket.group_size);
  }
  const updated: Ticket = { ...ticket, ...update } as Ticket;
  const { view, context } = await recordChange(db, updated, from, ACTION_FOR_STATE[change.to], change.actor, change.now, known);
  await syncJobsAfterChange(db, updated, from, context.settings, change.now);
  if (from === TicketState.IN_PROGRESS && change.to === TicketState.DONE) await recordServiceTime(db, ticket, change.now);
  // Appointments are called by their time, not by who is ahead: only a FIFO ticket leaving moves the line.
  if (isWaiting(from) && !isWaiting(change.to) && ticket.is_appointment === 0) await alertNearTheHead(db, ticket, change.now, context);
  return { ticket: updated, view };
}

/** What the caller may already know, saving the queries that would find it again. */
export interface KnownFacts {
  context?: TicketContext;
  position?: TicketPosition | null;
}

/** History event plus outbox messages for a change already written to the ticket row. */
export async function recordTicketChange(
  db: QueueDb,
  ticket: Ticket,
  from: TicketStateCode | null,
  action: TicketAction | null,
  actor: string,
  now: number,
  known: KnownFacts = {},
): Promise<TicketView> {
  return (await recordChange(db, ticket, from, action, actor, now, known)).view;
}

async function recordChange(
  db: QueueDb, ticket: Ticket, from: TicketStateCode | null, action: TicketAction | null, actor: string, now: number, known: KnownFacts,
): Promise<{ view: TicketView; context: TicketContext }> {
  // The event row is also the live streams' feed (streams/feed.ts); its id is the SSE event id.
  await insertTicketEventForFeed(db, {
    ticket_id: ticket.id, company_id: ticket.company_id, place_id: ticket.place_id, queue_id: ticket.queue_id,
    version: ticket.version, from_state: from, to_state: ticket.state, action, actor, endpoint_id: ticket.endpoint_id, at: now,
  }, ticket.user_id);
  const context = known.context ?? (await loadTicketContext(db, ticket));
  const view = await presentTicket(db, ticket, context, now, known.position);
  if (action) await writeTicketMessages(db, { ticket, view, action, context, now });
  return { view, context };
}
