/**
 * How an app's provider credentials are stored: identifiers in clear (they show up in listings and
 * logs help nobody hide them), the secret parts sealed with the master key. `openAppContext` is the
 * only place that unseals them, for the worker.
 */
import { parseJsonText, toJsonText, type JsonText } from '../../platform/json-text.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { AppRow } from '../db/queries/apps.js';
import type { StoredApns, StoredFcm, StoredWebPush } from '../db/schema.js';
import type { AppContext, ApnsCredentials, FcmCredentials, ServiceAccount, WebPushCredentials } from '../providers/provider.js';
import { NO_VAPID_SUBJECT, type VapidKeys } from '../providers/webpush/credentials.js';

export function sealApns(box: SecretBox, credentials: ApnsCredentials): JsonText<StoredApns> {
  const { keyP8, ...clear } = credentials;
  return toJsonText<StoredApns>({ ...clear, keySealed: box.seal(keyP8) });
}

export function sealFcm(box: SecretBox, credentials: FcmCredentials): JsonText<StoredFcm> {
  const { serviceAccount, baseUrl } = credentials;
  const stored: StoredFcm = {
    projectId: serviceAccount.project_id,
    clientEmail: serviceAccount.client_email,
    baseUrl,
    accountSealed: box.seal(JSON.stringify(serviceAccount)),
  };
  return toJsonText(stored);
}

export function sealWebPush(box: SecretBox, credentials: VapidKeys): JsonText<StoredWebPush> {
  const stored: StoredWebPush = {
    publicKey: credentials.publicKey,
    subject: credentials.subject,
    privateKeySealed: box.seal(credentials.privateKey),
  };
  return toJsonText(stored);
}

/** `vapidSubject`: the operator's contact, for an app that gave none. */
export function openAppContext(box: SecretBox, row: AppRow, vapidSubject: string): AppContext {
  return {
    appId: row.id,
    name: row.name,
    titles: parseJsonText(row.titles),
    apns: row.apns ? openApns(box, parseJsonText(row.apns)) : null,
    fcm: row.fcm ? openFcm(box, parseJsonText(row.fcm)) : null,
    webpush: openWebPush(box, parseJsonText(row.webpush), vapidSubject),
    version: row.updated_at,
  };
}

function openApns(box: SecretBox, stored: StoredApns): ApnsCredentials {
  const { keySealed, ...clear } = stored;
  return { ...clear, sandboxBaseUrl: clear.sandboxBaseUrl ?? null, keyP8: box.open(keySealed) };
}

function openFcm(box: SecretBox, stored: StoredFcm): FcmCredentials {
  return { serviceAccount: JSON.parse(box.open(stored.accountSealed)) as ServiceAccount, baseUrl: stored.baseUrl };
}

function openWebPush(box: SecretBox, stored: StoredWebPush, vapidSubject: string): WebPushCredentials {
  return { publicKey: stored.publicKey, subject: subjectOf(stored, vapidSubject), privateKey: box.open(stored.privateKeySealed) };
}

/** The app's own contact, else the operator's; the placeholder older versions stored counts as none. */
function subjectOf(stored: StoredWebPush, vapidSubject: string): string {
  return stored.subject && stored.subject !== NO_VAPID_SUBJECT ? stored.subject : vapidSubject;
}

/** What the admin API may show of an app's providers: never a key, only what identifies it. */
export function describeProviders(row: AppRow, vapidSubject: string) {
  const apns = row.apns ? parseJsonText(row.apns) : null;
  const fcm = row.fcm ? parseJsonText(row.fcm) : null;
  const webpush = parseJsonText(row.webpush);
  return {
    apns: apns
      ? { keyId: apns.keyId, teamId: apns.teamId, topic: apns.topic, baseUrl: apns.baseUrl, sandboxBaseUrl: apns.sandboxBaseUrl ?? null }
      : null,
    fcm: fcm ? { projectId: fcm.projectId, clientEmail: fcm.clientEmail, baseUrl: fcm.baseUrl } : null,
    webpush: { publicKey: webpush.publicKey, subject: subjectOf(webpush, vapidSubject) },
  };
}

export function vapidPublicKeyOf(row: AppRow): string {
  return parseJsonText(row.webpush).publicKey;
}
