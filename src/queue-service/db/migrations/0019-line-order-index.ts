/**
 * Write and read costs of the hottest tables (docs/design.md §Storage):
 * - The FIFO line index ends with the ticket id, the last term of the line order, so reading the
 *   line's head never sorts (SQLite planned a temporary B-tree for the id).
 * - `messages_recipient` (0014) repeated `messages_recipient_created` (0006) column for column;
 *   every outbox row paid for both.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_fifo_line').execute();
  await sql`CREATE INDEX tickets_fifo_line ON tickets (queue_id, priority DESC, line_at, label_number, id) WHERE state IN (0, 50, 100) AND is_appointment = 0`.execute(
    db,
  );
  await db.schema.dropIndex('messages_recipient').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_recipient').on('messages').columns(['recipient', 'created_at']).execute();
  await db.schema.dropIndex('tickets_fifo_line').execute();
  await sql`CREATE INDEX tickets_fifo_line ON tickets (queue_id, priority DESC, line_at, label_number) WHERE state IN (0, 50, 100) AND is_appointment = 0`.execute(
    db,
  );
}
