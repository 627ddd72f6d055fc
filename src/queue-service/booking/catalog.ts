/** What the booking side may read of a company: its places and queues, and queue state (docs/lineberty.md). */
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Place, Queue } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findPlaceForCompany, listPlacesForCompany } from '../db/queries/places.js';
import { listCategories, listSubplaces } from '../db/queries/place-groups.js';
import { findQueueWithPlaceForCompany, listQueuesForCompany, listQueuesForPlace } from '../db/queries/queues.js';
import { listAppointmentTypesOfQueues } from '../db/queries/appointment-types.js';
import { userExistsForCompany } from '../db/queries/users.js';
import { distanceInMetres, keyedBy, placeView, queueView } from '../entities/catalog-views.js';
import { queueStateOf } from './queue-state.js';

export interface Position {
  lat: number;
  lng: number;
}

async function placeViews(db: QueueDb, places: Place[], from: Position | null) {
  const ids = places.map((place) => place.id);
  const groups = { subplaces: await listSubplaces(db, ids), categories: await listCategories(db, ids) };
  const distanceOf = (place: Place) =>
    from === null
      ? undefined
      : place.lat === null || place.lng === null
        ? null
        : distanceInMetres(from, { lat: place.lat, lng: place.lng });
  return places.map((place) => placeView(place, groups, distanceOf(place)));
}

/** Places keyed by id; nearest first when the request gives a position. */
export async function listCompanyPlaces(deps: QueueServiceDeps, companyId: string, from: Position | null) {
  const views = await placeViews(deps.database.db, await listPlacesForCompany(deps.database.db, companyId), from);
  if (from) views.sort((a, b) => (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY));
  return keyedBy(
    views,
    (view) => view.placeId,
    (view) => view,
  );
}

async function getCompanyPlace(deps: QueueServiceDeps, companyId: string, placeId: string): Promise<Place> {
  const place = await findPlaceForCompany(deps.database.db, companyId, placeId);
  if (!place) throw new AppError('PLACE_NOT_FOUND');
  return place;
}

export async function getPlace(deps: QueueServiceDeps, companyId: string, placeId: string, from: Position | null) {
  const [view] = await placeViews(deps.database.db, [await getCompanyPlace(deps, companyId, placeId)], from);
  return view!;
}

async function queueViews(db: QueueDb, queues: Queue[]) {
  const types = await listAppointmentTypesOfQueues(
    db,
    queues.map((queue) => queue.id),
  );
  return keyedBy(
    queues,
    (queue) => queue.id,
    (queue) => queueView(queue, types),
  );
}

export async function listPlaceQueues(deps: QueueServiceDeps, companyId: string, placeId: string) {
  await getCompanyPlace(deps, companyId, placeId);
  return queueViews(deps.database.db, await listQueuesForPlace(deps.database.db, companyId, placeId));
}

export async function listCompanyQueues(deps: QueueServiceDeps, companyId: string) {
  return queueViews(deps.database.db, await listQueuesForCompany(deps.database.db, companyId));
}

async function getCompanyQueue(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await findQueueWithPlaceForCompany(deps.database.db, companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND');
  return queue;
}

export async function getQueue(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await getCompanyQueue(deps, companyId, queueId);
  return (await queueViews(deps.database.db, [queue]))[queue.id]!;
}

export async function getQueueState(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await getCompanyQueue(deps, companyId, queueId);
  return queueStateOf(deps.database.db, queue, queue.place_time_zone, deps.clock.now());
}

/** The states of several queues, keyed by id (`POST /v2/queues/state`); an unknown id is a 404 naming it. */
export async function getQueueStates(deps: QueueServiceDeps, companyId: string, queueIds: string[]) {
  const states: Record<string, Awaited<ReturnType<typeof getQueueState>>> = {};
  for (const queueId of new Set(queueIds)) states[queueId] = await stateOrNotFound(deps, companyId, queueId);
  return states;
}

async function stateOrNotFound(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await findQueueWithPlaceForCompany(deps.database.db, companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND', `No queue with the id ${queueId}.`, { queueId });
  return queueStateOf(deps.database.db, queue, queue.place_time_zone, deps.clock.now());
}

/**
 * Whether a booking in each queue would be taken now (`POST /v2/queues/eligibility`), keyed by id,
 * with the error code booking would answer otherwise. queuebell sets no limit per person, so a
 * `userId` is only checked to be one of the company's users (docs/lineberty.md §Eligibility).
 */
export async function getQueueEligibility(deps: QueueServiceDeps, companyId: string, queueIds: string[], userId: string | undefined) {
  if (userId !== undefined && !(await userExistsForCompany(deps.database.db, companyId, userId)))
    throw new AppError('NOT_FOUND', `No user with the id ${userId}.`, { userId });
  const states = await getQueueStates(deps, companyId, queueIds);
  return keyedBy(
    Object.values(states),
    (state) => state.queueId,
    (state) => ({
      queueId: state.queueId,
      isEligible: state.bookingIsOpened,
      reason: state.bookingIsOpened
        ? null
        : state.queueIsFull || state.queueIsFullForTheDay
          ? ('QUEUE_FULL' as const)
          : ('BOOKING_CLOSED' as const),
    }),
  );
}

/** The subplaces or the categories of a place, keyed by id, as the place shows them. */
export async function listPlaceGroupsOf(deps: QueueServiceDeps, companyId: string, placeId: string, kind: 'subplaces' | 'categories') {
  const place = await getPlace(deps, companyId, placeId, null);
  return place[kind];
}

/** The categories of one subplace of a place, keyed by id. */
export async function listSubplaceCategories(deps: QueueServiceDeps, companyId: string, placeId: string, subplaceId: string) {
  const subplace = (await getPlace(deps, companyId, placeId, null)).subplaces[subplaceId];
  if (!subplace) throw new AppError('SUBPLACE_NOT_FOUND');
  return subplace.categories;
}

/**
 * The queues listed under one subplace (its categories' included) or one category (of the place
 * or of one of its subplaces; `subplaceId` given, of that subplace), keyed by id.
 */
export async function listGroupQueues(
  deps: QueueServiceDeps,
  companyId: string,
  placeId: string,
  kind: 'subplaces' | 'categories',
  groupId: string,
  subplaceId: string | null = null,
) {
  const db = deps.database.db;
  await getCompanyPlace(deps, companyId, placeId);
  const groups = kind === 'subplaces' ? await listSubplaces(db, [placeId]) : await listCategories(db, [placeId]);
  const group = groups.find(
    (row) => row.id === groupId && (subplaceId === null || ('subplace_id' in row && row.subplace_id === subplaceId)),
  );
  if (!group) throw new AppError(kind === 'subplaces' ? 'SUBPLACE_NOT_FOUND' : 'CATEGORY_NOT_FOUND');
  const queues = await listQueuesForPlace(db, companyId, placeId);
  const column = kind === 'subplaces' ? 'subplace_id' : 'category_id';
  return queueViews(
    db,
    queues.filter((queue) => queue[column] === groupId),
  );
}
