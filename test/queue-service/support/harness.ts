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

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  raw?: string;
  key?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class QueueHarness {
  readonly clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
  deps!: QueueServiceDeps;
  app!: HttpServer;
  url!: string;
  private testDb!: TestDatabase;

  static async start(engine: Engine, env: Record<string, string> = {}): Promise<QueueHarness> {
    const harness = new QueueHarness();
    await harness.init(engine, env);
    return harness;
  }

  private async init(engine: Engine, env: Record<string, string>): Promise<void> {
    this.testDb = await createTestDatabase(engine);
    const config = loadConfig({ QUEUEBELL_DATA_DIR: '/nonexistent-test-dir', ...env }, { databaseUrl: this.testDb.target });
    const database = openQueueDatabase(this.testDb.target, 5);
    await migrateQueueDatabase(database);
    this.deps = {
      database, clock: this.clock, logger: pino({ level: 'silent' }), outboxSignal: new Signal(),
      config: { ...config, adminToken: ADMIN_TOKEN, masterKey: 'test-master-key-0123456789abcdef0123456789' },
    };
    this.app = await buildQueueApp(this.deps);
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    this.url = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}`;
  }

  get db() {
    return this.deps.database.db;
  }

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers['x-api-key'] = options.key;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(this.url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  admin<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>(method, path, { body, token: ADMIN_TOKEN });
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
