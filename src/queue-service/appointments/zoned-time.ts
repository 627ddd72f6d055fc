/**
 * Wall time in a place's IANA time zone ↔ instants (epoch ms), with the two awkward days a year:
 * on the spring change a wall time in the gap does not exist (it is moved forward by the gap, as
 * clocks are), and on the autumn change a wall time happens twice (the first one counts).
 */
import { MinuteFormatter } from '../../platform/minute-formatter.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

const dayFormatters = new Map<string, MinuteFormatter>();

/** The calendar day (YYYY-MM-DD) at this instant in the given IANA time zone. */
export function localDay(ms: number, timeZone: string): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new MinuteFormatter(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.at(ms);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms (Paris in winter: +3,600,000). */
export function offsetAt(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The hour (0–23) the wall clock of `timeZone` shows at this instant. */
export function localHour(ms: number, timeZone: string): number {
  const hour = partsFormatter(timeZone)
    .formatToParts(ms)
    .find((part) => part.type === 'hour');
  return Number(hour?.value ?? 0);
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** `YYYY-MM-DD` → its parts, or null when it is not a real calendar date. */
export function parseLocalDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

function formatLocalDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The calendar day `days` after `date` (negative for before). */
export function addDays(date: string, days: number): string {
  const parts = parseLocalDate(date)!;
  const moved = new Date(Date.UTC(parts.year, parts.month - 1, parts.day) + days * DAY);
  return formatLocalDate({ year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  const parts = parseLocalDate(date)!;
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay();
}

/**
 * The instant at which the wall clock of `timeZone` shows `minutes` after midnight of `date`.
 * Minutes may reach 1440 (the next midnight).
 */
export function wallTimeToInstant(date: string, minutes: number, timeZone: string): number {
  const parts = parseLocalDate(date)!;
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day) + minutes * MINUTE;
  // A zone changes its offset at most once around a given day: the offsets half a day either
  // side are the only candidates.
  const before = offsetAt(wall - DAY / 2, timeZone);
  const after = offsetAt(wall + DAY / 2, timeZone);
  const valid = [before, after].map((offset) => wall - offset).filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In the spring gap: read the wall time with the offset before the change, i.e. moved forward.
  return wall - before;
}

/** Minutes after midnight of `HH:MM` (24:00 allowed as the end of a day). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** The start of the place's next local day after `instant`: the end of "today" there. */
export function endOfLocalDay(instant: number, timeZone: string): number {
  return wallTimeToInstant(addDays(localDay(instant, timeZone), 1), 0, timeZone);
}
