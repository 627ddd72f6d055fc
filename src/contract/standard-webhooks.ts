/**
 * Standard Webhooks v1 symmetric signatures:
 * `v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`, secrets shown as `whsec_<base64>`.
 * Both services use this module; test/contract checks it against the spec's reference library.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Every reference library accepts ±5 minutes; the spec itself gives no number. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new secret of 32 random bytes (the spec asks for 24 to 64). */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** `whsec_` followed by 24 to 64 bytes in base64, as the spec asks: what a sender may bring as its own secret. */
export function isWellFormedWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const length = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64').length;
  return length >= 24 && length <= 64;
}

function secretBytes(secret: string): Buffer {
  const base64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) throw new Error('empty webhook secret');
  return bytes;
}

function signatureFor(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  return signContent(secret, `${id}.${timestamp}.`, body);
}

/** A `v1,` entry over `prefix` then `rest`, the scheme of Standard Webhooks (also for content of our own beside it). */
export function signContent(secret: string, prefix: string, rest: string | Buffer = ''): string {
  const mac = createHmac('sha256', secretBytes(secret));
  mac.update(prefix);
  mac.update(rest);
  return `v1,${mac.digest('base64')}`;
}

/** Whether any `v1,` entry of a space-separated `header` is `expected`'s (timing-safe). */
export function anyEntryMatches(header: string, expected: string): boolean {
  const want = Buffer.from(expected.slice(3), 'base64');
  return header
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'))
    .some((candidate) => candidate.length === want.length && timingSafeEqual(candidate, want));
}

/** One `v1,` entry per secret, space-separated, so receivers keep verifying while a secret rotates. */
export function signWebhook(secrets: readonly string[], id: string, timestamp: number, body: string | Buffer): WebhookHeaders {
  if (id.includes('.')) throw new Error('webhook-id must not contain "."');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureFor(secret, id, timestamp, body)).join(' '),
  };
}

export type VerifyFailure = 'missing_headers' | 'stale_timestamp' | 'invalid_signature';
export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure };

export interface VerifyOptions {
  nowSeconds?: number;
  toleranceSeconds?: number;
}

/** Accepts when any `v1` signature in the header matches any of the secrets (rotation on either side). */
export function verifyWebhook(
  secrets: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer,
  options: VerifyOptions = {},
): VerifyResult {
  const id = single(headers['webhook-id']);
  const timestampText = single(headers['webhook-timestamp']);
  const signatureHeader = single(headers['webhook-signature']);
  if (!id || !timestampText || !signatureHeader || !/^\d{1,12}$/.test(timestampText)) {
    return { ok: false, reason: 'missing_headers' };
  }
  const timestamp = Number(timestampText);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'stale_timestamp' };

  const offered = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  for (const secret of secrets) {
    const expected = Buffer.from(signatureFor(secret, id, timestamp, body).slice(3), 'base64');
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
      return { ok: true, id, timestamp };
    }
  }
  return { ok: false, reason: 'invalid_signature' };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
