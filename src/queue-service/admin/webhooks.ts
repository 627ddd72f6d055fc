/**
 * Webhook destinations of a company: where its ticket messages are POSTed, signed with the
 * destination's `whsec_` secrets (DESIGN §4). Secrets are sealed at rest and shown once.
 */
import { AppError, fail } from '../../contract/errors.js';
import { generateWebhookSecret } from '../../contract/standard-webhooks.js';
import { isTicketAction } from '../../contract/ticket-states.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { SecretBox } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Webhook } from '../db/schema.js';
import { findCompany } from '../db/queries/companies.js';
import { deleteWebhookForCompany, insertWebhook, listWebhooksForCompany, updateWebhookForCompany } from '../db/queries/webhooks.js';

export interface WebhookInput { url: string; actions?: string[] | null; description?: string | null; enabled?: boolean }

/** One entry of the `secrets` column: the newest signs; older ones sign too until they expire. */
export interface StoredSecret { sealed: string; createdAt: number; expiresAt: number | null }

export function webhookSecretBox(masterKey: string): SecretBox {
  return new SecretBox(masterKey, 'webhook-secrets');
}

export const webhookView = (webhook: Webhook) => ({
  id: webhook.id, companyId: webhook.company_id, url: webhook.url, description: webhook.description,
  enabled: webhook.enabled === 1, actions: webhook.actions ? (JSON.parse(webhook.actions) as string[]) : null,
  failingSince: toIsoOrNull(webhook.failing_since), disabledReason: webhook.disabled_reason,
  createdAt: toIso(webhook.created_at), updatedAt: toIso(webhook.updated_at),
});

export function checkWebhookInput(input: Partial<WebhookInput>): void {
  if (input.url !== undefined) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new AppError('UNSAFE_URL', 'The webhook URL is not a valid URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('UNSAFE_URL', 'Webhook URLs must use http or https.');
    if (url.username || url.password) throw new AppError('UNSAFE_URL', 'Webhook URLs must not carry credentials.');
  }
  const unknown = (input.actions ?? []).filter((action) => !isTicketAction(action));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `Unknown actions: ${unknown.join(', ')}.`);
}

export async function createWebhook(deps: QueueServiceDeps, companyId: string, input: WebhookInput) {
  checkWebhookInput(input);
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const now = deps.clock.now();
  const secret = generateWebhookSecret();
  const secrets: StoredSecret[] = [{ sealed: webhookSecretBox(deps.config.masterKey).seal(secret), createdAt: now, expiresAt: null }];
  const webhook: Webhook = {
    id: newId('whk', 12), company_id: companyId, url: input.url, description: input.description ?? null,
    enabled: input.enabled === false ? 0 : 1, actions: input.actions ? JSON.stringify(input.actions) : null,
    secrets: JSON.stringify(secrets), failing_since: null, disabled_reason: null, created_at: now, updated_at: now,
  };
  await insertWebhook(deps.database.db, webhook);
  return { ...webhookView(webhook), secret };
}

export async function listWebhooks(deps: QueueServiceDeps, companyId: string) {
  return (await listWebhooksForCompany(deps.database.db, companyId)).map(webhookView);
}

export async function updateWebhook(deps: QueueServiceDeps, webhook: Webhook, input: Partial<WebhookInput>) {
  checkWebhookInput(input);
  const changes: Partial<Webhook> = { updated_at: deps.clock.now() };
  if (input.url !== undefined) changes.url = input.url;
  if (input.description !== undefined) changes.description = input.description;
  if (input.actions !== undefined) changes.actions = input.actions ? JSON.stringify(input.actions) : null;
  if (input.enabled !== undefined) {
    changes.enabled = input.enabled ? 1 : 0;
    // Re-enabling by hand clears the automatic disable and its failure clock.
    if (input.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null });
  }
  await updateWebhookForCompany(deps.database.db, webhook.company_id, webhook.id, changes);
  return webhookView({ ...webhook, ...changes });
}

export async function removeWebhook(deps: QueueServiceDeps, webhook: Webhook): Promise<void> {
  await deleteWebhookForCompany(deps.database.db, webhook.company_id, webhook.id);
}
