/** Subplaces and categories of places (migration 0009): a place has one kind or the other, never both. */
import type { QueueDb } from '../types.js';
import type { Subplace } from '../schema.js';

export type PlaceGroupKind = 'subplaces' | 'categories';

export function listPlaceGroups(db: QueueDb, kind: PlaceGroupKind, placeIds: string[]): Promise<Subplace[]> {
  if (placeIds.length === 0) return Promise.resolve([]);
  return db.selectFrom(kind).selectAll().where('place_id', 'in', placeIds).orderBy('created_at').orderBy('id').execute();
}
