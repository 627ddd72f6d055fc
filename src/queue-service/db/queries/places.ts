import type { Updateable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { Place, PlaceTable } from '../schema.js';

export function insertPlace(db: QueueDb, place: Place): Promise<unknown> {
  return db.insertInto('places').values(place).execute();
}

export function findPlace(db: QueueDb, placeId: string): Promise<Place | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', placeId).executeTakeFirst();
}

export function findPlaceForCompany(db: QueueDb, companyId: string, placeId: string): Promise<Place | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', placeId).where('company_id', '=', companyId).executeTakeFirst();
}

export function listPlacesForCompany(db: QueueDb, companyId: string): Promise<Place[]> {
  return db.selectFrom('places').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

export async function updatePlaceForCompany(
  db: QueueDb,
  companyId: string,
  placeId: string,
  changes: Updateable<PlaceTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('places')
    .set(changes)
    .where('id', '=', placeId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deletePlaceForCompany(db: QueueDb, companyId: string, placeId: string): Promise<boolean> {
  const result = await db.deleteFrom('places').where('id', '=', placeId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The time zones of the company's places (their countries are the default SMS countries). */
export async function listTimeZonesOfCompany(db: QueueDb, companyId: string): Promise<string[]> {
  const rows = await db.selectFrom('places').select('time_zone').distinct().where('company_id', '=', companyId).execute();
  return rows.map((row) => row.time_zone);
}
