import type { QueueDb } from '../types.js';
import type { ApiKey, ServiceAccount } from '../schema.js';

export function insertServiceAccount(db: QueueDb, account: ServiceAccount): Promise<unknown> {
  return db.insertInto('service_accounts').values(account).execute();
}

/** By the JWT's kid (the key file's private_key_id), or by its issuer when the JWT has no kid. */
export function findActiveServiceAccount(
  db: QueueDb,
  by: { keyId: string } | { clientEmail: string },
): Promise<ServiceAccount | undefined> {
  const query = db.selectFrom('service_accounts').selectAll().where('revoked_at', 'is', null);
  return ('keyId' in by ? query.where('key_id', '=', by.keyId) : query.where('client_email', '=', by.clientEmail)).executeTakeFirst();
}

export function listServiceAccountsForCompany(db: QueueDb, companyId: string): Promise<ServiceAccount[]> {
  return db.selectFrom('service_accounts').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

/** Revokes the account, then every API key it received (the keys first would leave a live account with none). */
export async function revokeServiceAccountForCompany(db: QueueDb, companyId: string, accountId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('service_accounts')
    .set({ revoked_at: now })
    .where('id', '=', accountId)
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('service_account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}

/** The newest key a service account received that is still current at `now`. */
export function findCurrentServiceAccountKey(db: QueueDb, accountId: string, now: number): Promise<ApiKey | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('service_account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
