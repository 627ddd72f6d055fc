import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/platform/net/retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2015-10-21T07:27:00Z');

  it('reads delay-seconds, fractions included, as milliseconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(60_000);
  });

  it('reads an HTTP date in the past as no wait at all', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['30', '60'], now)).toBe(30_000);
  });

  it('gives null for an absent, empty or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('12abc', now)).toBeNull();
    expect(parseRetryAfter('Wed, 99 Foo 2015', now)).toBeNull();
  });
});
