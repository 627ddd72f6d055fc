/**
 * The system under test of the delivery-latency benchmark, in its own process: the queue service
 * as `queuebell start` runs it — API and dispatcher in one process on a fresh SQLite database, the
 * same parts main.ts wires — seeded with a company whose one webhook destination is the
 * benchmark's receiver (DELIVERY_RECEIVER_URL). Every booking is a committed change that must reach
 * the receiver; the moment each booking's transaction committed is noted, per ticket id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { Signal } from '../../src/platform/signal.js';
import { buildQueueApp } from '../../src/queue-service/app.js';
import { migrateQueueDatabase, openQueueDatabase, type QueueDatabase } from '../../src/queue-service/db/connect.js';
import type { QueueServiceDeps } from '../../src/queue-service/deps.js';
import { Dispatcher } from '../../src/queue-service/dispatch/dispatcher.js';

const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-delivery-bench-'));
const adminToken = 'bench-admin-token-0123456789';
const config = {
  ...loadConfig({
    QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', QUEUEBELL_LOG_LEVEL: 'warn',
    QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
  }),
  adminToken, masterKey: 'bench-master-key-0123456789abcdef0123456789',
};

/** Ticket id → when the transaction that booked it committed (epoch ms, sub-millisecond). */
const committedAt = new Map<string, number>();
const opened = openQueueDatabase(join(dataDir, 'queue-service.sqlite'));
await migrateQueueDatabase(opened);
const database: QueueDatabase = {
  ...opened,
  async transaction(work) {
    const result = await opened.transaction(work);
    const id = (result as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id.startsWith('tkt_')) committedAt.set(id, performance.timeOrigin + performance.now());
    return result;
  },
};
const deps: QueueServiceDeps = { database, clock: systemClock, config, logger: pino({ level: 'warn' }), outboxSignal: new Signal() };
const app = await buildQueueApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
const dispatcher = new Dispatcher(deps);
await dispatcher.start();
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url + path, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
const admin = { authorization: `Bearer ${adminToken}` };

const company = await call('POST', '/admin/companies', { name: 'Bench' }, admin);
const { key } = await call('POST', `/admin/companies/${company.id}/keys`, { scopes: ['booking'] }, admin);
const place = await call('POST', `/admin/companies/${company.id}/places`, { name: 'Bench place', timeZone: 'Europe/Paris' }, admin);
const queue = await call('POST', `/admin/places/${place.id}/queues`, { name: 'Bench queue' }, admin);
await call('POST', `/admin/companies/${company.id}/webhooks`, { url: process.env.DELIVERY_RECEIVER_URL }, admin);
const tokens: string[] = [];
for (let i = 0; i < 32; i++) tokens.push((await call('POST', '/v2/users', undefined, { 'x-api-key': key })).jwtToken);

// How long the one event loop (API, dispatcher, SQLite) was stalled: what a delivery waiting in it waits for.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    loopDelay.reset();
    loopDelay.enable();
    process.send?.({ type: 'reset', reply: true });
  }
  if (message.type === 'commits') {
    loopDelay.disable();
    process.send?.({ type: 'commits', reply: { commits: [...committedAt], loopDelayP99: loopDelay.percentile(99) / 1e6, loopDelayMax: loopDelay.max / 1e6 } });
  }
});
process.send?.({ ready: true, url, key, queueId: queue.id, tokens });
process.on('SIGTERM', () => {
  void (async () => {
    await app.close();
    await dispatcher.stop();
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
