/**
 * Delivery (docs/design.md §Delivery): what the dispatcher needs beyond the initial tables.
 * - messages: how often an admin replayed a message, and an index that hands the dispatcher the
 *   next due messages in order without sorting the whole backlog (100,000 pending is normal after
 *   a receiver outage); another for the message log filtered by destination.
 * - webhooks: destination health, so a company can see a failing destination before it is
 *   disabled and why it was disabled after.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('replay_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('messages').addColumn('replayed_at', 'bigint').execute();
  // Literal statuses: both engines use a partial index only when the query repeats its predicate verbatim.
  await db.schema
    .createIndex('messages_active_due')
    .on('messages')
    .column('next_attempt_at')
    .where(sql<boolean>`status in ('pending', 'delivering')`)
    .execute();
  await db.schema.createIndex('messages_destination').on('messages').columns(['destination_id', 'id']).execute();

  await db.schema
    .alterTable('webhooks')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('webhooks').addColumn('last_success_at', 'bigint').execute();
  await db.schema.alterTable('webhooks').addColumn('last_failure_at', 'bigint').execute();
  await db.schema.alterTable('webhooks').addColumn('last_failure_reason', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('disabled_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_destination').ifExists().execute();
  await db.schema.dropIndex('messages_active_due').ifExists().execute();
  for (const column of ['replay_count', 'replayed_at']) await db.schema.alterTable('messages').dropColumn(column).execute();
  for (const column of ['consecutive_failures', 'last_success_at', 'last_failure_at', 'last_failure_reason', 'disabled_at']) {
    await db.schema.alterTable('webhooks').dropColumn(column).execute();
  }
}
