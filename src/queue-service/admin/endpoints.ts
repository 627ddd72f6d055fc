import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Endpoint, Place } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import {
  deleteEndpointForCompany,
  insertEndpoint,
  listEndpointsForPlace,
  queueIdsOfEndpoint,
  queueIdsOfEndpoints,
  setEndpointQueues,
  updateEndpointForCompany,
} from '../db/queries/endpoints.js';
import { listQueuesForPlace } from '../db/queries/queues.js';
import { endpointView } from '../entities/views.js';

export interface EndpointInput {
  name: string;
  names?: Record<string, string>;
  queueIds: string[];
}

/** A counter serves queues of its own place only. */
async function checkQueuesOfPlace(db: QueueDb, place: { id: string; company_id: string }, queueIds: string[]): Promise<void> {
  const own = new Set((await listQueuesForPlace(db, place.company_id, place.id)).map((queue) => queue.id));
  const foreign = queueIds.filter((id) => !own.has(id));
  if (foreign.length > 0) throw new AppError('QUEUE_NOT_FOUND', `No queue ${foreign.join(', ')} in this place.`);
}

export async function createEndpoint(deps: QueueServiceDeps, place: Place, input: EndpointInput) {
  const db = deps.database.db;
  await checkQueuesOfPlace(db, place, input.queueIds);
  const endpoint: Endpoint = {
    id: newId('ept', 12),
    company_id: place.company_id,
    place_id: place.id,
    name: input.name,
    names: toJsonText(input.names ?? {}),
    is_open: 0,
    opened_at: null,
    created_at: deps.clock.now(),
  };
  const queueIds = [...new Set(input.queueIds)];
  await deps.database.transaction(async (trx) => {
    await insertEndpoint(trx, endpoint);
    await setEndpointQueues(trx, endpoint.id, queueIds);
  });
  return endpointView(endpoint, queueIds);
}

export async function listEndpoints(deps: QueueServiceDeps, place: Place) {
  const endpoints = await listEndpointsForPlace(deps.database.db, place.company_id, place.id);
  const queues = await queueIdsOfEndpoints(
    deps.database.db,
    endpoints.map((e) => e.id),
  );
  return endpoints.map((endpoint) => endpointView(endpoint, queues.get(endpoint.id) ?? []));
}

export async function presentEndpoint(deps: QueueServiceDeps, endpoint: Endpoint) {
  return endpointView(endpoint, await queueIdsOfEndpoint(deps.database.db, endpoint.id));
}

export async function updateEndpoint(deps: QueueServiceDeps, endpoint: Endpoint, input: Partial<EndpointInput>) {
  const db = deps.database.db;
  if (input.queueIds) await checkQueuesOfPlace(db, { id: endpoint.place_id, company_id: endpoint.company_id }, input.queueIds);
  const changes: Partial<Endpoint> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.names !== undefined) changes.names = toJsonText(input.names);
  await deps.database.transaction(async (trx) => {
    if (Object.keys(changes).length > 0) await updateEndpointForCompany(trx, endpoint.company_id, endpoint.id, changes);
    if (input.queueIds) await setEndpointQueues(trx, endpoint.id, [...new Set(input.queueIds)]);
  });
  return presentEndpoint(deps, { ...endpoint, ...changes });
}

export async function removeEndpoint(deps: QueueServiceDeps, endpoint: Endpoint): Promise<void> {
  await deleteEndpointForCompany(deps.database.db, endpoint.company_id, endpoint.id);
}
