/**
 * Moving tickets (docs/design.md §Moving tickets): a ticket's place in its line (`line_at`, which a
 * transfer to the end moves on while `booked_at` keeps the booking), priority, the counter a
 * transferred ticket is kept for, a note for staff, the person's "I'm here" and "running late";
 * and what kind of history event a change without a state change is.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('line_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE tickets SET line_at = booked_at`.execute(db);
  await db.schema
    .alterTable('tickets')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('tickets').addColumn('for_endpoint_id', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('staff_note', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('checked_in_at', 'bigint').execute();
  await db.schema.alterTable('tickets').addColumn('late_minutes', 'integer').execute();
  await db.schema.alterTable('tickets').addColumn('late_at', 'bigint').execute();
  await db.schema.alterTable('ticket_events').addColumn('kind', 'text').execute();
  await db.schema.alterTable('ticket_events').addColumn('detail', 'text').execute();
  // The FIFO line is read in (priority first, place in line, label) order; the predicate stays literal.
  await db.schema.dropIndex('tickets_fifo_line').execute();
  await sql`CREATE INDEX tickets_fifo_line ON tickets (queue_id, priority DESC, line_at, label_number) WHERE state IN (0, 50, 100) AND is_appointment = 0`.execute(
    db,
  );
  // The counter's current tickets (called or in progress), found before a call next.
  await db.schema.createIndex('tickets_endpoint_state').on('tickets').columns(['endpoint_id', 'state']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_endpoint_state').ifExists().execute();
  await db.schema.dropIndex('tickets_fifo_line').ifExists().execute();
  await sql`CREATE INDEX tickets_fifo_line ON tickets (queue_id, booked_at, label_number) WHERE state IN (0, 50, 100) AND is_appointment = 0`.execute(
    db,
  );
  for (const column of ['kind', 'detail']) await db.schema.alterTable('ticket_events').dropColumn(column).execute();
  for (const column of ['late_at', 'late_minutes', 'checked_in_at', 'staff_note', 'for_endpoint_id', 'priority', 'line_at']) {
    await db.schema.alterTable('tickets').dropColumn(column).execute();
  }
}
