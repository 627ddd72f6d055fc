/**
 * What one delivery attempt came to. Each channel turns its transport's answer into one
 * of these; the dispatcher switches on `kind` and never looks at a status code or an SMTP reply.
 */

/** Why a send may work later; `destinationFailing` says which of them count against the destination's health. */
export type RetryCause =
  | 'network' // refused, reset, unreachable, DNS
  | 'timeout' // no connection or no complete answer in time
  | 'server_error' // 5xx (except 503 with Retry-After), or an SMTP 4xx
  | 'throttled' // 429, or 503 with Retry-After: the receiver is alive and asks us to slow down
  | 'refused' // 401, 403, 404, 3xx…: the receiver answers but will not take it now (wrong secret, moved URL)
  | 'clock_skew' // 401 STALE_TIMESTAMP: the receiver's clock is too far from ours to accept any signature
  | 'blocked' // the URL resolves to an address we may not reach
  | 'circuit_open'; // not sent: the destination's breaker is open (not an attempt)

export type DeliveryOutcome =
  | { kind: 'delivered'; statusCode: number | null; excerpt: string | null; durationMs: number }
  | {
      kind: 'retry_later';
      cause: RetryCause;
      statusCode: number | null;
      excerpt: string | null;
      error: string;
      durationMs: number;
      retryAfterMs?: number;
      /** With `clock_skew`: the receiver's clock minus our signed timestamp, as it measured it. */
      clockOffsetMs?: number;
    }
  /** The receiver took it but judged its deadline already past (a push server's `expired_on_arrival`): expired, not delivered. */
  | { kind: 'expired_on_arrival'; statusCode: number | null; excerpt: string | null; error: string; durationMs: number }
  /** This message will never be accepted as it is (400, 413, 422, a refused recipient): failed. */
  | { kind: 'rejected'; statusCode: number | null; excerpt: string | null; error: string; durationMs: number }
  /** The destination says it no longer exists (410 Gone): the message fails and the destination is disabled. */
  | { kind: 'gone'; statusCode: number | null; excerpt: string | null; error: string; durationMs: number }
  /** Not sent, and never will be: the deadline passed, the destination was deleted or disabled, the channel is not configured. */
  | { kind: 'not_sent'; status: 'expired' | 'failed'; error: string };

const DESTINATION_FAILURES: ReadonlySet<RetryCause> = new Set(['network', 'timeout', 'server_error', 'refused', 'clock_skew', 'blocked']);

/** Failures that say the destination is unwell (health clock, circuit breaker); throttling and rejections do not. */
export function isDestinationFailure(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'retry_later' && DESTINATION_FAILURES.has(outcome.cause);
}

/** Answers that prove the destination is up and taking messages. */
export function isDestinationSuccess(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'delivered' || outcome.kind === 'rejected' || outcome.kind === 'expired_on_arrival';
}

/** An HTTP attempt was made (and is logged as one); `not_sent` and an open circuit are not attempts. */
export function isAttempt(outcome: DeliveryOutcome): outcome is Exclude<DeliveryOutcome, { kind: 'not_sent' }> {
  return outcome.kind !== 'not_sent' && !(outcome.kind === 'retry_later' && outcome.cause === 'circuit_open');
}

/** How the attempt log names an outcome: `delivered`, `retry_later:timeout`, `rejected`… */
export function outcomeLabel(outcome: DeliveryOutcome): string {
  return outcome.kind === 'retry_later' ? `retry_later:${outcome.cause}` : outcome.kind;
}
