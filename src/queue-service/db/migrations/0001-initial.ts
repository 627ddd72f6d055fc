import { sql, type Kysely } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_company').on('api_keys').column('company_id').execute();

  await db.schema
    .createTable('places')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('places_company').on('places').column('company_id').execute();

  await db.schema
    .createTable('queues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('label_prefix', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('booking_paused_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('queues_place').on('queues').column('place_id').execute();

  await db.schema
    .createTable('endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('is_open', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('endpoints_place').on('endpoints').column('place_id').execute();

  await db.schema
    .createTable('endpoint_queues')
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('endpoints.id').onDelete('cascade'))
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('endpoint_queues_pk', ['endpoint_id', 'queue_id'])
    .execute();
  await db.schema.createIndex('endpoint_queues_queue').on('endpoint_queues').column('queue_id').execute();

  await db.schema
    .createTable('operators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('login_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('operators_login', ['company_id', 'login_id'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('label_counters')
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('label_counters_pk', ['queue_id', 'day'])
    .execute();

  await db.schema
    .createTable('queue_counters')
    .addColumn('queue_id', 'text', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
    .addColumn('fifo_tickets', 'integer', (c) => c.notNull())
    .addColumn('fifo_people', 'integer', (c) => c.notNull())
    .addColumn('appointment_tickets', 'integer', (c) => c.notNull())
    .addColumn('appointment_people', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('user_id', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('label_day', 'text', (c) => c.notNull())
    .addColumn('label_number', 'integer', (c) => c.notNull())
    .addColumn('state', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('group_size', 'integer', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('is_appointment', 'integer', (c) => c.notNull())
    .addColumn('booked_for', 'bigint')
    .addColumn('appointment_type_id', 'text')
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('mail', 'text')
    .addColumn('push_id', 'text')
    .addColumn('send_push', 'integer', (c) => c.notNull())
    .addColumn('send_sms', 'integer', (c) => c.notNull())
    .addColumn('send_mail', 'integer', (c) => c.notNull())
    .addColumn('endpoint_id', 'text')
    .addColumn('recall_count', 'integer', (c) => c.notNull())
    .addColumn('booked_at', 'bigint', (c) => c.notNull())
    .addColumn('to_confirm_at', 'bigint')
    .addColumn('alerted_at', 'bigint')
    .addColumn('called_at', 'bigint')
    .addColumn('on_hold_at', 'bigint')
    .addColumn('no_show_at', 'bigint')
    .addColumn('in_progress_at', 'bigint')
    .addColumn('canceled_at', 'bigint')
    .addColumn('done_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('rating_comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('tickets_label_per_day', ['queue_id', 'label_day', 'label'])
    .execute();
  await db.schema.createIndex('tickets_queue_state').on('tickets').columns(['queue_id', 'state', 'booked_at']).execute();
  // The line a counter calls from, one partial index each for FIFO tickets and appointments, so
  // calling next and counting who is ahead read only waiting tickets, in order (queries/tickets.ts).
  await sql`CREATE INDEX tickets_fifo_line ON tickets (queue_id, booked_at, label_number) WHERE state IN (0, 50, 100) AND is_appointment = 0`.execute(
    db,
  );
  await sql`CREATE INDEX tickets_appointment_line ON tickets (queue_id, booked_for) WHERE state IN (0, 50, 100) AND is_appointment = 1`.execute(
    db,
  );
  await db.schema.createIndex('tickets_user').on('tickets').columns(['user_id', 'booked_at']).execute();
  await db.schema.createIndex('tickets_place_state').on('tickets').columns(['place_id', 'state']).execute();

  await db.schema
    .createTable('ticket_events')
    // A plain INTEGER PRIMARY KEY is SQLite's rowid: increasing without AUTOINCREMENT's extra write per row.
    .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('place_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('from_state', 'integer')
    .addColumn('to_state', 'integer', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();
  await db.schema.createIndex('ticket_events_place').on('ticket_events').columns(['place_id', 'id']).execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('actions', 'text')
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('failing_since', 'bigint')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_company').on('webhooks').column('company_id').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('destination_id', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('ticket_version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deliver_by', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('attempt_count', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_ticket').on('messages').columns(['ticket_id', 'ticket_version']).execute();
  await db.schema.createIndex('messages_company_created').on('messages').columns(['company_id', 'created_at']).execute();

  await db.schema
    .createTable('message_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('response_excerpt', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('message_attempts_message').on('message_attempts').columns(['message_id', 'started_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'message_attempts',
    'messages',
    'webhooks',
    'ticket_events',
    'tickets',
    'label_counters',
    'users',
    'operators',
    'queue_counters',
    'endpoint_queues',
    'endpoints',
    'queues',
    'places',
    'api_keys',
    'companies',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
