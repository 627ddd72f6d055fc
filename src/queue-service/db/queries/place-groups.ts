/**
 * Subplaces and categories of places (migrations 0009, 0018): a place has subplaces or categories
 * of its own, never both; a subplace may have categories (`subplace_id`).
 */
import type { QueueDb } from '../types.js';
import type { Category, Subplace } from '../schema.js';

export type PlaceGroupKind = 'subplaces' | 'categories';
export type PlaceGroup = Subplace & { subplace_id?: string | null };

export function insertSubplace(db: QueueDb, subplace: Subplace): Promise<unknown> {
  return db.insertInto('subplaces').values(subplace).execute();
}

export function insertCategory(db: QueueDb, category: Category): Promise<unknown> {
  return db.insertInto('categories').values(category).execute();
}

export function findPlaceGroup(db: QueueDb, kind: PlaceGroupKind, groupId: string): Promise<PlaceGroup | undefined> {
  return kind === 'subplaces'
    ? db.selectFrom('subplaces').selectAll().where('id', '=', groupId).executeTakeFirst()
    : findCategory(db, groupId);
}

export function findCategory(db: QueueDb, categoryId: string): Promise<Category | undefined> {
  return db.selectFrom('categories').selectAll().where('id', '=', categoryId).executeTakeFirst();
}

/** Deletes a subplace or category; its queues stay, listed directly under the place (a subplace's categories go with it). */
export async function deletePlaceGroup(db: QueueDb, kind: PlaceGroupKind, groupId: string): Promise<void> {
  if (kind === 'subplaces') {
    await db.updateTable('queues').set({ subplace_id: null, category_id: null }).where('subplace_id', '=', groupId).execute();
    await db.deleteFrom('categories').where('subplace_id', '=', groupId).execute();
    await db.deleteFrom('subplaces').where('id', '=', groupId).execute();
    return;
  }
  await db.updateTable('queues').set({ category_id: null }).where('category_id', '=', groupId).execute();
  await db.deleteFrom('categories').where('id', '=', groupId).execute();
}

export function listSubplaces(db: QueueDb, placeIds: string[]): Promise<Subplace[]> {
  if (placeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('subplaces').selectAll().where('place_id', 'in', placeIds).orderBy('created_at').orderBy('id').execute();
}

/** Every category of these places, their subplaces' included. */
export function listCategories(db: QueueDb, placeIds: string[]): Promise<Category[]> {
  if (placeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('categories').selectAll().where('place_id', 'in', placeIds).orderBy('created_at').orderBy('id').execute();
}
