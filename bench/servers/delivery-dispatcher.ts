/**
 * The system under test of the delivery-throughput benchmark, in its own process, on the database
 * DELIVERY_DATABASE_URL (an SQLite file by default). `prepare` fills it with a backlog of pending
 * webhook messages of realistic size for one destination; `deliver` — best in a fresh process, so
 * its memory is the dispatcher's and not the filler's — runs one dispatcher until all of them are
 * delivered: claims, HMAC signatures, keep-alive POSTs and attempt records included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { newSortableId } from '../../src/platform/ids.js';
import { Signal } from '../../src/platform/signal.js';
import { createWebhook } from '../../src/queue-service/admin/webhooks.js';
import { insertMessages } from '../../src/queue-service/db/queries/messages.js';
import { migrateQueueDatabase, openQueueDatabase } from '../../src/queue-service/db/connect.js';
import type { NewMessage } from '../../src/queue-service/db/schema.js';
import type { QueueServiceDeps } from '../../src/queue-service/deps.js';
import { Dispatcher } from '../../src/queue-service/dispatch/dispatcher.js';

const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-delivery-bench-'));
const target = process.env.DELIVERY_DATABASE_URL || join(dataDir, 'queue-service.sqlite');
const database = openQueueDatabase(target);
await migrateQueueDatabase(database);
const config = {
  ...loadConfig({ QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', QUEUEBELL_LOG_LEVEL: 'warn' }),
  adminToken: 'bench-admin-token-0123456789',
  masterKey: 'bench-master-key-0123456789abcdef0123456789',
};
const deps: QueueServiceDeps = { database, clock: systemClock, config, logger: pino({ level: 'warn' }), outboxSignal: new Signal() };
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** A message body shaped and sized like a real one: the whole ticket view travels in it. */
function body(ticketId: string, pushId: string, at: string): string {
  return JSON.stringify({
    pushId,
    message: {
      action: 'TICKET_BOOKED',
      content: 'Ticket A042 is booked in Accounts. 7 people are ahead of you; your turn is expected around 10:24.',
      data: {
        id: ticketId,
        label: 'A042',
        state: 0,
        companyId: 'cmp_bench',
        placeId: 'plc_bench',
        queueId: 'que_bench',
        queueName: 'Accounts',
        lang: 'en_US',
        groupSize: 1,
        source: null,
        isAnAppointment: false,
        bookedFor: null,
        appointmentTypeId: null,
        userData: { name: 'Ana Martin', phone: null, mail: null },
        notifications: { pushId, sendClientPush: true, sendClientSms: false, sendClientMail: false },
        endpoint: null,
        recallCount: 0,
        ticketPosition: { queue: { tickets: 7, people: 9 }, endpoint: { tickets: 7, people: 9 } },
        timeline: {
          bookedAt: at,
          estimatedFor: at,
          toConfirmAt: null,
          alertedAt: null,
          calledAt: null,
          onHoldAt: null,
          noShowAt: null,
          inProgressAt: null,
          canceledAt: null,
          doneAt: null,
          updatedAt: at,
        },
        rating: null,
      },
    },
  });
}

/** `holdUntil` (epoch ms): the backlog becomes due only then, so workers can be started first and released together. */
async function prepare(receiverUrl: string, count: number, holdUntil?: number) {
  const now = Date.now();
  await database.db.insertInto('companies').values({ id: 'cmp_bench', name: 'Bench', created_at: now }).execute();
  const webhook = await createWebhook(deps, 'cmp_bench', { url: receiverUrl });
  const at = new Date(now).toISOString();
  for (let start = 0; start < count; start += 500) {
    const rows: NewMessage[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const ticketId = `tkt_bench${String(i).padStart(7, '0')}`;
      rows.push({
        id: newSortableId('msg', now),
        company_id: 'cmp_bench',
        ticket_id: ticketId,
        queue_id: 'que_bench',
        channel: 'webhook',
        destination_id: webhook.id,
        recipient: `push-${i}`,
        action: 'TICKET_BOOKED',
        ticket_version: 1,
        body: body(ticketId, `push-${i}`, at),
        status: 'pending',
        created_at: now,
        deliver_by: now + 3_600_000,
        next_attempt_at: holdUntil ?? now,
        attempt_count: 0,
        last_error: null,
        delivered_at: null,
        lease_owner: null,
        lease_expires_at: null,
      });
    }
    await insertMessages(database.db, rows);
  }
  return { inserted: count, bodyBytes: body('tkt_bench0000000', 'push-0', at).length };
}

async function deliver(count: number) {
  const rssAtStart = process.memoryUsage().rss;
  let rssPeak = 0;
  let heapPeak = 0;
  const sample = setInterval(() => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  }, 50);
  const dispatcher = new Dispatcher(deps, JSON.parse(process.env.DELIVERY_DISPATCH ?? '{}'));
  // DELIVERY_PROFILE=file.cpuprofile: a CPU profile of the delivery phase alone, for finding what to improve.
  const profiler = process.env.DELIVERY_PROFILE ? new Session() : null;
  profiler?.connect();
  await profiler?.post('Profiler.enable');
  await profiler?.post('Profiler.start');
  const cpu = process.cpuUsage();
  const started = performance.now();
  await dispatcher.start();
  while (dispatcher.stats.delivered + dispatcher.stats.notDelivered < count) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  if (profiler) writeFileSync(process.env.DELIVERY_PROFILE!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  await dispatcher.stop();
  clearInterval(sample);
  const delivered = await database.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'delivered')
    .executeTakeFirstOrThrow();
  return {
    seconds,
    rate: count / seconds,
    cpuMicrosPerMessage: (used.user + used.system) / count,
    delivered: Number(delivered.n),
    notDelivered: dispatcher.stats.notDelivered,
    rssAtStartMB: mb(rssAtStart),
    rssPeakMB: mb(rssPeak),
    heapPeakMB: mb(heapPeak),
  };
}

process.on('message', (message: { type: string; receiverUrl: string; count: number; holdUntil?: number }) => {
  const work =
    message.type === 'prepare'
      ? prepare(message.receiverUrl, message.count, message.holdUntil)
      : message.type === 'deliver'
        ? deliver(message.count)
        : null;
  void work?.then(
    (reply) => process.send?.({ type: message.type, reply }),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on(
  'SIGTERM',
  () =>
    void database.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }),
);
process.send?.({ ready: true });
