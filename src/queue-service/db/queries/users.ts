import type { QueueDb } from '../types.js';

export function insertUser(db: QueueDb, user: { id: string; company_id: string; created_at: number }): Promise<unknown> {
  return db.insertInto('users').values(user).execute();
}

export async function userExistsForCompany(db: QueueDb, companyId: string, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('id', '=', userId).where('company_id', '=', companyId).executeTakeFirst();
  return row !== undefined;
}
