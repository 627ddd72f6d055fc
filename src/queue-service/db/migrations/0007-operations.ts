/**
 * Running queuebell for real (docs/design.md §Retention, §Routes):
 * - companies.retention_days: after how many days the personal data of ended tickets and of
 *   finished messages is erased (default 30);
 * - tickets.personal_data_erased_at and messages.personal_data_erased_at: when that happened,
 *   so a purge touches each row once, and the partial indexes a purge reads from;
 * - pages_settings: the one row /config.json serves to the public pages (which booking key,
 *   place, queue and push app), set through the admin API.
 */
import { sql, type Kysely } from 'kysely';

export const DEFAULT_RETENTION_DAYS = 30;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('companies')
    .addColumn('retention_days', 'integer', (c) => c.notNull().defaultTo(DEFAULT_RETENTION_DAYS))
    .execute();
  await db.schema.alterTable('tickets').addColumn('personal_data_erased_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('personal_data_erased_at', 'bigint').execute();
  // What a purge looks for: ended tickets and finished messages whose data is still there, oldest first.
  await sql`CREATE INDEX tickets_to_purge ON tickets (company_id, updated_at) WHERE personal_data_erased_at IS NULL AND state IN (600, 700)`.execute(
    db,
  );
  await sql`CREATE INDEX messages_to_purge ON messages (company_id, created_at) WHERE personal_data_erased_at IS NULL AND status IN ('delivered', 'failed', 'expired', 'superseded')`.execute(
    db,
  );

  await db.schema
    .createTable('pages_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pages_settings').ifExists().execute();
  await sql`DROP INDEX IF EXISTS messages_to_purge`.execute(db);
  await sql`DROP INDEX IF EXISTS tickets_to_purge`.execute(db);
  await db.schema.alterTable('messages').dropColumn('personal_data_erased_at').execute();
  await db.schema.alterTable('tickets').dropColumn('personal_data_erased_at').execute();
  await db.schema.alterTable('companies').dropColumn('retention_days').execute();
}
