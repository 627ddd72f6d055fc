/**
 * Receipts and fallback (docs/design.md §Receipts, §Fallback):
 * - webhooks.receipt_secret: the sealed `whsec_` secret the push server signs receipts with;
 * - tickets.sms_fallback: the person agreed to an SMS when a push does not reach them;
 * - message_receipts: what the push server reported about each message, per device, keyed by the
 *   receipt's own webhook-id (dedupe), kept even when it arrives before our attempt is recorded;
 * - fallback_decisions: one decision per push message (sent or skipped, with its reason); the
 *   primary key is what makes a fallback happen at most once.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('receipt_secret', 'text').execute();
  await db.schema
    .alterTable('tickets')
    .addColumn('sms_fallback', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('message_receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('provider', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('devices', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_receipts_message').on('message_receipts').column('message_id').execute();

  await db.schema
    .createTable('fallback_decisions')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('fallback_message_id', 'text')
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fallback_decisions_ticket').on('fallback_decisions').column('ticket_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fallback_decisions').ifExists().execute();
  await db.schema.dropTable('message_receipts').ifExists().execute();
  await db.schema.alterTable('tickets').dropColumn('sms_fallback').execute();
  await db.schema.alterTable('webhooks').dropColumn('receipt_secret').execute();
}
