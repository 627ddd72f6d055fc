import { fail } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { ApiKey, Company } from '../db/schema.js';
import {
  deleteCompany,
  findCompany,
  insertCompany,
  listCompanies,
  updateCompanyName,
  updateCompanyRetention,
} from '../db/queries/companies.js';
import { DEFAULT_RETENTION_DAYS } from '../db/migrations/0007-operations.js';
import { insertApiKey, listApiKeysForCompany, revokeApiKeyForCompany } from '../db/queries/api-keys.js';
import type { Scope } from '../http/auth.js';

const companyView = (company: Company) => ({
  id: company.id,
  name: company.name,
  createdAt: toIso(company.created_at),
  retentionDays: company.retention_days,
});
const apiKeyView = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.key_prefix,
  scopes: key.scopes.split(','),
  createdAt: toIso(key.created_at),
  revokedAt: key.revoked_at === null ? null : toIso(key.revoked_at),
});

export async function createCompany(deps: QueueServiceDeps, name: string) {
  const company: Company = {
    id: newId('cmp', 12),
    name,
    created_at: deps.clock.now(),
    notification_limits: null,
    retention_days: DEFAULT_RETENTION_DAYS,
  };
  await insertCompany(deps.database.db, company);
  return companyView(company);
}

export async function getCompany(deps: QueueServiceDeps, companyId: string) {
  const company = await findCompany(deps.database.db, companyId);
  return company ? companyView(company) : fail('COMPANY_NOT_FOUND');
}

export async function listAllCompanies(deps: QueueServiceDeps) {
  return (await listCompanies(deps.database.db)).map(companyView);
}

export async function renameCompany(deps: QueueServiceDeps, companyId: string, name: string) {
  if (!(await updateCompanyName(deps.database.db, companyId, name))) fail('COMPANY_NOT_FOUND');
  return getCompany(deps, companyId);
}

/** Personal data of ended tickets and finished messages is erased this many days after (privacy/purge.ts). */
export async function setRetention(deps: QueueServiceDeps, companyId: string, days: number) {
  if (!(await updateCompanyRetention(deps.database.db, companyId, days))) fail('COMPANY_NOT_FOUND');
  return getCompany(deps, companyId);
}

export async function removeCompany(deps: QueueServiceDeps, companyId: string): Promise<void> {
  if (!(await deleteCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
}

/** The key is returned once; only its hash is stored. */
export async function createApiKey(deps: QueueServiceDeps, companyId: string, scopes: Scope[], name: string) {
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const key = newToken(`qb_${scopes.includes('booking') && scopes.length === 1 ? 'pub' : 'sec'}_`);
  const row: ApiKey = {
    id: newId('key', 12),
    company_id: companyId,
    name,
    key_hash: hashToken(key),
    key_prefix: key.slice(0, 12),
    scopes: [...new Set(scopes)].join(','),
    created_at: deps.clock.now(),
    revoked_at: null,
    service_account_id: null,
    expires_at: null,
  };
  await insertApiKey(deps.database.db, row);
  return { ...apiKeyView(row), key };
}

export async function listApiKeys(deps: QueueServiceDeps, companyId: string) {
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  return (await listApiKeysForCompany(deps.database.db, companyId)).map(apiKeyView);
}

export async function revokeApiKey(deps: QueueServiceDeps, companyId: string, keyId: string): Promise<void> {
  if (!(await revokeApiKeyForCompany(deps.database.db, companyId, keyId, deps.clock.now()))) fail('KEY_NOT_FOUND');
}
