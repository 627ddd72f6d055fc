import { describe, expect, it } from 'vitest';
import { httpOutcome } from '../../../src/queue-service/dispatch/channels/http-outcome.js';
import { CircuitBreakers } from '../../../src/queue-service/dispatch/circuit-breaker.js';
import { planLanes, type LaneRow } from '../../../src/queue-service/dispatch/lanes.js';
import { BREAKER, RETRY, RETRY_AFTER, nextAttemptAt } from '../../../src/queue-service/dispatch/policy.js';
import { ManualClock } from '../../../src/platform/clock.js';
import type { HttpResult } from '../../../src/platform/net/safe-http.js';

const HOUR = 3_600_000;
const middle = () => 0.5;

describe('nextAttemptAt', () => {
  it('backs off exponentially from one second, capped at thirty minutes', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(
      (attempts) => nextAttemptAt({ attempts, now: 0, deliverBy: 100 * HOUR, random: middle })!,
    );
    expect(delays).toEqual([1_000, 3_000, 9_000, 27_000, 81_000, 243_000, 729_000, 1_800_000, 1_800_000]);
  });

  it('spreads retries by ±20 % so messages that failed together do not retry together', () => {
    expect(nextAttemptAt({ attempts: 3, now: 0, deliverBy: HOUR, random: () => 0 })).toBe(9_000 * (1 - RETRY.jitter));
    expect(nextAttemptAt({ attempts: 3, now: 0, deliverBy: HOUR, random: () => 0.999999 })).toBe(
      Math.round(9_000 * (1 + RETRY.jitter * 0.999998)),
    );
  });

  it('waits at least as long as Retry-After asks, up to five minutes', () => {
    expect(nextAttemptAt({ attempts: 1, now: 0, deliverBy: HOUR, retryAfterMs: 42_000, random: middle })).toBe(42_000);
    expect(nextAttemptAt({ attempts: 1, now: 0, deliverBy: HOUR, retryAfterMs: 86_400_000, random: middle })).toBe(RETRY_AFTER.maxMs);
    expect(nextAttemptAt({ attempts: 4, now: 0, deliverBy: HOUR, retryAfterMs: 500, random: middle })).toBe(27_000);
  });

  it('gives up when the next attempt would not come before the deadline', () => {
    expect(nextAttemptAt({ attempts: 1, now: 0, deliverBy: 1_000, random: middle })).toBeNull();
    expect(nextAttemptAt({ attempts: 1, now: 0, deliverBy: 1_001, random: middle })).toBe(1_000);
  });
});

