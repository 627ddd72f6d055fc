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
import { notifyOtherProcesses } from '../push/wakeup.js';
import { fanOutBatch, type IngestItem, type IngestResult } from './fan-out.js';

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
  maxBatch?: number;
}

export class IngestWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private readonly maxBatch: number;

  constructor(private readonly options: IngestWriterOptions) {
    this.maxBatch = options.maxBatch ?? 500;
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
    const byApp = groupByApp(batch);
    let jobs = 0;
    const results = await this.options.db.transaction().execute(async (tx) => {
      const out = new Map<Pending, IngestResult>();
      for (const [appId, pendings] of byApp) {
        const stored = await fanOutBatch(tx, appId, pendings.map((p) => p.item), now);
        pendings.forEach((pending, index) => out.set(pending, stored.results[index]!));
        jobs += stored.jobs;
      }
      if (jobs > 0) await notifyOtherProcesses(tx);
      return out;
    });
    if (jobs > 0) this.options.onJobsAdded();
    for (const [pending, result] of results) pending.resolve(result);
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
