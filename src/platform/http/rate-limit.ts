/**
 * A fixed-window request counter per key (an API key, a client address). In-process: with several
 * API processes each enforces its own share, which is what a per-process front door needs anyway.
 */
import { AppError } from '../../contract/errors.js';

export class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for the key; throws RATE_LIMITED with Retry-After once the window is full. */
  take(key: string): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now - (now % this.windowMs);
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count > this.limit) {
      const retryAfter = Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${retryAfter} s.`, undefined, { 'retry-after': String(retryAfter) });
    }
  }
}
