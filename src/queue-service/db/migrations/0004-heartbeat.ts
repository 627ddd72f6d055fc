/**
 * queue_heartbeat: the one row /readyz upserts, so readiness proves a write commits, not only that
 * a connection answers (docs/design.md §Faults).
 */
import type { Kysely } from 'kysely';

export const QUEUE_HEARTBEAT_TABLE = 'queue_heartbeat';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(QUEUE_HEARTBEAT_TABLE)
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('beat_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable(QUEUE_HEARTBEAT_TABLE).ifExists().execute();
}
