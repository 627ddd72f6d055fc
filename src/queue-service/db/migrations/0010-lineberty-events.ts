/**
 * The events Lineberty integrators expect (docs/design.md §States and transitions):
 * - tickets.alert_ahead: the people-ahead position a waiting ticket was last alerted at, so each
 *   position of the queue's `alertPositions` alerts it once;
 * - scheduled_jobs.rule_id as bigint on PostgreSQL: reminder ids are any positive integer
 *   (SQLite's integer already holds 64 bits);
 * - queue settings: the single `alertThreshold` becomes `alertPositions` (the old default 2 becomes
 *   the new default [2, 1], any other n stays one alert at n), and queues without reminders get the
 *   default ones (the day before at 18:00, and 2 hours before). Settings were stored whole, so an
 *   empty list cannot be told from "never set"; docs/operations.md says how to turn them off.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';

const DEFAULT_REMINDERS = [
  { id: 1, dayBefore: true, at: '18:00' },
  { id: 2, minutesBefore: 120 },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('alert_ahead', 'integer').execute();
  if (engineOf(db) === 'postgres') await sql`ALTER TABLE scheduled_jobs ALTER COLUMN rule_id TYPE bigint`.execute(db);
  const queues = await db.selectFrom('queues').select(['id', 'settings']).execute();
  for (const queue of queues as Array<{ id: string; settings: string }>) {
    const settings = JSON.parse(queue.settings) as Record<string, unknown>;
    const { alertThreshold, ...rest } = settings;
    if (typeof alertThreshold === 'number' && rest.alertPositions === undefined)
      rest.alertPositions = alertThreshold === 2 ? [2, 1] : [alertThreshold];
    if (!Array.isArray(rest.reminders) || rest.reminders.length === 0) rest.reminders = DEFAULT_REMINDERS;
    await db
      .updateTable('queues')
      .set({ settings: JSON.stringify(rest) })
      .where('id', '=', queue.id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('alert_ahead').execute();
}
