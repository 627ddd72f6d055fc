/**
 * The default mode (docs/design.md §Workers): the API on the main thread, the dispatcher and the
 * scheduler each in a worker thread with its own connection. A booking committed by the API wakes
 * the dispatcher thread, which delivers it; close() drains the threads and leaves nothing claimed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { openQueueDatabase } from '../../src/queue-service/db/connect.js';
import { startQueueService, type RunningQueueService } from '../../src/queue-service/main.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { ADMIN_TOKEN, ApiClient } from './support/api-client.js';
import { setUpCompany } from './support/company.js';
import { expectStatus, type QueueHarness } from './support/harness.js';
import { TestReceiver } from './dispatch/support/receiver.js';

describeEachEngine('the queue service with its background parts in threads', (engine) => {
  let testDb: TestDatabase;
  let service: RunningQueueService | null = null;
  let receiver: TestReceiver;

  afterEach(async () => {
    await service?.close();
    service = null;
    await receiver?.close();
    await testDb?.drop();
  });

  it('delivers what the API committed through the dispatcher thread, then stops with nothing left claimed', async () => {
    testDb = await createTestDatabase(engine);
    const config = loadConfig(
      { QUEUEBELL_DATA_DIR: '/nonexistent-test-dir' },
      { databaseUrl: testDb.target, queuePort: 0, host: '127.0.0.1', allowPrivateWebhooks: true, logLevel: 'silent' },
    );
    service = await startQueueService({
      config: { ...config, adminToken: ADMIN_TOKEN, masterKey: 'test-master-key-0123456789abcdef0123456789' },
      role: 'all',
      threads: true,
      logger: pino({ level: 'silent' }),
    });
    expect(service.dispatcher).toBeNull();
    const api = new ApiClient(service.url!);
    const company = await setUpCompany(api as unknown as QueueHarness);
    expectStatus(await api.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
    receiver = await TestReceiver.start();
    expectStatus(await api.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);

    const tickets: string[] = [];
    for (let i = 0; i < 5; i++) {
      const user = expectStatus(await api.call('POST', '/v2/users', { key: company.bookingKey }), 201);
      const ticket = expectStatus(
        await api.call('POST', `/v2/queues/${company.queueId}/ticket`, {
          key: company.bookingKey,
          token: user.jwtToken,
          body: { pushId: `push-${i}`, sendClientPush: true },
        }),
        201,
      );
      tickets.push(ticket.ticketId);
    }
    await receiver.waitFor(() => receiver.delivered().length >= 5, 'five bookings delivered');
    expect(new Set(receiver.delivered().map((r) => JSON.parse(r.body).pushId))).toEqual(new Set(tickets.map((_, i) => `push-${i}`)));
    // The dispatcher counts in its thread when it records an attempt, a moment after the receiver
    // answered; the API's /metrics adds it up.
    const deliveredAttempts = async () => {
      const metrics = await (await fetch(`${service!.url}/metrics`)).text();
      return Number(/^queuebell_delivery_attempts_total\{channel="webhook",outcome="delivered"[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    };
    await expect.poll(deliveredAttempts, { timeout: 5_000, interval: 50 }).toBeGreaterThanOrEqual(5);

    await service.close();
    service = null;
    const database = openQueueDatabase(testDb.target);
    try {
      const left = await database.db.selectFrom('messages').select('status').where('status', '=', 'delivering').execute();
      expect(left).toEqual([]);
    } finally {
      await database.close();
    }
  }, 60_000);

  it.skipIf(process.platform !== 'linux')(
    'runs its worker threads ten nice steps below the API’s thread, and only them',
    async () => {
      testDb = await createTestDatabase(engine);
      // The nice value of each thread of this process, from /proc (the 19th field of a task's stat).
      const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      const threadNices = () =>
        readdirSync('/proc/self/task').flatMap((tid) => {
          try {
            return [niceOf(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'))];
          } catch {
            return []; // the thread ended between the listing and the read
          }
        });
      const apiNice = niceOf(readFileSync('/proc/thread-self/stat', 'utf8'));
      const lowered = () => threadNices().filter((nice) => nice === Math.min(19, apiNice + 10)).length;
      const before = lowered();
      const config = loadConfig(
        { QUEUEBELL_DATA_DIR: '/nonexistent-test-dir' },
        { databaseUrl: testDb.target, queuePort: 0, host: '127.0.0.1', logLevel: 'silent' },
      );
      service = await startQueueService({
        config: { ...config, adminToken: ADMIN_TOKEN, masterKey: 'test-master-key-0123456789abcdef0123456789' },
        role: 'all',
        threads: true,
        logger: pino({ level: 'silent' }),
      });
      // The dispatcher and the scheduler; the thread that serves the API keeps its priority.
      expect(lowered() - before).toBeGreaterThanOrEqual(2);
      expect(niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(apiNice);
      await service.close();
      service = null;
      await expect.poll(lowered, { timeout: 5_000 }).toBe(before);
    },
    60_000,
  );
});
