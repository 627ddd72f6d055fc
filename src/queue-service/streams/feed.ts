/**
 * Where live streams learn what changed (docs/design.md §Storage): the ticket_events feed, plus announcements of
 * queue changes that have no ticket event (streams/announce.ts).
 * - SQLite (one process owns the file): after each commit the in-process signal wakes a tailer that
 *   reads the events after its cursor; ids are assigned in commit order there. A slow poll backs it up.
 * - PostgreSQL (any number of processes): every event is NOTIFYed at commit with its fields, and each
 *   process LISTENs. Ids are not in commit order across transactions, so the payload itself is
 *   delivered, not a cursor read. When the listening connection breaks, the events written
 *   meanwhile are read back once it listens again.
 * Items are delivered in order, one batch at a time.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import type { QueueServiceDeps } from '../deps.js';
import { STREAM_CHANNEL, feedEventsAfter, lastEventId, type FeedEvent } from '../db/queries/ticket-event-feed.js';
import { localBus } from './announce.js';
import { PgListener } from '../../platform/db/pg-listener.js';

export type FeedItem = { kind: 'event'; event: FeedEvent } | { kind: 'queues'; queueIds: string[] };
export type Deliver = (items: FeedItem[]) => Promise<void>;

const PAGE = 500;
const SQLITE_POLL_MS = 1_000;
/** Ids remembered to drop the events a catch-up read shares with notifications. */
const RECENT_IDS = 10_000;

export interface Feed {
  start(): Promise<void>;
  /** Before a stream's snapshot: from here on, every change reaches the stream live. */
  follow(): Promise<void>;
  stop(): Promise<void>;
}

/** `watched`: whether any stream is open; with none, the SQLite feed does not read at all. */
export function openFeed(deps: QueueServiceDeps, deliver: Deliver, watched: () => boolean): Feed {
  const pump = new Pump(deliver, deps.logger);
  return deps.database.engine === 'postgres' && deps.database.pgPool
    ? new PostgresFeed(deps, deps.database.pgPool, pump)
    : new SqliteFeed(deps, pump, watched);
}

/** Delivers items in arrival order; items arriving during a delivery form the next batch. */
class Pump {
  private pending: FeedItem[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly deliver: Deliver,
    private readonly logger: Logger,
  ) {}

  push(items: FeedItem[]): void {
    if (items.length === 0) return;
    this.pending.push(...items);
    this.running ??= this.drain();
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        await this.deliver(batch).catch((error) => this.logger.error({ err: error }, 'live stream delivery failed'));
      }
    } finally {
      this.running = null;
    }
  }
}

class SqliteFeed implements Feed {
  private cursor = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  /** Reads were skipped while nobody watched: the cursor is behind, and what it missed concerns no one. */
  private behind = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(
    private readonly deps: QueueServiceDeps,
    private readonly pump: Pump,
    private readonly watched: () => boolean,
  ) {}

  async start(): Promise<void> {
    this.cursor = await lastEventId(this.deps.database.db);
    this.unsubscribers.push(this.deps.outboxSignal.subscribe(() => this.read()));
    const bus = localBus(this.deps.database);
    const onQueues = (queueIds: string[]) => this.pump.push([{ kind: 'queues', queueIds }]);
    bus.on('queues', onQueues);
    this.unsubscribers.push(() => bus.off('queues', onQueues));
    this.timer = setInterval(() => this.read(), SQLITE_POLL_MS);
    this.timer.unref();
  }

  /**
   * A process serving bookings with no stream open reads nothing after its commits. A stream that
   * opens moves the cursor to the newest event before its snapshot: what it skipped, the snapshot shows.
   */
  async follow(): Promise<void> {
    if (!this.behind) return;
    await this.reading;
    this.cursor = Math.max(this.cursor, await lastEventId(this.deps.database.db));
    this.behind = false;
  }

  /** Reads what was committed since the cursor; a wake-up during a read makes it read again. */
  read(): void {
    if (this.behind) return;
    if (!this.watched()) {
      this.behind = true;
      return;
    }
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readAll()
      .catch((error) => this.deps.logger.warn({ err: error }, 'reading the event feed failed'))
      .finally(() => {
        this.reading = null;
      });
  }

  private async readAll(): Promise<void> {
    for (;;) {
      this.again = false;
      const events = await feedEventsAfter(this.deps.database.db, this.cursor, PAGE);
      if (events.length > 0) {
        this.cursor = events[events.length - 1]!.id;
        this.pump.push(events.map((event) => ({ kind: 'event', event })));
      }
      if (events.length < PAGE && !this.again) return;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await this.reading;
    await this.pump.idle();
  }
}

class PostgresFeed implements Feed {
  private readonly listener: PgListener;
  private lastId = 0;
  private readonly recent = new Set<number>();

  constructor(
    private readonly deps: QueueServiceDeps,
    pool: pg.Pool,
    private readonly pump: Pump,
  ) {
    this.listener = new PgListener({
      pool,
      channel: STREAM_CHANNEL,
      logger: deps.logger,
      purpose: 'live stream events',
      onNotification: (payload) => this.onPayload(payload),
      onListening: (again) => (again ? this.catchUp() : undefined),
    });
  }

  async start(): Promise<void> {
    this.lastId = await lastEventId(this.deps.database.db);
    await this.listener.start();
  }

  /** Notifications are pushed to every listener whether or not it watches: nothing to catch up. */
  async follow(): Promise<void> {}

  /** Events committed while nobody listened. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const events = await feedEventsAfter(this.deps.database.db, this.lastId, PAGE);
      this.accept(events);
      if (events.length < PAGE) return;
    }
  }

  private onPayload(payload: string | undefined): void {
    if (!payload) return;
    try {
      const message = JSON.parse(payload) as { kind: string; queueIds?: string[] } & FeedEvent;
      if (message.kind === 'queues' && Array.isArray(message.queueIds)) this.pump.push([{ kind: 'queues', queueIds: message.queueIds }]);
      else if (message.kind === 'event') this.accept([{ ...message, id: Number(message.id), at: Number(message.at) }]);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'unreadable live stream notification');
    }
  }

  private accept(events: FeedEvent[]): void {
    const fresh = events.filter((event) => !this.recent.has(event.id));
    for (const event of fresh) {
      this.recent.add(event.id);
      this.lastId = Math.max(this.lastId, event.id);
    }
    if (this.recent.size > RECENT_IDS) {
      for (const id of [...this.recent].slice(0, this.recent.size - RECENT_IDS / 2)) this.recent.delete(id);
    }
    this.pump.push(fresh.map((event) => ({ kind: 'event', event })));
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await this.pump.idle();
  }
}
