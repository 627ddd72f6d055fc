/**
 * push_heartbeat: the one row /readyz upserts, so readiness proves a write commits, not only that
 * a connection answers (docs/design.md §Faults). Named apart from the queue service's, since both
 * services may share one PostgreSQL database.
 */
import type { Kysely } from 'kysely';

export const PUSH_HEARTBEAT_TABLE = 'push_heartbeat';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(PUSH_HEARTBEAT_TABLE)
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('beat_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable(PUSH_HEARTBEAT_TABLE).ifExists().execute();
}
