/** The scheduler's tuning, each value with why it is what it is. */
export const SCHEDULER = {
  /** Jobs claimed per round trip: enough to amortise the claim, small enough to share with other schedulers. */
  batchSize: 200,
  /**
   * Jobs fired at once. On SQLite they share group commits (up to 64 a commit: a sweep of thousands
   * of timeouts costs a commit per 64 rather than per 16); on PostgreSQL the pool bounds them anyway.
   */
  concurrency: 64,
  /**
   * A claimed job is due again for anyone after this unless renewed: its scheduler died or hung. Far
   * above one job's work; renewed every quarter while a batch fires (docs/design.md §Workers).
   */
  leaseMs: 10_000,
  renewEveryMs: 2_500,
  /** Longest sleep between looks: timeouts and reminders are minutes long, so a second late is on time. */
  pollIntervalMs: 1_000,
  /** A job that keeps failing is retried this long after each failure… */
  retryDelayMs: 30_000,
  /** …this many times, then dropped (and logged): a broken ticket must not be retried forever. */
  maxAttempts: 5,
} as const;
