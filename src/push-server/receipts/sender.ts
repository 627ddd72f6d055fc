/**
 * The receipt sender (docs/design.md §Receipts): claims waiting receipts under a lease on the worker
 * engine, signs each per Standard Webhooks with its source's receipt secret (`webhook-id` = the
 * receipt id, the same on every attempt), POSTs it over the SSRF-safe client, and records the
 * outcome: 2xx delivered, a 4xx other than 408/429 failed, anything else retried with back-off
 * (receipts/policy.ts) until a day has passed.
 */
import type { Logger } from 'pino';
import { signWebhook } from '../../contract/standard-webhooks.js';
import type { Clock } from '../../platform/clock.js';
import { SafeHttpClient, type HttpResult } from '../../platform/net/safe-http.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { Signal } from '../../platform/signal.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import type { PushDb } from '../db/connect.js';
import { applyReceiptUpdates, claimReceipts, findReceiptTarget, type ReceiptRow, type ReceiptUpdate } from '../db/queries/receipts.js';
import type { PushMetrics } from '../metrics.js';
import { RECEIPT_POLICY, isFinalRefusal, nextReceiptAttemptAt } from './policy.js';

export interface ReceiptSenderDeps {
  db: PushDb;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  metrics: PushMetrics;
  receiptSignal: Signal;
  allowPrivateEndpoints: boolean;
}

interface Target {
  url: string;
  secret: string;
}

/** How long a source's receipt URL and secret are kept before being read again. */
const TARGET_TTL_MS = 5_000;

export class ReceiptSender {
  private readonly engine: WorkerEngine;
  private readonly http: SafeHttpClient;
  private readonly targets = new Map<string, { target: Target | null; loadedAt: number }>();

  constructor(private readonly deps: ReceiptSenderDeps) {
    this.http = new SafeHttpClient({
      allowPrivate: deps.allowPrivateEndpoints,
      connectTimeoutMs: 5_000,
      responseTimeoutMs: 10_000,
      excerptBytes: 512,
      maxSocketsPerOrigin: 64,
      userAgent: 'queuebell-push-server receipts',
    });
    this.engine = new WorkerEngine(
      {
        name: 'receipt sender',
        logger: deps.logger,
        batchSize: RECEIPT_POLICY.batchSize,
        capacity: RECEIPT_POLICY.maxInFlight,
        minClaim: 1,
        pollIntervalMs: RECEIPT_POLICY.pollIntervalMs,
        graceMs: 5_000,
        afterGrace: 'abort',
        signals: [deps.receiptSignal],
      },
      { claim: (limit) => this.claim(limit), flush: async () => {}, abort: () => this.http.abortAll() },
    );
  }

  start(): Promise<void> {
    return this.engine.start();
  }

  async stop(): Promise<void> {
    await this.engine.stop();
    this.http.close();
  }

  private async claim(limit: number): Promise<ClaimRound> {
    const now = this.deps.clock.now();
    const receipts = await claimReceipts(this.deps.db, { now, limit, leaseMs: RECEIPT_POLICY.leaseMs });
    if (receipts.length === 0) return { progressed: false, more: false };
    this.engine.take(receipts.length);
    this.engine.track(this.sendAll(receipts));
    return { progressed: true, more: receipts.length >= limit };
  }

  private async sendAll(receipts: ReceiptRow[]): Promise<void> {
    try {
      const updates = await Promise.all(receipts.map((receipt) => this.sendOne(receipt).finally(() => this.engine.give(1))));
      await applyReceiptUpdates(this.deps.db, updates, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.error({ err: error }, 'could not record receipt outcomes; they are sent again after their lease');
    }
  }

  private async sendOne(receipt: ReceiptRow): Promise<ReceiptUpdate> {
    const target = await this.targetOf(receipt.source_id);
    const now = this.deps.clock.now();
    const done = (status: ReceiptUpdate['status'], lastError: string | null, availableAt = now): ReceiptUpdate => {
      this.deps.metrics.receipts.inc({ result: status === 'pending' ? 'retry' : status });
      return { id: receipt.id, attempts: receipt.attempts, status, availableAt, lastError };
    };
    if (!target) return done('failed', 'the source no longer sends receipts');
    const headers = {
      ...signWebhook([target.secret], receipt.id, Math.floor(now / 1000), receipt.body),
      'content-type': 'application/json',
    };
    const result = await this.http.post(target.url, headers, receipt.body);
    this.deps.metrics.receiptSendDuration.observe(result.durationMs / 1000);
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
      this.deps.metrics.receiptLatency.observe((this.deps.clock.now() - receipt.created_at) / 1000);
      return done('delivered', null);
    }
    const error = describe(result);
    if (result.kind === 'response' && isFinalRefusal(result.status)) return done('failed', error);
    const next = nextReceiptAttemptAt(receipt.attempts, receipt.created_at, now);
    return next === null ? done('failed', `gave up after a day: ${error}`) : done('pending', error, next);
  }

  private async targetOf(sourceId: string): Promise<Target | null> {
    const now = this.deps.clock.now();
    const cached = this.targets.get(sourceId);
    if (cached && now - cached.loadedAt < TARGET_TTL_MS) return cached.target;
    const stored = await findReceiptTarget(this.deps.db, sourceId);
    const target = stored.url && stored.sealedSecret ? { url: stored.url, secret: this.deps.box.open(stored.sealedSecret) } : null;
    this.targets.set(sourceId, { target, loadedAt: now });
    return target;
  }
}

function describe(result: HttpResult): string {
  return result.kind === 'response' ? `HTTP ${result.status}${result.excerpt ? `: ${result.excerpt.slice(0, 200)}` : ''}` : result.message;
}
