import type { QueueDb } from '../types.js';
import type { Company } from '../schema.js';

export function insertCompany(db: QueueDb, company: Company): Promise<unknown> {
  return db.insertInto('companies').values(company).execute();
}

export function findCompany(db: QueueDb, companyId: string): Promise<Company | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst();
}

export function listCompanies(db: QueueDb): Promise<Company[]> {
  return db.selectFrom('companies').selectAll().orderBy('created_at').execute();
}

export async function updateCompanyName(db: QueueDb, companyId: string, name: string): Promise<boolean> {
  const result = await db.updateTable('companies').set({ name }).where('id', '=', companyId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function updateCompanyRetention(db: QueueDb, companyId: string, days: number): Promise<boolean> {
  const result = await db.updateTable('companies').set({ retention_days: days }).where('id', '=', companyId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteCompany(db: QueueDb, companyId: string): Promise<boolean> {
  const result = await db.deleteFrom('companies').where('id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The company's SMS and e-mail limits as stored (JSON), null for the defaults. */
export async function findNotificationLimitsOfCompany(db: QueueDb, companyId: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('companies').select('notification_limits').where('id', '=', companyId).executeTakeFirst();
  return row ? row.notification_limits : undefined;
}

export async function updateNotificationLimits(db: QueueDb, companyId: string, json: string | null): Promise<boolean> {
  const result = await db.updateTable('companies').set({ notification_limits: json }).where('id', '=', companyId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
