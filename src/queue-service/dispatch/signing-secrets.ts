/**
 * A destination's signing secrets (Standard Webhooks `whsec_`), sealed at rest in the `secrets`
 * column as a JSON list, newest first. Rotation adds a new secret and gives the previous ones an
 * expiry: until then every message carries one signature per live secret, so receivers can switch
 * at their own pace (reference webhooks.md §8).
 */
import { AppError } from '../../contract/errors.js';
import { SECRET_PREFIX } from '../../contract/standard-webhooks.js';
import { checkMasterKeyOpens } from '../../platform/master-key-check.js';
import { SecretBox } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import { SECRET_ROTATION } from './policy.js';

/** One entry of the `secrets` column: the newest signs; older ones sign too until they expire. */
export interface StoredSecret {
  sealed: string;
  createdAt: number;
  expiresAt: number | null;
}

export interface OpenedSecret {
  secret: string;
  createdAt: number;
  expiresAt: number | null;
}

export function webhookSecretBox(masterKey: string): SecretBox {
  return new SecretBox(masterKey, 'webhook-secrets');
}

export function parseStoredSecrets(column: string): StoredSecret[] {
  return JSON.parse(column) as StoredSecret[];
}

export function openSecrets(box: SecretBox, column: string): OpenedSecret[] {
  return parseStoredSecrets(column).map((stored) => ({
    secret: box.open(stored.sealed),
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt,
  }));
}

/** The secrets that sign at `now`, newest first. */
export function liveSecrets(secrets: readonly OpenedSecret[], now: number): string[] {
  return secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret);
}

/**
 * The column after a rotation: `secret` first, the live older ones expiring after `overlapMs`
 * (or sooner if they were to expire sooner), expired ones dropped, at most `maxOldSecrets` kept.
 */
export function rotateSecrets(box: SecretBox, column: string, secret: string, now: number, overlapMs: number): StoredSecret[] {
  const until = now + overlapMs;
  const previous = parseStoredSecrets(column)
    .filter((s) => s.expiresAt === null || s.expiresAt > now)
    .map((s) => ({ ...s, expiresAt: s.expiresAt === null ? until : Math.min(s.expiresAt, until) }))
    .filter((s) => s.expiresAt > now)
    .slice(0, SECRET_ROTATION.maxOldSecrets);
  return [{ sealed: box.seal(secret), createdAt: now, expiresAt: null }, ...previous];
}

/** Only the newest secret stays: the immediate revoke after a leak. */
export function dropOlderSecrets(column: string): StoredSecret[] {
  return parseStoredSecrets(column).slice(0, 1);
}

/** A secret an admin supplies (to match a receiver that already has one) must be a spec-conformant key of 24 to 64 bytes. */
export function checkSuppliedSecret(secret: string): void {
  const bytes = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '', 'base64');
  if (!secret.startsWith(SECRET_PREFIX) || bytes.length < 24 || bytes.length > 64) {
    throw new AppError('VALIDATION_FAILED', 'A webhook secret must be "whsec_" followed by 24 to 64 bytes in base64.');
  }
}

/** At start: this host's master key opens the signing secrets another host may have sealed (platform/master-key-check.ts). */
export async function checkWebhookSecretsOpen(deps: Pick<QueueServiceDeps, 'database' | 'config'>): Promise<void> {
  const row = await deps.database.db.selectFrom('webhooks').select('secrets').limit(1).executeTakeFirst();
  const sample = row ? (parseStoredSecrets(row.secrets)[0]?.sealed ?? null) : null;
  const box = webhookSecretBox(deps.config.masterKey);
  checkMasterKeyOpens(sample, (sealed) => box.open(sealed), deps.database.location, 'webhook signing secrets');
}
