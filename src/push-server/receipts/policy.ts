/** How receipts are retried (docs/design.md §Receipts); each number with its reason. */

export const RECEIPT_POLICY = {
  /** First retry after a second: a receiver restarting is back within seconds. */
  baseDelayMs: 1_000,
  /** Tripled each attempt … */
  factor: 3,
  /** … up to ten minutes, so a receiver back after an outage hears within minutes. */
  maxDelayMs: 10 * 60_000,
  /** A receipt a day old is history, not news: given up on and marked failed. */
  giveUpAfterMs: 24 * 3600_000,
  /** Longer than a send (10 s answer timeout): a live sender never loses its claim. */
  leaseMs: 30_000,
  batchSize: 200,
  /** Receipts on the wire at once, across receivers. */
  maxInFlight: 256,
  pollIntervalMs: 250,
} as const;

/** When to try again after `attempts` failed attempts, or null to give up. */
export function nextReceiptAttemptAt(attempts: number, createdAt: number, now: number): number | null {
  const delay = Math.min(RECEIPT_POLICY.baseDelayMs * RECEIPT_POLICY.factor ** Math.max(0, attempts - 1), RECEIPT_POLICY.maxDelayMs);
  const jitter = delay * (0.8 + Math.random() * 0.4);
  const at = now + Math.round(jitter);
  return at - createdAt > RECEIPT_POLICY.giveUpAfterMs ? null : at;
}

/** A receiver's 4xx says "never" (a bad signature, an unknown message): retrying cannot help. 408 and 429 say "later". */
export function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
