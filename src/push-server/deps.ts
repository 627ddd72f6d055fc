/**
 * What the push server's parts need, built once by main.ts (or by a test) and handed down: the
 * database, the master-key box, the clock, caches, the ingest writer and the workers' in-process wake-up.
 */
import type { Logger } from 'pino';
import pino from 'pino';
import { systemClock, type Clock } from '../platform/clock.js';
import { DEFAULT_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE, DEFAULT_PUSH_RETENTION_DAYS } from '../platform/config.js';
import { RateLimiter } from '../platform/http/rate-limit.js';
import { Signal } from '../platform/signal.js';
import { SecretBox } from '../platform/secrets.js';
import { AppCache } from './apps/app-cache.js';
import { SourceCache } from './apps/source-cache.js';
import type { PushDatabase, PushDb } from './db/connect.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { listAllPauses } from './db/queries/provider-pauses.js';
import { receiptsBacklog } from './db/queries/receipts.js';
import { createPushMetrics, type PushMetrics } from './metrics.js';
import { announceJobs } from './push/jobs-channel.js';
import { NO_VAPID_SUBJECT } from './providers/webpush/credentials.js';

/** The part operations (admin, registration) use; the CLI reaches them through the admin HTTP API, never directly. */
export interface OperationContext {
  db: PushDb;
  box: SecretBox;
  clock: Clock;
  apps: AppCache;
  sources: SourceCache;
  /** The contact Web Push requests name for apps that gave none (QUEUEBELL_PUSH_VAPID_SUBJECT or the public https: URL). */
  vapidSubject: string;
  /** Tells workers new or resumed jobs are waiting. */
  wakeWorkers(): void;
}

export interface PushDeps extends OperationContext {
  database: PushDatabase;
  logger: Logger;
  metrics: PushMetrics;
  adminToken: string;
  /** Lets Web Push endpoints and provider URLs point at loopback or private addresses (local setups, tests). */
  allowPrivateEndpoints: boolean;
  /** Counts the registration and results requests of each client address. */
  perAddress: RateLimiter;
  ingest: IngestWriter;
  /** Rung when jobs are waiting, to wake the push workers of this process; others hear a NOTIFY. */
  signal: Signal;
  http: PushHttpSettings;
  /** Rung when receipts are waiting, to wake the receipt sender of this process; others poll. */
  receiptSignal: Signal;
  /** Days messages and finished pushes and receipts are kept (QUEUEBELL_PUSH_RETENTION_DAYS). */
  retentionDays: number;
  /** What threads of this process count (the push worker's thread), added to /metrics. */
  threadMetrics: (() => Promise<unknown[]>)[];
}

/** How the push server meets the world (QUEUEBELL_PUSH_PUBLIC_URL, QUEUEBELL_TRUST_PROXY, QUEUEBELL_ACCESS_LOG). */
export interface PushHttpSettings {
  /** Where senders and browsers reach this server; null: as each request reached it. */
  publicUrl: string | null;
  trustProxy: string[];
  accessLog: boolean;
}

export interface PushDepsOptions {
  database: PushDatabase;
  masterKey: string;
  adminToken: string;
  clock?: Clock;
  logger?: Logger;
  metrics?: PushMetrics;
  allowPrivateEndpoints?: boolean;
  /** QUEUEBELL_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE. */
  rateLimitPerAddressPerMinute?: number;
  http?: Partial<PushHttpSettings>;
  /** Config.pushRetentionDays. */
  retentionDays?: number;
  /** Config.pushVapidSubject; none: a contact that reaches nobody (NO_VAPID_SUBJECT). */
  vapidSubject?: string | null;
}

export function createPushDeps(options: PushDepsOptions): PushDeps {
  const { database } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  const box = new SecretBox(options.masterKey, 'push-server');
  const signal = new Signal();
  const receiptSignal = new Signal();
  const vapidSubject = options.vapidSubject ?? NO_VAPID_SUBJECT;
  const metrics =
    options.metrics ??
    createPushMetrics(
      undefined,
      () => listAllPauses(database.db),
      () => receiptsBacklog(database.db),
    );
  return {
    database,
    db: database.db,
    box,
    clock,
    logger,
    metrics,
    signal,
    receiptSignal,
    adminToken: options.adminToken,
    http: { publicUrl: null, trustProxy: [], accessLog: false, ...options.http },
    threadMetrics: [],
    retentionDays: options.retentionDays ?? DEFAULT_PUSH_RETENTION_DAYS,
    allowPrivateEndpoints: options.allowPrivateEndpoints ?? false,
    perAddress: new RateLimiter(options.rateLimitPerAddressPerMinute ?? DEFAULT_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE),
    vapidSubject,
    apps: new AppCache(database.db, box, clock, { vapidSubject }),
    sources: new SourceCache(database.db, box, clock),
    ingest: new IngestWriter({
      db: database.db,
      clock,
      logger,
      onJobsAdded: () => signal.notify(),
      onReceipts: () => receiptSignal.notify(),
    }),
    wakeWorkers: () => {
      signal.notify();
      announceJobs(database.db).catch((error: unknown) => logger.warn({ err: error }, 'could not notify workers'));
    },
  };
}
