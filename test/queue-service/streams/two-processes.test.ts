/**
 * With several queue-service processes on one PostgreSQL database, a change made
 * through one process reaches the streams held by another (LISTEN/NOTIFY). The other process is a
 * real one (node, its own event loop and pool), started like `queuebell queue-service --role api`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesUnderTest } from '../../support/engines.js';
import { ADMIN_TOKEN, QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';
import { SseClient } from './support/sse-client.js';

const SCRIPT = fileURLToPath(new URL('./support/api-process.ts', import.meta.url));

async function startApiProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      QUEUEBELL_LOG_LEVEL: 'warn',
      QUEUEBELL_DATA_DIR: '/nonexistent-test-dir',
      QUEUEBELL_QUEUE_PORT: '0',
      QUEUEBELL_ADMIN_TOKEN: ADMIN_TOKEN,
      QUEUEBELL_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
      QUEUEBELL_DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; url?: string }) => message?.ready && resolve(message.url!));
    void exited.then(() => reject(new Error('the second queue-service process exited before it was ready')));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const describePostgres = enginesUnderTest().includes('postgres') ? describe : describe.skip;

describePostgres('live streams across two processes [postgres]', () => {
  let h: QueueHarness;
  let other: Awaited<ReturnType<typeof startApiProcess>>;
  let co: TestCompany;
  const clients: SseClient[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start('postgres');
    // The other process reads the system clock: tokens and times must agree with it.
    h.clock.set(Date.now());
    other = await startApiProcess(h.deps.config.databaseUrl);
    co = await setUpCompany(h, 'TwoProcessCo');
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await other?.stop();
    await h?.close();
  });

  const open = async (url: string, headers: Record<string, string>) => {
    const client = await SseClient.open(url, headers);
    clients.push(client);
    expect(client.status).toBe(200);
    return client;
  };

  it('delivers a change made through this process to a stream held by the other, and back', async () => {
    const user = await createUser(h, co);
    const headers = { 'x-api-key': co.bookingKey, authorization: `Bearer ${user.token}` };
    const ticket = expectStatus(await book(h, co, user.token), 201);
    expectStatus(await book(h, co, user.token, { groupSize: 4 }), 201);
    const last = expectStatus(await book(h, co, user.token), 201);
    const there = await open(`${other.url}/v2/user/tickets/${ticket.ticketId}/sse`, headers);
    const lineThere = await open(`${other.url}/v2/user/tickets/${last.ticketId}/sse`, headers);
    const statesThere = await open(`${other.url}/v2/queues/state/sse?queueIds=${co.queueId}`, { 'x-api-key': co.bookingKey });
    expect((await there.next()).data.ticket.state).toBe(0);
    await lineThere.next();
    await statesThere.next();

    // The operator works on this process; the streams live in the other one.
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    expect((await statesThere.next()).data).toMatchObject({ queueIsOpened: true });
    const called = expectStatus(
      await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }),
      200,
    );
    const change = await there.next((event) => event.event === 'ticket' && event.data.changes.some((c: any) => c.to === 200));
    expect(change.data.ticket).toEqual(called);
    expect(change.data.changes).toEqual([expect.objectContaining({ from: 0, to: 200, action: 'TICKET_CALLED' })]);
    const moved = await lineThere.next((event) => event.event === 'position');
    expect(moved.data.ticketPosition.queue).toEqual({ tickets: 1, people: 4 });

    // And the other way: a booking through the other process reaches a stream held here.
    const here = await open(`${h.url}/v2/user/tickets/sse`, headers);
    for (let i = 0; i < 3; i++) await here.next();
    const booked = await fetch(`${other.url}/v2/queues/${co.queueId}/ticket`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ groupSize: 2 }),
    });
    expect(booked.status).toBe(201);
    const bookedId = ((await booked.json()) as { ticketId: string }).ticketId;
    expect((await here.next((event) => event.data.ticket?.ticketId === bookedId)).data.changes[0]).toMatchObject({
      to: 0,
      action: 'TICKET_BOOKED',
    });
  });
});
