import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('app_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('server_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('titles', 'text', (c) => c.notNull())
    .addColumn('apns', 'text')
    .addColumn('fcm', 'text')
    .addColumn('webpush', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sources_app').on('sources').column('app_id').execute();

  await db.schema
    .createTable('push_ids')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_ids_pk', ['app_id', 'push_id'])
    .execute();
  // The pushId routes carry no app id: they find the row by pushId, then check the secret.
  await db.schema.createIndex('push_ids_push_id').on('push_ids').column('push_id').execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('environment', 'text')
    .addColumn('p256dh', 'text')
    .addColumn('auth', 'text')
    .addColumn('locale', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // One row per token and app: registering it again moves it instead of duplicating it.
    .addUniqueConstraint('devices_token', ['app_id', 'token_hash'])
    .execute();
  await db.schema.createIndex('devices_push_id').on('devices').columns(['app_id', 'push_id']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('source_id', 'text')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('ticket', 'text', (c) => c.notNull())
    .addColumn('deliver_by', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('push_count', 'integer', (c) => c.notNull())
    // The dedupe key of Standard Webhooks: a retried delivery keeps its webhook-id.
    .addUniqueConstraint('messages_webhook_id', ['app_id', 'webhook_id'])
    .execute();
  await db.schema.createIndex('messages_push_id').on('messages').columns(['push_id', 'received_at']).execute();
  await db.schema.createIndex('messages_received').on('messages').column('received_at').execute();

  await db.schema
    .createTable('push_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('push_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('collapse_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('deliver_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_reason', 'text')
    .execute();
  // Only live jobs are in the claim index, so it stays small however much history accumulates.
  await db.schema
    .createIndex('push_jobs_claim')
    .on('push_jobs')
    .column('available_at')
    .where(sql.ref('status'), 'in', ['pending', 'sending'])
    .execute();
  await db.schema.createIndex('push_jobs_message').on('push_jobs').column('message_id').execute();
  await db.schema
    .createIndex('push_jobs_device')
    .on('push_jobs')
    .columns(['device_id', 'collapse_key'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('push_jobs_finished').on('push_jobs').column('finished_at').execute();

  await db.schema
    .createTable('provider_pauses')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_pauses_pk', ['app_id', 'provider'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['provider_pauses', 'push_jobs', 'messages', 'devices', 'push_ids', 'sources', 'apps']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
