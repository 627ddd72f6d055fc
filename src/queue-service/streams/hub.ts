/**
 * The live streams of one process: who watches what, and what each change of the feed
 * (streams/feed.ts) means for them. One delivery handles a batch of changes in four steps:
 * 1. lines that moved → `position` to every watcher of a waiting ticket behind the change, from
 *    one read of each line (streams/line-positions.ts) — first, as they are the many;
 * 2. tickets that changed → `ticket` to the streams watching them (or their owner's tickets);
 * 3. calls → `call` to the display boards of the place;
 * 4. queues touched → `state` to queue-state streams, when the state really changed;
 * 5. counters opened or closed (announced queues) → `counters` to the display boards of the place,
 *    which read the counters again;
 * 6. tickets that changed → `ticket` (without personal data) to the ticket boards of their place.
 * A stream is registered before its snapshot is read, and held until the snapshot is sent, so a
 * change during a (re)connection arrives after the snapshot instead of being lost.
 */
import type { Logger } from 'pino';
import type { TicketPosition } from '../../contract/message.js';
import { isWaiting } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import { findPlace } from '../db/queries/places.js';
import { findQueue } from '../db/queries/queues.js';
import {
  lastEventId,
  lastEventIdsOf,
  placeCallsAfter,
  placeTicketIdsChangedAfter,
  ticketEventsAfter,
  type FeedEvent,
} from '../db/queries/ticket-event-feed.js';
import { activeTicketsOfPlace } from '../db/queries/display.js';
import { queueStateOf, type QueueState } from '../booking/queue-state.js';
import { openFeed, type Feed, type FeedItem } from './feed.js';
import { LineReads, visitSpots, type LiveSpot } from './line-positions.js';
import { BatchReads, Presenter, boardTicketPayload, positionFrame, ticketPayload } from './payloads.js';
import type { SseStream } from './sse.js';
import { StreamLimits, type StreamLimitOptions } from './stream-limits.js';

export interface HubOptions extends StreamLimitOptions {
  /** Comment lines this often keep proxies from closing idle streams (web clients give up after 45 s of silence). */
  heartbeatMs: number;
  /** An estimate that moved less than this is not worth a `position` event of its own. */
  estimateStepMs: number;
}

const DEFAULT_OPTIONS: HubOptions = {
  heartbeatMs: 15_000,
  estimateStepMs: 60_000,
  // An office behind one address runs a desk and a board per counter; a person has a phone or two.
  maxStreamsPerAddress: 100,
  maxStreamsPerUser: 10,
  maxStreamsPerOperator: 10,
};
/** Calls a display board is shown when it connects without Last-Event-ID, and at most replayed with it. */
const DISPLAY_SNAPSHOT = 20;
const DISPLAY_REPLAY = 200;
/** Tickets a ticket board is sent on connect (or on reconnection, changed since), at most. */
const BOARD_TICKETS = 500;

/** `seen`: per ticket, the newest event the stream's snapshot already reflects (later deliveries skip it). */
interface TicketWatch {
  stream: SseStream;
  ticketIds: Set<string>;
  userId: string | null;
  seen: Map<string, number>;
}
interface StateWatch {
  stream: SseStream;
  queueIds: Set<string>;
}
interface DisplayWatch {
  stream: SseStream;
  placeId: string;
}
/** A screen following the tickets of a place: of some of its queues (`queueIds`), or at one counter. */
export interface BoardFilter {
  placeId: string;
  queueIds: ReadonlySet<string> | null;
  endpointId: string | null;
}
interface BoardWatch extends BoardFilter {
  stream: SseStream;
}
const boardShows = (watch: BoardFilter, ticket: Pick<Ticket, 'queue_id' | 'endpoint_id'>) =>
  (watch.queueIds === null || watch.queueIds.has(ticket.queue_id)) &&
  (watch.endpointId === null || watch.endpointId === ticket.endpoint_id);

/** The position last sent to a watched ticket, as numbers: comparing them is the hot loop of a call. */
interface Tracked {
  queueTickets: number;
  queuePeople: number;
  lineTickets: number;
  linePeople: number;
  estimatedFor: number;
}

