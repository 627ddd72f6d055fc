/** A counter as its operator sees it: open or closed, the queues it serves, who works there. */
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Endpoint } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findEndpointForCompany, queueIdsOfEndpoint, updateEndpointForCompany } from '../db/queries/endpoints.js';
import { findOperatorForCompany } from '../db/queries/operators.js';
import { findPlace } from '../db/queries/places.js';
import type { CounterCaller } from '../http/auth.js';
import { ALL_ALLOWED, parseRoles, rolesInQueue, type OperatorRoleSet } from '../entities/operator-roles.js';
import { listOperatorQueueRoles } from '../db/queries/operator-queue-roles.js';
import { endpointView } from '../entities/views.js';
import { announceQueueChange } from '../streams/announce.js';
import { listQueueSettings } from '../db/queries/queues.js';
import { parseQueueSettings } from '../entities/queue-settings.js';

export interface CounterSession {
  endpoint: Endpoint;
  queueIds: string[];
  /** The caller's role in each queue (an `operator` key: everything). */
  roles: OperatorRoleSet;
  actor: string;
}

/**
 * Loads the counter in the caller's company and the caller's roles, their own and those set for
 * the counter's queues; a deleted operator loses access at once, a changed role applies at once.
 */
export async function openSession(db: QueueDb, caller: CounterCaller, endpointId: string): Promise<CounterSession> {
  const endpoint = await findEndpointForCompany(db, caller.companyId, endpointId);
  if (!endpoint) throw new AppError('ENDPOINT_NOT_FOUND');
  const queueIds = await queueIdsOfEndpoint(db, endpoint.id);
  let roles = ALL_ALLOWED;
  if (caller.operatorId) {
    const operator = await findOperatorForCompany(db, caller.companyId, caller.operatorId);
    if (!operator) throw new AppError('UNAUTHENTICATED', 'This operator no longer exists.');
    const byQueue = await listOperatorQueueRoles(db, operator.id, queueIds);
    roles = { own: parseRoles(operator.roles), byQueue: new Map(byQueue.map((row) => [row.queue_id, parseRoles(row.roles)])) };
  }
  return { endpoint, queueIds, roles, actor: caller.actor };
}

/**
 * The queues in which the counter may call and serve now: all of them while it is open; while it
 * is closed, only in hidden mode, which needs both the operator's role in the queue and the
 * queue's settings (Lineberty's rule). None: 409 ENDPOINT_CLOSED.
 */
export async function queuesToActIn(db: QueueDb, session: CounterSession): Promise<string[]> {
  if (session.endpoint.is_open === 1) return session.queueIds;
  const roleAllows = session.queueIds.filter((id) => rolesInQueue(session.roles, id).hiddenModeAllowed);
  if (roleAllows.length === 0) throw new AppError('ENDPOINT_CLOSED');
  const rows = await listQueueSettings(db, session.endpoint.company_id, roleAllows);
  const hidden = new Set(rows.filter((row) => parseQueueSettings(row.settings).hiddenModeAllowed).map((row) => row.id));
  const queueIds = roleAllows.filter((id) => hidden.has(id));
  if (queueIds.length === 0)
    throw new AppError('ENDPOINT_CLOSED', 'The counter is closed and hidden mode is not allowed here; open it first.');
  return queueIds;
}

/** The counter as the desk shows it: with its place's time zone, since every time on the desk is the place's. */
export async function operatorCounterView(db: QueueDb, endpoint: Endpoint, queueIds: string[]) {
  const place = await findPlace(db, endpoint.place_id);
  return { ...endpointView(endpoint, queueIds), timeZone: place?.time_zone ?? 'UTC' };
}

export async function setCounterOpen(deps: QueueServiceDeps, caller: CounterCaller, endpointId: string, isOpen: boolean) {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  // Opening or closing the counter opens or closes it for every queue it serves: each must allow it.
  const roles = session.queueIds.length ? session.queueIds.map((id) => rolesInQueue(session.roles, id)) : [session.roles.own];
  if (roles.some((role) => !role.manageCounter))
    throw new AppError('ROLE_FORBIDS', 'This operator may not open or close the counter (in every queue it serves).');
  const changes = { is_open: isOpen ? 1 : 0, opened_at: isOpen ? (session.endpoint.opened_at ?? deps.clock.now()) : null } as const;
  await updateEndpointForCompany(db, caller.companyId, endpointId, changes);
  // Queue open flags and estimates of the counter's queues changed: live streams follow.
  await announceQueueChange(deps, session.queueIds);
  return operatorCounterView(db, { ...session.endpoint, ...changes }, session.queueIds);
}

export async function getCounter(deps: QueueServiceDeps, caller: CounterCaller, endpointId: string) {
  const session = await openSession(deps.database.db, caller, endpointId);
  return operatorCounterView(deps.database.db, session.endpoint, session.queueIds);
}
