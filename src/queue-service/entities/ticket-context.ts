import type { QueueDb } from '../db/types.js';
import type { Ticket } from '../db/schema.js';
import { parseQueueSettings, type QueueSettings } from './queue-settings.js';

/** What presenting a ticket and writing its messages need beside the ticket row itself. */
export interface TicketContext {
  queueName: string;
  settings: QueueSettings;
  placeName: string;
  timeZone: string;
  endpointName: string | null;
}

export async function loadTicketContext(db: QueueDb, ticket: Pick<Ticket, 'queue_id' | 'endpoint_id'>): Promise<TicketContext> {
  const row = await db
    .selectFrom('queues')
    .innerJoin('places', 'places.id', 'queues.place_id')
    .select(['queues.name as queue_name', 'queues.settings', 'places.name as place_name', 'places.time_zone'])
    .where('queues.id', '=', ticket.queue_id)
    .executeTakeFirstOrThrow();
  const endpoint = ticket.endpoint_id
    ? await db.selectFrom('endpoints').select('name').where('id', '=', ticket.endpoint_id).executeTakeFirst()
    : undefined;
  return {
    queueName: row.queue_name,
    settings: parseQueueSettings(row.settings),
    placeName: row.place_name,
    timeZone: row.time_zone,
    endpointName: endpoint?.name ?? null,
  };
}
