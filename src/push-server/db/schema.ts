/**
 * The push server's tables as Kysely sees them. Times are epoch milliseconds (bigint), structured
 * values JSON text, so the same rows mean the same thing on SQLite and PostgreSQL.
 */
import type { JsonText, LocalizedNames } from '../../platform/json-text.js';

export type ProviderName = 'apns' | 'fcm' | 'webpush';

/**
 * An app's provider credentials as its row keeps them (apps/credentials.ts seals and opens them):
 * identifiers in clear, the secret parts sealed with the master key.
 */
export interface StoredApns {
  keyId: string;
  teamId: string;
  topic: string;
  baseUrl: string | null;
  sandboxBaseUrl?: string | null;
  ca: string | null;
  keySealed: string;
}
export interface StoredFcm {
  projectId: string;
  clientEmail: string;
  baseUrl: string | null;
  accountSealed: string;
}
export interface StoredWebPush {
  publicKey: string;
  /** Null: none given, the operator's contact is used (docs/design.md §Push server). */
  subject: string | null;
  privateKeySealed: string;
}

export interface AppTable {
  id: string;
  name: string;
  /** SHA-256 of the public app key (shipped inside the app; it only registers devices). */
  app_key_hash: string;
  /** SHA-256 of the server key a company backend uses to choose its own pushIds. */
  server_key_hash: string;
  /** The notification title per locale. */
  titles: JsonText<LocalizedNames>;
  /** Null when APNs is not configured. */
  apns: JsonText<StoredApns> | null;
  fcm: JsonText<StoredFcm> | null;
  /** Always present. */
  webpush: JsonText<StoredWebPush>;
  created_at: number;
  updated_at: number;
}

export interface SourceTable {
  id: string;
  app_id: string;
  name: string;
  /** `signature`: Standard Webhooks HMAC; `token`: a bearer token for senders that cannot sign. */
  mode: 'signature' | 'token';
  /** Sealed JSON SourceSecret[] (signature mode): the current secret and those still valid during a rotation. */
  secrets: string | null;
  /** SHA-256 of the bearer token (token mode): it is never needed back. */
  token_hash: string | null;
  created_at: number;
  updated_at: number;
  /** Where receipts about this source's messages go (migration 0006); null: none are sent. */
  receipt_url: string | null;
  /** The sealed `whsec_` secret that signs them. */
  receipt_secret: string | null;
}

export interface PushIdTable {
  app_id: string;
  push_id: string;
  /** SHA-256 of the pushId secret; null for pushIds a backend chose with its server key. */
  secret_hash: string | null;
  origin: 'public' | 'server';
  created_at: number;
}

export interface DeviceTable {
  id: string;
  app_id: string;
  push_id: string;
  provider: ProviderName;
  /** APNs hex token, FCM registration token, or the Web Push endpoint URL. */
  token: string;
  /** SHA-256 of provider + token: a short unique key, since endpoints can be long URLs. */
  token_hash: string;
  /** APNs only: the environment the token was issued for. */
  environment: 'sandbox' | 'production' | null;
  p256dh: string | null;
  auth: string | null;
  locale: string | null;
  created_at: number;
  updated_at: number;
}

/** The few fields of the sender's ticket view a notification shows (ingest/message-body.ts reduces it). */
export interface CompactTicket {
  id: string;
  label: string;
  state: number | null;
  /** The counter's name once the ticket is called. */
  counter: string | null;
  lang: string | null;
}

export type MessageStatus = 'accepted' | 'unknown_push_id' | 'no_devices' | 'expired_on_arrival';

export interface MessageTable {
  id: string;
  app_id: string;
  source_id: string | null;
  webhook_id: string;
  push_id: string;
  action: string;
  content: string;
  ticket: JsonText<CompactTicket>;
  deliver_by: number;
  received_at: number;
  status: MessageStatus;
  push_count: number;
}

export type PushJobStatus =
  | 'pending'
  | 'sending'
  | 'delivered'
  | 'expired'
  | 'failed'
  | 'token_gone'
  | 'rejected'
  | 'superseded'
  | 'canceled';

export interface PushJobTable {
  id: string;
  app_id: string;
  message_id: string;
  push_id: string;
  device_id: string;
  provider: ProviderName;
  /** The ticket id: a newer push for the same device and ticket supersedes a waiting one. */
  collapse_key: string;
  status: PushJobStatus;
  attempts: number;
  /** Pending: when the next attempt may start. Sending: when the lease runs out. */
  available_at: number;
  /** Sending: the worker holding the lease (null for a job written before leases had owners). */
  lease_owner: string | null;
  deliver_by: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  last_status: number | null;
  last_reason: string | null;
  /** The ingest request's W3C trace context (docs/design.md §Traces, migration 0008); null: not traced. */
  traceparent: string | null;
}

export interface ProviderPauseTable {
  app_id: string;
  provider: ProviderName;
  reason: string;
  paused_at: number;
}

export type ReceiptStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** The receipts outbox (migration 0006): one row per receipt event, sent to its source's receipt URL. */
export interface ReceiptTable {
  /** The receipt's `webhook-id`: derived from what it reports, so reporting twice writes one row. */
  id: string;
  app_id: string;
  source_id: string;
  type: 'push.receipt' | 'device.invalidated';
  /** The `webhook-id` of the message it is about. */
  webhook_id: string;
  /** The exact JSON posted. */
  body: string;
  status: ReceiptStatus;
  attempts: number;
  /** Pending: when the next attempt may start. Sending: when the lease runs out. */
  available_at: number;
  created_at: number;
  updated_at: number;
  last_error: string | null;
  /** The push's W3C trace context, continued by the receipt POST (migration 0008); null: not traced. */
  traceparent: string | null;
}

export interface PushServerSchema {
  apps: AppTable;
  sources: SourceTable;
  push_ids: PushIdTable;
  devices: DeviceTable;
  messages: MessageTable;
  push_jobs: PushJobTable;
  provider_pauses: ProviderPauseTable;
  receipts: ReceiptTable;
}
