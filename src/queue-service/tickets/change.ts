/**
 * A state change of a ticket as data, and the rule it must follow
 * (docs/design.md §States and transitions): which transitions are allowed and what the ticket row
 * looks like after one. No I/O: the unit of work (tickets/unit-of-work.ts,
 * docs/design.md §Unit of work) writes it and everything it sets off.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketPosition } from '../../contract/message.js';
import { TICKET_STATE_NAMES, TicketState, allowedTransitions, canTransition, type TicketStateCode } from '../../contract/ticket-states.js';
import type { Ticket, TicketUpdate } from '../db/schema.js';
import type { TicketContext } from '../entities/ticket-context.js';

/** What the caller may already know, saving the queries that would find it again. */
export interface KnownFacts {
  context?: TicketContext;
  position?: TicketPosition | null;
}

export interface StateChange {
  kind: 'state';
  /** The ticket as read in this transaction; its version guards the update. */
  ticket: Ticket;
  to: TicketStateCode;
  /** Who made it: `operator:<id>`, `user:<id>`, `system:<reason>`. */
  actor: string;
  /** The counter calling or serving the ticket, when there is one. */
  endpointId?: string | null;
  /** An automatic alert: the position of the queue's alertPositions it is for (tickets/alerts.ts). */
  alertAhead?: number;
  now: number;
  known?: KnownFacts;
}

const TIMESTAMP_COLUMN: Partial<Record<TicketStateCode, keyof TicketUpdate>> = {
  50: 'to_confirm_at',
  100: 'alerted_at',
  200: 'called_at',
  300: 'on_hold_at',
  400: 'no_show_at',
  500: 'in_progress_at',
  600: 'canceled_at',
  700: 'done_at',
};

function assertTransition(from: TicketStateCode, to: TicketStateCode): void {
  if (!canTransition(from, to)) {
    throw new AppError(
      'INVALID_TRANSITION',
      `A ${TICKET_STATE_NAMES[from]} ticket (${from}) cannot become ${TICKET_STATE_NAMES[to]} (${to}).`,
      { from, to, allowed: allowedTransitions(from) },
    );
  }
}

/** Calling again a ticket that was called or on hold. */
export function isRecall(from: TicketStateCode, to: TicketStateCode): boolean {
  return to === TicketState.CALLED && (from === TicketState.CALLED || from === TicketState.ON_HOLD);
}

/** The columns a state change sets, after checking the transition is allowed; the unit of work adds the next version. */
export function stateUpdate(change: StateChange): TicketUpdate {
  const { ticket } = change;
  const from = ticket.state;
  assertTransition(from, change.to);
  const update: TicketUpdate = {
    state: change.to,
    updated_at: change.now,
    recall_count: ticket.recall_count + (isRecall(from, change.to) ? 1 : 0),
    [TIMESTAMP_COLUMN[change.to]!]: change.now,
  };
  if (change.endpointId !== undefined && change.endpointId !== null) update.endpoint_id = change.endpointId;
  if (change.alertAhead !== undefined) update.alert_ahead = change.alertAhead;
  return update;
}
