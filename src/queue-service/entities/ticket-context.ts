import { parseJsonText, type JsonText, type LocalizedNames } from '../../platform/json-text.js';
import type { QueueDb } from '../db/types.js';
import type { Ticket } from '../db/schema.js';
import { parseQueueSettings, type QueueSettings } from './queue-settings.js';

/** Something named: its default name and its names per locale. */
export interface Named {
  name: string;
  names: LocalizedNames;
}

/** What presenting a ticket and writing its messages need beside the ticket row itself. */
export interface TicketContext {
  queue: Named;
  place: Named;
  /** Every appointment type of the queue, by id: a context is shared by the tickets of one queue. */
  appointmentTypes: ReadonlyMap<string, Named>;
  settings: QueueSettings;
  timeZone: string;
  /** The counter the ticket is called to, if any. */
  endpoint: Named | null;
}

export const named = (row: { name: string; names: JsonText<LocalizedNames> }): Named => ({
  name: row.name,
  names: parseJsonText(row.names),
});

/** The appointment types of a queue by id, with their names. */
export async function appointmentTypeNamesOf(db: QueueDb, queueId: string): Promise<Map<string, Named>> {
  const rows = await db.selectFrom('appointment_types').select(['id', 'name', 'names']).where('queue_id', '=', queueId).execute();
  return new Map(rows.map((row) => [row.id, named(row)]));
}

export async function loadTicketContext(db: QueueDb, ticket: Pick<Ticket, 'queue_id' | 'endpoint_id'>): Promise<TicketContext> {
  const row = await db
    .selectFrom('queues')
    .innerJoin('places', 'places.id', 'queues.place_id')
    .select([
      'queues.name as queue_name',
      'queues.names as queue_names',
      'queues.settings',
      'places.name as place_name',
      'places.names as place_names',
      'places.time_zone',
    ])
    .where('queues.id', '=', ticket.queue_id)
    .executeTakeFirstOrThrow();
  const endpoint = ticket.endpoint_id
    ? await db.selectFrom('endpoints').select(['name', 'names']).where('id', '=', ticket.endpoint_id).executeTakeFirst()
    : undefined;
  return {
    queue: named({ name: row.queue_name, names: row.queue_names }),
    place: named({ name: row.place_name, names: row.place_names }),
    appointmentTypes: await appointmentTypeNamesOf(db, ticket.queue_id),
    settings: parseQueueSettings(row.settings),
    timeZone: row.time_zone,
    endpoint: endpoint ? named(endpoint) : null,
  };
}
