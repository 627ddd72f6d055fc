/**
 * Service accounts, Lineberty-style (docs/design.md §Credentials): the admin receives once a JSON key
 * file shaped like Lineberty's (Google's service-account format); queuebell keeps only the public
 * key, with which it checks the RS256 JWTs of GET /v2/api_key and of the user-session routes.
 */
import { generateKeyPair, randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { fail } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import type { QueueServiceDeps } from '../deps.js';
import type { ServiceAccount } from '../db/schema.js';
import { findCompany } from '../db/queries/companies.js';
import { insertServiceAccount, listServiceAccountsForCompany, revokeServiceAccountForCompany } from '../db/queries/service-accounts.js';
import type { Scope } from '../http/auth.js';

const generateRsaKeyPair = promisify(generateKeyPair);

const serviceAccountView = (account: ServiceAccount) => ({
  id: account.id,
  name: account.name,
  clientEmail: account.client_email,
  clientId: account.client_id,
  privateKeyId: account.key_id,
  scopes: account.scopes.split(','),
  createdAt: toIso(account.created_at),
  revokedAt: account.revoked_at === null ? null : toIso(account.revoked_at),
});

/**
 * The key file, returned once. `origin` is the URL this service was reached at: the file's
 * auth_uri and token_uri point to its GET /v2/api_key.
 */
export async function createServiceAccount(
  deps: QueueServiceDeps,
  companyId: string,
  input: { name: string; scopes: readonly Scope[] },
  origin: string,
) {
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  // Lower-case hex: the id is the local part of client_email.
  const id = `sa_${randomBytes(8).toString('hex')}`;
  const account: ServiceAccount = {
    id,
    company_id: companyId,
    name: input.name,
    client_email: `${id}@${companyId}.iam.queuebell`,
    client_id: numericClientId(),
    key_id: randomBytes(20).toString('hex'),
    public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    scopes: [...new Set(input.scopes)].join(','),
    created_at: deps.clock.now(),
    revoked_at: null,
  };
  await insertServiceAccount(deps.database.db, account);
  const tokenUri = `${origin}/v2/api_key`;
  return {
    type: 'service_account' as const,
    project_id: companyId,
    private_key_id: account.key_id,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: account.client_email,
    client_id: account.client_id,
    auth_uri: tokenUri,
    token_uri: tokenUri,
  };
}

export async function listServiceAccounts(deps: QueueServiceDeps, companyId: string) {
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  return (await listServiceAccountsForCompany(deps.database.db, companyId)).map(serviceAccountView);
}

export async function revokeServiceAccount(deps: QueueServiceDeps, companyId: string, accountId: string): Promise<void> {
  if (!(await revokeServiceAccountForCompany(deps.database.db, companyId, accountId, deps.clock.now()))) fail('SERVICE_ACCOUNT_NOT_FOUND');
}

/** 21 digits, as Google's client ids: integrators' code may treat it as a numeric string. */
function numericClientId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 21) digits += String(randomInt(0, 10));
  return digits;
}
