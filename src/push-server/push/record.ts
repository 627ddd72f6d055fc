/**
 * The record stage: each job's outcome becomes its new row state, plus what the outcome implies —
 * a dead token removes its device, refused credentials pause the app's provider. Outcomes are
 * buffered and written a batch per transaction, since one write per push would cap throughput at
 * the database's commit rate.
 *
 * Outcomes are never dropped (docs/design.md §Faults): a failed write is tried again until the
 * database answers, while the worker renews the leases; once it has failed for longer than a lease,
 * the batch also goes to the outcome journal, which the next start replays should this process die.
 * Only a stop gives up, after its grace period, and journals what it gives up. Retry times are
 * stamped by the database's clock, read in the writing transaction.
 */
import type { Logger } from 'pino';
import { readLeaseTime, type LeaseTime } from '../../platform/db/lease-time.js';
import type { OutcomeJournal } from '../../platform/workers/outcome-journal.js';
import { writeUntilRecorded } from '../../platform/workers/write-until-recorded.js';
import type { PushDb } from '../db/connect.js';
import { deleteDeviceUnlessRegisteredSince } from '../db/queries/devices.js';
import { pauseProvider } from '../db/queries/provider-pauses.js';
import { applyJobUpdates, type JobUpdate, type PushJobRow } from '../db/queries/push-jobs.js';
import type { PushMetrics } from '../metrics.js';
import { emitPushReceipts } from '../receipts/emit.js';
import type { JobOutcome } from './job-outcome.js';
import { MAX_ATTEMPTS, nextAttemptAt } from './retry-policy.js';

export interface Finished {
  job: PushJobRow;
  outcome: JobOutcome;
  /** When the send began: a token registered again after that survives a "gone" answer. */
  startedAt: number;
  /** When the provider answered (or the worker decided): the end of the delivery latency. */
  answeredAt: number;
  /** The provider request's span, which the receipt continues (docs/design.md §Traces). */
  traceparent?: string | null;
}

interface Effects {
  updates: JobUpdate[];
  removals: { deviceId: string; goneSince: number; job: PushJobRow }[];
  pauses: { job: PushJobRow; reason: string }[];
}

const GATHER_MS = 5;
/** A batch waiting for the database takes in later outcomes up to this (7 bound values a row stay within SQLite's limit). */
const MAX_MERGED = 2_000;

export interface RecorderOptions {
  /** The time retries and finishes are stamped with: 'database', or a reading of a test's clock. */
  now: () => LeaseTime;
  /** A batch failing for this long goes to the journal too: the worker's lease may have run out. */
  leaseMs: number;
  journal: OutcomeJournal<JobUpdate> | null;
  /** After each batch is written (or given up): its jobs' leases are no longer held. */
  onWritten?: (jobs: PushJobRow[]) => void;
  maxBatch?: number;
  /** Rung after a commit that wrote receipts (docs/design.md §Receipts). */
  onReceipts?: () => void;
}

export class ResultRecorder {
  private buffer: Finished[] = [];
  private flushing: Promise<void> | null = null;
  /** Monotonic time after which a failing write is given up: set by a stop. */
  private giveUpAt = Number.POSITIVE_INFINITY;
  /** Jobs of the batch being written. */
  private writingIds = new Set<string>();

  constructor(
    private readonly db: PushDb,
    private readonly metrics: PushMetrics,
    private readonly logger: Logger,
    private readonly options: RecorderOptions,
  ) {}

  /** Whether the outcome of `jobId` waits to be written. */
  has(jobId: string): boolean {
    return this.buffer.some((f) => f.job.id === jobId) || this.writingIds.has(jobId);
  }

  /** Shutting down: writes still failing `ms` from now are journaled and given up. */
  giveUpAfter(ms: number): void {
    this.giveUpAt = performance.now() + ms;
  }

  add(finished: Finished): void {
    this.buffer.push(finished);
    // A few milliseconds of gathering turn a stream of answers into few, larger transactions;
    // the push is already out, so only the bookkeeping waits.
    this.flushing ??= new Promise<void>((started) => setTimeout(started, GATHER_MS)).then(() => this.drain());
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, this.options.maxBatch ?? 500);
        this.writingIds = new Set(batch.map((f) => f.job.id));
        await this.writeWithRetries(batch);
        this.writingIds = new Set();
        this.options.onWritten?.(batch.map((f) => f.job));
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Writes `batch`; while the database fails, what finishes meanwhile joins it, so it is written (or journaled) too. */
  private writeWithRetries(batch: Finished[]): Promise<void> {
    return writeUntilRecorded(batch, {
      write: (b) => this.write(b),
      takeFinished: (b) => {
        b.push(...this.buffer.splice(0, Math.max(0, MAX_MERGED - b.length)));
        for (const f of b) this.writingIds.add(f.job.id);
      },
      journal: (b, journaled) => this.journal(b, journaled),
      recorded: (count) => this.options.journal?.recorded(count),
      leaseMs: this.options.leaseMs,
      giveUpAt: () => this.giveUpAt,
      logger: this.logger,
      field: 'jobs',
      what: 'push results',
    });
  }

