/**
 * The push server under test, in its own process: the same parts startPushServer assembles
 * (database, HTTP app, worker, providers), with IPC hooks the bench needs — set up an app with many
 * devices without timing it, seed push jobs, and start the worker at a chosen moment.
 * PUSH_BENCH_WORKER=now starts the worker at once on this thread (role all), =thread in a worker
 * thread (the default layout of `queuebell start`); otherwise on the 'startWorker' message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { buildPushApp } from '../../src/push-server/app.js';
import { createApp, type ApnsInput } from '../../src/push-server/apps/app-operations.js';
import { setSourceReceipts } from '../../src/push-server/apps/source-receipts.js';
import { createSource } from '../../src/push-server/apps/sources.js';
import { migratePushDatabase, openPushDatabase } from '../../src/push-server/db/connect.js';
import { countJobsByStatus } from '../../src/push-server/db/queries/push-jobs.js';
import { receiptsBacklog } from '../../src/push-server/db/queries/receipts.js';
import { createPushDeps } from '../../src/push-server/deps.js';
import { createProviders } from '../../src/push-server/providers/index.js';
import { PushWorker } from '../../src/push-server/push/worker.js';
import { ReceiptSender } from '../../src/push-server/receipts/sender.js';
import { startPushBackground } from '../../src/push-server/main.js';
import { registerNewPushId } from '../../src/push-server/registration/registration.js';

const BENCH_PUSH_MASTER_KEY = 'bench-master-key-0123456789-0123456789';
const BENCH_PUSH_ADMIN_TOKEN = 'bench-admin-token-0123';
const target = process.env.PUSH_BENCH_DATABASE ?? join(mkdtempSync(join(tmpdir(), 'qb-push-bench-')), 'push.sqlite');
const database = openPushDatabase(target);
await migratePushDatabase(database);
const logger = createLogger('push-bench', process.env.QUEUEBELL_LOG_LEVEL ?? 'warn');
const deps = createPushDeps({
  database,
  logger,
  masterKey: BENCH_PUSH_MASTER_KEY,
  adminToken: BENCH_PUSH_ADMIN_TOKEN,
  allowPrivateEndpoints: true,
});
/**
 * When each ticket's message was verified and handed to the writer (epoch ms), for the end-to-end
 * bench's halves; only with PUSH_BENCH_TRACK_INGEST=1.
 */
const ingestedAt = new Map<string, number>();
if (process.env.PUSH_BENCH_TRACK_INGEST === '1') {
  const write = deps.ingest.write.bind(deps.ingest);
  deps.ingest.write = (item) => {
    if (!ingestedAt.has(item.ticket.id)) ingestedAt.set(item.ticket.id, performance.timeOrigin + performance.now());
    return write(item);
  };
}
const app = await buildPushApp(deps);
await app.listen({ port: 0, host: '127.0.0.1' });
let worker: PushWorker | null = null;
let receipts: ReceiptSender | null = null;
const startWorker = () => {
  worker ??= new PushWorker({ ...deps, providers: createProviders({ allowPrivateEndpoints: true }) });
  void worker.start();
  deps.ingest.attach(worker);
  // As startPushServer runs it: idle (one poll a quarter second) when no source takes receipts.
  receipts ??= new ReceiptSender(deps);
  void receipts.start();
};
/**
 * PUSH_BENCH_WORKER=thread: the push worker in a worker thread of its own, with its own connection
 * to the same database, as `queuebell start` runs it (docs/design.md §Workers); ingest wakes it.
 */
async function startWorkerThread(): Promise<void> {
  const config = {
    ...loadConfig({
      QUEUEBELL_DATA_DIR: dirname(target),
      QUEUEBELL_PUSH_DATABASE_URL: target,
      QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
      QUEUEBELL_LOG_LEVEL: process.env.QUEUEBELL_LOG_LEVEL ?? 'warn',
    }),
    adminToken: BENCH_PUSH_ADMIN_TOKEN,
    masterKey: BENCH_PUSH_MASTER_KEY,
  };
  await startPushBackground(deps, { config, role: 'all', threads: true, logger });
}
if (process.env.PUSH_BENCH_WORKER === 'now') startWorker();
if (process.env.PUSH_BENCH_WORKER === 'thread') await startWorkerThread();

