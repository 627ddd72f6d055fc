/**
 * Queue service depth:
 * - appointment_types and queue_opening_hours: what slots a queue offers, in the place's time zone;
 * - scheduled_jobs: durable due rows for timeouts, reminders and appointment alerts, read by due time;
 * - queue_service_times: the moving average of service time behind estimates;
 * - an index over appointments in every state, for availabilities (the waiting-line index only
 *   holds waiting tickets, but a slot stays taken once its ticket was called or served).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('appointment_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appointment_types_queue').on('appointment_types').columns(['queue_id', 'created_at']).execute();

  await db.schema
    .createTable('queue_opening_hours')
    .addColumn('queue_id', 'text', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('scheduled_jobs_per_ticket', ['ticket_id', 'kind', 'rule_id'])
    .execute();
  await db.schema.createIndex('scheduled_jobs_due').on('scheduled_jobs').column('due_at').execute();

  await db.schema
    .createTable('queue_service_times')
    .addColumn('queue_id', 'text', (c) => c.primaryKey().references('queues.id').onDelete('cascade'))
    .addColumn('ms_per_person', 'double precision', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Literal predicate: a planner uses a partial index only when the query repeats it verbatim.
  await sql`CREATE INDEX tickets_appointments ON tickets (queue_id, booked_for) WHERE is_appointment = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_appointments').ifExists().execute();
  for (const table of ['queue_service_times', 'scheduled_jobs', 'queue_opening_hours', 'appointment_types']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
