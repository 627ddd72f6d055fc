/**
 * The one place that knows what an HTTP answer means for a delivery (Standard Webhooks
 * recommendations, reference webhooks.md §1): any 2xx delivers; 410 says the receiver is gone;
 * 429, and 503 with Retry-After, ask us to slow down; other 5xx and every transport failure are
 * worth another try; 400, 413, 415 and 422 refuse this very message, so trying again cannot help;
 * the rest (3xx — redirects are not followed —, 401, 403, 404…) is a receiver that answers but will
 * not take it now, usually a configuration being changed, so it is retried until the deadline.
 */
import { parseRetryAfter } from '../../../platform/net/retry-after.js';
import type { HttpResult } from '../../../platform/net/safe-http.js';
import type { DeliveryOutcome, RetryCause } from '../outcome.js';
import { THROTTLED } from '../policy.js';

const REJECTS_MESSAGE = new Set([400, 413, 415, 422]);

export function httpOutcome(result: HttpResult, now: number): DeliveryOutcome {
  const durationMs = Math.round(result.durationMs);
  if (result.kind === 'failure') {
    if (result.failure === 'invalid_url') return { kind: 'rejected', statusCode: null, excerpt: null, error: result.message, durationMs };
    return {
      kind: 'retry_later',
      cause: transportCause(result.failure),
      statusCode: null,
      excerpt: null,
      error: `${result.failure}: ${result.message}`,
      durationMs,
    };
  }
  const { status, excerpt } = result;
  const answer = { statusCode: status, excerpt: excerpt || null, durationMs };
  if (status >= 200 && status < 300) return { kind: 'delivered', ...answer };
  if (status === 410) return { kind: 'gone', ...answer, error: 'the receiver answered 410 Gone' };
  const retryAfterMs = parseRetryAfter(result.headers['retry-after'], now) ?? undefined;
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) {
    return {
      kind: 'retry_later',
      cause: 'throttled',
      ...answer,
      error: `HTTP ${status}`,
      retryAfterMs: Math.max(retryAfterMs ?? 0, THROTTLED.minDelayMs),
    };
  }
  if (status >= 500 || status === 408 || status === 425)
    return { kind: 'retry_later', cause: 'server_error', ...answer, error: `HTTP ${status}`, retryAfterMs };
  if (REJECTS_MESSAGE.has(status)) return { kind: 'rejected', ...answer, error: `HTTP ${status}: the receiver refuses this message` };
  return { kind: 'retry_later', cause: 'refused', ...answer, error: `HTTP ${status}` };
}

function transportCause(failure: Exclude<HttpResult, { kind: 'response' }>['failure']): RetryCause {
  switch (failure) {
    case 'blocked_address':
      return 'blocked';
    case 'connect_timeout':
    case 'response_timeout':
      return 'timeout';
    default:
      return 'network';
  }
}
