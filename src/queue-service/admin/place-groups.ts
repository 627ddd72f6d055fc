/**
 * Subplaces and categories of a place (docs/lineberty.md §Place): where queues are listed. A place
 * has subplaces or categories of its own, never both (Lineberty's booking flow takes one branch or
 * the other); a category belongs to the place or to one of its subplaces.
 */
import { AppError } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText, toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Place, Queue, Subplace } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import {
  deletePlaceGroup,
  findCategory,
  insertCategory,
  insertSubplace,
  listCategories,
  listSubplaces,
  type PlaceGroup,
  type PlaceGroupKind,
} from '../db/queries/place-groups.js';

export interface PlaceGroupInput {
  name: string;
  names?: Record<string, string>;
}

const placeGroupView = (group: PlaceGroup) => ({
  id: group.id,
  placeId: group.place_id,
  ...(group.subplace_id === undefined ? {} : { subplaceId: group.subplace_id }),
  name: group.name,
  names: parseJsonText(group.names),
  createdAt: toIso(group.created_at),
});

const grouped = () =>
  new AppError('PLACE_GROUPED_OTHERWISE', 'A place has subplaces or categories of its own, never both; categories may go in a subplace.');

/** `subplace`: the category goes in that subplace of `place` instead of the place itself. */
export async function createPlaceGroup(
  deps: QueueServiceDeps,
  kind: PlaceGroupKind,
  place: Place,
  input: PlaceGroupInput,
  subplace: Subplace | null = null,
) {
  const db = deps.database.db;
  const row = {
    id: newId(kind === 'subplaces' ? 'spl' : 'cat', 12),
    company_id: place.company_id,
    place_id: place.id,
    name: input.name,
    names: toJsonText(input.names ?? {}),
    created_at: deps.clock.now(),
  };
  if (kind === 'subplaces') {
    if ((await listCategories(db, [place.id])).some((category) => category.subplace_id === null)) throw grouped();
    await insertSubplace(db, row);
    return placeGroupView(row);
  }
  if (subplace === null && (await listSubplaces(db, [place.id])).length > 0) throw grouped();
  const category = { ...row, subplace_id: subplace?.id ?? null };
  await insertCategory(db, category);
  return placeGroupView(category);
}

/** The place's subplaces, or every category of the place (its subplaces' included), or a subplace's categories. */
export async function listGroupsOfPlace(deps: QueueServiceDeps, kind: PlaceGroupKind, place: Place, subplace: Subplace | null = null) {
  const db = deps.database.db;
  if (kind === 'subplaces') return (await listSubplaces(db, [place.id])).map(placeGroupView);
  const categories = await listCategories(db, [place.id]);
  return (subplace ? categories.filter((category) => category.subplace_id === subplace.id) : categories).map(placeGroupView);
}

export async function removePlaceGroup(deps: QueueServiceDeps, kind: PlaceGroupKind, group: PlaceGroup): Promise<void> {
  await deps.database.db.transaction().execute((trx) => deletePlaceGroup(trx, kind, group.id));
}

/**
 * A queue's subplace and category must be of its own place, and a category of a subplace lists
 * the queue under that subplace: its subplace is set from the category when not given, and a
 * different one is refused. Answers the subplace the queue ends up under.
 */
export async function checkQueueGroups(
  db: QueueDb,
  queue: Pick<Queue, 'place_id'>,
  subplaceId: string | null,
  categoryId: string | null,
  subplaceGiven: boolean,
): Promise<string | null> {
  if (subplaceId !== null && !(await listSubplaces(db, [queue.place_id])).some((group) => group.id === subplaceId))
    throw new AppError('SUBPLACE_NOT_FOUND', 'Not a subplace of the queue’s place.');
  if (categoryId === null) return subplaceId;
  const category = await findCategory(db, categoryId);
  if (!category || category.place_id !== queue.place_id) throw new AppError('CATEGORY_NOT_FOUND', 'Not a category of the queue’s place.');
  if (category.subplace_id === subplaceId) return subplaceId;
  if (!subplaceGiven) return category.subplace_id;
  throw new AppError(
    'VALIDATION_FAILED',
    category.subplace_id === null
      ? 'This category belongs to the place itself, not to a subplace: set subplaceId to null.'
      : 'This category belongs to another subplace: set subplaceId to the category’s subplace, or leave it out.',
    { field: 'subplaceId' },
  );
}
