/**
 * Lineberty's Display routes for counters (docs/lineberty.md §Display): a ticket names its counter
 * in its own language only, so screens read every counter's names here, keyed by endpointId.
 */
import { namesInEveryLocale } from '../../contract/locale.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Endpoint } from '../db/schema.js';
import { listEndpointsForCompany, listEndpointsForPlace, queueIdsOfEndpoints } from '../db/queries/endpoints.js';
import { keyedBy } from '../entities/catalog-views.js';
import { displayPlace } from './counters.js';

async function endpointViews(deps: QueueServiceDeps, endpoints: Endpoint[], onlyQueues: string[] | null) {
  const served = await queueIdsOfEndpoints(
    deps.database.db,
    endpoints.map((endpoint) => endpoint.id),
  );
  const shown = onlyQueues === null ? endpoints : endpoints.filter((e) => (served.get(e.id) ?? []).some((q) => onlyQueues.includes(q)));
  return keyedBy(
    shown,
    (endpoint) => endpoint.id,
    (endpoint) => ({
      endpointId: endpoint.id,
      placeId: endpoint.place_id,
      name: namesInEveryLocale(endpoint.name, parseJsonText(endpoint.names)),
      queueIds: [...(served.get(endpoint.id) ?? [])].sort(),
      isOpen: endpoint.is_open === 1,
    }),
  );
}

/** `GET /v2/queues/endpoints`: the counters serving the company's queues, or only the queues asked for. */
export async function queuesEndpoints(deps: QueueServiceDeps, companyId: string, queueIds: string[] | null) {
  return endpointViews(deps, await listEndpointsForCompany(deps.database.db, companyId), queueIds);
}

/** `GET /v2/places/{placeId}/endpoints`: the counters of a place. */
export async function placeEndpoints(deps: QueueServiceDeps, companyId: string, placeId: string) {
  await displayPlace(deps, companyId, placeId);
  return endpointViews(deps, await listEndpointsForPlace(deps.database.db, companyId, placeId), null);
}
