import { sql } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';
import type { QueueDb } from '../types.js';

/** Verbatim predicate of the partial index tickets_appointments (migration 0003). */
const IS_APPOINTMENT = sql<boolean>`is_appointment = 1`;

export interface BookedAppointment {
  appointmentTypeId: string | null;
  bookedFor: number;
  groupSize: number;
}

/**
 * Appointments of a queue starting in [from, to) that still hold their place: every state but
 * canceled (a served or missed appointment took its slot too).
 */
export async function appointmentsBetween(
  db: QueueDb,
  queueId: string,
  from: number,
  to: number,
  exceptTicketId?: string,
): Promise<BookedAppointment[]> {
  let query = db
    .selectFrom('tickets')
    .select(['appointment_type_id', 'booked_for', 'group_size'])
    .where('queue_id', '=', queueId)
    .where(IS_APPOINTMENT)
    .where('booked_for', '>=', from)
    .where('booked_for', '<', to)
    .where('state', '<>', 600);
  if (exceptTicketId) query = query.where('id', '<>', exceptTicketId);
  const rows = await query.execute();
  return rows.map((row) => ({ appointmentTypeId: row.appointment_type_id, bookedFor: Number(row.booked_for), groupSize: row.group_size }));
}

/**
 * Serialises bookings of one queue's appointments for one local day until the transaction ends,
 * so two people cannot both take the last place of a slot. SQLite has a single writer already.
 */
export async function lockAppointmentDay(db: QueueDb, queueId: string, day: string): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`appointments:${queueId}:${day}`}))`.execute(db);
}
