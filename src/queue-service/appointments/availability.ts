/**
 * Availabilities (`/availabilities`, `/daysWithAvailabilities`) and taking a slot when an
 * appointment is booked or postponed. A queue without appointment types takes appointments at any
 * future time inside its opening hours (or at any time without hours), without capacity: that is
 * how queues booked appointments before types existed.
 */
import { AppError } from '../../contract/errors.js';
import type { AppointmentType } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { appointmentsBetween, lockAppointmentDay } from '../db/queries/appointments.js';
import { listAppointmentTypesOfQueue } from '../db/queries/appointment-types.js';
import { findOpeningHoursJson } from '../db/queries/opening-hours.js';
import { parseOpeningHours, type OpeningHours } from './opening-hours.js';
import { freeSlots, isWithinHours, slotsWithPlaces, type Slot, type SlotKind } from './slots.js';
import { addDays, localDay, wallTimeToInstant } from './zoned-time.js';

const DAY = 86_400_000;

export interface AppointmentSetup {
  types: AppointmentType[];
  hours: OpeningHours | null;
}

export async function loadAppointmentSetup(db: QueueDb, queueId: string): Promise<AppointmentSetup> {
  const [types, hours] = await Promise.all([listAppointmentTypesOfQueue(db, queueId), findOpeningHoursJson(db, queueId)]);
  return { types, hours: hours ? parseOpeningHours(hours) : null };
}

/**
 * The type an appointment is for: the one asked for, else the queue's only one. Null when the queue
 * has no types (free-time appointments).
 */
export function resolveAppointmentType(setup: AppointmentSetup, requested: string | null | undefined): AppointmentType | null {
  if (requested) {
    const type = setup.types.find((candidate) => candidate.id === requested);
    if (!type) throw new AppError('APPOINTMENT_TYPE_NOT_FOUND', `The queue has no appointment type ${requested}.`);
    return type;
  }
  if (setup.types.length === 0) return null;
  if (setup.types.length === 1) return setup.types[0]!;
  throw new AppError('MISSING_FIELD', 'Missing field appointmentTypeId: this queue offers several appointment types.', {
    field: 'appointmentTypeId',
  });
}

const slotKindOf = (type: AppointmentType): SlotKind => ({ id: type.id, durationMinutes: type.duration_minutes, capacity: type.capacity });

/** The local day's slots of one type with their free places. */
async function slotsOn(
  db: QueueDb,
  queueId: string,
  setup: AppointmentSetup,
  type: AppointmentType,
  date: string,
  timeZone: string,
  exceptTicketId?: string,
): Promise<Slot[]> {
  const dayStart = wallTimeToInstant(date, 0, timeZone);
  // From a day earlier: a long appointment booked late yesterday may still overlap this day.
  const taken = await appointmentsBetween(db, queueId, dayStart - DAY, wallTimeToInstant(addDays(date, 1), 0, timeZone), exceptTicketId);
  return slotsWithPlaces(date, setup.hours, slotKindOf(type), timeZone, taken);
}

/** Free slots of each local date in [first, last], reading the bookings of the whole range once. */
export async function freeSlotsByDay(
  db: QueueDb,
  queueId: string,
  setup: AppointmentSetup,
  type: AppointmentType,
  dates: string[],
  timeZone: string,
  groupSize: number,
  now: number,
): Promise<Map<string, Slot[]>> {
  const byDay = new Map<string, Slot[]>();
  if (dates.length === 0) return byDay;
  const from = wallTimeToInstant(dates[0]!, 0, timeZone) - DAY;
  const to = wallTimeToInstant(addDays(dates[dates.length - 1]!, 1), 0, timeZone);
  const taken = await appointmentsBetween(db, queueId, from, to);
  for (const date of dates)
    byDay.set(date, freeSlots(slotsWithPlaces(date, setup.hours, slotKindOf(type), timeZone, taken), groupSize, now));
  return byDay;
}

export interface SlotRequest {
  queueId: string;
  timeZone: string;
  bookedFor: number;
  appointmentTypeId: string | null | undefined;
  groupSize: number;
  now: number;
  /** When postponing: the ticket's own place does not count against the new slot. */
  exceptTicketId?: string;
}

/**
 * Checks, inside the booking's transaction, that the appointment may take `bookedFor`: a slot start
 * of its type with room for the group, or a time inside the hours for a queue without types.
 * Returns the appointment type id to store. Concurrent bookings of the same day wait for each other.
 */
export async function takeSlot(db: QueueDb, request: SlotRequest): Promise<string | null> {
  if (request.bookedFor <= request.now) throw new AppError('VALIDATION_FAILED', 'bookedFor must be in the future.');
  const setup = await loadAppointmentSetup(db, request.queueId);
  const type = resolveAppointmentType(setup, request.appointmentTypeId);
  const date = localDay(request.bookedFor, request.timeZone);
  if (!type) {
    if (!isWithinHours(request.bookedFor, date, setup.hours, request.timeZone)) unavailable('bookedFor is outside the opening hours.');
    return null;
  }
  await lockAppointmentDay(db, request.queueId, date);
  const slot = (await slotsOn(db, request.queueId, setup, type, date, request.timeZone, request.exceptTicketId)).find(
    (candidate) => candidate.start === request.bookedFor,
  );
  if (!slot) unavailable('bookedFor is not the start of a slot of this appointment type; see /availabilities.');
  if (slot.remaining < request.groupSize) unavailable('This slot has no room left for the group.', { remaining: slot.remaining });
  return type.id;
}

function unavailable(message: string, details?: unknown): never {
  throw new AppError('SLOT_UNAVAILABLE', message, details);
}
