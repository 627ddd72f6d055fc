import { AppError, fail } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { hashPassword } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Operator } from '../db/schema.js';
import { findCompany } from '../db/queries/companies.js';
import {
  deleteOperatorForCompany,
  findOperatorByLogin,
  insertOperator,
  listOperatorsForCompany,
  updateOperatorForCompany,
} from '../db/queries/operators.js';
import { FULL_ROLES, type OperatorRolesPatch } from '../entities/operator-roles.js';
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
