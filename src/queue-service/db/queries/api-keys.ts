import type { QueueDb } from '../types.js';
import type { ApiKey } from '../schema.js';

export function insertApiKey(db: QueueDb, key: ApiKey): Promise<unknown> {
  return db.insertInto('api_keys').values(key).execute();
}

export function findActiveApiKeyByHash(db: QueueDb, keyHash: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export function listApiKeysForCompany(db: QueueDb, companyId: string): Promise<ApiKey[]> {
  return db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

export async function revokeApiKeyForCompany(db: QueueDb, companyId: string, keyId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', keyId)
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
