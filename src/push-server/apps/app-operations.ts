/**
 * Apps: created and changed by the admin API and CLI. Keys are returned once at creation and stored
 * hashed; credentials are validated before they are stored, sealed, and never shown again.
 */
import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText, toJsonText } from '../../platform/json-text.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import { deleteApp, findApp, insertApp, listApps, updateApp, type AppRow } from '../db/queries/apps.js';
import { listAllPauses, listPausesOfApp, resumeProvider, type ProviderPauseRow } from '../db/queries/provider-pauses.js';
import type { ProviderName } from '../db/schema.js';
import type { OperationContext } from '../deps.js';
import type { ApnsCredentials, FcmCredentials } from '../providers/provider.js';
import { validateApnsCredentials } from '../providers/apns/credentials.js';
import { validateServiceAccount } from '../providers/fcm/credentials.js';
import { generateVapidCredentials, validateVapidCredentials, type VapidKeys } from '../providers/webpush/credentials.js';
import { describeProviders, sealApns, sealFcm, sealWebPush, vapidPublicKeyOf } from './credentials.js';

export interface ApnsInput {
  keyP8: string;
  keyId: string;
  teamId: string;
  topic: string;
  baseUrl?: string;
  sandboxBaseUrl?: string;
  ca?: string;
}
export interface FcmInput {
  serviceAccount: unknown;
  baseUrl?: string;
}
export interface WebPushInput {
  publicKey?: string;
  privateKey?: string;
  subject?: string;
}

export interface AppInput {
  name: string;
  titles?: Record<string, string>;
  apns?: ApnsInput;
  fcm?: FcmInput;
  webpush?: WebPushInput;
}

export interface AppPatch {
  name?: string;
  titles?: Record<string, string>;
  /** null removes the provider from the app. */
  apns?: ApnsInput | null;
  fcm?: FcmInput | null;
}

export interface CreatedApp {
  appId: string;
  appKey: string;
  serverKey: string;
  vapidPublicKey: string;
}

export async function createApp(ctx: OperationContext, input: AppInput): Promise<CreatedApp> {
  const apns = input.apns ? validateApnsCredentials(apnsCredentials(input.apns)) : null;
  const fcm = input.fcm ? fcmCredentials(input.fcm) : null;
  const webpush = webPushCredentials(input.webpush);
  const appId = newId('app');
  const appKey = newToken('qbapp_');
  const serverKey = newToken('qbsrv_', 32);
  const now = ctx.clock.now();
  await insertApp(ctx.db, {
    id: appId,
    name: input.name,
    app_key_hash: hashToken(appKey),
    server_key_hash: hashToken(serverKey),
    titles: toJsonText(input.titles ?? {}),
    apns: apns ? sealApns(ctx.box, apns) : null,
    fcm: fcm ? sealFcm(ctx.box, fcm) : null,
    webpush: sealWebPush(ctx.box, webpush),
    created_at: now,
    updated_at: now,
  });
  return { appId, appKey, serverKey, vapidPublicKey: webpush.publicKey };
}

/** Changing a provider's credentials also lifts its pause: the admin has acted on the report. */
export async function changeApp(ctx: OperationContext, appId: string, patch: AppPatch): Promise<AppView> {
  const row = await requireApp(ctx, appId);
  const apns = patch.apns ? validateApnsCredentials(apnsCredentials(patch.apns)) : patch.apns;
  const fcm = patch.fcm ? fcmCredentials(patch.fcm) : patch.fcm;
  await ctx.db.transaction().execute(async (tx) => {
    await updateApp(tx, appId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.titles !== undefined ? { titles: toJsonText(patch.titles) } : {}),
      ...(apns !== undefined ? { apns: apns ? sealApns(ctx.box, apns) : null } : {}),
      ...(fcm !== undefined ? { fcm: fcm ? sealFcm(ctx.box, fcm) : null } : {}),
      // Strictly increasing: workers compare it to notice new credentials.
      updated_at: Math.max(ctx.clock.now(), row.updated_at + 1),
    });
    if (apns !== undefined) await resumeProvider(tx, appId, 'apns');
    if (fcm !== undefined) await resumeProvider(tx, appId, 'fcm');
  });
  ctx.apps.forget(appId);
  return getApp(ctx, appId);
}

export async function resumeAppProvider(ctx: OperationContext, appId: string, provider: ProviderName): Promise<AppView> {
  await requireApp(ctx, appId);
  await resumeProvider(ctx.db, appId, provider);
  ctx.wakeWorkers();
  return getApp(ctx, appId);
}

export async function removeApp(ctx: OperationContext, appId: string): Promise<void> {
  if (!(await deleteApp(ctx.db, appId))) throw new AppError('APP_NOT_FOUND');
  ctx.apps.forget(appId);
  ctx.sources.forget(appId);
}

export type AppView = ReturnType<typeof appView>;

export async function getApp(ctx: OperationContext, appId: string): Promise<AppView> {
  const row = await requireApp(ctx, appId);
  return appView(row, await listPausesOfApp(ctx.db, appId), ctx.vapidSubject);
}

export async function listAppViews(ctx: OperationContext): Promise<AppView[]> {
  const [rows, pauses] = await Promise.all([listApps(ctx.db), listAllPauses(ctx.db)]);
  return rows.map((row) =>
    appView(
      row,
      pauses.filter((pause) => pause.app_id === row.id),
      ctx.vapidSubject,
    ),
  );
}

export async function requireApp(ctx: OperationContext, appId: string): Promise<AppRow> {
  const row = await findApp(ctx.db, appId);
  if (!row) throw new AppError('APP_NOT_FOUND');
  return row;
}

function appView(row: AppRow, pauses: ProviderPauseRow[], vapidSubject: string) {
  return {
    appId: row.id,
    name: row.name,
    titles: parseJsonText(row.titles),
    ...describeProviders(row, vapidSubject),
    vapidPublicKey: vapidPublicKeyOf(row),
    paused: pauses.map((pause) => ({ provider: pause.provider, reason: pause.reason, pausedAt: new Date(pause.paused_at).toISOString() })),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function apnsCredentials(input: ApnsInput): ApnsCredentials {
  return {
    keyP8: input.keyP8,
    keyId: input.keyId,
    teamId: input.teamId,
    topic: input.topic,
    baseUrl: input.baseUrl ?? null,
    sandboxBaseUrl: input.sandboxBaseUrl ?? null,
    ca: input.ca ?? null,
  };
}

function fcmCredentials(input: FcmInput): FcmCredentials {
  return { serviceAccount: validateServiceAccount(input.serviceAccount), baseUrl: input.baseUrl ?? null };
}

/**
 * VAPID keys are generated when none are given: browsers bind subscriptions to them for good. No
 * subject given stores none, so the operator's contact of the day is used (PushDeps.vapidSubject).
 */
function webPushCredentials(input: WebPushInput | undefined): VapidKeys {
  const subject = input?.subject ?? null;
  if (!input?.publicKey && !input?.privateKey) return validateVapidCredentials(generateVapidCredentials(subject));
  if (!input.publicKey || !input.privateKey)
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'webpush needs both publicKey and privateKey, or neither.');
  return validateVapidCredentials({ publicKey: input.publicKey, privateKey: input.privateKey, subject });
}
