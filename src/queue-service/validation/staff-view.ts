/**
 * The ticket as counter staff see it: the ticket view plus what only staff may read, the note
 * (docs/design.md §Moving tickets). Built here only; user routes, messages and the display use
 * the ticket view, which has no such field.
 */
import type { TicketView } from '../../contract/message.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { presentStoredTicket } from '../booking/user-tickets.js';

export interface StaffTicketView extends TicketView {
  note: string | null;
  keptForEndpointId: string | null;
}

/** The staff view of a ticket from the view a change presented. */
export function staffViewOf(ticket: Ticket, view: TicketView): StaffTicketView {
  return { ...view, note: ticket.staff_note ?? null, keptForEndpointId: isKept(ticket) ? ticket.for_endpoint_id : null };
}

function isKept(ticket: Ticket): boolean {
  return ticket.for_endpoint_id != null && ticket.state <= 100;
}

/** The staff view of a stored ticket, presented now. */
export async function presentForStaff(db: QueueDb, ticket: Ticket, now: number): Promise<StaffTicketView> {
  return staffViewOf(ticket, await presentStoredTicket(db, ticket, now));
}
