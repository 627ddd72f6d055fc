/**
 * The one place that knows what an HTTP answer means for a delivery (Standard Webhooks
 * recommendations, reference webhooks.md §1): any 2xx delivers; 410 says the receiver is gone;
 * 429, and 503 with Retry-After, ask us to slow down; other 5xx and every transport failure are
 * worth another try; 400, 413, 415 and 422 refuse this very message, so trying again cannot help;
 * the rest (3xx — redirects are not followed —, 401, 403, 404…) is a receiver that answers but will
 * not take it now, usually a configuration being changed, so it is retried until the deadline.
 * Two answers of a queuebell push server are read further (docs/design.md §Delivery): a 2xx whose
 * body says `expired_on_arrival`, and a 401 `STALE_TIMESTAMP` that measures the clocks' offset.
 */
import { EXPIRED_ON_ARRIVAL, type StaleTimestampDetails } from '../../../contract/message.js';
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
  if (status >= 200 && status < 300) {
    if (jsonOf(excerpt)?.status !== EXPIRED_ON_ARRIVAL) return { kind: 'delivered', ...answer };
    return {
      kind: 'expired_on_arrival',
      ...answer,
      error: 'expired on arrival: the receiver found the deadline already past (202 expired_on_arrival)',
    };
  }
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
  if (status === 401) {
    const offsetSeconds = staleTimestampOffset(excerpt);
    if (offsetSeconds !== null) return clockSkew(answer, offsetSeconds);
  }
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

function clockSkew(answer: { statusCode: number; excerpt: string | null; durationMs: number }, offsetSeconds: number): DeliveryOutcome {
  const direction = offsetSeconds >= 0 ? 'ahead of' : 'behind';
  return {
    kind: 'retry_later',
    cause: 'clock_skew',
    ...answer,
    clockOffsetMs: offsetSeconds * 1000,
    error: `clock skew: the receiver's clock is ${Math.abs(offsetSeconds)} s ${direction} ours (401 STALE_TIMESTAMP)`,
  };
}

function staleTimestampOffset(excerpt: string): number | null {
  const error = jsonOf(excerpt)?.error as { code?: unknown; details?: Partial<StaleTimestampDetails> } | undefined;
  const offset = error?.code === 'STALE_TIMESTAMP' ? error.details?.offsetSeconds : undefined;
  return typeof offset === 'number' && Number.isFinite(offset) ? offset : null;
}

/** The answer as a JSON object, when it is one; any other body means nothing more than its status. */
function jsonOf(excerpt: string): Record<string, unknown> | null {
  if (!excerpt.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(excerpt);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
