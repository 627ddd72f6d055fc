/**
 * The push worker under faults (docs/design.md §Workers, §Faults): a worker that died leaves leases
 * others take over at once on PostgreSQL (its liveness lock is free), and a worker whose outcomes the
 * database refuses keeps renewing its leases, journals them past a lease, and records them once the
 * database answers again — without a restart and without sending anything twice.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { claimPushJobsAt } from '../../src/push-server/db/queries/push-jobs.js';
import { describeEachEngine } from '../support/engines.js';
import {
  allDelivered,
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachEngine('the push worker under faults', (engine) => {
  let fakes: FakePushProviders;
  let server: TestPushServer;
  let app: TestApp;
  let journalDir: string;
  const extra: TestPushServer[] = [];
  let n = 0;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    server = await startTestPushServer(engine);
    app = await createAppOnFakes(server, fakes);
    journalDir = await mkdtemp(join(tmpdir(), 'queuebell-push-journal-'));
  });
  afterEach(async () => {
    await server.worker?.stop();
    server.worker = null;
    server.deps.ingest.attach(null);
    for (const other of extra.splice(0)) await other.close();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
    await rm(journalDir, { recursive: true, force: true });
  });

  const newApnsDevice = async () => {
    const token = apnsToken(0x9000 + ++n);
    return { ...(await registerDevice(server, app, { provider: 'apns', token, environment: 'production' })), token };
  };
  const pushesTo = (token: string) => fakes.apns.control.received.filter((d) => d.token === token);
  /**
   * Makes the database refuse every change of a push job's status until the returned function runs.
   * Outcomes and claims are such changes; inserts (ingest) and lease renewals still get through.
   */
  const refuseOutcomes = async (): Promise<() => Promise<void>> => {
    const db = server.deps.db;
    const refuse =
      engine === 'postgres'
        ? [
            sql`create function refuse_outcomes() returns trigger language plpgsql as $$ begin raise exception 'database away'; end $$`,
            sql`create trigger refuse_outcomes before update on push_jobs for each row when (new.status is distinct from old.status) execute function refuse_outcomes()`,
          ]
        : [
            sql`create trigger refuse_outcomes before update of status on push_jobs when new.status <> old.status begin select raise(abort, 'database away'); end`,
          ];
    const allow =
      engine === 'postgres'
        ? [sql`drop trigger refuse_outcomes on push_jobs`, sql`drop function refuse_outcomes()`]
        : [sql`drop trigger refuse_outcomes`];
    for (const statement of refuse) await statement.execute(db);
    return async () => {
      for (const statement of allow) await statement.execute(db);
    };
  };

  it.runIf(engine === 'postgres')(
    'takes over at once the pushes of a worker that died, long before their lease runs out',
    async () => {
      const device = await newApnsDevice();
      await postSigned(server, app.appId, app.secret, messageBody(device.pushId, { ticketId: 'tkt_dead_worker' }));
      // Claimed by a worker that holds no liveness lock any more, as after a SIGKILL, for a whole minute.
      const { jobs } = await claimPushJobsAt(server.deps.db, { now: 'database', limit: 100, leaseMs: 60_000, workerId: 'pwk_killed' });
      expect(jobs.map((job) => job.push_id)).toContain(device.pushId);
      server.startWorker({ leaseClock: 'database', leaseMs: 2_000 });
      // Within the test's 20 s, a third of the dead worker's lease: only the liveness takeover can do it.
      const results = await waitForPushes(server, device.pushId, allDelivered(1), 15_000);
      expect(results.messages[0].pushes[0]).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(pushesTo(device.token)).toHaveLength(1);
    },
    20_000,
  );

  // The bound on memory (docs/design.md §Push server): answered pushes whose outcomes are not yet
  // written still hold their slots, so a record stage that falls behind stops new sends.
  it('sends no more than maxInFlight while their outcomes wait to be written', async () => {
    const maxInFlight = 4;
    const devices = [];
    for (let i = 0; i < 3 * maxInFlight; i++) devices.push(await newApnsDevice());
    const tokens = new Set(devices.map((device) => device.token));
    const sent = () => fakes.apns.control.received.filter((d) => tokens.has(d.token)).length;
    const allowOutcomes = await refuseOutcomes();
    try {
      await server.startWorker({ leaseMs: 5_000, maxInFlight, batchSize: maxInFlight, journalDir }).start();
      // Ingest hands each push to the worker while it has room; the rest wait in the database, whose
      // claims (a change of status) the trigger refuses too.
      for (const [i, device] of devices.entries()) {
        await postSigned(server, app.appId, app.secret, messageBody(device.pushId, { ticketId: `tkt_bounded_${i}` }));
        await sleep(20);
      }
      const until = Date.now() + 5_000;
      while (sent() < maxInFlight && Date.now() < until) await sleep(50);
      await sleep(500);
      expect(sent()).toBe(maxInFlight);
    } finally {
      await allowOutcomes();
    }
    for (const device of devices) await waitForPushes(server, device.pushId, allDelivered(1), 15_000);
    expect(sent()).toBe(devices.length);
  }, 40_000);

  it('records a push once the database takes outcomes again, without a restart and without sending it twice', async () => {
    const device = await newApnsDevice();
    const db = server.deps.db;
    const allowOutcomes = await refuseOutcomes();
    try {
      // Started, on PostgreSQL with its liveness lock: from then on ingest hands it pushes.
      await server.startWorker({ leaseMs: 2_000, journalDir }).start();
      // A second worker on the same database would take the push if the first let its lease run out.
      const other = await startTestPushServer(engine, { database: server.testDb });
      extra.push(other);
      other.startWorker({ leaseMs: 2_000 });
      // Ingest hands the push to the local worker already claimed: an insert, which the trigger lets through.
      await postSigned(server, app.appId, app.secret, messageBody(device.pushId, { ticketId: 'tkt_db_away' }));
      const until = Date.now() + 10_000;
      while (pushesTo(device.token).length === 0 && Date.now() < until) await sleep(50);
      expect(pushesTo(device.token)).toHaveLength(1);
      // Two and a half leases long the outcome waits: the lease is renewed meanwhile, and past one lease it is journaled.
      await sleep(5_000);
      expect((await readdir(join(journalDir, 'journal'))).length).toBe(1);
      const job = await db.selectFrom('push_jobs').selectAll().where('push_id', '=', device.pushId).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'sending', lease_owner: server.worker!.workerId });
    } finally {
      await allowOutcomes();
    }
    const results = await waitForPushes(server, device.pushId, allDelivered(1), 15_000);
    expect(results.messages[0].pushes[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(pushesTo(device.token)).toHaveLength(1);
    // Written after all: the journal is no longer needed. The recorder removes it right after the
    // commit that the results above may already show, so it is given a moment.
    const journalGoneBy = Date.now() + 5_000;
    while ((await readdir(join(journalDir, 'journal'))).length > 0 && Date.now() < journalGoneBy) await sleep(50);
    expect(await readdir(join(journalDir, 'journal'))).toEqual([]);
  }, 40_000);
});
