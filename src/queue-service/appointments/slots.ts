/**
 * Slots, pure: an appointment type cuts each opening range of a day into back-to-back slots of its
 * duration, counted in elapsed time from the range's start (so the spring change shortens the
 * day's slots and the autumn change adds some, as the clock on the wall says). A slot holds
 * `capacity` people; bookings of the same type that overlap it take their group's places.
 */
import { rangesOn, type MinuteRange, type OpeningHours } from './opening-hours.js';
import { wallTimeToInstant } from './zoned-time.js';

const MINUTE = 60_000;

export interface SlotKind {
  id: string;
  durationMinutes: number;
  capacity: number;
}

export interface TakenPlaces {
  appointmentTypeId: string | null;
  bookedFor: number;
  groupSize: number;
}

export interface Slot {
  start: number;
  end: number;
  /** Places still free. */
  remaining: number;
}

const ALL_DAY: MinuteRange[] = [[0, 1440]];

/** Every slot of the local `date` for this kind, free or not, in time order. */
export function slotsOfDay(
  date: string,
  hours: OpeningHours | null,
  kind: SlotKind,
  timeZone: string,
): Array<{ start: number; end: number }> {
  const duration = kind.durationMinutes * MINUTE;
  const slots: Array<{ start: number; end: number }> = [];
  for (const [from, to] of hours ? rangesOn(hours, date) : ALL_DAY) {
    const end = wallTimeToInstant(date, to, timeZone);
    for (let start = wallTimeToInstant(date, from, timeZone); start + duration <= end; start += duration) {
      slots.push({ start, end: start + duration });
    }
  }
  return slots;
}

/** The day's slots with their free places, given the appointments already booked (any type). */
export function slotsWithPlaces(date: string, hours: OpeningHours | null, kind: SlotKind, timeZone: string, taken: TakenPlaces[]): Slot[] {
  const duration = kind.durationMinutes * MINUTE;
  const ofKind = taken.filter((booking) => booking.appointmentTypeId === kind.id);
  return slotsOfDay(date, hours, kind, timeZone).map(({ start, end }) => {
    const used = ofKind
      .filter((booking) => booking.bookedFor < end && booking.bookedFor + duration > start)
      .reduce((sum, booking) => sum + booking.groupSize, 0);
    return { start, end, remaining: Math.max(0, kind.capacity - used) };
  });
}

/** Slots a group can still take, not started yet. */
export function freeSlots(slots: Slot[], groupSize: number, now: number): Slot[] {
  return slots.filter((slot) => slot.start > now && slot.remaining >= groupSize);
}

/** Whether an instant falls inside the opening hours of its local date (no hours: always). */
export function isWithinHours(instant: number, date: string, hours: OpeningHours | null, timeZone: string): boolean {
  if (!hours) return true;
  return rangesOn(hours, date).some(
    ([from, to]) => wallTimeToInstant(date, from, timeZone) <= instant && instant < wallTimeToInstant(date, to, timeZone),
  );
}
