import type { TicketView } from '../../contract/message.js';
import type { QueueDb } from '../db/types.js';
import type { Ticket } from '../db/schema.js';
import { estimatedCallTimeOf, positionOf } from './position.js';
import type { TicketContext } from './ticket-context.js';
import { toTicketView } from './ticket-view.js';

/** The full ticket view, position and estimate included, as of `now`. */
export async function presentTicket(db: QueueDb, ticket: Ticket, context: TicketContext, now: number): Promise<TicketView> {
  const position = await positionOf(db, ticket);
  const estimatedFor = await estimatedCallTimeOf(db, ticket, position, context.settings.defaultServiceMinutes, now);
  return toTicketView(ticket, { queueName: context.queueName, endpointName: context.endpointName, position, estimatedFor });
}
