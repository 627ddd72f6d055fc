/**
 * The two ranges a place's analytics read (docs/design.md §Analytics): tickets by the time they
 * joined the line, which is the booking for a walk-in and the appointment's time for an
 * appointment. Without them a day's report reads every ticket the place ever had.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_place_booked').on('tickets').columns(['place_id', 'booked_at']).execute();
  await db.schema
    .createIndex('tickets_place_appointment')
    .on('tickets')
    .columns(['place_id', 'booked_for'])
    .where(sql.ref('is_appointment'), '=', 1)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_place_appointment').ifExists().execute();
  await db.schema.dropIndex('tickets_place_booked').ifExists().execute();
}
