/**
 * Positions and estimates of many watched tickets at once: when the line moves, every ticket
 * behind the change has a new position, and asking for each (tickets/position.ts) would cost one
 * count per watcher. One ordered read of the line gives them all (same order and arithmetic).
 */
import type { TicketPosition } from '../../contract/message.js';
import type { QueueDb } from '../db/types.js';
import { queueIdsSharingCounters } from '../db/queries/endpoints.js';
import { serviceFactsOfQueue } from '../db/queries/service-times.js';
import { fifoLineOf, settingsOfQueues, type LineEntry } from '../db/queries/tickets.js';
import { estimateCallTime, serviceMinutesPerPerson } from '../tickets/position.js';
import { parseQueueSettings } from '../entities/queue-settings.js';

export interface LiveSpot {
  position: TicketPosition;
  estimatedFor: number;
}

/** Reads of one delivery batch, shared by every queue recomputed in it. */
export class LineReads {
  private readonly lines = new Map<string, Promise<string[]>>();
  private readonly entries = new Map<string, Promise<LineEntry[]>>();

  constructor(private readonly db: QueueDb) {}

  lineOf(queueId: string): Promise<string[]> {
    let line = this.lines.get(queueId);
    if (!line) {
      line = queueIdsSharingCounters(this.db, queueId).then((ids) => ids.sort());
      this.lines.set(queueId, line);
    }
    return line;
  }

  entriesOf(line: string[]): Promise<LineEntry[]> {
    const key = line.join(',');
    let entries = this.entries.get(key);
    if (!entries) {
      entries = fifoLineOf(this.db, line);
      this.entries.set(key, entries);
    }
    return entries;
  }
}

/**
 * Calls `visit` with where each watched ticket of `queueId` (waiting FIFO) stands now; tickets no
 * longer in the line are not visited. The spot passed is reused from one visit to the next (a call
 * visits thousands): read it, do not keep it.
 */
export async function visitSpots<T>(
  db: QueueDb,
  reads: LineReads,
  queueId: string,
  watched: ReadonlyMap<string, T>,
  now: number,
  visit: (ticketId: string, spot: LiveSpot, watch: T) => void,
): Promise<void> {
  const [entries, facts, settings] = await Promise.all([
    reads.lineOf(queueId).then((line) => reads.entriesOf(line)),
    serviceFactsOfQueue(db, queueId),
    settingsOfQueues(db, [queueId]),
  ]);
  const minutes = serviceMinutesPerPerson(facts, parseQueueSettings(settings.get(queueId) ?? '{}').defaultServiceMinutes);
  const queue = { tickets: 0, people: 0 };
  const endpoint = { tickets: 0, people: 0 };
  const spot: LiveSpot = { position: { queue, endpoint }, estimatedFor: 0 };
  let queueTickets = 0;
  let queuePeople = 0;
  let lineTickets = 0;
  let linePeople = 0;
  for (const entry of entries) {
    if (entry.queue_id === queueId) {
      const watch = watched.get(entry.id);
      if (watch !== undefined) {
        queue.tickets = queueTickets;
        queue.people = queuePeople;
        endpoint.tickets = lineTickets;
        endpoint.people = linePeople;
        spot.estimatedFor = estimateCallTime(now, linePeople, facts.openCounters, minutes);
        visit(entry.id, spot, watch);
      }
      queueTickets += 1;
      queuePeople += entry.group_size;
    }
    lineTickets += 1;
    linePeople += entry.group_size;
  }
}
