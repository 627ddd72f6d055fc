/** Whether a booking may enter a queue now: its limits, its pause and its own switch (docs/design.md §States and transitions). */
import type { Queue } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { labelsTakenToday } from '../db/queries/label-counters.js';
import { waitingCountsOfQueue } from '../db/queries/queue-counters.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import { localDay } from './zoned-time.js';

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
