/**
 * GET /v2/operator/roles as Lineberty nests it: company → place → queue → role. queuebell keeps one
 * role per operator, so every queue of the company shows the same one (docs/lineberty/auth.md).
 */
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findOperatorForCompany } from '../db/queries/operators.js';
import { listQueuePlacesForCompany } from '../db/queries/queues.js';
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
  const role = linebertyRoleView(parseRoles(operator.roles));
  const places: Record<string, Record<string, typeof role>> = {};
  for (const queue of await listQueuePlacesForCompany(db, caller.companyId)) {
    places[queue.place_id] ??= {};
    places[queue.place_id]![queue.id] = role;
  }
  return { [caller.companyId]: places };
}
