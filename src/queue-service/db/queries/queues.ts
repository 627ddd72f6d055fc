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
    .select([
      'places.name as place_name',
      'places.names as place_names',
      'places.time_zone as place_time_zone',
      'places.lang as place_lang',
    ])
    .where('queues.id', '=', p.queueId)
    .where('queues.company_id', '=', p.companyId),
);

export function findQueueWithPlaceForCompany(db: QueueDb, companyId: string, queueId: string) {
  return queueWithPlace.first(db, { companyId, queueId });
}

export function listQueuesForCompany(db: QueueDb, companyId: string): Promise<Queue[]> {
  return db.selectFrom('queues').selectAll().where('company_id', '=', companyId).orderBy('created_at').orderBy('id').execute();
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

/** Every queue of a company with its place, for the operator's roles tree. */
export function listQueuePlacesForCompany(db: QueueDb, companyId: string): Promise<{ id: string; place_id: string }[]> {
  return db.selectFrom('queues').select(['id', 'place_id']).where('company_id', '=', companyId).orderBy('created_at').execute();
}

/** The settings of some queues of a company (hidden mode is decided per queue). */
export function listQueueSettings(db: QueueDb, companyId: string, queueIds: string[]): Promise<{ id: string; settings: string }[]> {
  if (queueIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('queues').select(['id', 'settings']).where('company_id', '=', companyId).where('id', 'in', queueIds).execute();
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
