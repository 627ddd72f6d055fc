import type { Updateable } from 'kysely';
import type { Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueDb } from '../types.js';
import type { Queue, QueueServiceSchema, QueueTable } from '../schema.js';

export function insertQueue(db: QueueDb, queue: Queue): Promise<unknown> {
  return db.insertInto('queues').values(queue).execute();
}

export function findQueue(db: QueueDb, queueId: string): Promise<Queue | undefined> {
  return db.selectFrom('queues').selectAll().where('id', '=', queueId).executeTakeFirst();
}

export function findQueueForCompany(db: QueueDb, companyId: string, queueId: string): Promise<Queue | undefined> {
  return db.selectFrom('queues').selectAll().where('id', '=', queueId).where('company_id', '=', companyId).executeTakeFirst();
}

/** The queue with the place fields a booking needs, in one round trip. */
const queueWithPlace = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ companyId: string; queueId: string }>) =>
  db
    .selectFrom('queues')
    .innerJoin('places', 'places.id', 'queues.place_id')
    .selectAll('queues')
    .select(['places.name as place_name', 'places.time_zone as place_time_zone', 'places.lang as place_lang'])
    .where('queues.id', '=', p.queueId)
    .where('queues.company_id', '=', p.companyId),
);

export function findQueueWithPlaceForCompany(db: QueueDb, companyId: string, queueId: string) {
  return queueWithPlace.first(db, { companyId, queueId });
}

export function listQueuesForPlace(db: QueueDb, companyId: string, placeId: string): Promise<Queue[]> {
  return db
    .selectFrom('queues')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('company_id', '=', companyId)
    .orderBy('created_at')
    .execute();
}

export async function updateQueueForCompany(
  db: QueueDb,
  companyId: string,
  queueId: string,
  changes: Updateable<QueueTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('queues')
    .set(changes)
    .where('id', '=', queueId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteQueueForCompany(db: QueueDb, companyId: string, queueId: string): Promise<boolean> {
  const result = await db.deleteFrom('queues').where('id', '=', queueId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
