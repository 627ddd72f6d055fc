import type { Updateable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { Webhook, WebhookTable } from '../schema.js';

export function insertWebhook(db: QueueDb, webhook: Webhook): Promise<unknown> {
  return db.insertInto('webhooks').values(webhook).execute();
}

export function findWebhookForCompany(db: QueueDb, companyId: string, webhookId: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).where('company_id', '=', companyId).executeTakeFirst();
}

export function listWebhooksForCompany(db: QueueDb, companyId: string): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

/** The destinations a ticket change fans out to: enabled ones of the company. */
export function listEnabledWebhookTargets(db: QueueDb, companyId: string): Promise<Pick<Webhook, 'id' | 'actions'>[]> {
  return db.selectFrom('webhooks').select(['id', 'actions']).where('company_id', '=', companyId).where('enabled', '=', 1).execute();
}

export async function updateWebhookForCompany(db: QueueDb, companyId: string, webhookId: string, changes: Updateable<WebhookTable>): Promise<boolean> {
  const result = await db.updateTable('webhooks').set(changes).where('id', '=', webhookId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteWebhookForCompany(db: QueueDb, companyId: string, webhookId: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('id', '=', webhookId).where('company_id', '=', companyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function findWebhook(db: QueueDb, webhookId: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).executeTakeFirst();
}
