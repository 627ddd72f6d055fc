/**
 * Which tickets a screen follows on the tickets stream (docs/lineberty.md §Display): those of a
 * place, of some of its queues, or those at one of its counters. Every id is checked to be the
 * place's, so a typo is a 404 rather than a screen that stays empty.
 */
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findEndpointForCompany } from '../db/queries/endpoints.js';
import { findQueueForCompany, listQueuesForPlace } from '../db/queries/queues.js';
import { endOfLocalDay } from '../appointments/zoned-time.js';
import type { BoardFilter } from '../streams/hub.js';
import { displayPlace } from './counters.js';

export interface BoardAsked {
  placeId?: string;
  queueId?: string;
  queueIds?: string;
  endpointId?: string;
}

/** The filter of a tickets stream, and the end of the place's day (appointments of later days are not shown on connect). */
export async function boardFilterOf(deps: QueueServiceDeps, companyId: string, asked: BoardAsked) {
  const db = deps.database.db;
  let placeId = asked.placeId;
  const queueIds = asked.queueId ? [asked.queueId] : asked.queueIds ? asked.queueIds.split(',').filter(Boolean) : null;
  if (placeId === undefined) {
    const queue = await findQueueForCompany(db, companyId, asked.queueId ?? '');
    if (!queue) throw new AppError('QUEUE_NOT_FOUND');
    placeId = queue.place_id;
  }
  const place = await displayPlace(deps, companyId, placeId);
  if (queueIds) {
    const own = new Set((await listQueuesForPlace(db, companyId, place.id)).map((queue) => queue.id));
    const stranger = queueIds.find((id) => !own.has(id));
    if (stranger !== undefined) throw new AppError('QUEUE_NOT_FOUND', `No queue ${stranger} at this place.`, { queueId: stranger });
  }
  if (asked.endpointId !== undefined) {
    const endpoint = await findEndpointForCompany(db, companyId, asked.endpointId);
    if (!endpoint || endpoint.place_id !== place.id) throw new AppError('ENDPOINT_NOT_FOUND');
  }
  const filter: BoardFilter = { placeId: place.id, queueIds: queueIds ? new Set(queueIds) : null, endpointId: asked.endpointId ?? null };
  return { filter, endOfDay: endOfLocalDay(deps.clock.now(), place.time_zone) };
}
