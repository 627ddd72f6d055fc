/**
 * A push server for tests: real database (either engine), real HTTP on port 0, optionally a worker
 * with the real providers, a clock the test can move, and a logger that keeps every line.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Clock } from '../../src/platform/clock.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import type { Engine } from '../../src/platform/db/database.js';
import { signWebhook } from '../../src/contract/standard-webhooks.js';
import { buildPushApp } from '../../src/push-server/app.js';
import { migratePushDatabase, openPushDatabase } from '../../src/push-server/db/connect.js';
import { createPushDeps, type PushDeps } from '../../src/push-server/deps.js';
import { closeProviders, createProviders } from '../../src/push-server/providers/index.js';
import { PushWorker, type WorkerOptions } from '../../src/push-server/push/worker.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import type { FakePushProviders } from '../../src/fakes/push-providers.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const MASTER_KEY = 'test-master-key-0123456789-0123456789-abcdef';

/** Real time plus an offset a test moves forward: the fakes check token ages against real time, which allows some skew. */
export class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface TestPushServer {
  base: string;
  testDb: TestDatabase;
  deps: PushDeps;
  app: HttpServer;
  clock: ShiftedClock;
  logs: string[];
  worker: PushWorker | null;
  startWorker(options?: Partial<WorkerOptions>): PushWorker;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; token?: string | null },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startTestPushServer(
  engine: Engine,
  options: { database?: TestDatabase; vapidSubject?: string | null } = {},
): Promise<TestPushServer> {
  const testDb = options.database ?? (await createTestDatabase(engine));
  const database = openPushDatabase(testDb.target);
  await migratePushDatabase(database);
  const logs: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const clock = new ShiftedClock();
  const deps = createPushDeps({
    database,
    masterKey: MASTER_KEY,
    adminToken: ADMIN_TOKEN,
    clock,
    logger,
    allowPrivateEndpoints: true,
    vapidSubject: options.vapidSubject ?? null,
  });
  const app = await buildPushApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  let providers: ReturnType<typeof createProviders> | null = null;
  const server: TestPushServer = {
    base,
    testDb,
    deps,
    app,
    clock,
    logs,
    worker: null,
    startWorker: (workerOptions = {}) => {
      providers ??= createProviders({ allowPrivateEndpoints: true });
      server.worker = new PushWorker({ ...deps, providers }, { pollIntervalMs: 50, ...workerOptions });
      void server.worker.start();
      deps.ingest.attach(server.worker);
      return server.worker;
    },
    request: async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
      const response = await fetch(base + path, {
        method,
        headers,
        body: typeof payload === 'string' || payload === undefined ? payload : new Uint8Array(payload),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    admin: (method, path, body) => server.request(method, path, { body, token: ADMIN_TOKEN }),
    close: async () => {
      await app.close();
      await deps.ingest.flush();
      await server.worker?.stop();
      if (providers) await closeProviders(providers);
      await database.close();
      if (!options.database) await testDb.drop();
    },
  };
  return server;
}

/** A step ③ body as the queue service sends it, with the ticket view fields the push server reads. */
export function messageBody(
  pushId: string,
  overrides: {
    action?: string;
    content?: string;
    ticketId?: string;
    label?: string;
    state?: number;
    counter?: string | null;
    lang?: string;
  } = {},
) {
  return {
    pushId,
    message: {
      action: overrides.action ?? 'TICKET_CALLED',
      content: overrides.content ?? "Ticket A012, it's your turn: please go to counter 3.",
      data: {
        id: overrides.ticketId ?? 'tkt_test1',
        label: overrides.label ?? 'A012',
        state: overrides.state ?? 200,
        lang: overrides.lang ?? 'en_US',
        endpoint: overrides.counter === null ? null : { id: 'end_1', name: overrides.counter ?? 'Counter 3' },
        queueName: 'Main queue',
        recallCount: 0,
      },
    },
  };
}

let webhookCounter = 0;

/** Signs and posts a message to the ingest route like a Standard Webhooks sender. */
export async function postSigned(
  server: TestPushServer,
  appId: string,
  secret: string | string[],
  body: unknown,
  options: { id?: string; timestamp?: number; deliverBy?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const raw = options.raw ?? JSON.stringify(body);
  const id = options.id ?? `msg_test_${++webhookCounter}_${Date.now()}`;
  const timestamp = options.timestamp ?? Math.floor(server.clock.now() / 1000);
  const headers: Record<string, string> = { ...signWebhook(Array.isArray(secret) ? secret : [secret], id, timestamp, raw) };
  if (options.deliverBy) headers['x-queuebell-deliver-by'] = options.deliverBy;
  Object.assign(headers, options.headers);
  return server.request('POST', `/v1/apps/${appId}/messages`, { raw, headers });
}

export function inMinutes(server: TestPushServer, minutes: number): string {
  return new Date(server.clock.now() + minutes * 60_000).toISOString();
}

export interface TestApp {
  appId: string;
  appKey: string;
  serverKey: string;
  vapidPublicKey: string;
  sourceId: string;
  secret: string;
}

/** An app whose three providers point at the fakes, with titles per locale and one signing source. */
export async function createAppOnFakes(
  server: TestPushServer,
  fakes: FakePushProviders,
  extra: Record<string, unknown> = {},
): Promise<TestApp> {
  const created = await server.admin('POST', '/admin/apps', {
    name: 'Queue app',
    titles: { default: 'Your ticket', fr: 'Votre ticket', en_GB: 'Your ticket (UK)' },
    apns: {
      keyP8: fakes.apns.keyP8,
      keyId: fakes.apns.keyId,
      teamId: fakes.apns.teamId,
      topic: fakes.apns.topic,
      baseUrl: fakes.apns.baseUrl,
      ca: fakes.apns.ca,
    },
    fcm: { serviceAccount: fakes.fcm.serviceAccount, baseUrl: fakes.fcm.baseUrl },
    ...extra,
  });
  if (created.status !== 201) throw new Error(`app creation failed: ${JSON.stringify(created.body)}`);
  const source = await server.admin('POST', `/admin/apps/${created.body.appId}/sources`, { name: 'queue service' });
  return { ...created.body, sourceId: source.body.sourceId, secret: source.body.secret };
}

export const APNS_TOKEN = 'a'.repeat(64);
export const apnsToken = (n: number): string => n.toString(16).padStart(64, '0');

export async function registerDevice(
  server: TestPushServer,
  app: TestApp,
  device: Record<string, unknown>,
): Promise<{ pushId: string; secret: string; deviceId: string }> {
  const response = await server.request('POST', `/v1/apps/${app.appId}/devices`, { body: device, headers: { 'x-app-key': app.appKey } });
  if (response.status !== 201) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface PushState {
  status: string;
  attempts: number;
}

/** Polls the results route until the pushes of the pushId satisfy `wanted`. */
export async function waitForPushes(
  server: TestPushServer,
  pushId: string,
  wanted: (pushes: PushState[]) => boolean,
  timeoutMs = 10_000,
): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const results = await server.request('GET', `/v1/push-ids/${pushId}/pushes`, { token: ADMIN_TOKEN });
    const pushes = (results.body.messages as any[]).flatMap((m) => m.pushes as PushState[]);
    if (wanted(pushes)) return results.body;
    const statuses = pushes.map((p) => `${p.status}/${p.attempts}`);
    if (Date.now() > until) throw new Error(`pushes of ${pushId} still ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every push answered for good (not waiting for a first or a next attempt). */
export const allSettled = (pushes: PushState[]) =>
  pushes.length > 0 && pushes.every((p) => p.status !== 'sending' && p.status !== 'pending');
/** The push was tried and now waits for its next attempt. */
export const awaitingRetry = (pushes: PushState[]) => pushes.length > 0 && pushes.every((p) => p.status === 'pending' && p.attempts > 0);
export const allDelivered = (count: number) => (pushes: PushState[]) =>
  pushes.length === count && pushes.every((p) => p.status === 'delivered');
