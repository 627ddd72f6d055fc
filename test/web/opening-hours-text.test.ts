/** The admin page's opening-hours text: what an admin types, and the ranges the API receives. */
import { describe, expect, it } from 'vitest';
import { rangesToText, textToRanges } from '../../web/src/admin/opening-hours-text.js';

describe('opening hours as text', () => {
  it('reads ranges separated by commas, with short hours and any dash', () => {
    expect(textToRanges(' 9:00-12:00, 14:00 – 17:30 ;1330-1400')).toEqual({
      ranges: [
        { from: '09:00', to: '12:00' },
        { from: '14:00', to: '17:30' },
        { from: '13:30', to: '14:00' },
      ],
    });
  });

  it('reads an empty text as a closed day', () => {
    expect(textToRanges('  ')).toEqual({ ranges: [] });
  });

  it('names the first part that is not a range', () => {
    expect(textToRanges('09:00-12:00, 9h to noon')).toEqual({ bad: '9h to noon' });
  });

  it('writes back what it read', () => {
    const ranges = [
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '24:00' },
    ];
    expect(textToRanges(rangesToText(ranges))).toEqual({ ranges });
  });
});
