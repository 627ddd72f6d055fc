/**
 * Webhook destinations of a company: where its ticket messages are POSTed, signed with the
 * destination's `whsec_` secrets (docs/design.md §The message). Secrets are sealed at rest and shown once; rotation
 * keeps the previous secret signing for an overlap; the destination's health is part of its view,
 * so the company sees a failing destination before it is disabled, and why it was disabled after.
 */
import { AppError, fail } from '../../contract/errors.js';
import { generateWebhookSecret } from '../../contract/standard-webhooks.js';
import { isTicketAction } from '../../contract/ticket-states.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText, toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Webhook } from '../db/schema.js';
import { findCompany } from '../db/queries/companies.js';
import { failWaitingForDestination } from '../db/queries/message-claims.js';
import { countWaitingByDestination } from '../db/queries/messages.js';
import { deleteWebhookForCompany, insertWebhook, listWebhooksForCompany, updateWebhookForCompany } from '../db/queries/webhooks.js';
import { SECRET_ROTATION } from '../dispatch/policy.js';
import { literalHostProblem } from '../../platform/net/address-policy.js';
import { resolvedHostProblem } from '../../platform/net/resolved-host.js';
import {
  checkSuppliedSecret,
  dropOlderSecrets,
  parseStoredSecrets,
  rotateSecrets,
  webhookSecretBox,
  type StoredSecret,
} from '../dispatch/signing-secrets.js';

export interface WebhookInput {
  url: string;
  actions?: string[] | null;
  description?: string | null;
  enabled?: boolean;
  secret?: string;
}
export interface RotationInput {
  overlapSeconds?: number;
  secret?: string;
}

export type WebhookHealth = 'healthy' | 'failing' | 'disabled';

function healthOf(webhook: Webhook): WebhookHealth {
  if (webhook.enabled !== 1) return 'disabled';
  return webhook.failing_since !== null ? 'failing' : 'healthy';
}

export const webhookView = (webhook: Webhook) => ({
  id: webhook.id,
  companyId: webhook.company_id,
  url: webhook.url,
  description: webhook.description,
  enabled: webhook.enabled === 1,
  actions: webhook.actions ? parseJsonText(webhook.actions) : null,
  health: healthOf(webhook),
  failingSince: toIsoOrNull(webhook.failing_since),
  consecutiveFailures: webhook.consecutive_failures,
  lastSuccessAt: toIsoOrNull(webhook.last_success_at),
  lastFailureAt: toIsoOrNull(webhook.last_failure_at),
  lastFailureReason: webhook.last_failure_reason,
  disabledAt: toIsoOrNull(webhook.disabled_at),
  disabledReason: webhook.disabled_reason,
  receiptsEnabled: webhook.receipt_secret !== null,
  secrets: parseStoredSecrets(webhook.secrets).map((s) => ({ createdAt: toIso(s.createdAt), expiresAt: toIsoOrNull(s.expiresAt) })),
  createdAt: toIso(webhook.created_at),
  updatedAt: toIso(webhook.updated_at),
});

/** `allowPrivate`: QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS, for receivers on the same machine or network. */
async function checkWebhookInput(input: Partial<WebhookInput>, allowPrivate: boolean): Promise<void> {
  if (input.url !== undefined) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new AppError('UNSAFE_URL', 'The webhook URL is not a valid URL.');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('UNSAFE_URL', 'Webhook URLs must use http or https.');
    if (url.username || url.password) throw new AppError('UNSAFE_URL', 'Webhook URLs must not carry credentials.');
    const problem = allowPrivate ? null : (literalHostProblem(url) ?? (await resolvedHostProblem(url)));
    if (problem) throw new AppError('UNSAFE_URL', `The webhook URL is not reachable from outside: ${problem}.`);
  }
  const unknown = (input.actions ?? []).filter((action) => !isTicketAction(action));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `Unknown actions: ${unknown.join(', ')}.`);
  if (input.secret !== undefined) checkSuppliedSecret(input.secret);
}

export async function createWebhook(deps: QueueServiceDeps, companyId: string, input: WebhookInput) {
  await checkWebhookInput(input, deps.config.allowPrivateWebhooks);
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const now = deps.clock.now();
  const secret = input.secret ?? generateWebhookSecret();
  const secrets: StoredSecret[] = [{ sealed: webhookSecretBox(deps.config.masterKey).seal(secret), createdAt: now, expiresAt: null }];
  const webhook: Webhook = {
    id: newId('whk', 12),
    company_id: companyId,
    url: input.url,
    description: input.description ?? null,
    enabled: input.enabled === false ? 0 : 1,
    actions: input.actions ? toJsonText(input.actions) : null,
    secrets: JSON.stringify(secrets),
    failing_since: null,
    disabled_reason: null,
    created_at: now,
    updated_at: now,
    consecutive_failures: 0,
    last_success_at: null,
    last_failure_at: null,
    last_failure_reason: null,
    disabled_at: null,
    receipt_secret: null,
  };
  await insertWebhook(deps.database.db, webhook);
  return { ...webhookView(webhook), secret };
}

