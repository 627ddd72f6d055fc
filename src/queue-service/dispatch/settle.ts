/**
 * The record stage's decision, pure: what a claimed message becomes after an outcome. Retries are
 * computed by policy.nextAttemptAt and bounded by the deadline — when no attempt fits before it,
 * the message is expired now rather than kept for nothing.
 */
import type { Message, MessageAttempt } from '../db/schema.js';
import type { Settlement } from '../db/queries/message-claims.js';
import { newSortableId } from '../../platform/ids.js';
import { ATTEMPT_LOG, nextAttemptAt } from './policy.js';
import { isAttempt, outcomeLabel, type DeliveryOutcome } from './outcome.js';

export function settlementFor(message: Message, outcome: DeliveryOutcome, now: number, random?: () => number): Settlement {
  const base = { id: message.id, nextAttemptAt: null, deliveredAt: null, lastError: null, attempted: isAttempt(outcome) };
  switch (outcome.kind) {
    case 'delivered':
      return { ...base, status: 'delivered', deliveredAt: now };
    case 'rejected':
    case 'gone':
      return { ...base, status: 'failed', lastError: clipError(outcome.error) };
    case 'expired_on_arrival':
      return { ...base, status: 'expired', lastError: clipError(outcome.error) };
    case 'not_sent':
      return { ...base, status: outcome.status, lastError: clipError(outcome.error) };
    case 'retry_later': {
      if (outcome.cause === 'circuit_open') {
        // Not an attempt: wait for the breaker's probe, but never past the deadline (the claim expires it then).
        return {
          ...base,
          status: 'pending',
          nextAttemptAt: Math.min(now + (outcome.retryAfterMs ?? 0), message.deliver_by),
          lastError: outcome.error,
        };
      }
      const next = nextAttemptAt({
        attempts: message.attempt_count + 1,
        now,
        deliverBy: message.deliver_by,
        retryAfterMs: outcome.retryAfterMs,
        random,
      });
      if (next === null) return { ...base, status: 'expired', lastError: clipError(`${outcome.error}; no retry fits before the deadline`) };
      return { ...base, status: 'pending', nextAttemptAt: next, lastError: clipError(outcome.error) };
    }
  }
}

/** The attempt log row of an outcome that was an attempt. */
export function attemptFor(message: Message, outcome: DeliveryOutcome, startedAt: number): MessageAttempt | null {
  if (!isAttempt(outcome)) return null;
  return {
    id: newSortableId('att', startedAt),
    message_id: message.id,
    started_at: startedAt,
    duration_ms: outcome.durationMs,
    status_code: outcome.statusCode,
    outcome: outcomeLabel(outcome),
    response_excerpt: outcome.excerpt ? outcome.excerpt.slice(0, ATTEMPT_LOG.excerptBytes) : null,
    error: outcome.kind === 'delivered' ? null : clipError(outcome.error),
  };
}

function clipError(error: string): string {
  return error.length > ATTEMPT_LOG.errorChars ? `${error.slice(0, ATTEMPT_LOG.errorChars)}…` : error;
}