function trackedOf(position: TicketPosition | null, estimatedFor: number): Tracked {
  return {
    queueTickets: position?.queue.tickets ?? -1,
    queuePeople: position?.queue.people ?? -1,
    lineTickets: position?.endpoint.tickets ?? -1,
    linePeople: position?.endpoint.people ?? -1,
    estimatedFor,
  };
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

export class StreamHub {
  readonly options: HubOptions;
  private readonly logger: Logger;
  private readonly streams = new Set<SseStream>();
  private readonly rechecks = new Map<SseStream, () => Promise<boolean>>();
  /** Open streams per client address, user and operator (streams/stream-limits.ts). */
  readonly limits: StreamLimits;
  private readonly byTicket = new Map<string, Set<TicketWatch>>();
  private readonly byUser = new Map<string, Set<TicketWatch>>();
  private readonly byQueue = new Map<string, Set<StateWatch>>();
  private readonly byPlace = new Map<string, Set<DisplayWatch>>();
  private readonly boardsByPlace = new Map<string, Set<BoardWatch>>();
  /** Watched waiting FIFO tickets per queue, with the position last sent. */
  private readonly tracked = new Map<string, Map<string, Tracked>>();
  private readonly lastStates = new Map<string, string>();
  private readonly feed: Feed;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: QueueServiceDeps,
    options: Partial<HubOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.limits = new StreamLimits(this.options);
    this.logger = deps.logger.child({ component: 'streams' });
    this.feed = openFeed(
      deps,
      (items) => this.deliver(items),
      () => this.streams.size > 0,
    );
  }

  async start(): Promise<void> {
    await this.feed.start();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Ends every stream (clients reconnect elsewhere and resume) and stops listening. */
  async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const stream of [...this.streams]) stream.close();
    await this.feed.stop();
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /**
   * Every heartbeat also re-checks the credential of the streams opened with one that can be
   * withdrawn (an operator token): a stream whose token no longer holds ends.
   */
  heartbeat(): void {
    for (const stream of this.streams) stream.heartbeat();
    for (const [stream, stillValid] of this.rechecks) {
      stillValid().then(
        (valid) => {
          if (!valid) stream.close();
        },
        (error: unknown) => this.logger.warn({ err: error }, 'could not re-check a stream credential'),
      );
    }
  }

  /** Ends `stream` at the first heartbeat at which `stillValid` answers false. */
  recheckWhileOpen(stream: SseStream, stillValid: () => Promise<boolean>): void {
    this.rechecks.set(stream, stillValid);
    stream.onClose(() => this.rechecks.delete(stream));
  }

  /** Registers a stream before its snapshot is read (see the top of this file). */
  private register(stream: SseStream, unregister: () => void): void {
    this.streams.add(stream);
    stream.onClose(() => {
      this.streams.delete(stream);
      unregister();
    });
  }

  // ---- watching ------------------------------------------------------------------------------

  /**
   * One ticket, or all of a user's (`userId` set: tickets they book later join the stream). With
   * `lastEventId`, each ticket's snapshot lists the changes made since.
   */
  async watchTickets(stream: SseStream, tickets: Ticket[], userId: string | null, lastEventIdSeen: number | null): Promise<void> {
    const watch: TicketWatch = { stream, ticketIds: new Set(tickets.map((ticket) => ticket.id)), userId, seen: new Map() };
    for (const id of watch.ticketIds) addTo(this.byTicket, id, watch);
    if (userId) addTo(this.byUser, userId, watch);
    this.register(stream, () => {
      for (const id of watch.ticketIds) {
        removeFrom(this.byTicket, id, watch);
        if (!this.byTicket.has(id)) this.untrack(id);
      }
      if (userId) removeFrom(this.byUser, userId, watch);
    });
    try {
      await this.feed.follow();
      const db = this.deps.database.db;
      const ids = [...watch.ticketIds];
      const missed = lastEventIdSeen === null ? [] : await ticketEventsAfter(db, ids, lastEventIdSeen);
      const lastIds = await lastEventIdsOf(db, ids);
      // On PostgreSQL a notification can arrive after the snapshot that already shows its change.
      for (const [ticketId, id] of lastIds) watch.seen.set(ticketId, id);
      const presenter = new Presenter(db, this.deps.clock.now());
      // Oldest change first, so the last id the client keeps is the newest of all.
      const ordered = [...tickets].sort((a, b) => (lastIds.get(a.id) ?? 0) - (lastIds.get(b.id) ?? 0));
      for (const ticket of ordered) {
        const view = await presenter.view(ticket);
        const id = lastIds.get(ticket.id) ?? null;
        stream.sendNow(
          'ticket',
          ticketPayload(
            view,
            missed.filter((event) => event.ticketId === ticket.id),
          ),
          id !== null && id > (lastEventIdSeen ?? 0) ? id : null,
        );
        this.track(ticket, view.ticketPosition, view.timeline.estimatedFor);
      }
    } catch (error) {
      // The response is already a stream: a failed snapshot ends it, and the client reconnects.
      this.logger.warn({ err: error }, 'live stream snapshot failed');
      stream.close();
    } finally {
      stream.release();
    }
  }

  async watchQueueStates(stream: SseStream, queueIds: string[]): Promise<void> {
    const watch: StateWatch = { stream, queueIds: new Set(queueIds) };
    for (const id of queueIds) addTo(this.byQueue, id, watch);
    this.register(stream, () => {
      for (const id of queueIds) removeFrom(this.byQueue, id, watch);
    });
    try {
      await this.feed.follow();
      const id = await lastEventId(this.deps.database.db);
      for (const queueId of queueIds) {
        const state = await this.stateOf(queueId);
        if (!state) continue;
        const json = JSON.stringify(state);
        if (!this.lastStates.has(queueId)) this.lastStates.set(queueId, json);
        stream.sendNow('state', state, id);
      }
    } catch (error) {
      // The response is already a stream: a failed snapshot ends it, and the client reconnects.
      this.logger.warn({ err: error }, 'live stream snapshot failed');
      stream.close();
    } finally {
      stream.release();
    }
  }

  /** Calls at a place for its display boards: today's latest on connect, or all since Last-Event-ID. */
  async watchDisplay(stream: SseStream, placeId: string, lastEventIdSeen: number | null, startOfDay: number): Promise<void> {
    const watch: DisplayWatch = { stream, placeId };
    addTo(this.byPlace, placeId, watch);
    this.register(stream, () => removeFrom(this.byPlace, placeId, watch));
    try {
      await this.feed.follow();
      const db = this.deps.database.db;
      const events =
        lastEventIdSeen === null
          ? (await placeCallsAfter(db, placeId, 0, DISPLAY_SNAPSHOT)).filter((event) => event.at >= startOfDay)
          : await placeCallsAfter(db, placeId, lastEventIdSeen, DISPLAY_REPLAY);
      const reads = new BatchReads(db, new Presenter(db, this.deps.clock.now()));
      for (const event of events) {
        const call = await reads.call(event);
        if (call) stream.sendNow('call', call, event.id);
      }
    } catch (error) {
      // The response is already a stream: a failed snapshot ends it, and the client reconnects.
      this.logger.warn({ err: error }, 'live stream snapshot failed');
      stream.close();
    } finally {
      stream.release();
    }
  }

  /**
   * The tickets of a place for a screen (Lineberty's Display tickets stream): on connect, those
   * waiting, called, on hold or in progress (`endOfDay`: appointments of later days left out); with
   * Last-Event-ID, those changed since; then each change of a ticket it shows.
   */
  async watchBoardTickets(stream: SseStream, filter: BoardFilter, lastEventIdSeen: number | null, endOfDay: number): Promise<void> {
    const watch: BoardWatch = { ...filter, stream };
    addTo(this.boardsByPlace, filter.placeId, watch);
    this.register(stream, () => removeFrom(this.boardsByPlace, filter.placeId, watch));
    try {
      await this.feed.follow();
      const db = this.deps.database.db;
      const reads = new BatchReads(db, new Presenter(db, this.deps.clock.now()));
      const tickets =
        lastEventIdSeen === null
          ? await activeTicketsOfPlace(db, filter.placeId, endOfDay, BOARD_TICKETS)
          : (
              await Promise.all(
                (await placeTicketIdsChangedAfter(db, filter.placeId, lastEventIdSeen, BOARD_TICKETS)).map((id) => reads.ticket(id)),
              )
            ).filter((ticket) => ticket !== undefined);
      const shown = tickets.filter((ticket) => boardShows(filter, ticket));
      const lastIds = await lastEventIdsOf(
        db,
        shown.map((ticket) => ticket.id),
      );
      // Oldest change first, so the last id the screen keeps is the newest of all.
      shown.sort((a, b) => (lastIds.get(a.id) ?? 0) - (lastIds.get(b.id) ?? 0));
      for (const ticket of shown) {
        const id = lastIds.get(ticket.id) ?? null;
        stream.sendNow(
          'ticket',
          boardTicketPayload(await reads.presenter.view(ticket)),
          id !== null && id > (lastEventIdSeen ?? 0) ? id : null,
        );
      }
    } catch (error) {
      // The response is already a stream: a failed snapshot ends it, and the client reconnects.
      this.logger.warn({ err: error }, 'live stream snapshot failed');
      stream.close();
    } finally {
      stream.release();
    }
  }

  // ---- delivering ----------------------------------------------------------------------------

  private async deliver(items: FeedItem[]): Promise<void> {
    const events = items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
    const announced = items.flatMap((item) => (item.kind === 'queues' ? item.queueIds : []));
    const newestId = events.length > 0 ? Math.max(...events.map((event) => event.id)) : null;
    const now = this.deps.clock.now();
    const reads = new BatchReads(this.deps.database.db, new Presenter(this.deps.database.db, now));
    // Positions first: one call moves everyone behind it, and they are the many waiting to hear.
    await this.deliverPositions(linesMoved(events, announced), now, newestId);
    await this.deliverTickets(events, reads);
    await this.deliverCalls(events, reads);
    await this.deliverStates(new Set([...events.map((event) => event.queueId), ...announced]), newestId);
    await this.deliverCounters(announced);
    await this.deliverBoardTickets(events, reads);
  }

  private async deliverBoardTickets(events: FeedEvent[], reads: BatchReads): Promise<void> {
    if (this.boardsByPlace.size === 0) return;
    for (const [ticketId, changes] of groupByTicket(events)) {
      const watchers = this.boardsByPlace.get(changes[0]!.placeId);
      if (!watchers) continue;
      const ticket = await reads.ticket(ticketId);
      if (!ticket) continue;
      let payload: ReturnType<typeof boardTicketPayload> | null = null;
      for (const watch of watchers) {
        if (!boardShows(watch, ticket)) continue;
        payload ??= boardTicketPayload(await reads.presenter.view(ticket));
        watch.stream.send('ticket', payload, changes[changes.length - 1]!.id);
      }
    }
  }

  private async deliverTickets(events: FeedEvent[], reads: BatchReads): Promise<void> {
    for (const [ticketId, changes] of groupByTicket(events)) {
      const userId = changes[changes.length - 1]!.userId;
      const watchers = new Set(this.byTicket.get(ticketId) ?? []);
      for (const watch of userId ? (this.byUser.get(userId) ?? []) : []) {
        watchers.add(watch);
        if (!watch.ticketIds.has(ticketId)) {
          watch.ticketIds.add(ticketId);
          addTo(this.byTicket, ticketId, watch);
        }
      }
      const newest = changes[changes.length - 1]!.id;
      for (const watch of watchers) if ((watch.seen.get(ticketId) ?? 0) >= newest) watchers.delete(watch);
      if (watchers.size === 0) continue;
      const ticket = await reads.ticket(ticketId);
      if (!ticket) continue;
      const view = await reads.presenter.view(ticket);
      for (const watch of watchers) {
        const seen = watch.seen.get(ticketId) ?? 0;
        watch.stream.send('ticket', ticketPayload(view, seen > 0 ? changes.filter((change) => change.id > seen) : changes), newest);
      }
      this.track(ticket, view.ticketPosition, view.timeline.estimatedFor);
    }
  }

  private async deliverCalls(events: FeedEvent[], reads: BatchReads): Promise<void> {
    for (const event of events) {
      const watchers = event.to === 200 ? this.byPlace.get(event.placeId) : undefined;
      if (!watchers) continue;
      const call = await reads.call(event);
      if (call) for (const watch of watchers) watch.stream.send('call', call, event.id);
    }
  }

  private async deliverStates(queueIds: Set<string>, newestId: number | null): Promise<void> {
    for (const queueId of queueIds) {
      const watchers = this.byQueue.get(queueId);
      if (!watchers) {
        this.lastStates.delete(queueId);
        continue;
      }
      const state = await this.stateOf(queueId);
      if (!state) continue;
      const json = JSON.stringify(state);
      if (this.lastStates.get(queueId) === json) continue;
      this.lastStates.set(queueId, json);
      for (const watch of watchers) watch.stream.send('state', state, newestId);
    }
  }

  /**
   * A counter opened or closed announces its queues and writes no ticket event: the boards of their
   * places are told to read the counters again, so a board loaded earlier stops showing an open
   * counter as closed. (The board reads them from the display API, the one place that builds them.)
   */
  private async deliverCounters(announced: string[]): Promise<void> {
    if (announced.length === 0 || this.byPlace.size === 0) return;
    const places = new Set<string>();
    for (const queueId of new Set(announced)) {
      const queue = await findQueue(this.deps.database.db, queueId);
      if (queue && this.byPlace.has(queue.place_id)) places.add(queue.place_id);
    }
    for (const placeId of places) for (const watch of this.byPlace.get(placeId) ?? []) watch.stream.send('counters', { placeId });
  }

  private async deliverPositions(moved: Set<string>, now: number, newestId: number | null): Promise<void> {
    if (moved.size === 0 || this.tracked.size === 0) return;
    const db = this.deps.database.db;
    const reads = new LineReads(db);
    const queues = new Set<string>();
    for (const queueId of moved) {
      for (const member of await reads.lineOf(queueId)) if (this.tracked.has(member)) queues.add(member);
    }
    for (const queueId of queues) {
      const watched = this.tracked.get(queueId);
      if (!watched) continue;
      await visitSpots(db, reads, queueId, watched, now, (ticketId, spot, last) => this.sendPosition(ticketId, spot, last, newestId));
    }
  }

  /** Sends a watched ticket its new spot, unless it is what it was last sent; `last` is updated in place. */
  private sendPosition(ticketId: string, spot: LiveSpot, last: Tracked, newestId: number | null): void {
    const { queue, endpoint } = spot.position;
    const samePosition =
      last.queueTickets === queue.tickets &&
      last.queuePeople === queue.people &&
      last.lineTickets === endpoint.tickets &&
      last.linePeople === endpoint.people;
    if (samePosition && Math.abs(last.estimatedFor - spot.estimatedFor) < this.options.estimateStepMs) return;
    last.queueTickets = queue.tickets;
    last.queuePeople = queue.people;
    last.lineTickets = endpoint.tickets;
    last.linePeople = endpoint.people;
    last.estimatedFor = spot.estimatedFor;
    const frame = positionFrame(ticketId, spot, newestId);
    for (const watch of this.byTicket.get(ticketId) ?? []) watch.stream.sendFrame(frame);
  }

  /** Follows the position of a watched waiting FIFO ticket; forgets any other. */
  private track(ticket: Ticket, position: TicketPosition | null, estimatedFor: string | null): void {
    const follow = ticket.is_appointment === 0 && isWaiting(ticket.state) && this.byTicket.has(ticket.id);
    if (!follow) return this.untrack(ticket.id, ticket.queue_id);
    let queue = this.tracked.get(ticket.queue_id);
    if (!queue) {
      queue = new Map();
      this.tracked.set(ticket.queue_id, queue);
    }
    queue.set(ticket.id, trackedOf(position, estimatedFor ? Date.parse(estimatedFor) : 0));
  }

  private untrack(ticketId: string, queueId?: string): void {
    for (const [id, queue] of queueId ? [[queueId, this.tracked.get(queueId)] as const] : [...this.tracked]) {
      if (!queue?.delete(ticketId)) continue;
      if (queue.size === 0) this.tracked.delete(id);
    }
  }

  private async stateOf(queueId: string): Promise<QueueState | null> {
    const db = this.deps.database.db;
    const queue = await findQueue(db, queueId);
    const place = queue ? await findPlace(db, queue.place_id) : undefined;
    if (!queue || !place) return null;
    return queueStateOf(db, queue, place.time_zone, this.deps.clock.now());
  }
}

/** Queues whose line changed: a waiting ticket left it, a service ended (the average moved), or a counter opened or closed. */
function linesMoved(events: FeedEvent[], announced: string[]): Set<string> {
  const moved = new Set(announced);
  for (const event of events) {
    const left = event.from !== null && isWaiting(event.from) && !isWaiting(event.to);
    if (left || event.to === 700) moved.add(event.queueId);
  }
  return moved;
}

function groupByTicket(events: FeedEvent[]): Map<string, FeedEvent[]> {
  const groups = new Map<string, FeedEvent[]>();
  for (const event of events) {
    const group = groups.get(event.ticketId);
    if (group) group.push(event);
    else groups.set(event.ticketId, [event]);
  }
  return groups;
}
