/**
 * Both services as they run in production, in the test process: the push server and the queue
 * service each on its own database of the engine under test (role all: API and workers), the fake
 * push providers, the fake SMS provider and a real SMTP server, and an app, a company and receipts wired between them
 * through the admin APIs only.
 */
import { loadConfig } from '../../src/platform/config.js';
import type { Engine } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { startFakeSms, type FakeSmsProvider } from '../../src/fakes/sms/server.js';
import { startPushServer } from '../../src/push-server/main.js';
import type { RunningService } from '../../src/platform/service.js';
import { startQueueService } from '../../src/queue-service/main.js';
import { createTestDatabase, type TestDatabase } from '../support/engines.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';

export const ADMIN_TOKEN = 'test-admin-token-flow-0123456789';

export interface Reply {
  status: number;
  body: any;
}

export interface Stack {
  queueUrl: string;
  pushUrl: string;
  fakes: FakePushProviders;
  sms: FakeSmsProvider;
  smtp: SmtpServer;
  /** Recipients the SMTP server refuses, with the SMTP answer (a test may change it at any time). */
  smtpRefuse: Map<string, { code: number; message: string }>;
  appId: string;
  appKey: string;
  sourceId: string;
  companyId: string;
  queueId: string;
  endpointId: string;
  webhookId: string;
  bookingKey: string;
  operatorKey: string;
  receiptSecret: string;
  queue(method: string, path: string, options?: { body?: unknown; token?: string; key?: string }): Promise<Reply>;
  push(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<Reply>;
  /** Stops the push server for good (the queue service stays up): "the push server is down". */
  stopPush(): Promise<void>;
  /**
   * Starts a push server of role worker on the push database: the push worker and the receipt
   * sender, for a stack whose push server has role api (StackOptions.pushRole).
   */
  startPushWorker(): Promise<void>;
  close(): Promise<void>;
}

async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; key?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['x-api-key'] = options.key;
  const response = await fetch(base + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function ok(reply: Reply, status = 200): any {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

export interface StackOptions {
  /** More settings for loadConfig, as the environment would give them (OTEL_* to trace). */
  env?: Record<string, string>;
  /**
   * The push server's role. `api` takes messages and writes receipts without sending any: nothing
   * is pushed, nor any receipt sent, until startPushWorker().
   */
  pushRole?: 'all' | 'api';
}

export async function startStack(engine: Engine, settings: Record<string, unknown> = {}, options: StackOptions = {}): Promise<Stack> {
  const databases: TestDatabase[] = [await createTestDatabase(engine), await createTestDatabase(engine)];
  const fakes = await startFakePushProviders();
  const sms = await startFakeSms();
  const smtpRefuse = new Map<string, { code: number; message: string }>();
  const smtp = await startSmtp(smtpRefuse);
  const config = {
    ...loadConfig({
      QUEUEBELL_DATA_DIR: '/nonexistent-test-dir',
      QUEUEBELL_QUEUE_PORT: '0',
      QUEUEBELL_PUSH_PORT: '0',
      QUEUEBELL_PUSH_WORKER_PORT: '0',
      QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
      QUEUEBELL_DATABASE_URL: databases[0]!.target,
      QUEUEBELL_PUSH_DATABASE_URL: databases[1]!.target,
      QUEUEBELL_SMS_ACCOUNT_SID: sms.accountSid,
      QUEUEBELL_SMS_AUTH_TOKEN: sms.authToken,
      QUEUEBELL_SMS_FROM: '+15550000000',
      QUEUEBELL_SMS_BASE_URL: sms.baseUrl,
      QUEUEBELL_SMTP_URL: smtp.url,
      QUEUEBELL_MAIL_FROM: 'queue@town-hall.test',
      QUEUEBELL_LOG_LEVEL: 'silent',
      ...options.env,
    }),
    adminToken: ADMIN_TOKEN,
    masterKey: 'test-master-key-flow-0123456789abcdef0123',
  };
  const logger = createLogger('flow-test', 'silent');
  const services: RunningService[] = [];
  const pushServer = await startPushServer({ config, role: options.pushRole ?? 'all', logger, worker: { pollIntervalMs: 50 } });
  services.push(pushServer);
  const queueService = await startQueueService({ config, role: 'all', logger });
  services.push(queueService);
  const wired = await wireStack(queueService.url!, pushServer.url!, fakes, settings);
  return {
    ...wired,
    sms,
    smtp,
    smtpRefuse,
    async stopPush() {
      services.splice(services.indexOf(pushServer), 1);
      await pushServer.close();
    },
    async startPushWorker() {
      services.push(await startPushServer({ config, role: 'worker', logger, worker: { pollIntervalMs: 50 } }));
    },
    async close() {
      for (const service of services.reverse()) await service.close();
      await fakes.close();
      await sms.close();
      await smtp.close();
      for (const database of databases) await database.drop();
    },
  };
}

export interface FallbackStack extends Stack {
  /** A key with the server scope: bookings that carry a fallback's contact details and consent. */
  serverKey: string;
  /** Counter 1 calls the next ticket, keeping the one it called before. */
  callNext(): Promise<any>;
  /** The ticket's timeline as the admin API shows it. */
  timeline(ticketId: string): Promise<any>;
}

/**
 * The stack the fallback flows run on (docs/design.md §Fallback): a fallback wait of two seconds, no
 * automatic alerts (every urgent push in these tests is a call the test makes), and a server key to
 * book with. `settings` adds to or overrides the queue's settings.
 */
export async function startFallbackStack(engine: Engine, settings: Record<string, unknown> = {}): Promise<FallbackStack> {
  const stack = await startStack(engine, { fallbackWaitSeconds: 2, alertPositions: [], ...settings });
  const serverKey = ok(
    await stack.queue('POST', `/admin/companies/${stack.companyId}/keys`, {
      token: ADMIN_TOKEN,
      body: { scopes: ['server'], name: 'backend' },
    }),
    201,
  ).key;
  return {
    ...stack,
    serverKey,
    callNext: async () =>
      ok(await stack.queue('POST', `/v2/endpoints/${stack.endpointId}/next`, { key: stack.operatorKey, body: { previousTicket: 'keep' } })),
    timeline: async (ticketId) => ok(await stack.queue('GET', `/admin/tickets/${ticketId}/timeline`, { token: ADMIN_TOKEN })),
  };
}

/**
 * An app on the fake providers, its source, a company whose webhook posts into that source, and
 * receipts wired back, through the admin APIs only: services started any way (in this process, or
 * as the CLI in processes of their own) serve the same tests.
 */
export async function wireStack(
  queueUrl: string,
  pushUrl: string,
  fakes: FakePushProviders,
  settings: Record<string, unknown> = {},
): Promise<Omit<Stack, 'sms' | 'smtp' | 'smtpRefuse' | 'stopPush' | 'startPushWorker' | 'close'>> {
  const queue: Stack['queue'] = (method, path, options) => call(queueUrl, method, path, options);
  const push: Stack['push'] = (method, path, options) => call(pushUrl, method, path, options);
  const admin = (method: string, path: string, body?: unknown) => queue(method, path, { body, token: ADMIN_TOKEN });

  const app = ok(
    await push('POST', '/admin/apps', {
      token: ADMIN_TOKEN,
      body: {
        name: 'Queue app',
        apns: {
          keyP8: fakes.apns.keyP8,
          keyId: fakes.apns.keyId,
          teamId: fakes.apns.teamId,
          topic: fakes.apns.topic,
          baseUrl: fakes.apns.baseUrl,
          ca: fakes.apns.ca,
        },
      },
    }),
    201,
  );
  const source = ok(await push('POST', `/admin/apps/${app.appId}/sources`, { token: ADMIN_TOKEN, body: { name: 'queue service' } }), 201);
  const company = ok(await admin('POST', '/admin/companies', { name: 'Town Hall' }), 201);
  const place = ok(
    await admin('POST', `/admin/companies/${company.id}/places`, { name: 'Hall', timeZone: 'Europe/Paris', lang: 'en_US' }),
    201,
  );
  const queueRow = ok(await admin('POST', `/admin/places/${place.id}/queues`, { name: 'Main', labelPrefix: 'A', settings }), 201);
  const endpoint = ok(await admin('POST', `/admin/places/${place.id}/endpoints`, { name: 'Counter 1', queueIds: [queueRow.id] }), 201);
  const key = async (scopes: string[]) =>
    ok(await admin('POST', `/admin/companies/${company.id}/keys`, { scopes, name: scopes[0] }), 201).key;
  const webhook = ok(await admin('POST', `/admin/companies/${company.id}/webhooks`, { url: source.ingestUrl, secret: source.secret }), 201);
  const receipts = ok(await admin('POST', `/admin/webhooks/${webhook.id}/receipt-secret`, {}));
  ok(
    await push('PUT', `/admin/apps/${app.appId}/sources/${source.sourceId}/receipts`, {
      token: ADMIN_TOKEN,
      body: { url: receipts.receiptUrl, secret: receipts.receiptSecret },
    }),
  );
  const operatorKey = await key(['operator']);
  ok(await queue('PUT', `/v2/endpoints/${endpoint.id}`, { key: operatorKey, body: { isOpen: true } }));
  return {
    queueUrl,
    pushUrl,
    fakes,
    appId: app.appId,
    appKey: app.appKey,
    sourceId: source.sourceId,
    companyId: company.id,
    queueId: queueRow.id,
    endpointId: endpoint.id,
    webhookId: webhook.id,
    bookingKey: await key(['booking']),
    operatorKey,
    receiptSecret: receipts.receiptSecret,
    queue,
    push,
  };
}

/** Polls `read` until `done` holds (the services work in the background); fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