describe('planLanes', () => {
  const row = (id: string, version: number, status: LaneRow['status'], extra: Partial<LaneRow> = {}): LaneRow => ({
    id,
    ticket_id: 't1',
    channel: 'webhook',
    destination_id: 'd1',
    ticket_version: version,
    status,
    next_attempt_at: 0,
    deliver_by: 10_000,
    ...extra,
  });
  const now = 1_000;

  it('claims only the newest message of a lane and supersedes the older ones', () => {
    const plan = planLanes([row('a', 1, 'pending'), row('b', 2, 'pending'), row('c', 3, 'pending')], now, new Set(['a', 'b', 'c']));
    expect(plan).toEqual({ claim: ['c'], supersede: ['a', 'b'], expire: [], held: 0 });
  });

  it('claims nothing in a lane while one of its messages is on the wire', () => {
    const plan = planLanes([row('a', 1, 'delivering', { next_attempt_at: now + 1 }), row('b', 2, 'pending')], now, new Set(['b']));
    expect(plan).toEqual({ claim: [], supersede: [], expire: [], held: 1 });
  });

  it('treats a delivering message whose lease ran out as undelivered', () => {
    const plan = planLanes([row('a', 1, 'delivering', { next_attempt_at: now }), row('b', 2, 'pending')], now, new Set(['a', 'b']));
    expect(plan).toEqual({ claim: ['b'], supersede: ['a'], expire: [], held: 0 });
    expect(planLanes([row('a', 1, 'delivering', { next_attempt_at: now })], now, new Set(['a'])).claim).toEqual(['a']);
  });

  it('expires what is past its deadline and supersedes older messages even when the newest ended', () => {
    const plan = planLanes([row('a', 1, 'pending'), row('b', 2, 'pending', { deliver_by: now })], now, new Set(['a', 'b']));
    expect(plan).toEqual({ claim: [], supersede: ['a'], expire: ['b'], held: 0 });
    expect(planLanes([row('a', 1, 'pending'), row('b', 2, 'delivered')], now, new Set(['a']))).toEqual({
      claim: [],
      supersede: ['a'],
      expire: [],
      held: 0,
    });
  });

  it('leaves a newest message that is not due, or that this worker does not hold, for later', () => {
    expect(planLanes([row('a', 1, 'pending', { next_attempt_at: now + 1 })], now, new Set(['a'])).claim).toEqual([]);
    expect(planLanes([row('a', 1, 'pending')], now, new Set()).claim).toEqual([]);
  });

  it('keeps lanes apart: other destinations, channels and tickets', () => {
    const rows = [
      row('a', 1, 'pending'),
      row('b', 2, 'pending', { destination_id: 'd2' }),
      row('c', 2, 'pending', { channel: 'sms', destination_id: null }),
      row('d', 2, 'pending', { ticket_id: 't2' }),
    ];
    expect(planLanes(rows, now, new Set(['a', 'b', 'c', 'd'])).claim.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('httpOutcome', () => {
  const answer = (status: number, headers: Record<string, string> = {}): HttpResult => ({
    kind: 'response',
    status,
    headers,
    excerpt: 'body',
    durationMs: 3.4,
  });
  const failure = (kind: Extract<HttpResult, { kind: 'failure' }>['failure']): HttpResult => ({
    kind: 'failure',
    failure: kind,
    message: 'x',
    durationMs: 1,
  });
  const kindOf = (result: HttpResult) => {
    const outcome = httpOutcome(result, 0);
    return outcome.kind === 'retry_later' ? `retry_later:${outcome.cause}` : outcome.kind;
  };

  it('turns every kind of answer into one outcome', () => {
    expect([200, 201, 204, 299].map((s) => kindOf(answer(s)))).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(kindOf(answer(410))).toBe('gone');
    expect([400, 413, 415, 422].map((s) => kindOf(answer(s)))).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect([429, 503].map((s) => kindOf(answer(s, { 'retry-after': '3' })))).toEqual(['retry_later:throttled', 'retry_later:throttled']);
    expect([500, 502, 503, 504, 408].map((s) => kindOf(answer(s)))).toEqual(Array(5).fill('retry_later:server_error'));
    expect([301, 302, 401, 403, 404].map((s) => kindOf(answer(s)))).toEqual(Array(5).fill('retry_later:refused'));
    expect(kindOf(failure('connect_timeout'))).toBe('retry_later:timeout');
    expect(kindOf(failure('response_timeout'))).toBe('retry_later:timeout');
    expect(kindOf(failure('blocked_address'))).toBe('retry_later:blocked');
    expect(kindOf(failure('connection_reset'))).toBe('retry_later:network');
    expect(kindOf(failure('invalid_url'))).toBe('rejected');
  });
});

describe('CircuitBreakers', () => {
  it('opens after five failures in a row, probes once after the cooldown, and doubles it when the probe fails', async () => {
    const clock = new ManualClock(0);
    const breakers = new CircuitBreakers(clock);
    for (let i = 1; i < BREAKER.failuresToOpen; i++) expect(breakers.failed('d')).toBeNull();
    expect(breakers.failed('d')).toBe(BREAKER.firstCooldownMs);
    expect(await breakers.admit('d')).toEqual({ admitted: false, until: BREAKER.firstCooldownMs });
    expect(breakers.closedRoutes()).toEqual(['d']);
    clock.advance(BREAKER.firstCooldownMs);
    expect(await breakers.admit('d')).toEqual({ admitted: true });
    const waiting = breakers.admit('d');
    expect(breakers.failed('d')).toBe(clock.now() + 2 * BREAKER.firstCooldownMs);
    expect(await waiting).toEqual({ admitted: false, until: clock.now() + 2 * BREAKER.firstCooldownMs });
  });

  it('closes when the probe succeeds and lets the messages that waited for it go', async () => {
    const clock = new ManualClock(0);
    const breakers = new CircuitBreakers(clock);
    for (let i = 0; i < BREAKER.failuresToOpen; i++) breakers.failed('d');
    clock.advance(BREAKER.firstCooldownMs);
    await breakers.admit('d');
    const waiting = breakers.admit('d');
    breakers.succeeded('d');
    expect(await waiting).toEqual({ admitted: true });
    expect(breakers.closedRoutes()).toEqual([]);
  });

  it('forgets failures after a success and never waits longer than five minutes', () => {
    const clock = new ManualClock(0);
    const breakers = new CircuitBreakers(clock);
    for (let i = 0; i < BREAKER.failuresToOpen - 1; i++) breakers.failed('d');
    breakers.succeeded('d');
    expect(breakers.failed('d')).toBeNull();
    const capped = new CircuitBreakers(clock, { failuresToOpen: 1, firstCooldownMs: 200_000, maxCooldownMs: BREAKER.maxCooldownMs });
    capped.failed('e');
    clock.advance(200_000);
    void capped.admit('e');
    expect(capped.failed('e')! - clock.now()).toBe(BREAKER.maxCooldownMs);
  });
});
