/**
 * GET /v2/api_key (docs/design.md §Credentials): a service account trades its server JWT for an API
 * key with the account's scopes. The key is current for a day, then a new one is issued; an
 * expired key keeps working 24 h more (Auth, SERVICE_ACCOUNT_KEY_GRACE_MS), Lineberty's rule.
 */
import { createHmac } from 'node:crypto';
import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { SecretBox, hashToken } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { ApiKey, ServiceAccount } from '../db/schema.js';
import { insertApiKey } from '../db/queries/api-keys.js';
import { findCurrentServiceAccountKey } from '../db/queries/service-accounts.js';

/** How long a key handed out is the current one; integrators cache it "a few hours" and ask daily. */
const SERVICE_ACCOUNT_KEY_LIFETIME_MS = 24 * 3_600_000;

/**
 * The key text is derived from its row id under a key derived from the master key, so the same
 * current key can be handed out again while only its hash is stored.
 */
export class ServiceAccountKeys {
  private readonly derivationKey: Uint8Array;

  constructor(private readonly deps: QueueServiceDeps) {
    this.derivationKey = SecretBox.deriveKey(deps.config.masterKey, 'service-account-api-keys');
  }

  async currentKey(account: ServiceAccount): Promise<{ apiKey: string; expiresAt: string }> {
    const now = this.deps.clock.now();
    // Two requests racing here may both issue a key: both work, the newer one is current.
    const row = (await findCurrentServiceAccountKey(this.deps.database.db, account.id, now)) ?? (await this.issue(account, now));
    return { apiKey: this.keyText(row.id), expiresAt: toIso(row.expires_at ?? now) };
  }

  private async issue(account: ServiceAccount, now: number): Promise<ApiKey> {
    const id = newId('key', 12);
    const row: ApiKey = {
      id,
      company_id: account.company_id,
      name: `${account.name} (service account)`,
      key_hash: hashToken(this.keyText(id)),
      key_prefix: this.keyText(id).slice(0, 12),
      scopes: account.scopes,
      created_at: now,
      revoked_at: null,
      service_account_id: account.id,
      expires_at: now + SERVICE_ACCOUNT_KEY_LIFETIME_MS,
    };
    await insertApiKey(this.deps.database.db, row);
    return row;
  }

  private keyText(keyId: string): string {
    return `qb_sa_${createHmac('sha256', this.derivationKey).update(keyId).digest('base64url')}`;
  }
}
