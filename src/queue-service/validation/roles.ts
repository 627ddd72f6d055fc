/**
 * GET /v2/operator/roles as Lineberty nests it: company → place → queue → role. Each queue shows the
 * role the admin set for the operator there, else the operator's own (docs/lineberty/auth.md §Roles).
 */
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findOperatorForCompany } from '../db/queries/operators.js';
import { listQueuePlacesForCompany } from '../db/queries/queues.js';
import { listOperatorQueueRoles } from '../db/queries/operator-queue-roles.js';
import type { OperatorCaller } from '../http/auth.js';
import { LinebertyRoleView, linebertyRoleView, parseRoles } from '../entities/operator-roles.js';

export const OperatorRolesTree = Type.Record(
  Type.String({ description: 'companyId' }),
  Type.Record(Type.String({ description: 'placeId' }), Type.Record(Type.String({ description: 'queueId' }), LinebertyRoleView)),
);

export async function operatorRolesTree(deps: QueueServiceDeps, caller: OperatorCaller) {
  const db = deps.database.db;
  const operator = await findOperatorForCompany(db, caller.companyId, caller.operatorId);
  if (!operator) throw new AppError('UNAUTHENTICATED', 'This operator no longer exists.');
  const own = linebertyRoleView(parseRoles(operator.roles));
  const byQueue = new Map((await listOperatorQueueRoles(db, operator.id)).map((row) => [row.queue_id, row.roles]));
  const places: Record<string, Record<string, typeof own>> = {};
  for (const queue of await listQueuePlacesForCompany(db, caller.companyId)) {
    const role = byQueue.get(queue.id);
    places[queue.place_id] ??= {};
    places[queue.place_id]![queue.id] = role === undefined ? own : linebertyRoleView(parseRoles(role));
  }
  return { [caller.companyId]: places };
}
