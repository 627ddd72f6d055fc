import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../src/contract/errors.js';
import { checkOpeningHours, rangesOn } from '../../../src/queue-service/appointments/opening-hours.js';
import { freeSlots, slotsOfDay, slotsWithPlaces } from '../../../src/queue-service/appointments/slots.js';
import { endOfLocalDay, wallTimeToInstant } from '../../../src/queue-service/appointments/zoned-time.js';
import { reminderDueAt, upcomingReminders } from '../../../src/queue-service/due-jobs/due-times.js';

const PARIS = 'Europe/Paris';
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const hm = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));

describe('wall time in a time zone', () => {
  it('reads ordinary days with the offset of the season', () => {
    expect(iso(wallTimeToInstant('2026-03-28', hm('09:00'), PARIS))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(wallTimeToInstant('2026-03-29', hm('09:00'), PARIS))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(wallTimeToInstant('2026-10-25', hm('09:00'), PARIS))).toBe('2026-10-25T08:00:00.000Z');
    expect(iso(wallTimeToInstant('2026-07-01', 1440, PARIS))).toBe('2026-07-01T22:00:00.000Z');
  });

  it('moves a time in the spring gap forward, as clocks do', () => {
    expect(iso(wallTimeToInstant('2026-03-29', hm('02:00'), PARIS))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(wallTimeToInstant('2026-03-29', hm('02:30'), PARIS))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(wallTimeToInstant('2026-03-29', hm('03:00'), PARIS))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('takes the first of a time the autumn change shows twice', () => {
    expect(iso(wallTimeToInstant('2026-10-25', hm('02:30'), PARIS))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(wallTimeToInstant('2026-10-25', hm('03:00'), PARIS))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('ends a local day at the next local midnight, 23 or 25 hours long on change days', () => {
    expect(iso(endOfLocalDay(at('2026-03-28T23:30:00Z'), PARIS))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(endOfLocalDay(at('2026-10-25T10:00:00Z'), PARIS))).toBe('2026-10-25T23:00:00.000Z');
    expect(iso(endOfLocalDay(at('2026-10-24T21:59:00Z'), PARIS))).toBe('2026-10-24T22:00:00.000Z');
  });
});

describe('slots', () => {
  const kind = { id: 'apt_1', durationMinutes: 30, capacity: 2 };
  const night = { weekly: { sun: [{ from: '01:00', to: '04:00' }] } };

  it('cut opening hours into back-to-back slots of real time, fewer on the spring change and more in autumn', () => {
    expect(slotsOfDay('2026-03-22', night, kind, PARIS)).toHaveLength(6);
    const spring = slotsOfDay('2026-03-29', night, kind, PARIS);
    expect(spring.map((slot) => iso(slot.start))).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    const autumn = slotsOfDay('2026-10-25', night, kind, PARIS);
    expect(autumn).toHaveLength(8);
    expect(iso(autumn[0]!.start)).toBe('2026-10-24T23:00:00.000Z');
    expect(iso(autumn[7]!.end)).toBe('2026-10-25T03:00:00.000Z');
  });

  it('follow exceptions: a closed date has none, a special date its own hours', () => {
    const hours = {
      weekly: {
        mon: [
          { from: '09:00', to: '12:00' },
          { from: '14:00', to: '15:00' },
        ],
      },
      exceptions: [
        { date: '2026-03-09', hours: [] },
        { date: '2026-03-16', hours: [{ from: '10:00', to: '11:00' }] },
      ],
    };
    expect(slotsOfDay('2026-03-02', hours, kind, PARIS)).toHaveLength(8);
    expect(slotsOfDay('2026-03-09', hours, kind, PARIS)).toEqual([]);
    expect(slotsOfDay('2026-03-16', hours, kind, PARIS).map((slot) => iso(slot.start))).toEqual([
      '2026-03-16T09:00:00.000Z',
      '2026-03-16T09:30:00.000Z',
    ]);
    expect(rangesOn(hours, '2026-03-03')).toEqual([]);
  });

  it('count the places taken by groups of the same type, and offer a slot only to a group that fits', () => {
    const hours = { weekly: { mon: [{ from: '09:00', to: '10:00' }] } };
    const taken = [
      { appointmentTypeId: 'apt_1', bookedFor: at('2026-03-02T08:00:00Z'), groupSize: 1 },
      { appointmentTypeId: 'apt_other', bookedFor: at('2026-03-02T08:30:00Z'), groupSize: 2 },
      { appointmentTypeId: 'apt_1', bookedFor: at('2026-03-02T08:30:00Z'), groupSize: 2 },
    ];
    const slots = slotsWithPlaces('2026-03-02', hours, kind, PARIS, taken);
    expect(slots.map((slot) => slot.remaining)).toEqual([1, 0]);
    const now = at('2026-03-02T07:00:00Z');
    expect(freeSlots(slots, 1, now)).toHaveLength(1);
    expect(freeSlots(slots, 2, now)).toHaveLength(0);
    expect(freeSlots(slots, 1, at('2026-03-02T08:00:00Z'))).toHaveLength(0);
  });

  it('refuse opening hours that overlap, end before they start, or name a date that does not exist', () => {
    const codeOf = (hours: object) => {
      try {
        checkOpeningHours(hours as never);
        return 'ok';
      } catch (error) {
        return (error as AppError).code;
      }
    };
    expect(
      codeOf({
        weekly: {
          mon: [
            { from: '09:00', to: '12:00' },
            { from: '11:00', to: '13:00' },
          ],
        },
      }),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf({ weekly: { tue: [{ from: '12:00', to: '09:00' }] } })).toBe('VALIDATION_FAILED');
    expect(codeOf({ weekly: {}, exceptions: [{ date: '2026-02-30', hours: [] }] })).toBe('VALIDATION_FAILED');
    expect(
      codeOf({
        weekly: {},
        exceptions: [
          { date: '2026-03-02', hours: [] },
          { date: '2026-03-02', hours: [] },
        ],
      }),
    ).toBe('VALIDATION_FAILED');
    expect(codeOf({ weekly: { wed: [{ from: '00:00', to: '24:00' }] } })).toBe('ok');
  });
});

describe('reminder times', () => {
  const dayBefore = { id: 1, dayBefore: true as const, at: '18:00' };
  const twoHours = { id: 2, minutesBefore: 120 };

  it('put "the day before at 18:00" on the wall clock of the place, on both sides of each change', () => {
    expect(iso(reminderDueAt(dayBefore, at('2026-03-29T08:00:00Z'), PARIS))).toBe('2026-03-28T17:00:00.000Z');
    expect(iso(reminderDueAt(dayBefore, at('2026-03-30T08:00:00Z'), PARIS))).toBe('2026-03-29T16:00:00.000Z');
    expect(iso(reminderDueAt(dayBefore, at('2026-10-25T09:00:00Z'), PARIS))).toBe('2026-10-24T16:00:00.000Z');
    expect(iso(reminderDueAt(dayBefore, at('2026-10-26T09:00:00Z'), PARIS))).toBe('2026-10-25T17:00:00.000Z');
  });

  it('count "minutes before" in real time, even across the change', () => {
    // 04:00 CEST on 29 March is 02:00Z; two real hours before is 00:00Z, which the wall clock shows as 01:00.
    expect(iso(reminderDueAt(twoHours, at('2026-03-29T02:00:00Z'), PARIS))).toBe('2026-03-29T00:00:00.000Z');
  });

  it('skip reminders whose moment has passed when the appointment is booked', () => {
    const appointment = at('2026-03-03T09:00:00Z');
    expect(upcomingReminders([dayBefore, twoHours], appointment, PARIS, at('2026-03-02T09:00:00Z')).map((r) => r.ruleId)).toEqual([1, 2]);
    expect(upcomingReminders([dayBefore, twoHours], appointment, PARIS, at('2026-03-02T18:00:00Z')).map((r) => r.ruleId)).toEqual([2]);
    expect(upcomingReminders([dayBefore, twoHours], appointment, PARIS, at('2026-03-03T08:00:00Z'))).toEqual([]);
  });
});
