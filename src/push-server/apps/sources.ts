/**
 * Sources: the senders allowed to post messages into an app (the queue service is one). A source
 * signs with a Standard Webhooks `whsec_` secret — sealed, since verifying needs it back — or, for
 * senders that cannot sign, presents a bearer token stored only as a hash. Rotating a secret keeps
 * the previous one valid for a day, so the sender can switch without losing a message.
 */
import { AppError } from '../../contract/errors.js';
import { generateWebhookSecret, isWellFormedWebhookSecret } from '../../contract/standard-webhooks.js';
import { newId } from '../../platform/ids.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import { deleteSourceOfApp, findSourceOfApp, insertSource, listSourcesOfApp, updateSourceSecretsOfApp } from '../db/queries/sources.js';
import type { OperationContext } from '../deps.js';
import { requireApp } from './app-operations.js';
import { openSecrets, sealSecrets } from './source-secrets.js';

export type SourceMode = 'signature' | 'token';

const ROTATION_OVERLAP_MS = 24 * 3600_000;
/** Old secrets kept at most, even if rotated many times in a day. */
const MAX_SECRETS = 5;

export interface CreatedSource {
  sourceId: string;
  secret: string;
  mode: SourceMode;
}

export async function createSource(
  ctx: OperationContext,
  appId: string,
  name: string,
  mode: SourceMode = 'signature',
  given?: string,
): Promise<CreatedSource> {
  await requireApp(ctx, appId);
  if (given !== undefined && (mode !== 'signature' || !isWellFormedWebhookSecret(given)))
    throw new AppError(
      'VALIDATION_FAILED',
      'A source secret must be "whsec_" followed by 24 to 64 bytes in base64, for a signature source.',
    );
  const sourceId = newId('src');
  const now = ctx.clock.now();
  const secret = mode === 'signature' ? (given ?? generateWebhookSecret()) : newToken('qbsrc_', 32);
  await insertSource(ctx.db, {
    id: sourceId,
    app_id: appId,
    name,
    mode,
    created_at: now,
    updated_at: now,
    secrets: mode === 'signature' ? sealSecrets(ctx.box, [{ secret, expiresAt: null }]) : null,
    token_hash: mode === 'token' ? hashToken(secret) : null,
  });
  ctx.sources.forget(appId);
  return { sourceId, secret, mode };
}

export async function rotateSourceSecret(
  ctx: OperationContext,
  appId: string,
  sourceId: string,
): Promise<{ sourceId: string; secret: string; previousValidUntil: string }> {
  const source = await findSourceOfApp(ctx.db, appId, sourceId);
  if (!source) throw new AppError('SOURCE_NOT_FOUND');
  if (source.mode !== 'signature')
    throw new AppError('CONFLICT', 'A token source has no signing secret to rotate; create a new source instead.');
  const now = ctx.clock.now();
  const retiring = now + ROTATION_OVERLAP_MS;
  const kept = openSecrets(ctx.box, source)
    .filter((entry) => entry.expiresAt === null || entry.expiresAt > now)
    .map((entry) => ({ secret: entry.secret, expiresAt: Math.min(entry.expiresAt ?? retiring, retiring) }));
  const secret = generateWebhookSecret();
  const secrets = [{ secret, expiresAt: null }, ...kept].slice(0, MAX_SECRETS);
  await updateSourceSecretsOfApp(ctx.db, appId, sourceId, sealSecrets(ctx.box, secrets), now);
  ctx.sources.forget(appId);
  return { sourceId, secret, previousValidUntil: new Date(retiring).toISOString() };
}

export async function listSources(ctx: OperationContext, appId: string) {
  await requireApp(ctx, appId);
  const rows = await listSourcesOfApp(ctx.db, appId);
  return rows.map((row) => ({
    sourceId: row.id,
    name: row.name,
    mode: row.mode,
    receiptUrl: row.receipt_url,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }));
}

export async function removeSource(ctx: OperationContext, appId: string, sourceId: string): Promise<void> {
  if (!(await deleteSourceOfApp(ctx.db, appId, sourceId))) throw new AppError('SOURCE_NOT_FOUND');
  ctx.sources.forget(appId);
}