const SEED_CHUNK = 1000;

interface Setup {
  type: 'setup';
  provider: 'apns' | 'webpush';
  count: number;
  apns: ApnsInput;
  vapid?: { publicKey: string; privateKey: string };
  subscriptions?: object[];
}
interface Seed {
  type: 'seed';
  appId: string;
  sourceId: string;
  pushIds: string[];
  count: number;
}
interface Receipts {
  type: 'receipts';
  appId: string;
  sourceId: string;
  url: string;
}
type Request =
  | Setup
  | Seed
  | Receipts
  | { type: 'startWorker' }
  | { type: 'jobs' }
  | { type: 'receiptsWaiting' }
  | { type: 'ingests'; reset?: boolean }
  | { type: 'loopDelay'; reset?: boolean };

/** Event-loop stalls explain latency tails: the bench reads them after a run. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

process.on('message', async (message: Request) => {
  const reply = (value: unknown) => process.send?.({ type: message.type, reply: value });
  if (message.type === 'setup') return reply(await setup(message));
  if (message.type === 'seed') return reply(await seed(message));
  if (message.type === 'startWorker') {
    startWorker();
    return reply(true);
  }
  if (message.type === 'jobs') return reply(await countJobsByStatus(deps.db));
  if (message.type === 'receipts') return reply(await setSourceReceipts(deps, message.appId, message.sourceId, { url: message.url }));
  if (message.type === 'receiptsWaiting') return reply(await receiptsBacklog(deps.db));
  if (message.type === 'ingests') {
    const entries = [...ingestedAt];
    if (message.reset) ingestedAt.clear();
    return reply(entries);
  }
  if (message.type === 'loopDelay') {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const stats = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
    if (message.reset) loopDelay.reset();
    return reply(stats);
  }
});

async function setup(message: Setup) {
  const created = await createApp(deps, {
    name: 'bench',
    titles: { default: 'Your ticket' },
    apns: message.apns,
    ...(message.vapid ? { webpush: { ...message.vapid, subject: 'mailto:bench@example.com' } } : {}),
  });
  const source = await createSource(deps, created.appId, 'bench');
  const pushIds: string[] = [];
  for (let i = 0; i < message.count; i += 1) {
    const device =
      message.provider === 'apns'
        ? { provider: 'apns' as const, token: i.toString(16).padStart(64, '0'), environment: 'production' as const }
        : { provider: 'webpush' as const, subscription: message.subscriptions![i] as never };
    pushIds.push((await registerNewPushId({ ...deps }, created.appId, device)).pushId);
  }
  return { appId: created.appId, sourceId: source.sourceId, secret: source.secret, vapidPublicKey: created.vapidPublicKey, pushIds };
}

/**
 * Writes messages through the same group-commit writer ingest uses, without HTTP, a thousand at a
 * time as a stream of requests would: the seed is not the worker's memory to measure.
 */
async function seed(message: Seed) {
  const deliverBy = Date.now() + 3600_000;
  let written = 0;
  for (let start = 0; start < message.count; start += SEED_CHUNK) {
    const end = Math.min(message.count, start + SEED_CHUNK);
    written += (await Promise.all(Array.from({ length: end - start }, (_, i) => write(start + i)))).length;
  }
  return written;

  function write(i: number) {
    return deps.ingest.write({
      appId: message.appId,
      sourceId: message.sourceId,
      webhookId: `seed_${i}`,
      pushId: message.pushIds[i % message.pushIds.length]!,
      action: 'TICKET_CALLED',
      content: `Ticket A${i % 1000}, it's your turn: please go to counter 3.`,
      ticket: { id: `tkt_seed_${i}`, label: `A${i % 1000}`, state: 200, counter: 'Counter 3', lang: 'en_US' },
      deliverBy,
    });
  }
}

process.send?.({ ready: true, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
process.on(
  'SIGTERM',
  () =>
    void (async () => {
      await app.close();
      await worker?.stop();
      await receipts?.stop();
      await database.close();
      process.exit(0);
    })(),
);
