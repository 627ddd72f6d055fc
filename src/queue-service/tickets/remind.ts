/**
 * A reminder (`TICKET_REMIND_<id>`) is a message without a state change. It still takes
 * the next version of the ticket, so the dispatcher orders it after the ticket's earlier messages,
 * and it is recorded like any change: history event, stream event and outbox rows together.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { reminderAction } from '../../contract/ticket-states.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { updateTicketIfVersion } from '../db/queries/tickets.js';
import { recordTicketChange } from './change.js';
import type { TicketContext } from './ticket-context.js';

export async function sendReminder(db: QueueDb, ticket: Ticket, ruleId: number, actor: string, now: number, context?: TicketContext): Promise<TicketView> {
  if (!(await updateTicketIfVersion(db, ticket.id, ticket.version, { version: ticket.version + 1 }))) {
    throw new AppError('CONFLICT', `Ticket ${ticket.label} was changed meanwhile.`);
  }
  const updated: Ticket = { ...ticket, version: ticket.version + 1 };
  const state = ticket.state;
  return recordTicketChange(db, updated, state, reminderAction(ruleId), actor, now, { context });
}
