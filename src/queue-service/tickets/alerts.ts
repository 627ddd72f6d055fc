/**
 * The automatic alert (docs/design.md §States and transitions): when the people ahead of a booked FIFO ticket fall to its
 * queue's threshold, it moves to alerted (100) with TICKET_ALERTED — or to "to confirm" (50) where
 * the queue asks people to confirm. It is evaluated in the transaction that made the line shorter
 * (a call, a cancellation…), so the alert commits with its cause or not at all. This module only
 * finds them: it returns the alerts as state changes, which the unit of work applies
 * (docs/design.md §Unit of work).
 *
 * "Ahead" is counted in the line the ticket's counters call from (every queue sharing a counter
 * with it), as positions are. Only the head of each line can qualify: with at least one person per
 * ticket, a ticket with more than `threshold` tickets before it has more than `threshold` people.
 */
import { TicketState } from '../../contract/ticket-states.js';
import type { TicketPosition } from '../../contract/message.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { queueIdsSharingCounters } from '../db/queries/endpoints.js';
import { compareLineOrder, fifoLineHeads, lockBookedTickets, settingsOfQueues, type LineEntry } from '../db/queries/tickets.js';
import { parseQueueSettings, type QueueSettings } from '../entities/queue-settings.js';
import type { TicketContext } from '../entities/ticket-context.js';
import type { StateChange } from './change.js';

interface Due {
  ticket: Ticket;
  to: typeof TicketState.ALERTED | typeof TicketState.TO_CONFIRM;
  position: TicketPosition;
}

/**
 * After a waiting FIFO ticket left the line: the alerts of whoever behind it is now near enough,
 * read fresh (and locked on PostgreSQL). Those ahead of it saw nothing change; a ticket booked
 * already near the head waits for the line to move before it is alerted (or is simply called).
 */
export async function alertsNearTheHead(db: QueueDb, left: LineEntry, now: number, leftContext?: TicketContext): Promise<StateChange[]> {
  const queueId = left.queue_id;
  // The lines containing queueId are the lines of the queues sharing a counter with it.
  const affected = await queueIdsSharingCounters(db, queueId);
  // The usual line is the queue alone, whose settings the change already read.
  const settings = affected.length === 1 && leftContext ? new Map([[queueId, leftContext.settings]]) : await parsedSettingsOf(db, affected);
  const due: Due[] = [];
  for (const candidate of affected) {
    const { alertThreshold, confirmRequired } = settings.get(candidate) ?? parseQueueSettings('{}');
    const line = candidate === queueId ? affected : await queueIdsSharingCounters(db, candidate);
    const heads = await fifoLineHeads(db, line, alertThreshold + 1);
    for (const found of nearTheHead(heads, candidate, alertThreshold, left)) {
      due.push({
        ticket: heads.find((head) => head.id === found.ticketId)!,
        position: found.position,
        to: confirmRequired ? TicketState.TO_CONFIRM : TicketState.ALERTED,
      });
    }
  }
  const fresh = await lockBookedTickets(
    db,
    due.map((entry) => entry.ticket),
  );
  // A waiting ticket of the same queue has the same context, without a counter.
  const sameQueue = leftContext ? { ...leftContext, endpoint: null } : undefined;
  return fresh.map((ticket) => {
    const entry = due.find((candidate) => candidate.ticket.id === ticket.id)!;
    const context = ticket.queue_id === queueId && ticket.endpoint_id === null ? sameQueue : undefined;
    return { kind: 'state', ticket, to: entry.to, actor: 'system:alert', now, known: { position: entry.position, context } };
  });
}

async function parsedSettingsOf(db: QueueDb, queueIds: string[]): Promise<Map<string, QueueSettings>> {
  const stored = await settingsOfQueues(db, queueIds);
  return new Map([...stored].map(([id, json]) => [id, parseQueueSettings(json)]));
}

/** Booked tickets of `queueId` behind `left` with at most `threshold` people ahead in `line`, with their positions. */
function nearTheHead(
  line: LineEntry[],
  queueId: string,
  threshold: number,
  left: LineEntry,
): Array<{ ticketId: string; position: TicketPosition }> {
  const found: Array<{ ticketId: string; position: TicketPosition }> = [];
  const endpoint = { tickets: 0, people: 0 };
  const queue = { tickets: 0, people: 0 };
  for (const entry of line) {
    if (endpoint.people > threshold) break;
    if (entry.queue_id === queueId) {
      if (entry.state === TicketState.BOOKED && compareLineOrder(entry, left) > 0)
        found.push({ ticketId: entry.id, position: { queue: { ...queue }, endpoint: { ...endpoint } } });
      queue.tickets += 1;
      queue.people += entry.group_size;
    }
    endpoint.tickets += 1;
    endpoint.people += entry.group_size;
  }
  return found;
}
