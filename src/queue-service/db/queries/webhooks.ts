import type { Updateable } from 'kysely';
import type { Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueDb } from '../types.js';
import type { QueueServiceSchema, Webhook, WebhookTable } from '../schema.js';

export function insertWebhook(db: QueueDb, webhook: Webhook): Promise<unknown> {
  return db.insertInto('webhooks').values(webhook).execute();
}

export function listWebhooksForCompany(db: QueueDb, companyId: string): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

/** The destinations a ticket change fans out to: enabled ones of the company. */
const enabledTargets = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ companyId: string }>) =>
  db.selectFrom('webhooks').select(['id', 'actions']).where('company_id', '=', p.companyId).where('enabled', '=', 1),
);

export function listEnabledWebhookTargets(db: QueueDb, companyId: string): Promise<Pick<Webhook, 'id' | 'actions'>[]> {
  return enabledTargets.rows(db, { companyId });
}

export async function updateWebhookForCompany(
  db: QueueDb,
  companyId: string,
  webhookId: string,
  changes: Updateable<WebhookTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set(changes)
    .where('id', '=', webhookId)
    .where('company_id', '=', companyId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteWebhookForCompany(db: QueueDb, companyId: string, webhookId: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', webhookId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findWebhook(db: QueueDb, webhookId: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).executeTakeFirst();
}

/** The destinations of a batch of claimed messages, read fresh for every batch so a disable or a new URL applies at once. */
export function findWebhooksByIds(db: QueueDb, webhookIds: string[]): Promise<Webhook[]> {
  if (webhookIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('webhooks').selectAll().where('id', 'in', webhookIds).execute();
}

// Destination health (docs/design.md §Delivery).

/** Any success ends a failing streak. Written only when something changes or the last success is old news. */
export async function recordWebhookSuccess(db: QueueDb, webhookId: string, now: number, staleBefore: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ consecutive_failures: 0, failing_since: null, last_success_at: now })
    .where('id', '=', webhookId)
    .where((eb) =>
      eb.or([
        eb('consecutive_failures', '>', 0),
        eb('failing_since', 'is not', null),
        eb('last_success_at', 'is', null),
        eb('last_success_at', '<', staleBefore),
      ]),
    )
    .execute();
}

export async function recordWebhookFailures(db: QueueDb, webhookId: string, failures: number, now: number, reason: string): Promise<void> {
  await db
    .updateTable('webhooks')
    .set((eb) => ({
      consecutive_failures: eb('consecutive_failures', '+', failures),
      failing_since: eb.fn.coalesce('failing_since', eb.val(now)),
      last_failure_at: now,
      last_failure_reason: reason,
    }))
    .where('id', '=', webhookId)
    .execute();
}

export interface DisableRule {
  failingSinceAtMost: number;
  minFailures: number;
}

/**
 * Disables the destination when `rule` says it has failed long enough (or unconditionally without a
 * rule, for a 410 Gone). Returns whether this call disabled it, so only one worker reports it.
 */
export async function disableWebhook(db: QueueDb, webhookId: string, now: number, reason: string, rule?: DisableRule): Promise<boolean> {
  let query = db
    .updateTable('webhooks')
    .set({ enabled: 0, disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('id', '=', webhookId)
    .where('enabled', '=', 1);
  if (rule) {
    query = query.where('failing_since', '<=', rule.failingSinceAtMost).where('consecutive_failures', '>=', rule.minFailures);
  }
  return (await query.executeTakeFirst()).numUpdatedRows > 0n;
}
