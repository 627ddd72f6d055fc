import type { Insertable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { TicketEventTable } from '../schema.js';

export function insertTicketEvent(db: QueueDb, event: Insertable<TicketEventTable>): Promise<unknown> {
  return db.insertInto('ticket_events').values(event).execute();
}

export function listTicketEvents(db: QueueDb, ticketId: string) {
  return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}
