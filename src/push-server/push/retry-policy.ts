/**
 * When to try again after a transient failure: one named schedule per cause, each with the reason
 * it looks the way it does. Every retry is also bounded by the push's deadline (a push that would
 * arrive after `x-queuebell-deliver-by` is not worth sending) and by MAX_ATTEMPTS.
 */
import type { TransientCause } from '../providers/provider.js';

export interface RetrySchedule {
  firstDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Fraction of the delay drawn at random, so pushes that failed together do not retry together. */
  jitter: number;
  why: string;
}

export const RETRY_SCHEDULES: Record<TransientCause, RetrySchedule> = {
  network: {
    firstDelayMs: 500,
    factor: 2,
    maxDelayMs: 30_000,
    jitter: 0.3,
    why: 'a reset or timed-out connection usually works again on a fresh session',
  },
  provider_unavailable: {
    firstDelayMs: 2_000,
    factor: 2,
    maxDelayMs: 5 * 60_000,
    jitter: 0.3,
    why: '5xx and UNAVAILABLE: the provider is overloaded; back off quickly so it can recover',
  },
  rate_limited: {
    firstDelayMs: 5_000,
    factor: 2,
    maxDelayMs: 5 * 60_000,
    jitter: 0.3,
    why: 'a push service said 429: wait at least its Retry-After, then slow down',
  },
  quota_exceeded: {
    firstDelayMs: 60_000,
    factor: 2,
    maxDelayMs: 10 * 60_000,
    jitter: 0.2,
    why: 'FCM asks for at least one minute before retrying QUOTA_EXCEEDED',
  },
  device_rate_limited: {
    firstDelayMs: 10_000,
    factor: 2,
    maxDelayMs: 5 * 60_000,
    jitter: 0.3,
    why: 'APNs TooManyRequests is about one device getting too many pushes; hurrying makes it worse',
  },
};

/** A poison job (one that crashes or hangs every worker) must stop somewhere even with a far deadline. */
export const MAX_ATTEMPTS = 12;
/** A provider's Retry-After is honoured up to this, so one answer cannot park a push for a day. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

export interface RetryInput {
  cause: TransientCause;
  /** Attempts made so far, including the one that just failed (1 after the first failure). */
  attempts: number;
  now: number;
  deliverBy: number;
  retryAfterMs?: number;
  random?: () => number;
}

/** The moment of the next attempt, or null when there should be none (deadline or attempts used up). */
export function nextAttemptAt(input: RetryInput): number | null {
  if (input.attempts >= MAX_ATTEMPTS) return null;
  const schedule = RETRY_SCHEDULES[input.cause];
  const base = Math.min(schedule.maxDelayMs, schedule.firstDelayMs * schedule.factor ** (input.attempts - 1));
  const jittered = base * (1 - schedule.jitter + 2 * schedule.jitter * (input.random ?? Math.random)());
  const asked = Math.min(input.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  const at = input.now + Math.round(Math.max(jittered, asked));
  return at < input.deliverBy ? at : null;
}
