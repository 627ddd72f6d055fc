/**
 * Group commit for ingest. Each request waits for its message to be durable before the 2xx, and
 * a commit per request would cap throughput at the disk's (or the network round trip's) commit
 * rate. So requests arriving while a transaction commits queue up and go together in the next
 * one: one request alone is written at once, a burst shares commits. If a batch fails, its items
 * are retried one by one, so one bad item cannot fail its neighbours.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { PushDb } from '../db/connect.js';
import type { ClaimedPush, LocalDispatch } from '../push/local-dispatch.js';
import { announceJobs } from '../push/jobs-channel.js';
import { fanOutBatch, type Claimer, type IngestItem, type IngestResult } from './fan-out.js';

interface Pending {
  item: IngestItem;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

export interface IngestWriterOptions {
  db: PushDb;
  clock: Clock;
  logger: Logger;
  onJobsAdded(): void;
  /** Rung after a commit that wrote receipts. */
  onReceipts?(): void;
  maxBatch?: number;
}

export class IngestWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private readonly maxBatch: number;
  private local: LocalDispatch | null = null;

  constructor(private readonly options: IngestWriterOptions) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Role all: hand new pushes straight to this process's worker (push/local-dispatch.ts). */
  attach(local: LocalDispatch | null): void {
    this.local = local;
  }

  write(item: IngestItem): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // setImmediate gathers the requests parsed in this turn of the event loop into one batch.
      this.running ??= new Promise<void>((started) => setImmediate(started)).then(() => this.drain());
    });
  }

  /** Resolves once everything queued so far is written (graceful shutdown). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.commit(batch).catch(() => this.commitOneByOne(batch));
      }
    } finally {
      this.running = null;
    }
  }

  private async commitOneByOne(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.commit(batch).catch((error: unknown) => batch[0]!.reject(error));
    for (const pending of batch) await this.commit([pending]).catch((error: unknown) => pending.reject(error));
  }

  private async commit(batch: Pending[]): Promise<void> {
    const now = this.options.clock.now();
    const claimer = this.claimer();
    let jobs = 0;
    let handedOver = 0;
    let receipts = 0;
    const claimed: ClaimedPush[] = [];
    const results = await this.options.db
      .transaction()
      .execute(async (tx) => {
        const out = new Map<Pending, IngestResult>();
        for (const [appId, pendings] of groupByApp(batch)) {
          const stored = await fanOutBatch(
            tx,
            appId,
            pendings.map((p) => p.item),
            now,
            claimer?.claimer ?? null,
          );
          for (const [index, pending] of pendings.entries()) out.set(pending, stored.results[index]!);
          jobs += stored.jobs;
          receipts += stored.receipts;
          claimed.push(...stored.claimed);
        }
        handedOver = claimed.length;
        if (jobs > handedOver) await announceJobs(tx);
        return out;
      })
      .catch((error: unknown) => {
        claimer?.releaseAll();
        throw error;
      });
    if (handedOver > 0) this.local!.dispatch(claimed, now);
    if (jobs > handedOver) this.options.onJobsAdded();
    if (receipts > 0) this.options.onReceipts?.();
    for (const [pending, result] of results) pending.resolve(result);
  }

  /** Counts what the batch reserved in the local worker, to give it back if the transaction fails. */
  private claimer(): { claimer: Claimer; releaseAll(): void } | null {
    const local = this.local;
    if (!local) return null;
    let reserved = 0;
    return {
      claimer: {
        leaseMs: local.leaseMs,
        workerId: local.workerId,
        reserve: (count) => {
          const got = local.reserve(count);
          reserved += got;
          return got;
        },
      },
      releaseAll: () => {
        local.release(reserved);
        reserved = 0;
      },
    };
  }
}

function groupByApp(batch: Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  for (const pending of batch) {
    const group = groups.get(pending.item.appId);
    if (group) group.push(pending);
    else groups.set(pending.item.appId, [pending]);
  }
  return groups;
}
