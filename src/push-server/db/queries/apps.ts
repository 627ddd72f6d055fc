/** SQL on `apps`. Credentials stay sealed here; apps/credentials.ts opens them. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { PushDb } from '../connect.js';
import type { AppTable } from '../schema.js';

export type AppRow = Selectable<AppTable>;

export async function insertApp(db: PushDb, row: Insertable<AppTable>): Promise<void> {
  await db.insertInto('apps').values(row).execute();
}

export function findApp(db: PushDb, appId: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
}

export function listApps(db: PushDb): Promise<AppRow[]> {
  return db.selectFrom('apps').selectAll().orderBy('created_at').execute();
}

export async function updateApp(db: PushDb, appId: string, patch: Updateable<AppTable>): Promise<boolean> {
  const result = await db.updateTable('apps').set(patch).where('id', '=', appId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteApp(db: PushDb, appId: string): Promise<boolean> {
  const result = await db.deleteFrom('apps').where('id', '=', appId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
