/** SQL on `devices`: the tokens and subscriptions behind each pushId. */
import type { Insertable, Selectable } from 'kysely';
import type { PushDb } from '../connect.js';
import type { DeviceTable } from '../schema.js';

export type DeviceRow = Selectable<DeviceTable>;

/**
 * Inserts the device, or moves the existing row with the same token to this pushId: one token is
 * one phone, so it may belong to one pushId only. Returns the device id (unchanged on a move).
 */
export async function upsertDevice(db: PushDb, row: Insertable<DeviceTable>): Promise<string> {
  const saved = await db
    .insertInto('devices')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['app_id', 'token_hash']).doUpdateSet({
        push_id: row.push_id,
        environment: row.environment ?? null,
        p256dh: row.p256dh ?? null,
        auth: row.auth ?? null,
        locale: row.locale ?? null,
        updated_at: row.updated_at,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

export function findDeviceByToken(db: PushDb, appId: string, tokenHash: string): Promise<DeviceRow | undefined> {
  return db.selectFrom('devices').selectAll().where('app_id', '=', appId).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function listDevicesOfPushId(db: PushDb, appId: string, pushId: string): Promise<DeviceRow[]> {
  return db.selectFrom('devices').selectAll().where('app_id', '=', appId).where('push_id', '=', pushId).orderBy('created_at').execute();
}

export async function countDevicesOfPushId(db: PushDb, appId: string, pushId: string): Promise<number> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .where('push_id', '=', pushId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Fan-out of an ingest batch: whole rows, so pushes handed to the local worker need no second read. */
export function listDevicesOfPushIds(db: PushDb, appId: string, pushIds: readonly string[]): Promise<DeviceRow[]> {
  if (pushIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('devices').selectAll().where('app_id', '=', appId).where('push_id', 'in', pushIds).execute();
}

export function findDevicesByIds(db: PushDb, ids: readonly string[]): Promise<DeviceRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('devices').selectAll().where('id', 'in', ids).execute();
}

export async function updateDeviceOfPushId(
  db: PushDb,
  appId: string,
  pushId: string,
  deviceId: string,
  patch: Partial<Pick<DeviceRow, 'token' | 'token_hash' | 'environment' | 'p256dh' | 'auth' | 'locale' | 'updated_at'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set(patch)
    .where('app_id', '=', appId)
    .where('push_id', '=', pushId)
    .where('id', '=', deviceId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteDeviceOfPushId(db: PushDb, appId: string, pushId: string, deviceId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('devices')
    .where('app_id', '=', appId)
    .where('push_id', '=', pushId)
    .where('id', '=', deviceId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteDevicesOfPushId(db: PushDb, appId: string, pushId: string): Promise<number> {
  const result = await db.deleteFrom('devices').where('app_id', '=', appId).where('push_id', '=', pushId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Token hygiene: a provider said the token is gone as of `goneSince`. A registration newer than
 * that (the app re-registered the same token) means the answer is stale, so the row stays.
 */
export async function deleteDeviceUnlessRegisteredSince(db: PushDb, deviceId: string, goneSince: number): Promise<boolean> {
  const result = await db.deleteFrom('devices').where('id', '=', deviceId).where('updated_at', '<=', goneSince).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
