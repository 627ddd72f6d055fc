/**
 * sms_opt_outs: a phone number that replied STOP to a company's texts (docs/design.md §Two-way SMS).
 * Every later SMS of that company to that number is refused; START removes the row.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sms_opt_outs')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('opted_out_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sms_opt_outs_pk', ['company_id', 'phone'])
    .execute();
  // Which companies a number hears from, and its open tickets, are found by the number.
  await db.schema.createIndex('messages_recipient').on('messages').columns(['recipient', 'created_at']).execute();
  await db.schema.createIndex('tickets_phone').on('tickets').columns(['phone', 'booked_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_phone').ifExists().execute();
  await db.schema.dropIndex('messages_recipient').ifExists().execute();
  await db.schema.dropTable('sms_opt_outs').ifExists().execute();
}
