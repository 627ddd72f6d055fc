import { AppError, fail } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Operator, OperatorQueueRole } from '../db/schema.js';
import { toIso } from '../../platform/clock.js';
import { findQueueForCompany } from '../db/queries/queues.js';
import { deleteOperatorQueueRole, listOperatorQueueRoles, upsertOperatorQueueRole } from '../db/queries/operator-queue-roles.js';
import { findCompany } from '../db/queries/companies.js';
import {
  deleteOperatorForCompany,
  findOperatorByLogin,
  insertOperator,
  listOperatorsForCompany,
  updateOperatorForCompany,
} from '../db/queries/operators.js';
import { FULL_ROLES, parseRoles, type OperatorRolesPatch } from '../entities/operator-roles.js';
import { operatorView } from '../entities/views.js';

export interface OperatorInput {
  loginId: string;
  password: string;
  name?: string;
  roles?: OperatorRolesPatch;
}

export async function createOperator(deps: QueueServiceDeps, companyId: string, input: OperatorInput) {
  const db = deps.database.db;
  if (!(await findCompany(db, companyId))) fail('COMPANY_NOT_FOUND');
  if (await findOperatorByLogin(db, companyId, input.loginId)) fail('LOGIN_ID_TAKEN');
  const operator: Operator = {
    id: newId('opr', 12),
    company_id: companyId,
    login_id: input.loginId,
    name: input.name ?? input.loginId,
    password_hash: await hashPassword(input.password),
    roles: JSON.stringify(input.roles ?? FULL_ROLES),
    created_at: deps.clock.now(),
    token_version: 0,
  };
  try {
    await insertOperator(db, operator);
  } catch (error) {
    // Two creations racing past the check above: the unique constraint decides.
    if (await findOperatorByLogin(db, companyId, input.loginId)) throw new AppError('LOGIN_ID_TAKEN');
    throw error;
  }
  return operatorView(operator);
}

export async function listOperators(deps: QueueServiceDeps, companyId: string) {
  return (await listOperatorsForCompany(deps.database.db, companyId)).map(operatorView);
}

export async function updateOperator(deps: QueueServiceDeps, operator: Operator, input: Partial<OperatorInput>) {
  const changes: Partial<Operator> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.roles !== undefined) changes.roles = JSON.stringify(input.roles);
  if (input.password !== undefined) changes.password_hash = await hashPassword(input.password);
  if (input.loginId !== undefined && input.loginId !== operator.login_id) {
    if (await findOperatorByLogin(deps.database.db, operator.company_id, input.loginId)) fail('LOGIN_ID_TAKEN');
    changes.login_id = input.loginId;
  }
  // Tokens issued before a change of what the token proves stop working (docs/security.md §Tokens).
  if (changes.password_hash !== undefined || changes.login_id !== undefined || changes.roles !== undefined)
    changes.token_version = operator.token_version + 1;
  if (Object.keys(changes).length > 0) await updateOperatorForCompany(deps.database.db, operator.company_id, operator.id, changes);
  return operatorView({ ...operator, ...changes });
}

export async function removeOperator(deps: QueueServiceDeps, operator: Operator): Promise<void> {
  await deleteOperatorForCompany(deps.database.db, operator.company_id, operator.id);
}

const queueRoleView = (row: OperatorQueueRole) => ({
  queueId: row.queue_id,
  roles: parseRoles(row.roles),
  updatedAt: toIso(row.updated_at),
});

/** The operator's role in each queue where it differs from their own (docs/lineberty/auth.md §Roles). */
export async function listQueueRoles(deps: QueueServiceDeps, operator: Operator) {
  return (await listOperatorQueueRoles(deps.database.db, operator.id)).map(queueRoleView);
}

/** Sets the operator's whole role in one queue of their company; it applies from their next action. */
export async function setQueueRole(deps: QueueServiceDeps, operator: Operator, queueId: string, roles: OperatorRolesPatch) {
  const db = deps.database.db;
  if (!(await findQueueForCompany(db, operator.company_id, queueId))) throw new AppError('QUEUE_NOT_FOUND');
  const row: OperatorQueueRole = {
    operator_id: operator.id,
    queue_id: queueId,
    company_id: operator.company_id,
    roles: JSON.stringify(roles),
    updated_at: deps.clock.now(),
  };
  await upsertOperatorQueueRole(db, row);
  return queueRoleView(row);
}

/** The operator's own role applies in that queue again. */
export async function removeQueueRole(deps: QueueServiceDeps, operator: Operator, queueId: string): Promise<void> {
  if (!(await deleteOperatorQueueRole(deps.database.db, operator.id, queueId)))
    throw new AppError('NOT_FOUND', 'This operator has no role of its own in this queue.', { queueId });
}
