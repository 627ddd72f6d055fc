import type { QueueDb } from '../types.js';

export function insertUser(db: QueueDb, user: { id: string; company_id: string; created_at: number }): Promise<unknown> {
  return db.insertInto('users').values(user).execute();
}
