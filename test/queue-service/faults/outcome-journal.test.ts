/**
 * The outcome journal (docs/design.md §Faults): a queue service process (`--role all`) delivers while
 * every write of an attempt fails, as if the database were away; past its lease it journals the
 * outcomes it could not record; it is SIGKILLed; the database comes back; a new process on the same
 * data directory replays the journal before its first claim. Every message then reads delivered,
 * with its attempt, and the receiver got each exactly once: nothing was sent again.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../../src/platform/db/database.js';
import { openQueueDatabase, type QueueDatabase } from '../../../src/queue-service/db/connect.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { ApiClient } from '../support/api-client.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { expectStatus, type QueueHarness } from '../support/harness.js';
import { startServiceProcess, type ServiceProcess } from '../dispatch/support/processes.js';
import { TestReceiver } from '../dispatch/support/receiver.js';
import { bookWhileRetrying, freePort, sleep } from './support.js';

const DISPATCH = { leaseMs: 1_000, pollIntervalMs: 250, connectTimeoutMs: 1_000, responseTimeoutMs: 1_000, graceMs: 1_000 };
const TICKETS = 3;

/** Every insert of an attempt fails until the returned function runs. */
async function refuseAttemptWrites(database: QueueDatabase, engine: Engine): Promise<() => Promise<void>> {
  const db = database.db;
  if (engine === 'postgres') {
    await sql`create function refuse_attempts() returns trigger language plpgsql as $$ begin raise exception 'database away'; end $$`.execute(
      db,
    );
    await sql`create trigger refuse_attempts before insert on message_attempts execute function refuse_attempts()`.execute(db);
    return async () => {
      await sql`drop trigger refuse_attempts on message_attempts`.execute(db);
      await sql`drop function refuse_attempts()`.execute(db);
    };
  }
  await sql`create trigger refuse_attempts before insert on message_attempts begin select raise(abort, 'database away'); end`.execute(db);
  return async () => {
    await sql`drop trigger refuse_attempts`.execute(db);
  };
}

async function journalLines(dataDir: string): Promise<number> {
  const folder = join(dataDir, 'journal');
  const names = await readdir(folder).catch(() => [] as string[]);
  let lines = 0;
  for (const name of names) lines += (await readFile(join(folder, name), 'utf8')).split('\n').filter(Boolean).length;
  return lines;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describeEachEngine('the outcome journal', (engine) => {
  let database: TestDatabase;
  let queueDb: QueueDatabase;
  let receiver: TestReceiver;
  let dataDir: string;
  let port: number;
  let service: ServiceProcess | null = null;
  let api: ApiClient;
  let company: TestCompany;

  const start = () =>
    startServiceProcess({
      role: 'all',
      databaseUrl: database.target,
      dispatch: DISPATCH,
      env: { QUEUEBELL_QUEUE_PORT: String(port), QUEUEBELL_DATA_DIR: dataDir },
    });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    receiver = await TestReceiver.start();
    dataDir = await mkdtemp(join(tmpdir(), 'queuebell-journal-'));
    port = await freePort();
    service = await start();
    api = new ApiClient(service.url!);
    queueDb = openQueueDatabase(database.target);
    company = await setUpCompany(api as unknown as QueueHarness);
    expectStatus(await api.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
    expectStatus(await api.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);
  }, 60_000);

  afterAll(async () => {
    await service?.kill();
    await receiver?.close();
    await queueDb?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('records from the journal, after a kill, the deliveries the database could not take, and sends nothing again', async () => {
    const allowWrites = await refuseAttemptWrites(queueDb, engine);
    const booked = await bookWhileRetrying(api, company, { count: TICKETS, concurrency: 1 });
    expect(booked.otherFailures).toEqual([]);
    await receiver.waitFor(() => receiver.delivered().length >= TICKETS, 'every BOOKED message at the receiver', 30_000);
    // Past the lease the recorder journals what it still cannot write.
    await waitFor(async () => (await journalLines(dataDir)) >= TICKETS, 'the outcomes in the journal', 30_000).catch((error) => {
      throw new Error(`${error.message}\n${service!.output.join('')}`);
    });
    await service!.kill();
    service = null;
    const active = await queueDb.db.selectFrom('messages').select('status').where('status', '=', 'delivering').execute();
    expect(active).toHaveLength(TICKETS);
    await allowWrites();

    service = await start();
    await waitFor(
      async () => (await queueDb.db.selectFrom('messages').select('id').where('status', '=', 'delivered').execute()).length >= TICKETS,
      'the journaled outcomes in the database',
      30_000,
    );
    const messages = await queueDb.db.selectFrom('messages').select(['id', 'status', 'attempt_count']).execute();
    expect(messages.map((m) => [m.status, m.attempt_count])).toEqual(messages.map(() => ['delivered', 1]));
    const attempts = await queueDb.db.selectFrom('message_attempts').select('message_id').execute();
    expect(attempts.map((a) => a.message_id).sort()).toEqual(messages.map((m) => m.id).sort());
    // Each message arrived once: the restarted process did not send it again.
    await sleep(2 * DISPATCH.leaseMs);
    expect(receiver.requests.map((r) => r.id).sort()).toEqual(messages.map((m) => m.id).sort());
    expect(await journalLines(dataDir)).toBe(0);
  }, 120_000);
});
