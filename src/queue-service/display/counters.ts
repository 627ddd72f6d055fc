/**
 * What a display board shows: the counters of a place, named per locale, each
 * with the ticket it is calling now; and the calls themselves, live (display/routes.ts).
 */
import { AppError } from '../../contract/errors.js';
import { toIsoOrNull } from '../../platform/clock.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import { calledTicketsOfPlace } from '../db/queries/display.js';
import { listEndpointsForPlace, queueIdsOfEndpoints } from '../db/queries/endpoints.js';
import { findPlaceForCompany } from '../db/queries/places.js';

export async function displayPlace(deps: QueueServiceDeps, companyId: string, placeId: string) {
  const place = await findPlaceForCompany(deps.database.db, companyId, placeId);
  if (!place) throw new AppError('PLACE_NOT_FOUND');
  return place;
}

export async function placeCounters(deps: QueueServiceDeps, companyId: string, placeId: string) {
  const db = deps.database.db;
  const place = await displayPlace(deps, companyId, placeId);
  // Creation order, then name: counters made in the same instant still come out the same way each time.
  const endpoints = (await listEndpointsForPlace(db, companyId, placeId)).sort(
    (a, b) => a.created_at - b.created_at || a.name.localeCompare(b.name),
  );
  const [queues, called] = await Promise.all([
    queueIdsOfEndpoints(
      db,
      endpoints.map((e) => e.id),
    ),
    calledTicketsOfPlace(db, placeId),
  ]);
  return {
    placeId,
    name: place.name,
    names: parseJsonText(place.names),
    timeZone: place.time_zone,
    lang: place.lang,
    endpoints: endpoints.map((endpoint) => {
      const current = called.find((ticket) => ticket.endpoint_id === endpoint.id);
      return {
        id: endpoint.id,
        name: endpoint.name,
        names: parseJsonText(endpoint.names),
        isOpen: endpoint.is_open === 1,
        queueIds: [...(queues.get(endpoint.id) ?? [])].sort(),
        current: current
          ? {
              ticketId: current.id,
              label: current.label,
              queueId: current.queue_id,
              calledAt: toIsoOrNull(current.called_at),
              recallCount: current.recall_count,
              priority: current.priority === 1,
            }
          : null,
      };
    }),
  };
}
