/**
 * The receipt sender (docs/design.md §Receipts): claims waiting receipts under a lease on the worker
 * engine, signs each per Standard Webhooks with its source's receipt secret (`webhook-id` = the
 * receipt id, the same on every attempt; many at once go as one `receipt.batch`), POSTs it over
 * the SSRF-safe client, and records the
 * outcome: 2xx delivered, a 4xx other than 408/429 failed, anything else retried with back-off
 * (receipts/policy.ts) until a day has passed.
 */
import type { Logger } from 'pino';
import { MAX_RECEIPTS_PER_BATCH } from '../../contract/receipts.js';
import { signWebhook } from '../../contract/standard-webhooks.js';
import type { Clock } from '../../platform/clock.js';
import { SafeHttpClient, type HttpResult } from '../../platform/net/safe-http.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { Signal } from '../../platform/signal.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import { endRequestSpan, NO_SPAN, startSpan, tracing, withTraceHeader, type TraceSpan } from '../../platform/tracing/tracing.js';
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

/**
 * The POST continues the trace of the push it reports (docs/design.md §Traces); a batch continues
 * its first receipt's and links the others'.
 */
function receiptSpan(id: string, receipts: ReceiptRow[]): TraceSpan {
  if (!tracing('push-server')) return NO_SPAN;
  return startSpan({
    service: 'push-server',
    name: 'send receipt',
    kind: 'client',
    parent: receipts[0]!.traceparent,
    links: receipts.slice(1).map((receipt) => receipt.traceparent),
    attributes: { 'queuebell.receipt.id': id, 'queuebell.webhook_id': receipts[0]!.webhook_id, 'queuebell.receipts': receipts.length },
  });
}

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
      const updates: ReceiptUpdate[] = [];
      await Promise.all(
        batchesOf(receipts).map(async (batch) => {
          updates.push(...(await this.sendBatch(batch)));
          this.engine.give(batch.length);
        }),
      );
      await applyReceiptUpdates(this.deps.db, updates, this.deps.clock.now());
    } catch (error) {
      this.deps.logger.error({ err: error }, 'could not record receipt outcomes; they are sent again after their lease');
    }
  }

  /**
   * Many waiting receipts of one source go in one POST (a `receipt.batch`): a POST per receipt
   * would cost the push server more than the pushes. A batch the receiver refuses for good is sent
   * again one receipt at a time, so one it cannot place does not hold back the others.
   */
  private async sendBatch(batch: ReceiptRow[]): Promise<ReceiptUpdate[]> {
    if (batch.length === 1) return [await this.sendOne(batch)];
    const first = batch[0]!;
    const update = await this.sendOne(batch);
    if (update.status !== 'failed' || update.lastError === NO_TARGET)
      return batch.map((receipt) => ({ ...update, id: receipt.id, attempts: receipt.attempts }));
    return Promise.all(batch.map((receipt) => this.sendOne([receipt]))).then((updates) => {
      this.deps.logger.debug({ receipts: batch.length, first: first.id }, 'a receipt batch was refused; sent one by one');
      return updates;
    });
  }

  private async sendOne(receipts: ReceiptRow[]): Promise<ReceiptUpdate> {
    const receipt = receipts[0]!;
    const target = await this.targetOf(receipt.source_id);
    const now = this.deps.clock.now();
    const done = (status: ReceiptUpdate['status'], lastError: string | null, availableAt = now): ReceiptUpdate => {
      this.deps.metrics.receipts.inc({ result: status === 'pending' ? 'retry' : status }, receipts.length);
      return { id: receipt.id, attempts: receipt.attempts, status, availableAt, lastError };
    };
    if (!target) return done('failed', NO_TARGET);
    const { id, body } = receipts.length === 1 ? { id: receipt.id, body: receipt.body } : batchBody(receipts);
    const headers = {
      ...signWebhook([target.secret], id, Math.floor(now / 1000), body),
      'content-type': 'application/json',
    };
    const span = receiptSpan(id, receipts);
    const result = await this.http.post(target.url, withTraceHeader(headers, span), body);
    const refused = result.kind === 'response' && result.status >= 200 && result.status < 300 ? null : describe(result);
    endRequestSpan(span, result.kind === 'response' ? 'answered' : 'failed', result.kind === 'response' ? result.status : null, refused);
    this.deps.metrics.receiptSendDuration.observe(result.durationMs / 1000);
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
      const answered = this.deps.clock.now();
      for (const r of receipts) this.deps.metrics.receiptLatency.observe((answered - r.created_at) / 1000);
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

const NO_TARGET = 'the source no longer sends receipts';

/** Receipts of one source together, at most MAX_RECEIPTS_PER_BATCH a POST. */
function batchesOf(receipts: ReceiptRow[]): ReceiptRow[][] {
  const bySource = new Map<string, ReceiptRow[]>();
  for (const receipt of receipts) bySource.set(receipt.source_id, [...(bySource.get(receipt.source_id) ?? []), receipt]);
  const batches: ReceiptRow[][] = [];
  for (const group of bySource.values()) {
    for (let start = 0; start < group.length; start += MAX_RECEIPTS_PER_BATCH)
      batches.push(group.slice(start, start + MAX_RECEIPTS_PER_BATCH));
  }
  return batches;
}

/** The batch's own webhook-id names its first receipt and its size; each receipt keeps its own id inside. */
function batchBody(receipts: ReceiptRow[]): { id: string; body: string } {
  const items = receipts.map((r) => `{"id":${JSON.stringify(r.id)},${r.body.slice(1)}`);
  return { id: `rcb_${receipts[0]!.id}_${receipts.length}`, body: `{"type":"receipt.batch","receipts":[${items.join(',')}]}` };
}

function describe(result: HttpResult): string {
  return result.kind === 'response' ? `HTTP ${result.status}${result.excerpt ? `: ${result.excerpt.slice(0, 200)}` : ''}` : result.message;
}
