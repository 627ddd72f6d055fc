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
import { parseQueueSettings } from '../tickets/queue-settings.js';

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
    if (!line) this.lines.set(queueId, (line = queueIdsSharingCounters(this.db, queueId).then((ids) => ids.sort())));
    return line;
  }

  entriesOf(line: string[]): Promise<LineEntry[]> {
    const key = line.join(',');
    let entries = this.entries.get(key);
    if (!entries) this.entries.set(key, (entries = fifoLineOf(this.db, line)));
    return entries;
  }
}

/** Where each of `ticketIds` (waiting FIFO tickets of `queueId`) stands now; a ticket no longer in the line is absent. */
export async function spotsInQueue(db: QueueDb, reads: LineReads, queueId: string, ticketIds: ReadonlySet<string>, now: number): Promise<Map<string, LiveSpot>> {
  const [entries, facts, settings] = await Promise.all([
    reads.lineOf(queueId).then((line) => reads.entriesOf(line)),
    serviceFactsOfQueue(db, queueId),
    settingsOfQueues(db, [queueId]),
  ]);
  const minutes = serviceMinutesPerPerson(facts, parseQueueSettings(settings.get(queueId) ?? '{}').defaultServiceMinutes);
  const spots = new Map<string, LiveSpot>();
  const endpoint = { tickets: 0, people: 0 };
  const queue = { tickets: 0, people: 0 };
  for (const entry of entries) {
    if (entry.queue_id === queueId) {
      if (ticketIds.has(entry.id)) {
        spots.set(entry.id, {
          position: { queue: { ...queue }, endpoint: { ...endpoint } },
          estimatedFor: estimateCallTime(now, endpoint.people, facts.openCounters, minutes),
        });
      }
      queue.tickets += 1;
      queue.people += entry.group_size;
    }
    endpoint.tickets += 1;
    endpoint.people += entry.group_size;
  }
  return spots;
}
