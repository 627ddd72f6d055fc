/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds (fractions tolerated,
 * some receivers send them) or an HTTP date. A date in the past means "now" (0). Absent or
 * unreadable gives null: the caller falls back to its own retry schedule.
 */
const DELAY_SECONDS = /^\d+(\.\d+)?$/;
/** Date.parse reads "12" or "-5" as years; an HTTP date always names its month. */
const HAS_MONTH_NAME = /[a-z]{3}/i;

export function parseRetryAfter(header: string | string[] | undefined, now: number): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return null;
  if (DELAY_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!HAS_MONTH_NAME.test(value)) return null;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
