/**
 * E-mail as a fallback channel (docs/design.md §Fallback):
 * - tickets.email_fallback: the person agreed to an e-mail when an urgent push does not reach them;
 * - fallback_decisions.channel: the channel the fallback went by (sms, email), null when none did;
 * - fallback_decisions.channel_skips: JSON `[{channel, reason}]`, why each channel tried before
 *   (or instead of) it was passed over, in the queue's order.
 * Decisions of migration 0011 were all about SMS: their channel is set to sms when one was sent.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('email_fallback', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('fallback_decisions').addColumn('channel', 'text').execute();
  await db.schema.alterTable('fallback_decisions').addColumn('channel_skips', 'text').execute();
  await sql`update fallback_decisions set channel = 'sms' where fallback_message_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('fallback_decisions').dropColumn('channel_skips').execute();
  await db.schema.alterTable('fallback_decisions').dropColumn('channel').execute();
  await db.schema.alterTable('tickets').dropColumn('email_fallback').execute();
}
