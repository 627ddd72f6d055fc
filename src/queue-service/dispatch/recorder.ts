/**
 * The record stage: every finished delivery becomes an attempt row (when it was an attempt), a
 * settled message and news about its destination's health. Finished deliveries are written in
 * batches — whatever finished while the previous batch was being written — in one transaction,
 * so the log costs a few round trips per batch rather than per message. Retry times are stamped by
 * the database's clock, read in the writing transaction (docs/design.md §Workers).
 */
import type { Database } from '../../platform/db/database.js';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { readLeaseTime, type LeaseTime } from '../../platform/db/lease-time.js';
import type { OutcomeJournal } from '../../platform/workers/outcome-journal.js';
import { writeUntilRecorded } from '../../platform/workers/write-until-recorded.js';
import type { Message, MessageAttempt, QueueServiceSchema } from '../db/schema.js';
import { insertAttempts } from '../db/queries/message-attempts.js';
import type { QueueMetrics } from '../metrics.js';
import { stampDispatchProgress } from '../db/queries/dispatch-progress.js';
import { settleClaims, type Settlement } from '../db/queries/message-claims.js';
import type { DestinationHealth, HealthReport } from './destination-health.js';
import { isDestinationFailure, isDestinationSuccess, type DeliveryOutcome } from './outcome.js';
import { attemptFor, settlementFor } from './settle.js';

export interface Finished {
  message: Message;
  outcome: DeliveryOutcome;
  startedAt: number;
}

/** One outcome in the journal: what the record stage would have written. */
export interface JournaledOutcome {
  workerId: string;
  settlement: Settlement;
  attempt: MessageAttempt | null;
}

export interface RecorderOptions {
  /** 'database', or a reading of a test's clock: the time settlements are stamped with. */
  leaseTime: () => LeaseTime;
  /** A batch failing for this long goes to the journal too: the dispatcher's lease may have run out. */
  leaseMs: number;
  journal: OutcomeJournal<JournaledOutcome> | null;
}

/** How often a busy recorder stamps its progress for the stall check (dispatch/delivery-stall.ts): a write a second at most. */
const PROGRESS_STAMP_INTERVAL_MS = 1_000;

export class Recorder {
  private buffer: Finished[] = [];
  private flushing: Promise<void> | null = null;
  /** Monotonic time after which a failing write is given up: set by a stop. */
  private giveUpAt = Infinity;
  private progressStampedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly database: Pick<Database<QueueServiceSchema>, 'transaction'>,
    private readonly workerId: string,
    private readonly clock: Clock,
    private readonly health: DestinationHealth,
    private readonly logger: Logger,
    /** Called after each batch with its message ids: the lanes it settled may have a next message to send. */
    private readonly onWritten: (ids: string[]) => void,
    private readonly options: RecorderOptions,
    private readonly random?: () => number,
    /** Attempts, deliveries and expirations for /metrics (docs/design.md §Delivery). */
    private readonly metrics?: QueueMetrics,
  ) {}

  add(finished: Finished): void {
    this.buffer.push(finished);
    this.flushing ??= this.flushAll();
  }

  /** Shutting down: writes failing `ms` from now are given up (their messages are sent again after their lease). */
  giveUpAfter(ms: number): void {
    this.giveUpAt = performance.now() + ms;
  }

  /** Resolves once everything added so far is written. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      await this.writeWithRetries(batch);
      this.onWritten(batch.map((f) => f.message.id));
    }
    this.flushing = null;
  }

  /** Writes `batch`; while the database fails, what finishes meanwhile joins it, so it is written (or journaled) too. */
  private writeWithRetries(batch: Finished[]): Promise<void> {
    return writeUntilRecorded(batch, {
      write: (b) => this.write(b),
      takeFinished: (b) => {
        b.push(...this.buffer.splice(0));
      },
      journal: (b, journaled) => this.journal(b, journaled),
      recorded: (count) => this.options.journal?.recorded(count),
      leaseMs: this.options.leaseMs,
      giveUpAt: () => this.giveUpAt,
      logger: this.logger,
      field: 'messages',
      what: 'deliveries',
    });
  }

  /** The last resort: the batch as it would be written now, made durable in the journal. */
  private async journal(batch: Finished[], journaled: Set<Finished>): Promise<void> {
    const journal = this.options.journal;
    if (!journal || batch.length === 0) return;
    const now = this.clock.now();
    const entries = batch.map((f) => ({
      workerId: this.workerId,
      settlement: settlementFor(f.message, f.outcome, now, this.random),
      attempt: attemptFor(f.message, f.outcome, f.startedAt),
    }));
    try {
      await journal.append(entries);
      for (const f of batch) journaled.add(f);
    } catch (error) {
      this.logger.error({ err: error }, 'could not write the outcome journal either');
    }
  }

  /**
   * Outside the settle transaction, so dispatchers of several processes never wait on each other
   * for the one row, and a failed stamp never makes a recorded batch be written again.
   */
  private async stampProgress(now: number): Promise<void> {
    // A clock set back (a test's, or a corrected system clock) stamps at once too.
    if (now >= this.progressStampedAt && now - this.progressStampedAt < PROGRESS_STAMP_INTERVAL_MS) return;
    this.progressStampedAt = now;
    try {
      await this.database.transaction((trx) => stampDispatchProgress(trx, now));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not stamp dispatch progress; the stall check may report a stall');
    }
  }

  private async write(batch: Finished[]): Promise<void> {
    const attempts = batch.flatMap((f) => attemptFor(f.message, f.outcome, f.startedAt) ?? []);
    let settlements: Settlement[] = [];
    const written = await this.database.transaction(async (trx) => {
      const now = await readLeaseTime(trx, this.options.leaseTime());
      settlements = batch.map((f) => settlementFor(f.message, f.outcome, now, this.random));
      await insertAttempts(trx, attempts);
      return settleClaims(trx, this.workerId, settlements);
    });
    // Progress and health are read against the wall clocks of other processes, as before.
    const now = this.clock.now();
    await this.stampProgress(now);
    this.metrics?.recordDeliveries(
      batch.map((f, i) => ({
        channel: f.message.channel,
        outcome: f.outcome.kind,
        status: settlements[i]!.status,
        createdAt: f.message.created_at,
        deliveredAt: settlements[i]!.deliveredAt,
      })),
    );
    if (written < settlements.length) {
      this.logger.warn(
        { lost: settlements.length - written },
        'some leases ran out before their delivery was recorded; another worker took them over',
      );
    }
    await this.health.apply(healthReports(batch), now);
  }
}

function healthReports(batch: Finished[]): Map<string, HealthReport> {
  const reports = new Map<string, HealthReport>();
  for (const { message, outcome } of batch) {
    if (message.channel !== 'webhook' || !message.destination_id) continue;
    const report = reports.get(message.destination_id) ?? {
      failures: 0,
      lastFailure: null,
      endedHealthy: false,
      gone: null,
      clockOffsetMs: null,
    };
    reports.set(message.destination_id, report);
    if (outcome.kind === 'gone') report.gone = outcome.error;
    else if (isDestinationSuccess(outcome)) report.endedHealthy = true;
    else if (isDestinationFailure(outcome) && outcome.kind === 'retry_later') {
      report.failures += 1;
      report.lastFailure = outcome.error;
      report.clockOffsetMs = outcome.clockOffsetMs ?? null;
      report.endedHealthy = false;
    }
  }
  return reports;
}
