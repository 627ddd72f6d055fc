/**
 * What the streams send (documented on their routes):
 * - `ticket`: `{ticket, changes}` — the ticket as GET /v2/user/tickets shows it, and the changes it
 *   went through since the client's Last-Event-ID (one for a live change, none in a plain snapshot);
 * - `position`: `{ticketId, ticketPosition, timeline: {estimatedFor}}` — the line moved;
 * - `state`: the queue state as GET /v2/queues/{queueId}/state returns it;
 * - `call`: a ticket called (or recalled) at a counter of the place, for display boards;
 * - `ticket` on a board's tickets stream: the ticket without what identifies the person.
 */
import { namesInEveryLocale } from '../../contract/locale.js';
import type { TicketView } from '../../contract/message.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { Endpoint, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findEndpoint } from '../db/queries/endpoints.js';
import { findTicket } from '../db/queries/tickets.js';
import type { FeedEvent } from '../db/queries/ticket-event-feed.js';
import { presentTicket } from '../tickets/present.js';
import { loadTicketContext, type Named, type TicketContext } from '../entities/ticket-context.js';
import type { LiveSpot } from './line-positions.js';

const changeOf = (event: FeedEvent) => ({
  id: event.id,
  version: event.version,
  from: event.from,
  to: event.to,
  action: event.action,
  endpointId: event.endpointId,
  at: toIso(event.at),
});

export const ticketPayload = (ticket: TicketView, changes: FeedEvent[]) => ({ ticket, changes: changes.map(changeOf) });

/** A screen is public: the ticket as its owner sees it, less their contact, subscription, source and rating. */
export function boardTicketPayload(ticket: TicketView) {
  const { userData: _userData, notifications: _notifications, source: _source, rating: _rating, ...shown } = ticket;
  return shown;
}

/**
 * The `position` event, framed once as text: a call moves every ticket behind it, so this runs for
 * each watcher of the line on every call, and building it by hand costs a fraction of building an
 * object and serialising it. Same JSON as `{ticketId, ticketPosition, timeline: {estimatedFor}}`.
 */
export function positionFrame(ticketId: string, spot: LiveSpot, id: number | null): string {
  const { queue, endpoint } = spot.position;
  return (
    `${id === null ? '' : `id: ${id}\n`}event: position\ndata: {"ticketId":${JSON.stringify(ticketId)},"ticketPosition":{"queue":{"tickets":${queue.tickets},"people":${queue.people}},` +
    `"endpoint":{"tickets":${endpoint.tickets},"people":${endpoint.people}}},"timeline":{"estimatedFor":${JSON.stringify(toIsoOrNull(spot.estimatedFor))}}}\n\n`
  );
}

/** Screens show every language, so names come as Lineberty's locale maps here (docs/lineberty.md §Display). */
const callPayload = (
  event: FeedEvent,
  ticket: Pick<Ticket, 'id' | 'label' | 'queue_id' | 'recall_count'>,
  endpoint: Endpoint | undefined,
  queue: Named,
) => ({
  ticketId: ticket.id,
  label: ticket.label,
  queue: { queueId: ticket.queue_id, name: namesInEveryLocale(queue.name, queue.names) },
  endpoint: endpoint ? { endpointId: endpoint.id, name: namesInEveryLocale(endpoint.name, parseJsonText(endpoint.names)) } : null,
  calledAt: toIso(event.at),
  recall: event.from === 200 || event.from === 300,
  recallCount: ticket.recall_count,
});

/** Presents tickets, reusing each queue's and counter's context within one delivery. */
export class Presenter {
  private readonly contexts = new Map<string, Promise<TicketContext>>();

  constructor(
    private readonly db: QueueDb,
    private readonly now: number,
  ) {}

  context(ticket: Ticket): Promise<TicketContext> {
    const key = `${ticket.queue_id}|${ticket.endpoint_id ?? ''}`;
    let context = this.contexts.get(key);
    if (!context) {
      context = loadTicketContext(this.db, ticket);
      this.contexts.set(key, context);
    }
    return context;
  }

  async view(ticket: Ticket): Promise<TicketView> {
    return presentTicket(this.db, ticket, await this.context(ticket), this.now);
  }
}

/** Rows read once per delivery. */
export class BatchReads {
  private readonly tickets = new Map<string, Promise<Ticket | undefined>>();
  private readonly endpoints = new Map<string, Promise<Endpoint | undefined>>();

  constructor(
    private readonly db: QueueDb,
    readonly presenter: Presenter,
  ) {}

  ticket(ticketId: string): Promise<Ticket | undefined> {
    let ticket = this.tickets.get(ticketId);
    if (!ticket) {
      ticket = findTicket(this.db, ticketId);
      this.tickets.set(ticketId, ticket);
    }
    return ticket;
  }

  endpoint(endpointId: string): Promise<Endpoint | undefined> {
    let endpoint = this.endpoints.get(endpointId);
    if (!endpoint) {
      endpoint = findEndpoint(this.db, endpointId);
      this.endpoints.set(endpointId, endpoint);
    }
    return endpoint;
  }

  async call(event: FeedEvent) {
    const ticket = await this.ticket(event.ticketId);
    if (!ticket) return null;
    const endpoint = event.endpointId ? await this.endpoint(event.endpointId) : undefined;
    const context = await this.presenter.context(ticket);
    return callPayload(event, ticket, endpoint, context.queue);
  }
}
