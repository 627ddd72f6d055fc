import type { TicketPosition, TicketView } from '../../contract/message.js';
import type { QueueDb } from '../db/types.js';
import type { Ticket } from '../db/schema.js';
import type { TicketContext } from '../entities/ticket-context.js';
import { estimatedCallTimeOf, positionOf } from './position.js';
import { toTicketView } from './ticket-view.js';

/** The full ticket view, position and estimate included, as of `now`; pass the position when it is already known. */
export async function presentTicket(
  db: QueueDb,
  ticket: Ticket,
  context: TicketContext,
  now: number,
  knownPosition?: TicketPosition | null,
): Promise<TicketView> {
  const position = knownPosition !== undefined ? knownPosition : await positionOf(db, ticket);
  const estimatedFor = await estimatedCallTimeOf(db, ticket, position, context.settings.defaultServiceMinutes, now);
  return toTicketView(ticket, { context, position, estimatedFor });
}
