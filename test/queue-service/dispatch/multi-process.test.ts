/**
 * Delivery across processes, with real clocks: two workers sharing one PostgreSQL database, a
 * worker woken by NOTIFY from another process, and the crash-safety test — the
 * delivering process SIGKILLed at random moments while ticket changes stream in through the API.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/platform/clock.js';
import type { Engine } from '../../../src/platform/db/database.js';
import { openQueueDatabase, type QueueDatabase } from '../../../src/queue-service/db/connect.js';
import { createTestDatabase, describeEachEngine, enginesUnderTest, type TestDatabase } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { ApiClient } from '../support/api-client.js';
import { checkDeliveryProperties, waitUntilSettled } from './support/delivery-properties.js';
import { startServiceProcess, type ServiceProcess } from './support/processes.js';
import { TestReceiver } from './support/receiver.js';
import { streamTicketChanges } from './support/ticket-stream.js';

/** Short leases so a killed worker's claims come back within the test; fast polling as the fallback. */
const DISPATCH = { leaseMs: 1_500, pollIntervalMs: 250, connectTimeoutMs: 1_000, responseTimeoutMs: 1_000, graceMs: 1_000 };
const RATE_LIMITS = { QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '10000000', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '10000000' };

/** Points the company's messages at `receiver` only. */
async function routeTo(api: Pick<ApiClient, 'admin'>, company: TestCompany, receiver: TestReceiver): Promise<void> {
  expectStatus(await api.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
  expectStatus(await api.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);
}

/** The API in this process with the real clock (the worker processes have it too). */
async function liveHarness(engine: Engine): Promise<QueueHarness> {
  const h = await QueueHarness.start(engine, RATE_LIMITS);
  h.deps.clock = systemClock;
  return h;
}

const slowly = () => ({ kind: 'slow' as const, delayMs: Math.floor(Math.random() * 20) });

describe.skipIf(!enginesUnderTest().includes('postgres'))('worker processes on PostgreSQL', () => {
  let h: QueueHarness;
  let company: TestCompany;
  let receiver: TestReceiver;
  const workers: ServiceProcess[] = [];
  beforeAll(async () => {
    h = await liveHarness('postgres');
    company = await setUpCompany(h);
    receiver = await TestReceiver.start();
    await routeTo(h, company, receiver);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await receiver.close();
    await h.close();
  });

  it('wake on NOTIFY from the process that committed the change, not on their poll', async () => {
    const worker = await startServiceProcess({
      role: 'worker',
      databaseUrl: h.deps.config.databaseUrl,
      dispatch: { ...DISPATCH, pollIntervalMs: 600_000 },
    });
    workers.push(worker);
    const api = new ApiClient(h.url);
    await streamTicketChanges(api, company, { tickets: 1, concurrency: 1, pauseMs: 0 });
    await receiver.waitFor(() => receiver.requests.length > 0, 'a delivery woken by NOTIFY', 10_000);
    await worker.stop();
    expect(worker.child.exitCode).toBe(0);
  });

  it('share the work: every message delivered once, in order per ticket', async () => {
    receiver.behave(slowly);
    const before = receiver.delivered().length;
    workers.push(
      await startServiceProcess({ role: 'worker', databaseUrl: h.deps.config.databaseUrl, dispatch: { ...DISPATCH, leaseMs: 30_000 } }),
      await startServiceProcess({ role: 'worker', databaseUrl: h.deps.config.databaseUrl, dispatch: { ...DISPATCH, leaseMs: 30_000 } }),
    );
    const [first, second] = workers.slice(-2) as [ServiceProcess, ServiceProcess];
    await streamTicketChanges(new ApiClient(h.url), company, { tickets: 40, concurrency: 6, pauseMs: 15 });
    await waitUntilSettled(h.db, 20_000);
    const report = await checkDeliveryProperties(h.db, receiver, []);
    expect(report.duplicates).toEqual([]);
    expect(report.byStatus.delivered).toBeGreaterThanOrEqual(41);
    const [a, b] = await Promise.all([first.stats(), second.stats()]);
    expect(a.claimed).toBeGreaterThan(0);
    expect(b.claimed).toBeGreaterThan(0);
    expect(a.delivered + b.delivered).toBe(receiver.delivered().length - before);
  });
});

describeEachEngine('crash safety', (engine) => {
  let receiver: TestReceiver;
  let db: QueueDatabase;
  let api: ApiClient;
  let company: TestCompany;
  let harness: QueueHarness | null = null;
  let sqliteFile: TestDatabase | null = null;
  let port = 0;
  let service: ServiceProcess;

  // SQLite is embedded: its one process serves the API and delivers, so that whole process dies.
  // PostgreSQL: the API stays up in this process and only the worker process dies.
  const start = () =>
    engine === 'sqlite'
      ? startServiceProcess({
          role: 'all',
          databaseUrl: sqliteFile!.target,
          dispatch: DISPATCH,
          env: { QUEUEBELL_QUEUE_PORT: String(port) },
        })
      : startServiceProcess({ role: 'worker', databaseUrl: harness!.deps.config.databaseUrl, dispatch: DISPATCH });

  beforeAll(async () => {
    receiver = await TestReceiver.start();
    if (engine === 'sqlite') {
      sqliteFile = await createTestDatabase('sqlite');
      port = await freePort();
      service = await start();
      api = new ApiClient(service.url!);
      db = openQueueDatabase(sqliteFile.target);
    } else {
      harness = await liveHarness('postgres');
      api = new ApiClient(harness.url);
      db = harness.deps.database;
      service = await start();
    }
    company = await setUpCompany(api as unknown as QueueHarness);
    await routeTo(api, company, receiver);
  });
  afterAll(async () => {
    await service.kill();
    await receiver.close();
    if (harness) await harness.close();
    else {
      await db.close();
      await sqliteFile!.drop();
    }
  });

  it('loses nothing, keeps per-ticket order, and duplicates only what a kill explains', async () => {
    receiver.behave(slowly);
    const kills: number[] = [];
    let streaming = true;
    const stream = streamTicketChanges(api, company, { tickets: 30, concurrency: 4, pauseMs: 40 }).finally(() => {
      streaming = false;
    });
    // A failed stream is reported by the `await stream` below, not as an unhandled rejection meanwhile.
    stream.catch(() => {});
    // At least 4 kills, at most 8: on a slow machine a restart takes seconds, and killing for as
    // long as the stream runs could keep the service down for longer than the stream waits.
    while (kills.length < 4 || (streaming && kills.length < 8)) {
      await sleep(250 + Math.random() * 700);
      kills.push(Date.now());
      await service.kill();
      await sleep(50 + Math.random() * 200);
      service = await start();
    }
    await stream;
    await waitUntilSettled(db.db, 20_000);
    const report = await checkDeliveryProperties(db.db, receiver, kills);
    expect(kills.length).toBeGreaterThanOrEqual(4);
    expect(report.byStatus.delivered).toBeGreaterThanOrEqual(30);
    console.log(
      `crash safety [${engine}]: ${kills.length} kills, ${report.messages} messages ${JSON.stringify(report.byStatus)}, ${report.receipts} receipts, ${report.duplicates.length} duplicated ids`,
    );
    // Bounded by the stream of 30 tickets, not by the clock; each restart is a process start, which
    // takes seconds on a slow or loaded machine (SQLite alone took 33–45 s on a 2-vCPU VM).
  }, 180_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
