/**
 * APNs answers → outcomes. The device is removed
 * only on a definite answer: 410 Unregistered/ExpiredToken, or 400 BadDeviceToken — which is
 * definite here because every push goes to the environment the token was registered with.
 */
import { parseRetryAfter } from '../../../platform/net/retry-after.js';
import type { PushOutcome } from '../provider.js';
import type { H2Response } from '../http2-sessions.js';

// DeviceTokenNotForTopic stays a rejection: with a mistyped topic every token would say so,
// and deleting them all would be the wrong fix.
const TOKEN_GONE = new Set(['Unregistered', 'ExpiredToken', 'BadDeviceToken']);
const CREDENTIALS = new Set([
  'InvalidProviderToken',
  'MissingProviderToken',
  'BadCertificate',
  'BadCertificateEnvironment',
  'Forbidden',
  'TooManyProviderTokenUpdates',
  'TopicDisallowed',
  'BadTopic',
  'MissingTopic',
]);

/** ExpiredProviderToken is handled by the provider itself (sign a new token, send once more). */
export const EXPIRED_PROVIDER_TOKEN = 'ExpiredProviderToken';

export function apnsOutcome(response: H2Response, now: number): PushOutcome {
  const { status } = response;
  if (status === 200) return delivered(status, response.headers['apns-id']);
  const { reason, timestamp } = parseError(response.body);
  if (TOKEN_GONE.has(reason)) return { kind: 'token_gone', status, reason, ...(timestamp ? { goneSince: timestamp } : {}) };
  if (CREDENTIALS.has(reason) || reason === EXPIRED_PROVIDER_TOKEN) return { kind: 'credentials_broken', status, reason };
  if (status === 429) {
    // TooManyRequests is about one device token receiving too much, not about our whole traffic.
    return {
      kind: 'retry_later',
      status,
      reason,
      cause: 'device_rate_limited',
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) ?? undefined,
    };
  }
  if (status >= 500) {
    return {
      kind: 'retry_later',
      status,
      reason,
      cause: 'provider_unavailable',
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) ?? undefined,
    };
  }
  return { kind: 'rejected', status, reason };
}

export function networkOutcome(error: Error): PushOutcome {
  return { kind: 'retry_later', status: null, reason: `network: ${error.message}`, cause: 'network' };
}

export function reasonOf(response: H2Response): string {
  return parseError(response.body).reason;
}

function parseError(body: string): { reason: string; timestamp?: number } {
  try {
    const parsed = JSON.parse(body) as { reason?: unknown; timestamp?: unknown };
    return {
      reason: typeof parsed.reason === 'string' ? parsed.reason : 'Unknown',
      ...(typeof parsed.timestamp === 'number' ? { timestamp: parsed.timestamp } : {}),
    };
  } catch {
    return { reason: 'Unknown' };
  }
}

function delivered(status: number, apnsId: string | string[] | undefined): PushOutcome {
  return typeof apnsId === 'string' ? { kind: 'delivered', status, providerMessageId: apnsId } : { kind: 'delivered', status };
}
