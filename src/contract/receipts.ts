/**
 * Delivery receipts (docs/design.md §Receipts): what the push server reports back to a source about
 * each message it ingested, per device, as Standard Webhooks-signed POSTs to the source's receipt
 * URL. `webhookId` is the `webhook-id` of the message the receipt is about, so the sender can match
 * it; the receipt's own `webhook-id` header is the receipt's id, the same on every retry.
 */
import { Type } from 'typebox';

/**
 * - `pushed`: the provider accepted the push (`providerMessageId` where it gives one);
 * - `failed`: the provider refused it for good, or it was tried too often (`reason`);
 * - `token_invalid`: the provider says the token is dead; the device was removed;
 * - `no_devices`: the pushId is known but has no device;
 * - `unknown_push_id`: the pushId is not known to the app;
 * - `expired`: the deadline passed before it could be sent.
 */
export type ReceiptOutcome = 'pushed' | 'failed' | 'token_invalid' | 'no_devices' | 'unknown_push_id' | 'expired';

export const RECEIPT_OUTCOMES: readonly ReceiptOutcome[] = [
  'pushed',
  'failed',
  'token_invalid',
  'no_devices',
  'unknown_push_id',
  'expired',
];

/** Outcomes that say this device (or the whole message) will not show the notification. */
export function isNegativeOutcome(outcome: ReceiptOutcome): boolean {
  return outcome !== 'pushed';
}

export interface PushReceipt {
  type: 'push.receipt';
  /** The `webhook-id` of the ingested message. */
  webhookId: string;
  pushId: string;
  outcome: ReceiptOutcome;
  /** Null for outcomes about the whole message (no devices, unknown pushId, expired on arrival). */
  deviceId: string | null;
  provider: 'apns' | 'fcm' | 'webpush' | null;
  providerMessageId: string | null;
  reason: string | null;
  /** How many devices the message went to: a sender knows every device failed once it has that many negative receipts. */
  devices: number;
  /** When it happened at the push server (RFC 3339 with milliseconds). */
  at: string;
}

/** A token the provider called dead was removed: the company's backend may want to forget it too. */
export interface DeviceInvalidated {
  type: 'device.invalidated';
  webhookId: string;
  pushId: string;
  deviceId: string;
  provider: 'apns' | 'fcm' | 'webpush';
  reason: string | null;
  at: string;
}

export type ReceiptEvent = PushReceipt | DeviceInvalidated;

/**
 * Several receipts for one receiver in one POST, each with its own id (what its `webhook-id` would
 * be alone): the push server sends a batch when many are waiting, and one by one again when a
 * batch is refused, so one bad receipt cannot hold back the others.
 */
export interface ReceiptBatch {
  type: 'receipt.batch';
  receipts: (ReceiptEvent & { id: string })[];
}

/** Receipts per POST at most. */
export const MAX_RECEIPTS_PER_BATCH = 100;

const Text = (maxLength: number) => Type.String({ maxLength });
const NullableText = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const Provider = Type.Union([Type.Literal('apns'), Type.Literal('fcm'), Type.Literal('webpush')]);

/** What a receiver checks a receipt body against; unknown fields are tolerated. */
export const ReceiptEventSchema = Type.Union([
  Type.Object({
    type: Type.Literal('push.receipt'),
    webhookId: Text(256),
    pushId: Text(256),
    outcome: Type.Union(RECEIPT_OUTCOMES.map((o) => Type.Literal(o))),
    deviceId: NullableText(100),
    provider: Type.Union([Provider, Type.Null()]),
    providerMessageId: NullableText(500),
    reason: NullableText(2000),
    devices: Type.Integer({ minimum: 0, maximum: 1000 }),
    at: Text(40),
  }),
  Type.Object({
    type: Type.Literal('device.invalidated'),
    webhookId: Text(256),
    pushId: Text(256),
    deviceId: Text(100),
    provider: Provider,
    reason: NullableText(2000),
    at: Text(40),
  }),
]);

export const ReceiptBatchSchema = Type.Object({
  type: Type.Literal('receipt.batch'),
  receipts: Type.Array(Type.Intersect([ReceiptEventSchema, Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) })]), {
    minItems: 1,
    maxItems: MAX_RECEIPTS_PER_BATCH,
  }),
});
