/**
 * What the booking side asks about appointments: the types a queue offers, its opening hours, the
 * free slots of a day and the days that still have one. Dates are local dates of the place.
 */
import { AppError } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { AppointmentType } from '../db/schema.js';
import { findQueueWithPlaceForCompany } from '../db/queries/queues.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import { appointmentTypesView } from '../entities/catalog-views.js';
import { bookingGate } from './booking-gate.js';
import { freeSlotsByDay, loadAppointmentSetup, resolveAppointmentType } from './availability.js';
import { addDays, localDay, parseLocalDate } from './zoned-time.js';

/** How far ahead (and back) a day may be asked about; keeps one request's work bounded. */
const HORIZON_DAYS = 400;
const MAX_RANGE_DAYS = 92;

/** An appointment type as the admin API shows it. */
export const appointmentTypeView = (type: AppointmentType) => ({
  id: type.id,
  queueId: type.queue_id,
  name: type.name,
  names: parseJsonText(type.names),
  durationMinutes: type.duration_minutes,
  capacity: type.capacity,
});

async function queueOf(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await findQueueWithPlaceForCompany(deps.database.db, companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND');
  return queue;
}

/** Lineberty's shape, keyed by id, with the walk-in type when the queue has none (docs/lineberty.md §Appointment types). */
export async function listQueueAppointmentTypes(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await queueOf(deps, companyId, queueId);
  const { types } = await loadAppointmentSetup(deps.database.db, queueId);
  return appointmentTypesView(queue, types);
}

export async function getQueueOpeningHours(deps: QueueServiceDeps, companyId: string, queueId: string) {
  const queue = await queueOf(deps, companyId, queueId);
  const { hours } = await loadAppointmentSetup(deps.database.db, queueId);
  return { queueId, timeZone: queue.place_time_zone, openingHours: hours };
}

export interface SlotQuery {
  groupSize?: number;
  appointmentTypeId?: string;
}

function checkDate(text: string, field: string, today: string): string {
  const date = parseLocalDate(text);
  if (!date) throw new AppError('VALIDATION_FAILED', `Invalid field querystring.${field}: ${text} is not a calendar date.`);
  // Two days back: a page that does not know the place's zone asks from yesterday in UTC, which is
  // two days behind the place's today east of UTC late in the evening; past days have no free slot.
  if (text < addDays(today, -2) || text > addDays(today, HORIZON_DAYS)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid field querystring.${field}: only dates from two days ago to ${HORIZON_DAYS} days ahead can be asked about.`,
    );
  }
  return text;
}

function checkGroupSize(settingsJson: string, groupSize: number): void {
  const settings = parseQueueSettings(settingsJson);
  if (groupSize < settings.minGroupSize || groupSize > settings.maxGroupSize) {
    throw new AppError(
      'GROUP_SIZE_OUT_OF_RANGE',
      `This queue takes groups of ${settings.minGroupSize} to ${settings.maxGroupSize} people.`,
      { min: settings.minGroupSize, max: settings.maxGroupSize },
    );
  }
}

/**
 * Lineberty 2.0.0's availabilities: the free slots of one day (today when no date is given) of an
 * appointment type, `availabilityType: "APPOINTMENT"`; for the walk-in type (the queue's id, or a
 * queue without types) one slot starting now while booking is open, `"FIFO"` (docs/lineberty.md
 * §Availabilities).
 */
export async function listAvailabilities(
  deps: QueueServiceDeps,
  companyId: string,
  queueId: string,
  date: string | undefined,
  query: SlotQuery,
) {
  const queue = await queueOf(deps, companyId, queueId);
  const now = deps.clock.now();
  const day = date === undefined ? localDay(now, queue.place_time_zone) : checkDate(date, 'date', localDay(now, queue.place_time_zone));
  const groupSize = query.groupSize ?? 1;
  checkGroupSize(queue.settings, groupSize);
  const db = deps.database.db;
  const setup = await loadAppointmentSetup(db, queueId);
  const walkIn = query.appointmentTypeId === queue.id || (setup.types.length === 0 && !query.appointmentTypeId);
  const base = { queueId, date: day, timeZone: queue.place_time_zone, groupSize };
  if (walkIn) {
    const open = day === localDay(now, queue.place_time_zone) && (await bookingGate(db, queue, queue.place_time_zone, now)).open;
    const slots = open ? [{ start: toIso(now), end: toIso(now), remaining: null }] : [];
    return { ...base, appointmentTypeId: queue.id, availabilityType: 'FIFO' as const, slots };
  }
  const type = resolveAppointmentType(setup, query.appointmentTypeId)!;
  const slots = (await freeSlotsByDay(db, queueId, setup, type, [day], queue.place_time_zone, groupSize, now)).get(day)!;
  return {
    ...base,
    appointmentTypeId: type.id,
    availabilityType: 'APPOINTMENT' as const,
    slots: slots.map((slot) => ({ start: toIso(slot.start), end: toIso(slot.end), remaining: slot.remaining as number | null })),
  };
}

/** How many days ahead, today included, the 1.x form lists. */
const V1_DAYS = 7;

/**
 * Lineberty 1.x's form: a list of values each usable as is as `bookedFor`: the free slot starts of
 * the next seven local days, or for the walk-in type the moment of asking while booking is open.
 */
export async function listAvailabilitiesV1(
  deps: QueueServiceDeps,
  companyId: string,
  queueId: string,
  appointmentTypeId: string,
  groupSize: number,
): Promise<string[]> {
  const queue = await queueOf(deps, companyId, queueId);
  checkGroupSize(queue.settings, groupSize);
  const now = deps.clock.now();
  const db = deps.database.db;
  if (appointmentTypeId === queue.id) return (await bookingGate(db, queue, queue.place_time_zone, now)).open ? [toIso(now)] : [];
  const setup = await loadAppointmentSetup(db, queueId);
  const type = resolveAppointmentType(setup, appointmentTypeId)!;
  const today = localDay(now, queue.place_time_zone);
  const dates = Array.from({ length: V1_DAYS }, (_, index) => addDays(today, index));
  const byDay = await freeSlotsByDay(db, queueId, setup, type, dates, queue.place_time_zone, groupSize, now);
  return dates.flatMap((date) => byDay.get(date)!.map((slot) => toIso(slot.start)));
}

export async function listDaysWithAvailabilities(
  deps: QueueServiceDeps,
  companyId: string,
  queueId: string,
  start: string,
  end: string,
  query: SlotQuery,
) {
  const queue = await queueOf(deps, companyId, queueId);
  const now = deps.clock.now();
  const today = localDay(now, queue.place_time_zone);
  const first = checkDate(start, 'start', today);
  const last = checkDate(end, 'end', today);
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (dates.length >= MAX_RANGE_DAYS)
      throw new AppError('VALIDATION_FAILED', `At most ${MAX_RANGE_DAYS} days can be asked about at once.`);
    dates.push(date);
  }
  if (dates.length === 0) throw new AppError('VALIDATION_FAILED', 'end must not be before start.');
  const groupSize = query.groupSize ?? 1;
  checkGroupSize(queue.settings, groupSize);
  const db = deps.database.db;
  const setup = await loadAppointmentSetup(db, queueId);
  const type = resolveAppointmentType(setup, query.appointmentTypeId);
  const byDay = type ? await freeSlotsByDay(db, queueId, setup, type, dates, queue.place_time_zone, groupSize, now) : new Map();
  return {
    queueId,
    timeZone: queue.place_time_zone,
    appointmentTypeId: type?.id ?? null,
    groupSize,
    days: dates.filter((date) => (byDay.get(date)?.length ?? 0) > 0),
  };
}
