import { CompiledQuery } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { applyJobUpdates, claimPushJobs } from '../../src/push-server/db/queries/push-jobs.js';
import type { ClaimedPush } from '../../src/push-server/push/local-dispatch.js';
import { runMaintenance } from '../../src/push-server/push/maintenance.js';
import { describeEachEngine } from '../support/engines.js';
import {
  allDelivered,
  allSettled,
  apnsToken,
  createAppOnFakes,
  messageBody,
  postSigned,
  registerDevice,
  startTestPushServer,
  waitForPushes,
  type TestApp,
  type TestPushServer,
} from './support.js';

describeEachEngine('the push worker', (engine) => {
  let fakes: FakePushProviders;
  let server: TestPushServer;
  let app: TestApp;
  const extra: TestPushServer[] = [];
  let n = 0;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    server = await startTestPushServer(engine);
    app = await createAppOnFakes(server, fakes);
  });
  afterEach(async () => {
    await server.worker?.stop();
    server.worker = null;
    for (const other of extra.splice(0)) await other.close();
    fakes.apns.control.delayMs = 0;
    server.clock.offset = 0;
    fakes.apns.control.clearRules();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  const newApnsDevice = () => registerDevice(server, app, { provider: 'apns', token: apnsToken(0x7000 + ++n), environment: 'production' });
  const jobOf = (pushId: string) =>
    server.deps.db.selectFrom('push_jobs').selectAll().where('push_id', '=', pushId).executeTakeFirstOrThrow();

  it('takes back a job whose worker died once its lease runs out, and delivers it', async () => {
    const { pushId } = await newApnsDevice();
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    const crashed = await claimPushJobs(server.deps.db, { now: server.clock.now(), limit: 100, leaseMs: 5_000 });
    expect(crashed.map((job) => job.push_id)).toContain(pushId);
    expect(await claimPushJobs(server.deps.db, { now: server.clock.now(), limit: 100, leaseMs: 5_000 })).toEqual([]);
    server.startWorker();
    server.clock.advance(6_000);
    server.deps.signal.notify();
    const results = await waitForPushes(server, pushId, allSettled);
    expect(results.messages[0].pushes[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('hands pushes written by its own ingest to the local worker, claimed as they are written', async () => {
    const { pushId } = await newApnsDevice();
    const handed: ClaimedPush[] = [];
    server.deps.ingest.attach({
      leaseMs: 60_000,
      workerId: 'pwk_test',
      reserve: (count) => count,
      release: () => {},
      dispatch: (pushes) => handed.push(...pushes),
    });
    await postSigned(server, app.appId, app.secret, messageBody(pushId, { ticketId: 'tkt_handed' }));
    server.deps.ingest.attach(null);
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatchObject({
      job: { push_id: pushId, status: 'sending', attempts: 1 },
      device: { push_id: pushId, provider: 'apns' },
      message: { action: 'TICKET_CALLED' },
    });
    expect(await jobOf(pushId)).toMatchObject({
      id: handed[0]!.job.id,
      status: 'sending',
      attempts: 1,
      available_at: handed[0]!.job.available_at,
    });
  });

  it('takes back a handed-over push whose process died before sending it, once the lease runs out', async () => {
    const { pushId } = await newApnsDevice();
    server.deps.ingest.attach({ leaseMs: 5_000, workerId: 'pwk_died', reserve: (count) => count, release: () => {}, dispatch: () => {} });
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    server.deps.ingest.attach(null);
    expect(await jobOf(pushId)).toMatchObject({ status: 'sending', attempts: 1 });
    server.startWorker();
    server.deps.ingest.attach(null);
    server.clock.advance(6_000);
    server.deps.signal.notify();
    const results = await waitForPushes(server, pushId, allSettled);
    expect(results.messages[0].pushes[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('ignores the late result of a claim that was taken over', async () => {
    const { pushId } = await newApnsDevice();
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    const [first] = await claimPushJobs(server.deps.db, { now: server.clock.now(), limit: 1, leaseMs: 1 });
    const [second] = await claimPushJobs(server.deps.db, { now: server.clock.now() + 10, limit: 1, leaseMs: 60_000 });
    expect(second!.id).toBe(first!.id);
    const stale = {
      id: first!.id,
      attempts: first!.attempts,
      status: 'delivered' as const,
      availableAt: 0,
      finishedAt: 1,
      lastStatus: 200,
      lastReason: null,
    };
    expect(await applyJobUpdates(server.deps.db, [stale], server.clock.now())).toBe(0);
    expect(await applyJobUpdates(server.deps.db, [{ ...stale, attempts: second!.attempts }], server.clock.now())).toBe(1);
  });

  it('finishes and records the pushes in flight when it is stopped', async () => {
    fakes.apns.control.delayMs = 300;
    const { pushId } = await newApnsDevice();
    const worker = server.startWorker();
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    await waitForPushes(server, pushId, (pushes) => pushes[0]?.status === 'sending');
    await worker.stop();
    expect((await jobOf(pushId)).status).toBe('delivered');
  });

  it('lets two workers share the queue without sending any push twice', async () => {
    const other = await startTestPushServer(engine, { database: server.testDb });
    extra.push(other);
    const pushIds: string[] = [];
    for (let i = 0; i < 40; i += 1) pushIds.push((await newApnsDevice()).pushId);
    const before = fakes.apns.control.received.length;
    await Promise.all(
      pushIds.map((pushId) => postSigned(server, app.appId, app.secret, messageBody(pushId, { ticketId: `tkt_${pushId}` }))),
    );
    server.startWorker({ batchSize: 3 });
    other.startWorker({ batchSize: 3 });
    for (const pushId of pushIds) await waitForPushes(server, pushId, allDelivered(1));
    const tokens = fakes.apns.control.received.slice(before).map((d) => d.token);
    expect(tokens).toHaveLength(40);
    expect(new Set(tokens).size).toBe(40);
  });

  it.runIf(engine === 'postgres')('wakes a worker in another process through LISTEN/NOTIFY, not by polling', async () => {
    const other = await startTestPushServer(engine, { database: server.testDb });
    extra.push(other);
    // With a ten-minute poll, only the notification can make this delivery happen within the test.
    await other.startWorker({ pollIntervalMs: 600_000 }).start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { pushId } = await newApnsDevice();
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    await waitForPushes(server, pushId, allDelivered(1));
  });

  it.runIf(engine === 'postgres')('listens again after its notification connection is killed', async () => {
    const other = await startTestPushServer(engine, { database: server.testDb });
    extra.push(other);
    await other.startWorker({ pollIntervalMs: 600_000, listenRetryMs: 50 }).start();
    await server.deps.db.executeQuery(
      CompiledQuery.raw(
        `select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN %' and datname = current_database()`,
        [],
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { pushId } = await newApnsDevice();
    await postSigned(server, app.appId, app.secret, messageBody(pushId));
    await waitForPushes(server, pushId, allDelivered(1));
    expect(other.logs.some((line) => line.includes('the connection listening for push jobs was lost'))).toBe(true);
  });

  it('sends only the latest state of a ticket when older pushes are still waiting', async () => {
    const { pushId } = await newApnsDevice();
    for (const action of ['TICKET_BOOKED', 'TICKET_ALERTED', 'TICKET_CALLED']) {
      await postSigned(server, app.appId, app.secret, messageBody(pushId, { ticketId: 'tkt_latest', action }));
    }
    server.startWorker();
    const results = await waitForPushes(server, pushId, allSettled);
    expect(results.messages.map((m: any) => [m.action, m.pushes[0].status])).toEqual([
      ['TICKET_CALLED', 'delivered'],
      ['TICKET_ALERTED', 'superseded'],
      ['TICKET_BOOKED', 'superseded'],
    ]);
  });

  it('expires the waiting pushes of a paused provider once their deadline passes', async () => {
    fakes.apns.control.respond('*', { status: 403, reason: 'InvalidProviderToken' });
    const { pushId } = await newApnsDevice();
    server.startWorker();
    await postSigned(server, app.appId, app.secret, messageBody(pushId), {
      deliverBy: new Date(server.clock.now() + 60_000).toISOString(),
    });
    await waitForPushes(server, pushId, (pushes) => pushes[0]?.attempts === 1 && pushes[0].status === 'pending');
    await server.worker!.stop();
    server.worker = null;
    expect((await runMaintenance(server.deps.db, server.clock.now() + 61_000)).expired).toBeGreaterThanOrEqual(1);
    expect((await jobOf(pushId)).status).toBe('expired');
    await server.admin('POST', `/admin/apps/${app.appId}/providers/apns/resume`);
  });
});
