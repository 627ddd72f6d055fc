import type { Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { parseJsonText, type JsonText, type LocalizedNames } from '../../platform/json-text.js';
import type { QueueDb } from '../db/types.js';
import type { QueueServiceSchema, Ticket } from '../db/schema.js';
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

// Prepared (prepared.ts): every ticket change that is presented or notified reads its context.
const APPOINTMENT_TYPE_NAMES = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string }>) =>
  db.selectFrom('appointment_types').select(['id', 'name', 'names']).where('queue_id', '=', p.queueId),
);
const QUEUE_AND_PLACE = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string }>) =>
  db
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
    .where('queues.id', '=', p.queueId),
);
const ENDPOINT_NAMES = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ endpointId: string }>) =>
  db.selectFrom('endpoints').select(['name', 'names']).where('id', '=', p.endpointId),
);

/** The appointment types of a queue by id, with their names. */
export async function appointmentTypeNamesOf(db: QueueDb, queueId: string): Promise<Map<string, Named>> {
  const rows = await APPOINTMENT_TYPE_NAMES.rows(db, { queueId });
  return new Map(rows.map((row) => [row.id, named(row)]));
}

export async function loadTicketContext(db: QueueDb, ticket: Pick<Ticket, 'queue_id' | 'endpoint_id'>): Promise<TicketContext> {
  const row = await QUEUE_AND_PLACE.one(db, { queueId: ticket.queue_id });
  const endpoint = ticket.endpoint_id ? await ENDPOINT_NAMES.first(db, { endpointId: ticket.endpoint_id }) : undefined;
  return {
    queue: named({ name: row.queue_name, names: row.queue_names }),
    place: named({ name: row.place_name, names: row.place_names }),
    appointmentTypes: await appointmentTypeNamesOf(db, ticket.queue_id),
    settings: parseQueueSettings(row.settings),
    timeZone: row.time_zone,
    endpoint: endpoint ? named(endpoint) : null,
  };
}
