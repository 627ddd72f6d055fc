import { describe, expect, it } from 'vitest';
import { MinuteFormatter } from '../../src/platform/minute-formatter.js';

describe('a formatter that remembers its last minute', () => {
  const zones = ['Europe/Paris', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe'];

  it('answers as Intl does, second by second across day boundaries and clock changes', () => {
    // Each start: a minute before a local midnight or a clock change, walked in 7-second steps.
    const starts = ['2026-03-29T00:59:00Z', '2026-10-25T00:59:00Z', '2026-12-05T18:14:00Z', '2026-11-01T03:29:00Z', '2026-04-04T14:59:00Z'];
    for (const timeZone of zones) {
      const styles = [
        new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
        new Intl.DateTimeFormat('fr-FR', { timeZone, dateStyle: 'medium', timeStyle: 'short' }),
        new Intl.DateTimeFormat('en-US', { timeZone, timeStyle: 'short' }),
      ];
      for (const intl of styles) {
        const remembering = new MinuteFormatter(intl);
        for (const start of starts) {
          for (let ms = Date.parse(start); ms < Date.parse(start) + 3 * 60_000; ms += 7_000) {
            expect(remembering.at(ms)).toBe(intl.format(ms));
          }
        }
      }
    }
  });

  it('refuses a format that shows seconds', () => {
    expect(() => new MinuteFormatter(new Intl.DateTimeFormat('en-US', { timeStyle: 'medium' }))).toThrow(RangeError);
    expect(() => new MinuteFormatter(new Intl.DateTimeFormat('en-US', { minute: 'numeric', second: 'numeric' }))).toThrow(RangeError);
  });
});
