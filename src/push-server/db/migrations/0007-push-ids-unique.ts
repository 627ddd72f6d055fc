/**
 * A pushId names one app across the whole push server (docs/design.md §Push server), so a sender can
 * post to the server-wide ingest route and the server finds the app from the pushId.
 *
 * pushIds the server generated (`pid_…`, 192 random bits) never collide; pushIds a backend chose with
 * the server key may exist in several apps. Of each such pushId the oldest registration keeps it (the
 * app id breaks a tie); the later ones are removed with their devices, so their app stops pushing to
 * them until its backend registers them under a pushId of their own. Messages and pushes already
 * received stay in the history. docs/operations.md tells how to find them before upgrading.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const rows = (await db.selectFrom('push_ids').select(['app_id', 'push_id', 'created_at']).execute()) as Array<{
    app_id: string;
    push_id: string;
    created_at: number;
  }>;
  const keeper = new Map<string, { app_id: string; created_at: number }>();
  for (const row of rows) {
    const kept = keeper.get(row.push_id);
    if (!kept || row.created_at < kept.created_at || (row.created_at === kept.created_at && row.app_id < kept.app_id))
      keeper.set(row.push_id, row);
  }
  for (const row of rows) {
    if (keeper.get(row.push_id)!.app_id === row.app_id) continue;
    await db.deleteFrom('devices').where('app_id', '=', row.app_id).where('push_id', '=', row.push_id).execute();
    await db.deleteFrom('push_ids').where('app_id', '=', row.app_id).where('push_id', '=', row.push_id).execute();
  }
  await db.schema.dropIndex('push_ids_push_id').ifExists().execute();
  await db.schema.createIndex('push_ids_push_id_unique').unique().on('push_ids').column('push_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('push_ids_push_id_unique').ifExists().execute();
  await db.schema.createIndex('push_ids_push_id').on('push_ids').column('push_id').execute();
}
