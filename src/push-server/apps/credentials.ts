/**
 * How an app's provider credentials are stored: identifiers in clear (they show up in listings and
 * logs help nobody hide them), the secret parts sealed with the master key. `openAppContext` is the
 * only place that unseals them, for the worker.
 */
import type { SecretBox } from '../../platform/secrets.js';
import type { AppRow } from '../db/queries/apps.js';
import type { AppContext, ApnsCredentials, FcmCredentials, ServiceAccount, WebPushCredentials } from '../providers/provider.js';

interface StoredApns { keyId: string; teamId: string; topic: string; baseUrl: string | null; sandboxBaseUrl?: string | null; ca: string | null; keySealed: string }
interface StoredFcm { projectId: string; clientEmail: string; baseUrl: string | null; accountSealed: string }
interface StoredWebPush { publicKey: string; subject: string; privateKeySealed: string }

export function sealApns(box: SecretBox, credentials: ApnsCredentials): string {
  const { keyP8, ...clear } = credentials;
  return JSON.stringify({ ...clear, keySealed: box.seal(keyP8) } satisfies StoredApns);
}

export function sealFcm(box: SecretBox, credentials: FcmCredentials): string {
  const { serviceAccount, baseUrl } = credentials;
  const stored: StoredFcm = { projectId: serviceAccount.project_id, clientEmail: serviceAccount.client_email, baseUrl, accountSealed: box.seal(JSON.stringify(serviceAccount)) };
  return JSON.stringify(stored);
}

export function sealWebPush(box: SecretBox, credentials: WebPushCredentials): string {
  const stored: StoredWebPush = { publicKey: credentials.publicKey, subject: credentials.subject, privateKeySealed: box.seal(credentials.privateKey) };
  return JSON.stringify(stored);
}

export function openAppContext(box: SecretBox, row: AppRow): AppContext {
  return {
    appId: row.id,
    name: row.name,
    titles: JSON.parse(row.titles) as Record<string, string>,
    apns: row.apns ? openApns(box, JSON.parse(row.apns) as StoredApns) : null,
    fcm: row.fcm ? openFcm(box, JSON.parse(row.fcm) as StoredFcm) : null,
    webpush: openWebPush(box, JSON.parse(row.webpush) as StoredWebPush),
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

function openWebPush(box: SecretBox, stored: StoredWebPush): WebPushCredentials {
  return { publicKey: stored.publicKey, subject: stored.subject, privateKey: box.open(stored.privateKeySealed) };
}

/** What the admin API may show of an app's providers: never a key, only what identifies it. */
export function describeProviders(row: AppRow) {
  const apns = row.apns ? (JSON.parse(row.apns) as StoredApns) : null;
  const fcm = row.fcm ? (JSON.parse(row.fcm) as StoredFcm) : null;
  const webpush = JSON.parse(row.webpush) as StoredWebPush;
  return {
    apns: apns ? { keyId: apns.keyId, teamId: apns.teamId, topic: apns.topic, baseUrl: apns.baseUrl, sandboxBaseUrl: apns.sandboxBaseUrl ?? null } : null,
    fcm: fcm ? { projectId: fcm.projectId, clientEmail: fcm.clientEmail, baseUrl: fcm.baseUrl } : null,
    webpush: { publicKey: webpush.publicKey, subject: webpush.subject },
  };
}

export function vapidPublicKeyOf(row: AppRow): string {
  return (JSON.parse(row.webpush) as StoredWebPush).publicKey;
}
