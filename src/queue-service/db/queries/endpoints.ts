import type { Updateable } from 'kysely';
import type { Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueDb } from '../types.js';
import type { Endpoint, EndpointTable, QueueServiceSchema } from '../schema.js';

export function insertEndpoint(db: QueueDb, endpoint: Endpoint): Promise<unknown> {
  return db.insertInto('endpoints').values(endpoint).execute();
}

export function findEndpoint(db: QueueDb, endpointId: string): Promise<Endpoint | undefined> {
  return db.selectFrom('endpoints').selectAll().where('id', '=', endpointId).executeTakeFirst();
}

/** Prepared: every counter action reads its counter. */
export function findEndpointForCompany(db: QueueDb, companyId: string, endpointId: string): Promise<Endpoint | undefined> {
  return ENDPOINT_FOR_COMPANY.first(db, { companyId, endpointId });
}

const ENDPOINT_FOR_COMPANY = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ companyId: string; endpointId: string }>) =>
  db.selectFrom('endpoints').selectAll().where('id', '=', p.endpointId).where('company_id', '=', p.companyId),
);

export function listEndpointsForPlace(db: QueueDb, companyId: string, placeId: string): Promise<Endpoint[]> {
  return db
    .selectFrom('endpoints')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
}

export function listEndpointsForCompany(db: QueueDb, companyId: string): Promise<Endpoint[]> {
  return db.selectFrom('endpoints').selectAll().where('company_id', '=', companyId).orderBy('created_at').orderBy('id').execute();
}

export async function updateEndpointForCompany(
  db: QueueDb,
  companyId: string,
  endpointId: string,
  changes: Updateable<EndpointTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('endpoints')
    .set(changes)
    .where('id', '=', endpointId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteEndpointForCompany(db: QueueDb, companyId: string, endpointId: string): Promise<boolean> {
  const result = await db.deleteFrom('endpoints').where('id', '=', endpointId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function queueIdsOfEndpoint(db: QueueDb, endpointId: string): Promise<string[]> {
  const rows = await QUEUE_IDS_OF_ENDPOINT.rows(db, { endpointId });
  return rows.map((row) => row.queue_id);
}

const QUEUE_IDS_OF_ENDPOINT = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ endpointId: string }>) =>
  db.selectFrom('endpoint_queues').select('queue_id').where('endpoint_id', '=', p.endpointId),
);

export async function queueIdsOfEndpoints(db: QueueDb, endpointIds: string[]): Promise<Map<string, string[]>> {
  const byEndpoint = new Map<string, string[]>(endpointIds.map((id) => [id, []]));
  if (endpointIds.length === 0) return byEndpoint;
  const rows = await db.selectFrom('endpoint_queues').selectAll().where('endpoint_id', 'in', endpointIds).execute();
  for (const row of rows) byEndpoint.get(row.endpoint_id)?.push(row.queue_id);
  return byEndpoint;
}

export async function setEndpointQueues(db: QueueDb, endpointId: string, queueIds: string[]): Promise<void> {
  await db.deleteFrom('endpoint_queues').where('endpoint_id', '=', endpointId).execute();
  if (queueIds.length > 0) {
    await db
      .insertInto('endpoint_queues')
      .values(queueIds.map((queueId) => ({ endpoint_id: endpointId, queue_id: queueId })))
      .execute();
  }
}

const sharingCounters = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string }>) =>
  db
    .selectFrom('endpoint_queues as mine')
    .innerJoin('endpoint_queues as other', 'other.endpoint_id', 'mine.endpoint_id')
    .select('other.queue_id')
    .distinct()
    .where('mine.queue_id', '=', p.queueId),
);

/** The queue and every queue that shares a counter with it: the line a counter's next call draws from. */
export async function queueIdsSharingCounters(db: QueueDb, queueId: string): Promise<string[]> {
  const ids = new Set((await sharingCounters.rows(db, { queueId })).map((row) => row.queue_id));
  ids.add(queueId);
  return [...ids].sort();
}

export function listEndpointsOfCompany(db: QueueDb, companyId: string): Promise<Endpoint[]> {
  return db.selectFrom('endpoints').selectAll().where('company_id', '=', companyId).execute();
}
