/**
 * The interface every provider implements (APNs, FCM, Web Push), and the few outcomes a provider's
 * answer can become. The worker switches on `PushOutcome.kind`, never on a provider's status codes:
 * each provider's `outcome.ts` is the only place that knows them.
 */
import type { ProviderName } from '../db/schema.js';

export type { ProviderName };

/** The few ticket fields a notification carries, as strings (FCM `data` allows nothing else). */
export interface CompactData {
  action: string;
  ticketId: string;
  label: string;
  state: string;
  counter: string;
}

/** A message rendered for one device, before any provider-specific shape. */
export interface Notification {
  title: string;
  body: string;
  data: CompactData;
  /** The ticket id: a newer notification about the ticket replaces the older one on the device. */
  collapseKey: string;
  highPriority: boolean;
  /** Epoch ms after which the notification is not worth showing (x-queuebell-deliver-by). */
  expiresAt: number;
}

export interface DeviceTarget {
  deviceId: string;
  token: string;
  environment: 'sandbox' | 'production' | null;
  p256dh: string | null;
  auth: string | null;
}

export interface ApnsCredentials {
  keyP8: string;
  keyId: string;
  teamId: string;
  topic: string;
  /** Replaces Apple's hosts (a fake, a proxy); `sandboxBaseUrl` replaces the sandbox host alone. */
  baseUrl: string | null;
  sandboxBaseUrl: string | null;
  ca: string | null;
}
export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri: string;
}
export interface FcmCredentials {
  serviceAccount: ServiceAccount;
  baseUrl: string | null;
}
export interface WebPushCredentials {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** An app with its credentials opened, as the worker holds it. */
export interface AppContext {
  appId: string;
  name: string;
  titles: Record<string, string>;
  apns: ApnsCredentials | null;
  fcm: FcmCredentials | null;
  webpush: WebPushCredentials;
  /** The app row's updated_at: a change means new credentials, so sessions and tokens are dropped. */
  version: number;
}

export interface PushInput {
  app: AppContext;
  device: DeviceTarget;
  notification: Notification;
  now: number;
}

/** The request a provider will send, built (and size-checked) before any network work. */
export interface PreparedPush {
  input: PushInput;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Why a send may work later; each cause has its retry schedule in push/retry-policy.ts. */
export type TransientCause = 'provider_unavailable' | 'network' | 'rate_limited' | 'quota_exceeded' | 'device_rate_limited';

export type PushOutcome =
  /** `providerMessageId`: the provider's id of the push where it gives one (apns-id, FCM message name, Web Push Location). */
  | { kind: 'delivered'; status: number; providerMessageId?: string }
  | { kind: 'retry_later'; status: number | null; reason: string; cause: TransientCause; retryAfterMs?: number }
  /** The token or subscription is definitely dead; `goneSince` (epoch ms) when the provider says when. */
  | { kind: 'token_gone'; status: number; reason: string; goneSince?: number }
  /** This push can never succeed as built (too large, bad topic); the device stays. */
  | { kind: 'rejected'; status: number | null; reason: string }
  /** The app's credentials are refused: the provider is paused for the app until an admin acts. */
  | { kind: 'credentials_broken'; status: number | null; reason: string };

export interface Provider {
  readonly name: ProviderName;
  /** Builds the provider's request; answers a `rejected` outcome when it cannot be built or does not fit. */
  prepare(input: PushInput): PreparedPush | PushOutcome;
  send(prepared: PreparedPush): Promise<PushOutcome>;
  /** The app's credentials changed or the app is gone: drop its sessions and cached tokens. */
  forgetApp(appId: string): void;
  close(): Promise<void>;
}

export function isOutcome(value: PreparedPush | PushOutcome): value is PushOutcome {
  return 'kind' in value;
}

export function rejected(reason: string): PushOutcome {
  return { kind: 'rejected', status: null, reason };
}
