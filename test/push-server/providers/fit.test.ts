import { describe, expect, it } from 'vitest';
import { fitToLimit, truncateBytes } from '../../../src/push-server/providers/fit.js';

describe("fitting a notification into a provider's limit", () => {
  it('keeps a text that fits untouched', () => {
    expect(
      fitToLimit(
        'hello',
        100,
        (b) => JSON.stringify({ b }),
        (s) => Buffer.byteLength(s),
      ),
    ).toBe('{"b":"hello"}');
  });

  it('shortens the text at a character boundary, marks the cut and lands within the limit', () => {
    const text = 'é'.repeat(3000) + '🎫'.repeat(500);
    const built = fitToLimit(
      text,
      4096,
      (b) => JSON.stringify({ aps: { alert: { body: b } } }),
      (s) => Buffer.byteLength(s),
    )!;
    expect(Buffer.byteLength(built)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(built)).toBeGreaterThan(4000);
    expect(JSON.parse(built).aps.alert.body.endsWith('…')).toBe(true);
    expect(JSON.parse(built).aps.alert.body).not.toContain('\uFFFD');
  });

  it('copes with characters that JSON escapes', () => {
    const built = fitToLimit(
      '"\n'.repeat(5000),
      4096,
      (b) => JSON.stringify({ b }),
      (s) => Buffer.byteLength(s),
    );
    expect(Buffer.byteLength(built!)).toBeLessThanOrEqual(4096);
  });

  it('refuses when even an empty text does not fit', () => {
    expect(
      fitToLimit(
        'x',
        10,
        (b) => JSON.stringify({ padding: 'y'.repeat(20), b }),
        (s) => s.length,
      ),
    ).toBeNull();
  });

  it('never splits a multi-byte character', () => {
    expect(truncateBytes('aé🎫', 4)).toBe('aé…');
    expect(truncateBytes('abc', 10)).toBe('abc');
  });
});
