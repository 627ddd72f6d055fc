/**
 * A queue's live flags (`/v2/queues/{queueId}/state`): can people book, is anyone serving, is it
 * full; the six flags are Lineberty 2.0.0's (docs/lineberty.md §Queue state).
 */
import { toIsoOrNull } from '../../platform/clock.js';
import type { Queue } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { serviceFactsOfQueue } from '../db/queries/service-times.js';
import { waitingCountsOfQueue } from '../db/queries/queue-counters.js';
import { bookingGate } from '../appointments/booking-gate.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import { serviceMinutesPerPerson } from '../tickets/position.js';
import { hasAppointmentTypes } from '../db/queries/appointment-types.js';

export interface QueueState {
  queueId: string;
  bookingIsOpened: boolean;
  /** At least one counter serving the queue is open: the queue moves. */
  queueIsOpened: boolean;
  queueIsFull: boolean;
  queueIsFullForTheDay: boolean;
  /** No walk-in can join now (full, or full for the day). */
  queueIsFullForFifo: boolean;
  /** No appointment can be booked: the queue has no appointment type. */
  queueIsFullForAppointment: boolean;
  /** An operator has paused booking until this moment. */
  bookingPausedUntil: string | null;
  waiting: { tickets: number; people: number };
  openEndpoints: number;
  estimatedWaitMinutes: number;
}

export async function queueStateOf(db: QueueDb, queue: Queue, timeZone: string, now: number): Promise<QueueState> {
  const settings = parseQueueSettings(queue.settings);
  const waiting = await waitingCountsOfQueue(db, queue.id);
  const facts = await serviceFactsOfQueue(db, queue.id);
  const openEndpoints = facts.openCounters;
  const { full, fullForDay, paused, open } = await bookingGate(db, queue, timeZone, now, waiting);
  return {
    queueId: queue.id,
    bookingIsOpened: open,
    queueIsOpened: openEndpoints > 0,
    queueIsFull: full,
    queueIsFullForTheDay: fullForDay,
    queueIsFullForFifo: full || fullForDay,
    queueIsFullForAppointment: !(await hasAppointmentTypes(db, queue.id)),
    bookingPausedUntil: paused ? toIsoOrNull(queue.booking_paused_until) : null,
    waiting,
    openEndpoints,
    // Everyone waiting, served in parallel by the open counters at the queue's moving average.
    estimatedWaitMinutes: Math.round(
      (waiting.people * serviceMinutesPerPerson(facts, settings.defaultServiceMinutes)) / Math.max(1, openEndpoints),
    ),
  };
}
