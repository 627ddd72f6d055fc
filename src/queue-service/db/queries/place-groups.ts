/** Subplaces and categories of places (migration 0009): a place has one kind or the other, never both. */
import type { QueueDb } from '../types.js';
import type { Subplace } from '../schema.js';

export type PlaceGroupKind = 'subplaces' | 'categories';

export function insertPlaceGroup(db: QueueDb, kind: PlaceGroupKind, group: Subplace): Promise<unknown> {
  return db.insertInto(kind).values(group).execute();
}

export function findPlaceGroup(db: QueueDb, kind: PlaceGroupKind, groupId: string): Promise<Subplace | undefined> {
  return db.selectFrom(kind).selectAll().where('id', '=', groupId).executeTakeFirst();
}

export async function deletePlaceGroup(db: QueueDb, kind: PlaceGroupKind, groupId: string): Promise<void> {
  await db
    .updateTable('queues')
    .set(kind === 'subplaces' ? { subplace_id: null } : { category_id: null })
    .where(kind === 'subplaces' ? 'subplace_id' : 'category_id', '=', groupId)
    .execute();
  await db.deleteFrom(kind).where('id', '=', groupId).execute();
}

export function listPlaceGroups(db: QueueDb, kind: PlaceGroupKind, placeIds: string[]): Promise<Subplace[]> {
  if (placeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom(kind).selectAll().where('place_id', 'in', placeIds).orderBy('created_at').orderBy('id').execute();
}
