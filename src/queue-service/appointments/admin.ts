/** Admin operations on a queue's appointment types and opening hours. */
import { newId } from '../../platform/ids.js';
import { toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { AppointmentType, Queue } from '../db/schema.js';
import {
  deleteAppointmentType,
  insertAppointmentType,
  listAppointmentTypesOfQueue,
  updateAppointmentType,
} from '../db/queries/appointment-types.js';
import { deleteOpeningHours, findOpeningHoursJson, saveOpeningHours } from '../db/queries/opening-hours.js';
import { findPlace } from '../db/queries/places.js';
import { appointmentTypeView } from './catalog.js';
import { checkOpeningHours, parseOpeningHours, type OpeningHours } from './opening-hours.js';

export interface AppointmentTypeInput {
  name: string;
  names?: Record<string, string>;
  durationMinutes: number;
  capacity?: number;
}

export async function createAppointmentType(deps: QueueServiceDeps, queue: Queue, input: AppointmentTypeInput) {
  const now = deps.clock.now();
  const type: AppointmentType = {
    id: newId('apt', 12),
    company_id: queue.company_id,
    queue_id: queue.id,
    name: input.name,
    names: toJsonText(input.names ?? {}),
    duration_minutes: input.durationMinutes,
    capacity: input.capacity ?? 1,
    created_at: now,
    updated_at: now,
  };
  await insertAppointmentType(deps.database.db, type);
  return appointmentTypeView(type);
}

export async function listAppointmentTypes(deps: QueueServiceDeps, queue: Queue) {
  return (await listAppointmentTypesOfQueue(deps.database.db, queue.id)).map(appointmentTypeView);
}

/** Booked appointments keep their time; a new duration or capacity applies to the slots offered from now on. */
export async function changeAppointmentType(deps: QueueServiceDeps, type: AppointmentType, input: Partial<AppointmentTypeInput>) {
  const changes: Partial<AppointmentType> = { updated_at: deps.clock.now() };
  if (input.name !== undefined) changes.name = input.name;
  if (input.names !== undefined) changes.names = toJsonText(input.names);
  if (input.durationMinutes !== undefined) changes.duration_minutes = input.durationMinutes;
  if (input.capacity !== undefined) changes.capacity = input.capacity;
  await updateAppointmentType(deps.database.db, type.id, changes);
  return appointmentTypeView({ ...type, ...changes });
}

export async function removeAppointmentType(deps: QueueServiceDeps, type: AppointmentType): Promise<void> {
  await deleteAppointmentType(deps.database.db, type.id);
}

async function timeZoneOf(deps: QueueServiceDeps, queue: Queue): Promise<string> {
  return (await findPlace(deps.database.db, queue.place_id))?.time_zone ?? 'UTC';
}

export async function getOpeningHours(deps: QueueServiceDeps, queue: Queue) {
  const json = await findOpeningHoursJson(deps.database.db, queue.id);
  return { queueId: queue.id, timeZone: await timeZoneOf(deps, queue), openingHours: json ? parseOpeningHours(json) : null };
}

export async function setOpeningHours(deps: QueueServiceDeps, queue: Queue, hours: OpeningHours) {
  checkOpeningHours(hours);
  const stored: OpeningHours = {
    weekly: hours.weekly,
    exceptions: [...(hours.exceptions ?? [])].sort((a, b) => a.date.localeCompare(b.date)),
  };
  await saveOpeningHours(deps.database.db, queue.id, JSON.stringify(stored), deps.clock.now());
  return { queueId: queue.id, timeZone: await timeZoneOf(deps, queue), openingHours: stored };
}

export async function clearOpeningHours(deps: QueueServiceDeps, queue: Queue): Promise<void> {
  await deleteOpeningHours(deps.database.db, queue.id);
}