export async function listWebhooks(deps: QueueServiceDeps, companyId: string) {
  return (await listWebhooksForCompany(deps.database.db, companyId)).map(webhookView);
}

export async function updateWebhook(deps: QueueServiceDeps, webhook: Webhook, input: Partial<Omit<WebhookInput, 'secret'>>) {
  await checkWebhookInput(input, deps.config.allowPrivateWebhooks);
  const changes: Partial<Webhook> = { updated_at: deps.clock.now() };
  if (input.url !== undefined) changes.url = input.url;
  if (input.description !== undefined) changes.description = input.description;
  if (input.actions !== undefined) changes.actions = input.actions ? toJsonText(input.actions) : null;
  if (input.enabled !== undefined) {
    changes.enabled = input.enabled ? 1 : 0;
    // Re-enabling by hand clears the automatic disable and its failure clock: the company says it is fixed.
    if (input.enabled) Object.assign(changes, { disabled_reason: null, disabled_at: null, failing_since: null, consecutive_failures: 0 });
  }
  await updateWebhookForCompany(deps.database.db, webhook.company_id, webhook.id, changes);
  // Messages waiting for a destination switched off would only wait for their deadline.
  if (input.enabled === false) await failWaitingForDestination(deps.database.db, webhook.id, 'the destination was disabled by an admin');
  return webhookView({ ...webhook, ...changes });
}

export async function removeWebhook(deps: QueueServiceDeps, webhook: Webhook): Promise<void> {
  await deleteWebhookForCompany(deps.database.db, webhook.company_id, webhook.id);
  await failWaitingForDestination(deps.database.db, webhook.id, 'the destination was deleted');
}

/**
 * A new secret (generated, or the one given to match a receiver) signs from now on; the previous
 * ones keep signing alongside it for `overlapSeconds` (0 revokes them at once).
 */
export async function rotateWebhookSecret(deps: QueueServiceDeps, webhook: Webhook, input: RotationInput) {
  if (input.secret !== undefined) checkSuppliedSecret(input.secret);
  const overlapMs = (input.overlapSeconds ?? SECRET_ROTATION.defaultOverlapMs / 1000) * 1000;
  if (overlapMs < 0 || overlapMs > SECRET_ROTATION.maxOverlapMs) {
    throw new AppError('VALIDATION_FAILED', `overlapSeconds must be between 0 and ${SECRET_ROTATION.maxOverlapMs / 1000}.`);
  }
  const now = deps.clock.now();
  const secret = input.secret ?? generateWebhookSecret();
  const secrets = JSON.stringify(rotateSecrets(webhookSecretBox(deps.config.masterKey), webhook.secrets, secret, now, overlapMs));
  await updateWebhookForCompany(deps.database.db, webhook.company_id, webhook.id, { secrets, updated_at: now });
  return { ...webhookView({ ...webhook, secrets, updated_at: now }), secret };
}

/**
 * Receipts from the push server (docs/design.md §Receipts): a new `whsec_` secret (generated, or
 * the one given) that the push server signs receipts with, replacing any earlier one, and the URL
 * to give the push server's source. Shown once.
 */
export async function setReceiptSecret(deps: QueueServiceDeps, webhook: Webhook, receiptUrl: string, secret?: string) {
  if (secret !== undefined) checkSuppliedSecret(secret);
  const chosen = secret ?? generateWebhookSecret();
  const now = deps.clock.now();
  const sealed = webhookSecretBox(deps.config.masterKey).seal(chosen);
  await updateWebhookForCompany(deps.database.db, webhook.company_id, webhook.id, { receipt_secret: sealed, updated_at: now });
  return { webhookId: webhook.id, receiptUrl, receiptSecret: chosen };
}

/** After a leak: only the newest secret signs from now on. */
export async function revokeOlderSecrets(deps: QueueServiceDeps, webhook: Webhook) {
  const now = deps.clock.now();
  const secrets = JSON.stringify(dropOlderSecrets(webhook.secrets));
  await updateWebhookForCompany(deps.database.db, webhook.company_id, webhook.id, { secrets, updated_at: now });
  return webhookView({ ...webhook, secrets, updated_at: now });
}

/** What the admin page shows a company about its deliveries: each destination's health and what it holds up. */
export async function deliveryHealth(deps: QueueServiceDeps, companyId: string) {
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const [webhooks, waiting] = await Promise.all([
    listWebhooksForCompany(deps.database.db, companyId),
    countWaitingByDestination(deps.database.db, companyId),
  ]);
  const destinations = webhooks.map((webhook) => ({ ...webhookView(webhook), waitingMessages: waiting.get(webhook.id) ?? 0 }));
  return {
    companyId,
    needsAttention: destinations.some((d) => d.health === 'failing' || d.disabledAt !== null),
    destinations,
  };
}
