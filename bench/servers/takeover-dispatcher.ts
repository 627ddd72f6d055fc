/**
 * One dispatcher in its own process on the PostgreSQL database TAKEOVER_DATABASE_URL, tuned by
 * TAKEOVER_DISPATCH (JSON dispatcher options): the takeover benchmark runs two and SIGKILLs one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { Signal } from '../../src/platform/signal.js';
import { openQueueDatabase } from '../../src/queue-service/db/connect.js';
import type { QueueServiceDeps } from '../../src/queue-service/deps.js';
import { Dispatcher } from '../../src/queue-service/dispatch/dispatcher.js';

const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-takeover-bench-'));
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const database = openQueueDatabase(process.env.TAKEOVER_DATABASE_URL!);
const config = {
  ...loadConfig({ QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', QUEUEBELL_LOG_LEVEL: 'warn' }),
  adminToken: 'bench-admin-token-0123456789',
  masterKey: 'bench-master-key-0123456789abcdef0123456789',
};
const deps: QueueServiceDeps = { database, clock: systemClock, config, logger: pino({ level: 'warn' }), outboxSignal: new Signal() };
const dispatcher = new Dispatcher(deps, JSON.parse(process.env.TAKEOVER_DISPATCH ?? '{}'));
await dispatcher.start();

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', reply: dispatcher.stats });
});
process.on('SIGTERM', () => void dispatcher.stop().then(() => database.close().then(() => process.exit(0))));
process.send?.({ ready: true, workerId: dispatcher.options.workerId });
