/** What the booking side may read of a company: its places and queues, and queue state. */
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findPlaceForCompany, listPlacesForCompany } from '../db/queries/places.js';
import { findQueueWithPlaceForCompany, listQueuesForPlace } from '../db/queries/queues.js';
import { placeView } from '../entities/views.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import type { Queue } from '../db/schema.js';
import { queueStateOf } from './queue-state.js';

/** The public face of a queue: no templates or delivery settings, just what a person needs to book. */
export const publicQueueView = (queue: Queue) => {
  const settings = parseQueueSettings(queue.settings);
  return {
    id: queue.id,
    placeId: queue.place_id,
    name: queue.name,
    labelPrefix: queue.label_prefix,
    minGroupSize: settings.minGroupSize,
    maxGroupSize: settings.maxGroupSize,
    mailRequired: settings.mailRequired,
    phoneRequired: settings.phoneRequired,
    confirmRequired: settings.confirmRequired,
  };
};

export async function listCompanyPlaces(deps: QueueServiceDeps, companyId: string) {
  return (await listPlacesForCompany(deps.database.db, companyId)).map(placeView);
}

export async function getCompanyPlace(deps: QueueServiceDeps, companyId: string, placeId: string) {
  const place = await findPlaceForCompany(deps.database.db, companyId, placeId);
  if (!place) throw new AppError('PLACE_NOT_FOUND');
  return place;
}

export async function listPlaceQueues(deps: QueueServiceDeps, companyId: string, placeId: string) {
  await getCompanyPlace(deps, companyId, placeId);
  return (await listQueuesForPlace(deps.database.db, companyId, placeId)).map(publicQueueView);
}

export async function getCompanyQueue(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await findQueueWithPlaceForCompany(deps.database.db, companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND');
  return queue;
}

export async function getQueueState(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await getCompanyQueue(deps, companyId, queueId);
  return queueStateOf(deps.database.db, queue, queue.place_time_zone, deps.clock.now());
}
