/**
 * How a change that writes no ticket event reaches live streams (a counter opened or closed,
 * booking paused): on PostgreSQL a NOTIFY every process hears; on SQLite, where one process owns
 * the database, an in-process bus. Ticket changes need no announcement: their event row is the feed.
 */
import { EventEmitter } from 'node:events';
import { notifyChannel } from '../../platform/db/notify.js';
import type { QueueServiceDeps } from '../deps.js';
import { STREAM_CHANNEL } from '../db/queries/ticket-event-feed.js';

const buses = new WeakMap<object, EventEmitter>();

/** The in-process bus of one database handle (one per app in tests, one per process in production). */
export function localBus(database: object): EventEmitter {
  let bus = buses.get(database);
  if (!bus) {
    bus = new EventEmitter();
    bus.setMaxListeners(0);
    buses.set(database, bus);
  }
  return bus;
}

export async function announceQueueChange(deps: Pick<QueueServiceDeps, 'database'>, queueIds: string[]): Promise<void> {
  if (queueIds.length === 0) return;
  if (deps.database.engine === 'postgres') {
    await notifyChannel(deps.database.db, STREAM_CHANNEL, JSON.stringify({ kind: 'queues', queueIds }));
  } else {
    localBus(deps.database).emit('queues', queueIds);
  }
}
