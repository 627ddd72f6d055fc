/**
 * The system under test of the delivery-latency benchmark, in its own process: the queue service
 * as `queuebell start` runs it — API and dispatcher in one process on a fresh SQLite database, the
 * same parts main.ts wires — seeded with a company whose one webhook destination is the
 * benchmark's receiver (DELIVERY_RECEIVER_URL). Every booking is a committed change that must reach
 * the receiver; the moment each booking's transaction committed is noted, per ticket id.
 * The end-to-end bench points it at a push server's ingest URL instead: DELIVERY_WEBHOOK_SECRET
 * is then that source's secret, and DELIVERY_COUNTER=1 adds an open counter (a key with the
 * operator scope) over a queue without automatic alerts, so each call-next is one message; the
 * commit of each call-next is noted the same way.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { Signal } from '../../src/platform/signal.js';
import { buildQueueApp } from '../../src/queue-service/app.js';
import { migrateQueueDatabase, openQueueDatabase, type QueueDatabase } from '../../src/queue-service/db/connect.js';
import type { QueueServiceDeps } from '../../src/queue-service/deps.js';
import { Dispatcher } from '../../src/queue-service/dispatch/dispatcher.js';
import type { QueueThreadData } from '../../src/queue-service/worker-thread.js';
import { superviseThread, threadEntry } from '../../src/platform/workers/thread-supervisor.js';
import { apiCaller, benchConfig, seedBenchCompany } from './bench-company.js';

const config = benchConfig('delivery', { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1' });
const dataDir = config.dataDir;

/** Ticket id → when the transaction that booked it committed (epoch ms, sub-millisecond). */
const committedAt = new Map<string, number>();
const opened = openQueueDatabase(join(dataDir, 'queue-service.sqlite'));
await migrateQueueDatabase(opened);
const database: QueueDatabase = {
  ...opened,
  async transaction(work) {
    const result = await opened.transaction(work);
    // A ticket view (booking, call-next) names its ticket ticketId.
    const view = result as { ticketId?: unknown; id?: unknown } | null;
    const id = view?.ticketId ?? view?.id;
    if (typeof id === 'string' && id.startsWith('tkt_')) committedAt.set(id, performance.timeOrigin + performance.now());
    return result;
  },
};
const deps: QueueServiceDeps = { database, clock: systemClock, config, logger: pino({ level: 'warn' }), outboxSignal: new Signal() };
const app = await buildQueueApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
// DELIVERY_DISPATCHER=thread: the dispatcher in a worker thread of its own, as `queuebell start`
// runs it (docs/design.md §Workers), woken by the API's commits; otherwise on this event loop.
const dispatcher = process.env.DELIVERY_DISPATCHER === 'thread' ? await startDispatcherThread() : await startDispatcherHere();

async function startDispatcherHere(): Promise<{ stop(): Promise<void> }> {
  const here = new Dispatcher(deps);
  await here.start();
  return here;
}

async function startDispatcherThread(): Promise<{ stop(): Promise<void> }> {
  const thread = await superviseThread({
    name: 'dispatcher',
    entry: threadEntry(import.meta.url, '../../src/queue-service/worker-thread'),
    data: { part: 'dispatcher', config: { ...config, databaseUrl: join(dataDir, 'queue-service.sqlite') } } satisfies QueueThreadData,
    logger: deps.logger,
  });
  deps.outboxSignal.subscribe(() => thread.wake());
  return thread;
}
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const counter = process.env.DELIVERY_COUNTER === '1';
const { key, queueId, endpointId, tokens } = await seedBenchCompany(apiCaller(url), {
  scopes: counter ? ['booking', 'operator'] : ['booking'],
  webhookUrl: process.env.DELIVERY_RECEIVER_URL,
  ...(process.env.DELIVERY_WEBHOOK_SECRET ? { webhookSecret: process.env.DELIVERY_WEBHOOK_SECRET } : {}),
  ...(counter ? { openCounter: true, queueSettings: { alertPositions: [] } } : {}),
  // A person holds one open ticket: with 32 users each held hundreds, and bookings grew dearer over a run (bench-company.ts).
  users: 1000,
});

// How long the one event loop (API, dispatcher, SQLite) was stalled: what a delivery waiting in it waits for.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    committedAt.clear();
    loopDelay.reset();
    loopDelay.enable();
    process.send?.({ type: 'reset', reply: true });
  }
  if (message.type === 'commits') {
    loopDelay.disable();
    process.send?.({
      type: 'commits',
      reply: { commits: [...committedAt], loopDelayP99: loopDelay.percentile(99) / 1e6, loopDelayMax: loopDelay.max / 1e6 },
    });
  }
});
process.send?.({ ready: true, url, key, queueId, endpointId, tokens });
process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await dispatcher.stop();
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
