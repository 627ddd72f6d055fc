/**
 * Limits against abuse (docs/security.md):
 * - partial indexes over open tickets (state below 400: waiting, called or on hold) by user, phone
 *   and e-mail, so a booking can count what one holder already holds in a queue;
 * - an index over messages by recipient, for the per-number and per-address caps of SMS and e-mail;
 * - messages.refused_reason: an SMS or e-mail the send policy refused (the row is `failed`);
 * - companies.notification_limits: the company's SMS countries and send caps (JSON, null: defaults);
 * - contact_verifications: one-time codes that prove a phone number or e-mail address;
 * - operators.token_version: bumped by a password, login or role change, checked on every request.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Literal predicate: a planner uses a partial index only when the query repeats it verbatim.
  await sql`CREATE INDEX tickets_open_user ON tickets (user_id, queue_id) WHERE state < 400`.execute(db);
  await sql`CREATE INDEX tickets_open_phone ON tickets (phone, queue_id) WHERE state < 400`.execute(db);
  await sql`CREATE INDEX tickets_open_mail ON tickets (mail, queue_id) WHERE state < 400`.execute(db);
  await db.schema.createIndex('messages_recipient_created').on('messages').columns(['recipient', 'created_at']).execute();

  await db.schema.alterTable('messages').addColumn('refused_reason', 'text').execute();
  await sql`CREATE INDEX messages_refused ON messages (created_at) WHERE refused_reason IS NOT NULL`.execute(db);
  await db.schema.alterTable('companies').addColumn('notification_limits', 'text').execute();
  await db.schema
    .alterTable('operators')
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('contact_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('contact_verifications_user')
    .on('contact_verifications')
    .columns(['user_id', 'channel', 'address'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_verifications').ifExists().execute();
  await db.schema.alterTable('operators').dropColumn('token_version').execute();
  await db.schema.alterTable('companies').dropColumn('notification_limits').execute();
  await db.schema.dropIndex('messages_refused').ifExists().execute();
  await db.schema.alterTable('messages').dropColumn('refused_reason').execute();
  await db.schema.dropIndex('messages_recipient_created').ifExists().execute();
  await db.schema.dropIndex('tickets_open_mail').ifExists().execute();
  await db.schema.dropIndex('tickets_open_phone').ifExists().execute();
  await db.schema.dropIndex('tickets_open_user').ifExists().execute();
}
