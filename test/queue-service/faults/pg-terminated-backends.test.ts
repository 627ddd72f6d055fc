/**
 * PostgreSQL dropping connections under load (docs/design.md §Faults): a real queue service process
 * (API and worker, `queue-service --role all`) takes bookings and delivers them to a receiver while
 * the test terminates every backend of its database again and again. The process must never exit,
 * every booking it acknowledged must be delivered in the end, and /readyz must say ready afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openQueueDatabase } from '../../../src/queue-service/db/connect.js';
import { createTestDatabase, enginesUnderTest, type TestDatabase } from '../../support/engines.js';
import { ApiClient } from '../support/api-client.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { expectStatus, type QueueHarness } from '../support/harness.js';
import { waitUntilSettled } from '../dispatch/support/delivery-properties.js';
import { startServiceProcess, type ServiceProcess } from '../dispatch/support/processes.js';
import { TestReceiver } from '../dispatch/support/receiver.js';
import { bookWhileRetrying, expectReadyWithin, freePort, sleep, type Booked, expectEveryBookingDelivered } from './support.js';

const DISPATCH = { leaseMs: 1_500, pollIntervalMs: 250, connectTimeoutMs: 1_000, responseTimeoutMs: 1_000, graceMs: 1_000 };
const TICKETS = 40;

describe.skipIf(!enginesUnderTest().includes('postgres'))('the queue service when PostgreSQL terminates its connections', () => {
  let database: TestDatabase;
  let service: ServiceProcess;
  let receiver: TestReceiver;
  let api: ApiClient;
  let company: TestCompany;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    receiver = await TestReceiver.start();
    service = await startServiceProcess({
      role: 'all',
      databaseUrl: database.target,
      dispatch: DISPATCH,
      env: { QUEUEBELL_QUEUE_PORT: String(await freePort()) },
    });
    api = new ApiClient(service.url!);
    company = await setUpCompany(api as unknown as QueueHarness);
    expectStatus(await api.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
    expectStatus(await api.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);
    admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.end().catch(() => {});
    await service?.kill();
    await receiver?.close();
    await database?.drop();
  });

  it('never exits, delivers every acknowledged booking and is ready afterwards', async () => {
    const databaseName = new URL(database.target).pathname.slice(1);
    let booking = true;
    let rounds = 0;
    let terminated = 0;
    // Terminations stop after a while even if bookings are still going, so that on a slow machine a
    // booking that keeps losing its connection gets through in the end instead of giving up.
    const stopTerminatingAt = Date.now() + 15_000;
    const terminator = (async () => {
      while ((booking && Date.now() < stopTerminatingAt) || rounds < 10) {
        await sleep(100 + Math.random() * 300);
        const result = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [databaseName],
        );
        rounds += 1;
        terminated += result.rowCount ?? 0;
      }
    })();
    let booked: Booked;
    try {
      booked = await bookWhileRetrying(api, company, { count: TICKETS, concurrency: 4, giveUpMs: 60_000 });
    } finally {
      booking = false;
      await terminator;
    }
    // A process that died shows first as requests without an answer; give its exit a moment to be seen.
    if (booked.otherFailures.length > 0) await sleep(500);

    expect(service.child.exitCode, service.output.join('')).toBeNull();
    expect(service.child.signalCode).toBeNull();
    expect(booked.otherFailures, 'answers other than 201 and 503').toEqual([]);
    expect(booked.ids).toHaveLength(TICKETS);
    expect(terminated, 'backends terminated').toBeGreaterThan(10);
    expect(booked.refused.length, 'no 503 while connections were dropped: did the terminations reach the service?').toBeGreaterThan(0);
    expect(
      booked.refused
        .filter((reply) => reply.body?.error?.code !== 'STORAGE_UNAVAILABLE' || !reply.headers.get('retry-after'))
        .map((reply) => reply.text),
    ).toEqual([]);

    await expectReadyWithin(api, 5_000);
    const db = openQueueDatabase(database.target, 2);
    try {
      await waitUntilSettled(db.db, 30_000);
    } finally {
      await db.close();
    }
    expectEveryBookingDelivered(receiver, booked.ids);
    expect(service.output.join(''), 'the process reported an unhandled error').not.toMatch(/Unhandled|uncaught/i);
    if (process.env.SHOW_OUTPUT) console.log(service.output.join('').slice(0, 8000), service.output.join('').length);
    console.log(
      `pg terminated backends: ${rounds} rounds, ${terminated} backends, ${booked.refused.length} requests answered 503 and retried`,
    );
  }, 120_000);
});
