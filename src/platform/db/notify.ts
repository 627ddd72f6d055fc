/**
 * The one place that writes `pg_notify`: NOTIFY wakes listeners in other processes (workers waiting
 * for jobs, live streams). Inside a transaction PostgreSQL delivers it at commit, never before, and
 * not at all on rollback. SQLite has one process per file, so there is nobody else to tell.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { engineOf } from './engine-of.js';

/** Sends `payload` on `channel` to every session listening (PostgreSQL); does nothing on SQLite. */
export async function notifyChannel(db: Kysely<any>, channel: string, payload = ''): Promise<void> {
  if (engineOf(db) === 'postgres') await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

/** The NOTIFY as a select-list expression, for a statement that already makes a round trip (PostgreSQL only). */
export function notifyExpression(channel: string, payload: RawBuilder<string>): RawBuilder<string> {
  return sql<string>`pg_notify(${channel}, ${payload})`;
}