  /** The last resort: the outcomes as they would be written now, made durable in the journal. */
  private async journal(batch: Finished[], journaled: Set<Finished>): Promise<void> {
    const journal = this.options.journal;
    if (!journal || batch.length === 0) return;
    const now = Date.now();
    const effects: Effects = { updates: [], removals: [], pauses: [] };
    for (const finished of batch) apply(finished, now, effects);
    try {
      await journal.append(effects.updates);
      for (const f of batch) journaled.add(f);
    } catch (error) {
      this.logger.error({ err: error }, 'could not write the outcome journal either');
    }
  }

  private async write(batch: Finished[]): Promise<void> {
    const effects: Effects = { updates: [], removals: [], pauses: [] };
    let receipts = 0;
    await this.db.transaction().execute(async (tx) => {
      const now = await readLeaseTime(tx, this.options.now());
      for (const finished of batch) apply(finished, now, effects);
      await applyJobUpdates(tx, effects.updates, now);
      for (const removal of effects.removals) await deleteDeviceUnlessRegisteredSince(tx, removal.deviceId, removal.goneSince);
      for (const pause of effects.pauses) await pauseProvider(tx, pause.job.app_id, pause.job.provider, pause.reason, now);
      receipts = await emitPushReceipts(tx, batch, effects.updates, now);
    });
    if (receipts > 0) this.options.onReceipts?.();
    this.report(batch, effects);
  }

  /** Counts are summed per label set first: one increment per batch instead of one per push. */
  private report(batch: Finished[], effects: Effects): void {
    const counts = new Map<string, { labels: { provider: string; app: string; result: string }; n: number }>();
    for (const { job, outcome, answeredAt } of batch) {
      const key = `${job.provider} ${job.app_id} ${outcome.kind}`;
      const entry = counts.get(key) ?? { labels: { provider: job.provider, app: job.app_id, result: outcome.kind }, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
      if (outcome.kind === 'delivered')
        this.metrics.deliveryLatency.labels({ provider: job.provider }).observe((answeredAt - job.created_at) / 1000);
    }
    for (const { labels, n } of counts.values()) this.metrics.pushes.inc(labels, n);
    for (const removal of effects.removals) this.metrics.devicesRemoved.inc({ provider: removal.job.provider, app: removal.job.app_id });
    for (const pause of effects.pauses) {
      this.logger.error(
        { appId: pause.job.app_id, provider: pause.job.provider, reason: pause.reason },
        "provider credentials refused: the app's pushes through this provider are paused until an admin fixes or resumes them",
      );
    }
  }
}

/** The one switch on outcomes: what each kind does to the job, the device and the app. */
function apply({ job, outcome, startedAt }: Finished, now: number, effects: Effects): void {
  const update = (status: JobUpdate['status'], extra: Partial<JobUpdate> = {}): void => {
    effects.updates.push({
      id: job.id,
      attempts: job.attempts,
      status,
      availableAt: now,
      finishedAt: now,
      lastStatus: 'status' in outcome ? outcome.status : null,
      lastReason: 'reason' in outcome ? outcome.reason : null,
      ...extra,
    });
  };
  switch (outcome.kind) {
    case 'delivered':
      return update('delivered');
    case 'retry_later': {
      const next = nextAttemptAt({
        cause: outcome.cause,
        attempts: job.attempts,
        now,
        deliverBy: job.deliver_by,
        retryAfterMs: outcome.retryAfterMs,
      });
      if (next !== null) return update('pending', { availableAt: next, finishedAt: null });
      // No next attempt: either it would land after the deadline, or the attempts are used up.
      return update(job.attempts >= MAX_ATTEMPTS ? 'failed' : 'expired');
    }
    case 'token_gone':
      effects.removals.push({ deviceId: job.device_id, goneSince: Math.min(outcome.goneSince ?? startedAt, startedAt), job });
      return update('token_gone');
    case 'rejected':
      return update('rejected');
    case 'credentials_broken':
      // Back to waiting: the claim query skips paused providers, and the deadline still applies.
      effects.pauses.push({ job, reason: outcome.reason });
      return update('pending', { finishedAt: null });
    case 'expired':
      return update('expired');
    case 'canceled':
      return update('canceled');
    case 'failed':
      return update('failed');
  }
}
