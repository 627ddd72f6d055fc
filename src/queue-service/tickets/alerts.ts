/**
 * The automatic alerts (docs/design.md §States and transitions): a waiting FIFO ticket gets a
 * TICKET_ALERTED at each position of its queue's `alertPositions` (people ahead, default [2, 1]).
 * The first moves it from booked to alerted (100) — or to "to confirm" (50) where the queue asks
 * people to confirm; each later one is a message without a state change. A ticket that passes
 * several positions at once is alerted once, for the nearest. They are evaluated in the
 * transaction that made the line shorter (a call, a cancellation…) or booked the ticket, so the
 * alert commits with its cause or not at all. This module only finds them: it returns the alerts
 * as changes, which the unit of work applies (docs/design.md §Unit of work).
 *
 * "Ahead" is counted in the line the ticket's counters call from (every queue sharing a counter
 * with it), as positions are. Only the head of each line can qualify: with at least one person per
 * ticket, a ticket with more than `n` tickets before it has more than `n` people.
 */
import { TicketState } from '../../contract/ticket-states.js';
import type { TicketPosition } from '../../contract/message.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { queueIdsSharingCounters } from '../db/queries/endpoints.js';
import { compareLineOrder, fifoLineHeads, lockUnchangedTickets, settingsOfQueues, type LineEntry } from '../db/queries/tickets.js';
import { parseQueueSettings, type QueueSettings } from '../entities/queue-settings.js';
import type { TicketContext } from '../entities/ticket-context.js';
import type { KnownFacts, StateChange } from './change.js';

/** A further alert of an alerted ticket, at a nearer position: a message, no state change. */
export interface AlertAgain {
  kind: 'alert-again';
  ticket: Ticket;
  /** The position (people ahead) of the queue's alertPositions this alert is for. */
  ahead: number;
  actor: string;
  now: number;
  known?: KnownFacts;
}

export type AlertChange = StateChange | AlertAgain;

const ACTOR = 'system:alert';

/** The nearest position reached with `ahead` people ahead (the smallest at or above it), or null. */
function nearestAlertPosition(positions: readonly number[], ahead: number): number | null {
  let nearest: number | null = null;
  for (const position of positions) if (ahead <= position && (nearest === null || position < nearest)) nearest = position;
  return nearest;
}

/** The alert a booked ticket gets at `ahead` people ahead, or a later one an alerted ticket gets, or none. */
function alertOf(ticket: Ticket, ahead: number, settings: QueueSettings, now: number, known: KnownFacts): AlertChange | null {
  const nearest = nearestAlertPosition(settings.alertPositions, ahead);
  if (nearest === null) return null;
  if (ticket.state === TicketState.BOOKED) {
    const to = settings.confirmRequired ? TicketState.TO_CONFIRM : TicketState.ALERTED;
    return { kind: 'state', ticket, to, actor: ACTOR, now, alertAhead: nearest, known };
  }
  // Alerted before the positions were recorded: as if at the farthest one.
  const last = ticket.alert_ahead ?? Math.max(...settings.alertPositions);
  if (ticket.state === TicketState.ALERTED && nearest < last)
    return { kind: 'alert-again', ticket, ahead: nearest, actor: ACTOR, now, known };
  return null;
}

/** A FIFO ticket booked already near the head is alerted at once, after its TICKET_BOOKED. */
export function alertAtBooking(ticket: Ticket, position: TicketPosition, context: TicketContext, now: number): AlertChange[] {
  const alert = alertOf(ticket, position.endpoint.people, context.settings, now, { position, context });
  return alert ? [alert] : [];
}

interface Due {
  ticket: Ticket;
  ahead: number;
  position: TicketPosition;
  settings: QueueSettings;
}

/**
 * After a waiting FIFO ticket left the line: the alerts of whoever behind it is now near enough,
 * read fresh (and locked on PostgreSQL). Those ahead of it saw nothing change.
 */
export async function alertsNearTheHead(db: QueueDb, left: LineEntry, now: number, leftContext?: TicketContext): Promise<AlertChange[]> {
  const queueId = left.queue_id;
  // The lines containing queueId are the lines of the queues sharing a counter with it.
  const affected = await queueIdsSharingCounters(db, queueId);
  // The usual line is the queue alone, whose settings the change already read.
  const settings = affected.length === 1 && leftContext ? new Map([[queueId, leftContext.settings]]) : await parsedSettingsOf(db, affected);
  const due: Due[] = [];
  for (const candidate of affected) {
    const queueSettings = settings.get(candidate) ?? parseQueueSettings('{}');
    if (queueSettings.alertPositions.length === 0) continue;
    const farthest = Math.max(...queueSettings.alertPositions);
    const line = candidate === queueId ? affected : await queueIdsSharingCounters(db, candidate);
    const heads = await fifoLineHeads(db, line, farthest + 1);
    for (const found of nearTheHead(heads, candidate, farthest, left)) {
      const ticket = heads.find((head) => head.id === found.ticketId)!;
      due.push({ ticket, ahead: found.position.endpoint.people, position: found.position, settings: queueSettings });
    }
  }
  const fresh = await lockUnchangedTickets(
    db,
    due.map((entry) => entry.ticket),
  );
  // A waiting ticket of the same queue has the same context, without a counter.
  const sameQueue = leftContext ? { ...leftContext, endpoint: null } : undefined;
  return fresh.flatMap((ticket) => {
    const entry = due.find((candidate) => candidate.ticket.id === ticket.id)!;
    const context = ticket.queue_id === queueId && ticket.endpoint_id === null ? sameQueue : undefined;
    const alert = alertOf(ticket, entry.ahead, entry.settings, now, { position: entry.position, context });
    return alert ? [alert] : [];
  });
}

async function parsedSettingsOf(db: QueueDb, queueIds: string[]): Promise<Map<string, QueueSettings>> {
  const stored = await settingsOfQueues(db, queueIds);
  return new Map([...stored].map(([id, json]) => [id, parseQueueSettings(json)]));
}

/** Booked or alerted tickets of `queueId` behind `left` with at most `farthest` people ahead in `line`, with their positions. */
function nearTheHead(
  line: LineEntry[],
  queueId: string,
  farthest: number,
  left: LineEntry,
): Array<{ ticketId: string; position: TicketPosition }> {
  const found: Array<{ ticketId: string; position: TicketPosition }> = [];
  const endpoint = { tickets: 0, people: 0 };
  const queue = { tickets: 0, people: 0 };
  for (const entry of line) {
    if (endpoint.people > farthest) break;
    if (entry.queue_id === queueId) {
      const alertable = entry.state === TicketState.BOOKED || entry.state === TicketState.ALERTED;
      if (alertable && compareLineOrder(entry, left) > 0)
        found.push({ ticketId: entry.id, position: { queue: { ...queue }, endpoint: { ...endpoint } } });
      queue.tickets += 1;
      queue.people += entry.group_size;
    }
    endpoint.tickets += 1;
    endpoint.people += entry.group_size;
  }
  return found;
}
