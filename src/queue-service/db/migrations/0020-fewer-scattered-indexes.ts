/**
 * Index entries that land at random places cost a booking most (docs/design.md §Storage): each
 * dirties its own B-tree page, which the commit writes into the WAL and the checkpoint copies again.
 * - `tickets_user` (user, booked at) and `tickets_open_user` (user, queue, open) were two such
 *   entries per ticket; one index (user, queue, state) answers both the person's list and the
 *   fair-use count of their open tickets in a queue, which it covers.
 * - `tickets_open_phone` (0006) was never read: for a phone number's open tickets SQLite takes the
 *   older (phone, booked_at) index, and a number's tickets are few.
 * - `messages_recipient_created` held every push message under its pushId, but only SMS and e-mail
 *   are counted per recipient: it now holds those alone.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_user_queue').on('tickets').columns(['user_id', 'queue_id', 'state']).execute();
  await db.schema.dropIndex('tickets_user').execute();
  await db.schema.dropIndex('tickets_open_user').execute();
  await db.schema.dropIndex('tickets_open_phone').execute();
  // Literal predicate: a planner uses a partial index only when the query repeats it verbatim.
  await sql`CREATE INDEX messages_contact_recipient ON messages (recipient, created_at) WHERE channel <> 'webhook'`.execute(db);
  await db.schema.dropIndex('messages_recipient_created').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('messages_recipient_created').on('messages').columns(['recipient', 'created_at']).execute();
  await db.schema.dropIndex('messages_contact_recipient').execute();
  await sql`CREATE INDEX tickets_open_phone ON tickets (phone, queue_id) WHERE state < 400`.execute(db);
  await sql`CREATE INDEX tickets_open_user ON tickets (user_id, queue_id) WHERE state < 400`.execute(db);
  await db.schema.createIndex('tickets_user').on('tickets').columns(['user_id', 'booked_at']).execute();
  await db.schema.dropIndex('tickets_user_queue').execute();
}
