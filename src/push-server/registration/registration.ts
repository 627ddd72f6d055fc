/**
 * Step ①: pushIds and their devices. An app registers a device with its public key and gets a new
 * pushId (192 random bits) and a secret; the secret then governs that pushId — more devices, a new
 * token, removal, logout. A backend holding the server key may use pushIds of its own choosing.
 * A token seen again moves to the pushId that registers it: one phone is one device.
 */
import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import {
  countDevicesOfPushId,
  deleteDeviceOfPushId,
  deleteDevicesOfPushId,
  findDeviceByToken,
  listDevicesOfPushId,
  updateDeviceOfPushId,
  upsertDevice,
  type DeviceRow,
} from '../db/queries/devices.js';
import { ensureServerPushId, findPushIdBySecret, insertPushId, type PushIdRow } from '../db/queries/push-ids.js';
import type { OperationContext } from '../deps.js';
import { toDeviceFields, type DeviceBody } from './device-input.js';

/** Enough for a person's phones, tablets and browsers; a cap keeps one pushId from fanning out without bound. */
const MAX_DEVICES_PER_PUSH_ID = 20;

export interface RegistrationContext extends OperationContext {
  allowPrivateEndpoints: boolean;
}

export async function registerNewPushId(ctx: RegistrationContext, appId: string, body: DeviceBody) {
  const fields = toDeviceFields(body, ctx.allowPrivateEndpoints);
  const pushId = newId('pid', 24);
  const secret = newToken('pis_', 32);
  const deviceId = await ctx.db.transaction().execute(async (tx) => {
    await insertPushId(tx, {
      app_id: appId,
      push_id: pushId,
      secret_hash: hashToken(secret),
      origin: 'public',
      created_at: ctx.clock.now(),
    });
    return saveDevice({ ...ctx, db: tx }, appId, pushId, body);
  });
  return { pushId, secret, deviceId, provider: fields.provider };
}

/** The pushId whose secret this is; the same answer for a wrong secret and an unknown pushId. */
export async function authenticatePushId(ctx: OperationContext, pushId: string, secret: string | null): Promise<PushIdRow> {
  const row = secret ? await findPushIdBySecret(ctx.db, pushId, hashToken(secret)) : undefined;
  if (!row) throw new AppError('PUSH_ID_SECRET_MISMATCH');
  return row;
}

export async function addDevice(ctx: RegistrationContext, owner: PushIdRow, body: DeviceBody): Promise<string> {
  return saveDevice(ctx, owner.app_id, owner.push_id, body);
}

export async function serverPutDevice(ctx: RegistrationContext, appId: string, pushId: string, body: DeviceBody): Promise<string> {
  return ctx.db.transaction().execute(async (tx) => {
    if ((await ensureServerPushId(tx, appId, pushId, ctx.clock.now())) !== appId) throw new AppError('PUSH_ID_TAKEN');
    return saveDevice({ ...ctx, db: tx }, appId, pushId, body);
  });
}

/** A new token for an existing device (the OS rotated it), or a new locale. */
export async function changeDevice(ctx: RegistrationContext, owner: PushIdRow, deviceId: string, body: DeviceBody): Promise<void> {
  const fields = toDeviceFields(body, ctx.allowPrivateEndpoints);
  const clash = await findDeviceByToken(ctx.db, owner.app_id, fields.token_hash);
  if (clash && clash.id !== deviceId) {
    // The new token is already registered as another device: keep that row, drop this one.
    await deleteDeviceOfPushId(ctx.db, owner.app_id, owner.push_id, deviceId);
    await saveDevice(ctx, owner.app_id, owner.push_id, body);
    return;
  }
  const changed = await updateDeviceOfPushId(ctx.db, owner.app_id, owner.push_id, deviceId, { ...fields, updated_at: ctx.clock.now() });
  if (!changed) throw new AppError('DEVICE_NOT_FOUND');
}

export async function removeDevice(ctx: OperationContext, owner: PushIdRow, deviceId: string): Promise<void> {
  if (!(await deleteDeviceOfPushId(ctx.db, owner.app_id, owner.push_id, deviceId))) throw new AppError('DEVICE_NOT_FOUND');
}

/** Logout: every device of the pushId goes; the pushId and its secret stay for the next login. */
export function removeAllDevices(ctx: OperationContext, appId: string, pushId: string): Promise<number> {
  return deleteDevicesOfPushId(ctx.db, appId, pushId);
}

export async function describePushId(ctx: OperationContext, appId: string, pushId: string) {
  const devices = await listDevicesOfPushId(ctx.db, appId, pushId);
  return { pushId, appId, devices: devices.map(deviceView) };
}

async function saveDevice(ctx: RegistrationContext, appId: string, pushId: string, body: DeviceBody): Promise<string> {
  const fields = toDeviceFields(body, ctx.allowPrivateEndpoints);
  const existing = await findDeviceByToken(ctx.db, appId, fields.token_hash);
  if (existing?.push_id !== pushId && (await countDevicesOfPushId(ctx.db, appId, pushId)) >= MAX_DEVICES_PER_PUSH_ID) {
    throw new AppError('TOO_MANY_DEVICES');
  }
  const now = ctx.clock.now();
  return upsertDevice(ctx.db, { id: newId('dev'), app_id: appId, push_id: pushId, ...fields, created_at: now, updated_at: now });
}

/** Tokens are the device owner's to know; the view shows only their end, to tell devices apart. */
function deviceView(row: DeviceRow) {
  return {
    deviceId: row.id,
    provider: row.provider,
    environment: row.environment,
    locale: row.locale,
    tokenEnd: row.provider === 'webpush' ? new URL(row.token).host : row.token.slice(-6),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
