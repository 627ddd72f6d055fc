import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, RETRY_SCHEDULES, nextAttemptAt } from '../../../src/push-server/push/retry-policy.js';

const NOW = 1_000_000;
const FAR = NOW + 24 * 3600_000;
const middle = () => 0.5;

describe('the retry policy', () => {
  it('gives every schedule a reason', () => {
    for (const schedule of Object.values(RETRY_SCHEDULES)) expect(schedule.why.length).toBeGreaterThan(20);
  });

  it('backs off exponentially from the first delay up to the cap', () => {
    const delays = [1, 2, 3, 4, 10].map(
      (attempts) => nextAttemptAt({ cause: 'provider_unavailable', attempts, now: NOW, deliverBy: FAR, random: middle })! - NOW,
    );
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 5 * 60_000]);
  });

  it("spreads retries with jitter within the schedule's fraction", () => {
    const low = nextAttemptAt({ cause: 'network', attempts: 1, now: NOW, deliverBy: FAR, random: () => 0 })! - NOW;
    const high = nextAttemptAt({ cause: 'network', attempts: 1, now: NOW, deliverBy: FAR, random: () => 0.999999 })! - NOW;
    expect(low).toBe(350);
    expect(high).toBeCloseTo(650, -1);
  });

  it('waits at least a minute after FCM quota errors', () => {
    expect(
      nextAttemptAt({ cause: 'quota_exceeded', attempts: 1, now: NOW, deliverBy: FAR, random: () => 0 })! - NOW,
    ).toBeGreaterThanOrEqual(48_000);
    expect(RETRY_SCHEDULES.quota_exceeded.firstDelayMs).toBe(60_000);
  });

  it('honours a longer Retry-After, but not beyond its cap', () => {
    expect(
      nextAttemptAt({ cause: 'rate_limited', attempts: 1, now: NOW, deliverBy: FAR, retryAfterMs: 120_000, random: middle })! - NOW,
    ).toBe(120_000);
    expect(
      nextAttemptAt({ cause: 'rate_limited', attempts: 1, now: NOW, deliverBy: FAR, retryAfterMs: 10 * 3600_000, random: middle })! - NOW,
    ).toBe(MAX_RETRY_AFTER_MS);
  });

  it('gives up when the next attempt would land after the deadline', () => {
    expect(nextAttemptAt({ cause: 'provider_unavailable', attempts: 1, now: NOW, deliverBy: NOW + 1_999, random: middle })).toBeNull();
    expect(nextAttemptAt({ cause: 'provider_unavailable', attempts: 1, now: NOW, deliverBy: NOW + 2_001, random: middle })).toBe(
      NOW + 2_000,
    );
  });

  it('gives up after the last allowed attempt whatever the deadline', () => {
    expect(nextAttemptAt({ cause: 'network', attempts: MAX_ATTEMPTS, now: NOW, deliverBy: FAR })).toBeNull();
  });
});
