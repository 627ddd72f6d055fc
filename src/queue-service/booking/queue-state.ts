/** A queue's live flags (`/v2/queues/{queueId}/state`): can people book, is anyone serving, is it full. */
import { toIsoOrNull } from '../../platform/clock.js';
import type { Queue } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { serviceFactsOfQueue } from '../db/queries/service-times.js';
import { labelsTakenToday } from '../db/queries/label-counters.js';
import { waitingCountsOfQueue } from '../db/queries/queue-counters.js';
import { localDay } from '../appointments/zoned-time.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import { serviceMinutesPerPerson } from '../tickets/position.js';

export interface QueueState {
  queueId: string;
  bookingOpen: boolean;
  /** An operator has paused booking until this moment. */
  bookingPausedUntil: string | null;
  /** At least one counter serving the queue is open. */
  queueOpen: boolean;
  full: boolean;
  fullForDay: boolean;
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
    bookingOpen: open,
    bookingPausedUntil: paused ? toIsoOrNull(queue.booking_paused_until) : null,
    queueOpen: openEndpoints > 0,
    full,
    fullForDay,
    waiting,
    openEndpoints,
    // Everyone waiting, served in parallel by the open counters at the queue's moving average.
    estimatedWaitMinutes: Math.round(
      (waiting.people * serviceMinutesPerPerson(facts, settings.defaultServiceMinutes)) / Math.max(1, openEndpoints),
    ),
  };
}

export interface BookingGate {
  full: boolean;
  fullForDay: boolean;
  paused: boolean;
  open: boolean;
}

/** Whether a booking may enter now; reads only what the queue's limits need. */
export async function bookingGate(
  db: QueueDb,
  queue: Queue,
  timeZone: string,
  now: number,
  knownWaiting?: { tickets: number },
): Promise<BookingGate> {
  const settings = parseQueueSettings(queue.settings);
  const full =
    settings.maxWaitingTickets !== null &&
    (knownWaiting ?? (await waitingCountsOfQueue(db, queue.id))).tickets >= settings.maxWaitingTickets;
  const fullForDay =
    settings.maxTicketsPerDay !== null && (await labelsTakenToday(db, queue.id, localDay(now, timeZone))) >= settings.maxTicketsPerDay;
  const paused = queue.booking_paused_until !== null && queue.booking_paused_until > now;
  return { full, fullForDay, paused, open: settings.bookingOpen && !paused && !full && !fullForDay };
}
