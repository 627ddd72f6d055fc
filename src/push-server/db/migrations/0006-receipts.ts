/**
 * Delivery receipts (docs/design.md §Receipts): a source may name a receipt URL and the secret that
 * signs what goes there; `receipts` is the outbox of what the push server reports, written in the
 * transaction that records an outcome and sent by the receipt sender with retries.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sources').addColumn('receipt_url', 'text').execute();
  await db.schema.alterTable('sources').addColumn('receipt_secret', 'text').execute();
  await db.schema
    .createTable('receipts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('receipts_claim')
    .on('receipts')
    .columns(['available_at'])
    .where(sql.ref('status'), 'in', ['pending', 'sending'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('receipts').ifExists().execute();
  await db.schema.alterTable('sources').dropColumn('receipt_secret').execute();
  await db.schema.alterTable('sources').dropColumn('receipt_url').execute();
}
