/** SQL on `push_ids`: one row per pushId, with the hash of its secret. */
import type { Insertable, Selectable } from 'kysely';
import type { PushDb } from '../connect.js';
import type { PushIdTable } from '../schema.js';

export type PushIdRow = Selectable<PushIdTable>;

export async function insertPushId(db: PushDb, row: Insertable<PushIdTable>): Promise<void> {
  await db.insertInto('push_ids').values(row).execute();
}

/**
 * A backend's own pushId comes into existence the first time it registers a device under it.
 * pushIds are unique across the push server: the answer is the app that holds it, this one or another.
 */
export async function ensureServerPushId(db: PushDb, appId: string, pushId: string, now: number): Promise<string> {
  await db
    .insertInto('push_ids')
    .values({ app_id: appId, push_id: pushId, secret_hash: null, origin: 'server', created_at: now })
    .onConflict((oc) => oc.column('push_id').doNothing())
    .execute();
  const owner = await findAppOfPushId(db, pushId);
  return owner ?? appId;
}

/** The app a pushId belongs to (pushIds are unique across the push server), for the server-wide ingest route. */
export async function findAppOfPushId(db: PushDb, pushId: string): Promise<string | null> {
  const row = await db.selectFrom('push_ids').select('app_id').where('push_id', '=', pushId).executeTakeFirst();
  return row?.app_id ?? null;
}

/** The secret is the credential: the pushId alone finds nothing. */
export function findPushIdBySecret(db: PushDb, pushId: string, secretHash: string): Promise<PushIdRow | undefined> {
  return db.selectFrom('push_ids').selectAll().where('push_id', '=', pushId).where('secret_hash', '=', secretHash).executeTakeFirst();
}

export function findPushIdsOfApp(db: PushDb, appId: string, pushIds: readonly string[]): Promise<PushIdRow[]> {
  if (pushIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('push_ids').selectAll().where('app_id', '=', appId).where('push_id', 'in', pushIds).execute();
}
