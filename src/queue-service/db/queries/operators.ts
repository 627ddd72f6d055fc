import type { Updateable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { Operator, OperatorTable } from '../schema.js';

export function insertOperator(db: QueueDb, operator: Operator): Promise<unknown> {
  return db.insertInto('operators').values(operator).execute();
}

export function findOperatorForCompany(db: QueueDb, companyId: string, operatorId: string): Promise<Operator | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', operatorId).where('company_id', '=', companyId).executeTakeFirst();
}

export function findOperatorByLogin(db: QueueDb, companyId: string, loginId: string): Promise<Operator | undefined> {
  return db.selectFrom('operators').selectAll().where('company_id', '=', companyId).where('login_id', '=', loginId).executeTakeFirst();
}

export function listOperatorsForCompany(db: QueueDb, companyId: string): Promise<Operator[]> {
  return db.selectFrom('operators').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

export async function updateOperatorForCompany(
  db: QueueDb,
  companyId: string,
  operatorId: string,
  changes: Updateable<OperatorTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('operators')
    .set(changes)
    .where('id', '=', operatorId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteOperatorForCompany(db: QueueDb, companyId: string, operatorId: string): Promise<boolean> {
  const result = await db.deleteFrom('operators').where('id', '=', operatorId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findOperator(db: QueueDb, operatorId: string): Promise<Operator | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', operatorId).executeTakeFirst();
}

/** What an operator token is checked against on every request. */
export function findOperatorTokenVersion(
  db: QueueDb,
  operatorId: string,
): Promise<Pick<Operator, 'company_id' | 'token_version'> | undefined> {
  return db.selectFrom('operators').select(['company_id', 'token_version']).where('id', '=', operatorId).executeTakeFirst();
}
