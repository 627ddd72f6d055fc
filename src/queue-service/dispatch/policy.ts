/**
 * Delivery policy as data (docs/design.md §Delivery): every number the dispatcher obeys, each with the
 * reason it has this value. `nextAttemptAt` is the one helper that turns the retry policy into a
 * moment; tests and the dispatcher use it, nothing else computes back-off.
 */

export const RETRY = {
  firstDelayMs: 1_000,
  factor: 3,
  maxDelayMs: 30 * 60_000,
  jitter: 0.2,
  why:
    '1 s, 3 s, 9 s, 27 s, 81 s, 4 min, 12 min, 30 min: a restart or dropped connection is retried within seconds, ' +
    'a longer outage every few minutes, and ±20 % jitter (as Svix) keeps messages that failed together from retrying together. ' +
    'The deadline, not a count, ends the retries: a CALLED message gets about six tries in its five minutes.',
} as const;

export const RETRY_AFTER = {
  maxMs: 5 * 60_000,
  why: "a receiver's Retry-After is honoured up to five minutes: longer would outlive the CALLED deadline, so one answer cannot park a message for good",
} as const;

export const THROTTLED = {
  minDelayMs: 5_000,
  why: 'a 429 or 503 without Retry-After means "slow down": waiting at least five seconds gives the receiver room without missing short deadlines',
} as const;

export const TIMEOUTS = {
  connectMs: 5_000,
  responseMs: 15_000,
  why: "Hook0's numbers: a receiver that cannot answer a small POST in 15 s is overloaded, and our deadlines are minutes, not the 30 s the spec allows",
} as const;

export const LEASE = {
  ms: 10_000,
  renewEveryMs: 2_500,
  why: 'a claimed message returns to the pool within seconds if its worker hangs (one that died is taken over at once on PostgreSQL, by its liveness lock); its holder renews it four times a lease while the send or its record is under way, so a slow send (up to 5 s + 15 s) or a database away for a while does not lose it',
} as const;

export const CLAIM = {
  batchSize: 200,
  maxInFlight: 512,
  maxInFlightPerRoute: 64,
  maxHeldPerRoute: 128,
  pollIntervalMs: 1_000,
  why:
    'claims in batches keep database round trips per message low; at most 64 sends on the wire per destination (route) — keep-alive sockets — ' +
    'and 128 claimed, so a slow receiver cannot hold every slot; polling every second bounds the delay when a wake-up (NOTIFY, in-process signal) is lost',
} as const;

export const SLOW_ROUTE = {
  thresholdMs: 1_000,
  parkMs: 2_000,
  why:
    'a destination whose answers average a second or more and that holds its share of slots is left out of claims, and its due messages ' +
    "wait two seconds in the database (they could not go faster anyway): the claim never wades through its backlog to find the other destinations' messages",
} as const;

export const BREAKER = {
  failuresToOpen: 5,
  firstCooldownMs: 5_000,
  maxCooldownMs: 5 * 60_000,
  why:
    'after five failures in a row a destination is left alone, 5 s at first then twice as long after each failed probe, up to five minutes: ' +
    'a dead receiver costs one probe per cooldown instead of a timeout per message, and other destinations keep their slots',
} as const;

export const HEALTH = {
  disableAfterMs: 5 * 24 * 3_600_000,
  minFailuresToDisable: 20,
  successWriteIntervalMs: 60_000,
  why:
    'a destination failing for five days without one success is disabled (Svix waits five days too); twenty failures at least, so a destination that ' +
    'saw two messages a week is not disabled on little evidence; a healthy destination records its success at most once a minute per worker',
} as const;

export const ATTEMPT_LOG = {
  excerptBytes: 4_096,
  errorChars: 500,
  why: 'enough of an answer to see what the receiver said, small enough that a million attempts stay cheap to keep',
} as const;

export const REPLAY = {
  maxPerCall: 10_000,
  why: 'one call replays at most this many messages (Svix caps recovery the same way), so a careless range cannot flood the destination',
} as const;

export const SECRET_ROTATION = {
  defaultOverlapMs: 24 * 3_600_000,
  maxOverlapMs: 7 * 24 * 3_600_000,
  maxOldSecrets: 10,
  why: 'after a rotation the previous secret signs alongside the new one for a day (as Svix), time for every receiver to be updated; at most ten old ones',
} as const;

export const SHUTDOWN = {
  graceMs: 20_000,
  why: 'on SIGTERM, sends already on the wire may finish (they end within the 20 s of TIMEOUTS); anything still running after that is aborted and released',
} as const;

export interface RetryInput {
  /** Attempts made in this round, including the one that just failed (1 after the first failure). */
  attempts: number;
  now: number;
  deliverBy: number;
  /** The receiver's Retry-After in ms, when it sent one. */
  retryAfterMs?: number;
  /** A floor, for answers that mean "slow down". */
  minDelayMs?: number;
  random?: () => number;
}

/** When to try again, or null when no attempt fits before the deadline (the message then expires). */
export function nextAttemptAt(input: RetryInput): number | null {
  const exponent = Math.max(0, input.attempts - 1);
  const base = Math.min(RETRY.maxDelayMs, RETRY.firstDelayMs * RETRY.factor ** exponent);
  const jittered = base * (1 - RETRY.jitter + 2 * RETRY.jitter * (input.random ?? Math.random)());
  const asked = Math.min(input.retryAfterMs ?? 0, RETRY_AFTER.maxMs);
  const at = input.now + Math.round(Math.max(jittered, asked, input.minDelayMs ?? 0));
  return at < input.deliverBy ? at : null;
}
