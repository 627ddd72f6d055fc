/**
 * A real queue service for a test: a fresh database on the chosen engine, the app listening on a
 * free port, a clock the test controls, and small helpers to set up a company and call the API.
 */
import pino from 'pino';
import { ManualClock } from '../../../src/platform/clock.js';
import { loadConfig } from '../../../src/platform/config.js';
import type { Engine } from '../../../src/platform/db/database.js';
import type { HttpServer } from '../../../src/platform/http/server.js';
import { Signal } from '../../../src/platform/signal.js';
import { buildQueueApp } from '../../../src/queue-service/app.js';
import { migrateQueueDatabase, openQueueDatabase } from '../../../src/queue-service/db/connect.js';
import type { QueueServiceDeps } from '../../../src/queue-service/deps.js';
import { createTestDatabase, type TestDatabase } from '../../support/engines.js';
import { ADMIN_TOKEN, ApiClient, type Reply } from './api-client.js';

export { ADMIN_TOKEN, type CallOptions, type Reply } from './api-client.js';

export class QueueHarness extends ApiClient {
  readonly clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  deps!: QueueServiceDeps;
  app!: HttpServer;
  private testDb!: TestDatabase;

  private constructor() {
    super('');
  }

  static async start(engine: Engine, env: Record<string, string> = {}): Promise<QueueHarness> {
    const harness = new QueueHarness();
    await harness.init(engine, env);
    return harness;
  }

  private async init(engine: Engine, env: Record<string, string>): Promise<void> {
    this.testDb = await createTestDatabase(engine);
    const config = loadConfig(
      { QUEUEBELL_DATA_DIR: '/nonexistent-test-dir', QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', ...env },
      { databaseUrl: this.testDb.target },
    );
    const database = openQueueDatabase(this.testDb.target, 5);
    await migrateQueueDatabase(database);
    this.deps = {
      database,
      clock: this.clock,
      logger: pino({ level: 'silent' }),
      outboxSignal: new Signal(),
      config: { ...config, adminToken: ADMIN_TOKEN, masterKey: 'test-master-key-0123456789abcdef0123456789' },
    };
    this.app = await buildQueueApp(this.deps);
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    this.url = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}`;
  }

  get db() {
    return this.deps.database.db;
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.deps.database.close();
    await this.testDb.drop();
  }
}

/** Throws with the reply printed when the status is not the expected one: setup steps fail loudly. */
export function expectStatus<T>(reply: Reply<T>, status: number): T {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.text}`);
  return reply.body;
}
