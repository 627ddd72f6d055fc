/**
 * When a queue takes appointments: ranges of wall time per weekday in the place's time zone, and
 * exceptions for given dates (a holiday with no ranges is closed, a date with ranges has special
 * hours). A queue without opening hours takes appointments at any time.
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { minutesOf, parseLocalDate, weekdayOf } from './zoned-time.js';

const Time = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description: 'HH:MM, wall time in the place time zone (24:00 ends a day).',
});
const Range = Type.Object({ from: Time, to: Time }, { additionalProperties: false });
const Ranges = Type.Array(Range, { maxItems: 12 });

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const OpeningHoursSchema = Type.Object(
  {
    weekly: Type.Object(
      Object.fromEntries(WEEKDAYS.map((day) => [day, Type.Optional(Ranges)])) as Record<
        Weekday,
        ReturnType<typeof Type.Optional<typeof Ranges>>
      >,
      {
        additionalProperties: false,
        description: 'Ranges per weekday (sun … sat); a missing day is closed.',
      },
    ),
    exceptions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
            hours: Ranges,
            note: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 400, description: 'Dates with other hours; an empty list closes the date.' },
      ),
    ),
  },
  { additionalProperties: false },
);

export type OpeningHours = Static<typeof OpeningHoursSchema>;
type RangeInput = Static<typeof Range>;

/** [start, end) in minutes after local midnight. */
export type MinuteRange = [number, number];

/** Checks what a schema cannot: real dates, ranges that end after they start and do not overlap. */
export function checkOpeningHours(hours: OpeningHours): void {
  for (const day of WEEKDAYS) checkRanges(hours.weekly[day] ?? [], `weekly.${day}`);
  const seen = new Set<string>();
  for (const [index, exception] of (hours.exceptions ?? []).entries()) {
    if (!parseLocalDate(exception.date)) invalid(`exceptions.${index}.date`, `${exception.date} is not a calendar date.`);
    if (seen.has(exception.date)) invalid(`exceptions.${index}.date`, `${exception.date} appears twice.`);
    seen.add(exception.date);
    checkRanges(exception.hours, `exceptions.${index}.hours`);
  }
}

function checkRanges(ranges: RangeInput[], field: string): void {
  const sorted = toMinuteRanges(ranges);
  sorted.forEach(([start, end], index) => {
    if (end <= start) invalid(field, `A range must end after it starts (${ranges[index]!.from}–${ranges[index]!.to}).`);
    if (index > 0 && start < sorted[index - 1]![1]) invalid(field, 'Ranges must not overlap.');
  });
}

function invalid(field: string, message: string): never {
  throw new AppError('VALIDATION_FAILED', `Invalid field body.${field}: ${message}`, [{ field: `body.${field}`, problem: message }]);
}

function toMinuteRanges(ranges: RangeInput[]): MinuteRange[] {
  return ranges.map((range): MinuteRange => [minutesOf(range.from), minutesOf(range.to)]).sort((a, b) => a[0] - b[0]);
}

/** The opening ranges of a local date: its exception if it has one, else its weekday's. */
export function rangesOn(hours: OpeningHours, date: string): MinuteRange[] {
  const exception = hours.exceptions?.find((candidate) => candidate.date === date);
  return toMinuteRanges(exception ? exception.hours : (hours.weekly[WEEKDAYS[weekdayOf(date)]!] ?? []));
}

const parsed = new Map<string, OpeningHours>();

/** Stored JSON → hours, memoised by text (availabilities read them for every day they list). */
export function parseOpeningHours(json: string): OpeningHours {
  let hours = parsed.get(json);
  if (!hours) {
    hours = JSON.parse(json) as OpeningHours;
    if (parsed.size > 1000) parsed.clear();
    parsed.set(json, hours);
  }
  return hours;
}
