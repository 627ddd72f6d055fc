import type { Kysely } from 'kysely';

/**
 * Every index costs each ingested message and each recorded push an extra B-tree write. The two on
 * times existed only for the retention purge, which now walks the primary keys instead: ids are
 * time-sortable (platform/ids.ts newSortableId), so "created before T" is an id range.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_jobs_finished').ifExists().execute();
  await db.schema.dropIndex('messages_received').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('push_jobs_finished').on('push_jobs').column('finished_at').execute();
  await db.schema.createIndex('messages_received').on('messages').column('received_at').execute();
}
