/**
 * Web Push answers → outcomes (RFC 8030 §5). 404 and 410
 * mean the subscription is gone. Unlike APNs and FCM, the endpoint was chosen by whoever
 * registered the device, so no answer from it may pause the app: a 401/403 (a subscription bound
 * to another VAPID key) only refuses this push.
 */
import { parseRetryAfter } from '../../../platform/net/retry-after.js';
import type { PushOutcome } from '../provider.js';
import type { HttpResponse } from './transport.js';

export function webPushOutcome(response: HttpResponse, now: number): PushOutcome {
  const { status } = response;
  const reason = `HTTP ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`;
  if (status >= 200 && status < 300) {
    // RFC 8030 §5: the push service names the message it created in Location.
    const location = response.headers.location;
    return location ? { kind: 'delivered', status, providerMessageId: location } : { kind: 'delivered', status };
  }
  if (status === 404 || status === 410) return { kind: 'token_gone', status, reason };
  if (status === 429)
    return {
      kind: 'retry_later',
      status,
      reason,
      cause: 'rate_limited',
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) ?? undefined,
    };
  if (status >= 500)
    return {
      kind: 'retry_later',
      status,
      reason,
      cause: 'provider_unavailable',
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) ?? undefined,
    };
  return { kind: 'rejected', status, reason };
}

export function networkOutcome(error: Error): PushOutcome {
  if ((error as { code?: string }).code === 'E_UNSAFE_ENDPOINT') return { kind: 'rejected', status: null, reason: error.message };
  return { kind: 'retry_later', status: null, reason: `network: ${error.message}`, cause: 'network' };
}
