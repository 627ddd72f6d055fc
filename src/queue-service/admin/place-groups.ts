/**
 * Subplaces and categories of a place (docs/lineberty.md §Place): where queues are listed. A place
 * has one kind or the other, never both (Lineberty's booking flow takes one branch or the other).
 */
import { AppError } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText, toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Place, Queue, Subplace } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { deletePlaceGroup, insertPlaceGroup, listPlaceGroups, type PlaceGroupKind } from '../db/queries/place-groups.js';

export interface PlaceGroupInput {
  name: string;
  names?: Record<string, string>;
}

const OTHER: Record<PlaceGroupKind, PlaceGroupKind> = { subplaces: 'categories', categories: 'subplaces' };
const PREFIX: Record<PlaceGroupKind, string> = { subplaces: 'spl', categories: 'cat' };

const placeGroupView = (group: Subplace) => ({
  id: group.id,
  placeId: group.place_id,
  name: group.name,
  names: parseJsonText(group.names),
  createdAt: toIso(group.created_at),
});

export async function createPlaceGroup(deps: QueueServiceDeps, kind: PlaceGroupKind, place: Place, input: PlaceGroupInput) {
  const db = deps.database.db;
  if ((await listPlaceGroups(db, OTHER[kind], [place.id])).length > 0)
    throw new AppError(
      'PLACE_GROUPED_OTHERWISE',
      `This place has ${OTHER[kind]} already; a place has subplaces or categories, never both.`,
    );
  const group: Subplace = {
    id: newId(PREFIX[kind], 12),
    company_id: place.company_id,
    place_id: place.id,
    name: input.name,
    names: toJsonText(input.names ?? {}),
    created_at: deps.clock.now(),
  };
  await insertPlaceGroup(db, kind, group);
  return placeGroupView(group);
}

export async function listGroupsOfPlace(deps: QueueServiceDeps, kind: PlaceGroupKind, place: Place) {
  return (await listPlaceGroups(deps.database.db, kind, [place.id])).map(placeGroupView);
}

export async function removePlaceGroup(deps: QueueServiceDeps, kind: PlaceGroupKind, group: Subplace): Promise<void> {
  await deps.database.db.transaction().execute((trx) => deletePlaceGroup(trx, kind, group.id));
}

/** A queue's subplace or category must be one of its own place. */
export async function checkQueueGroups(db: QueueDb, queue: Pick<Queue, 'place_id'>, subplaceId: string | null, categoryId: string | null) {
  for (const [kind, id] of [
    ['subplaces', subplaceId],
    ['categories', categoryId],
  ] as const) {
    if (id === null) continue;
    const found = (await listPlaceGroups(db, kind, [queue.place_id])).some((group) => group.id === id);
    if (!found) throw new AppError(kind === 'subplaces' ? 'SUBPLACE_NOT_FOUND' : 'CATEGORY_NOT_FOUND', 'Not a group of the queue’s place.');
  }
}
