/**
 * Time-driven changes (docs/design.md §States and transitions, §Workers): timeouts, reminders and appointment alerts live as durable
 * due rows (scheduled_jobs), not in-memory timers, so a restart misses nothing. The loop is the
 * worker engine's (platform/workers/engine.ts), woken by polling no later than the next due row; each
 * round claims due rows under a lease (SKIP LOCKED on PostgreSQL, so several schedulers share the
 * work) and fires each in its own transaction that also removes it, so none fires twice. Leases are
 * short, renewed while a batch fires, stamped by the database's clock, and on PostgreSQL taken over
 * at once from a scheduler whose liveness lock is free (docs/design.md §Workers). Its policy:
 * bounded concurrency, a conflict looks again at once, a failure retries a few times.
 */
import type { Logger } from 'pino';
import { AppError } from '../../contract/errors.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import { newWorkerId } from '../../platform/workers/worker-id.js';
import { HeldLeases } from '../../platform/workers/held-leases.js';
import { leaseClockFor, leaseTimeOf, type LeaseTime } from '../../platform/db/lease-time.js';
import { inSpan, tracing } from '../../platform/tracing/tracing.js';
import type { QueueServiceDeps } from '../deps.js';
import type { ScheduledJob } from '../db/schema.js';
import {
  claimDueJobs,
  nextJobDueIn,
  releaseJob,
  renewJobLeases,
  takeClaimedJob,
  takeOverJobLeasesOfStoppedWorkers,
} from '../db/queries/scheduled-jobs.js';
import { SweepContexts, fireJob } from './fire.js';
import { SCHEDULER } from './policy.js';

export interface SchedulerOptions {
  workerId: string;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  renewEveryMs: number;
  /** Which clock stamps leases and retry times: 'database' (PostgreSQL's; SQLite's one process) or 'own' (a test's clock). */
  leaseClock: 'database' | 'own';
  pollIntervalMs: number;
  retryDelayMs: number;
  maxAttempts: number;
}

export interface SweepResult {
  claimed: number;
  fired: number;
  /** The ticket had moved on, or another scheduler took the job after this one's lease ran out. */
  skipped: number;
  failed: number;
}

type JobOutcome = 'fired' | 'skipped' | 'failed';

const noneYet = (): SweepResult => ({ claimed: 0, fired: 0, skipped: 0, failed: 0 });

export class Scheduler {
  readonly options: SchedulerOptions;
  private readonly logger: Logger;
  private readonly engine: WorkerEngine;
  /** Jobs claimed and not yet fired or given back. */
  private readonly leases: HeldLeases;
  private stopping = false;
  /** Queue settings read during the running sweep (the batches since the last short one). */
  private contexts = new SweepContexts();

  constructor(
    private readonly deps: QueueServiceDeps,
    options: Partial<SchedulerOptions> = {},
  ) {
    this.options = { workerId: newWorkerId('sch'), leaseClock: leaseClockFor(deps.clock), ...SCHEDULER, ...options };
    this.options.renewEveryMs = options.renewEveryMs ?? Math.min(SCHEDULER.renewEveryMs, this.options.leaseMs / 4);
    this.logger = deps.logger.child({ component: 'scheduler', workerId: this.options.workerId });
    this.leases = new HeldLeases(this.options.leaseMs);
    const { batchSize, pollIntervalMs, renewEveryMs, workerId } = this.options;
    const pool = deps.database.pgPool;
    // Jobs are fired within their claim, so nothing stays in flight: capacity is one batch.
    this.engine = new WorkerEngine(
      {
        name: 'scheduler',
        logger: this.logger,
        batchSize,
        capacity: batchSize,
        minClaim: 1,
        pollIntervalMs,
        graceMs: 0,
        afterGrace: 'leave',
        renewEveryMs,
        liveness: pool ? { pool, workerId } : null,
      },
      {
        claim: (limit) => this.claim(limit),
        flush: async () => {},
        renew: () => this.renew(),
      },
    );
  }

  start(): void {
    void this.engine.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.engine.stop();
  }

  /** Fires every job due now, batch after batch, and returns what happened. */
  async sweep(): Promise<SweepResult> {
    const result = noneYet();
    const contexts = new SweepContexts();
    while (await this.fireBatch(this.options.batchSize, contexts, result));
    return result;
  }

  /** One batch of the running sweep; once it comes up short, the sweep ends and the loop waits for the next due row. */
  private async claim(limit: number): Promise<ClaimRound> {
    const result = noneYet();
    let more = false;
    try {
      more = await this.fireBatch(limit, this.contexts, result);
    } finally {
      if (!more) this.contexts = new SweepContexts();
    }
    if (more) return { progressed: true, more };
    const dueInMs = await nextJobDueIn(this.deps.database.db, this.leaseTime());
    return { progressed: result.claimed > 0, more, dueInMs: dueInMs ?? undefined };
  }

  private leaseTime(): LeaseTime {
    return leaseTimeOf(this.options.leaseClock, this.deps.clock);
  }

  /** Renews the jobs of the batch still to fire; then takes over the leases of schedulers that died. */
  private async renew(): Promise<void> {
    const { workerId, leaseMs } = this.options;
    const db = this.deps.database.db;
    await this.leases.renew((ids) => renewJobLeases(db, workerId, ids, leaseMs, this.leaseTime()));
    if (await takeOverJobLeasesOfStoppedWorkers(db, workerId)) this.engine.wake();
  }

  /** Claims and fires up to `limit` due jobs; true when the batch was full (more may be due). */
  private async fireBatch(limit: number, contexts: SweepContexts, result: SweepResult): Promise<boolean> {
    const stampedAt = performance.now();
    const jobs = await claimDueJobs(this.deps.database, {
      workerId: this.options.workerId,
      now: this.leaseTime(),
      limit,
      leaseMs: this.options.leaseMs,
    });
    if (jobs.length === 0) return false;
    for (const job of jobs) this.leases.hold(job.id, stampedAt);
    result.claimed += jobs.length;
    for (const outcome of await this.fireAll(jobs, contexts)) result[outcome] += 1;
    // Changes were committed: wake the dispatcher and the live streams of this process.
    this.deps.outboxSignal.notify();
    return jobs.length >= limit && !this.stopping;
  }

  /** Fires a batch with bounded concurrency. */
  private async fireAll(jobs: ScheduledJob[], contexts: SweepContexts): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = new Array(jobs.length);
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const index = next++;
        outcomes[index] = await this.fireOne(jobs[index]!, contexts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, jobs.length) }, lane));
    return outcomes;
  }

  /** A fired job's changes start a trace of their own (docs/design.md §Traces): no request caused them. */
  private fireOne(job: ScheduledJob, contexts: SweepContexts): Promise<JobOutcome> {
    if (!tracing('queue-service')) return this.fireInTransaction(job, contexts);
    const attributes = { 'queuebell.ticket.id': job.ticket_id, 'queuebell.scheduled_job.kind': job.kind };
    return inSpan({ service: 'queue-service', name: `scheduler ${job.kind}`, kind: 'internal', parent: null, attributes }, async (span) => {
      const outcome = await this.fireInTransaction(job, contexts);
      span.set({ 'queuebell.outcome': outcome });
      return outcome;
    });
  }

  private async fireInTransaction(job: ScheduledJob, contexts: SweepContexts): Promise<JobOutcome> {
    const { workerId } = this.options;
    try {
      return await this.deps.database.transaction(async (trx) => {
        if (!(await takeClaimedJob(trx, job.id, workerId))) return 'skipped';
        return fireJob(trx, job, this.deps.clock.now(), contexts);
      });
    } catch (error) {
      return await this.failed(job, error);
    } finally {
      this.leases.forget(job.id);
    }
  }

  private async failed(job: ScheduledJob, error: unknown): Promise<JobOutcome> {
    const { workerId } = this.options;
    const db = this.deps.database.db;
    // Someone changed the ticket between our read and our write: look again at once.
    if (error instanceof AppError && error.code === 'CONFLICT') {
      await releaseJob(db, job.id, workerId, this.leaseTime());
      return 'skipped';
    }
    if (job.attempts >= this.options.maxAttempts) {
      this.logger.error(
        { err: error, jobId: job.id, ticketId: job.ticket_id, kind: job.kind },
        'scheduled job failed too often; dropping it',
      );
      await this.deps.database.transaction((trx) => takeClaimedJob(trx, job.id, workerId));
    } else {
      this.logger.warn(
        { err: error, jobId: job.id, ticketId: job.ticket_id, kind: job.kind, attempts: job.attempts },
        'scheduled job failed; will retry',
      );
      await releaseJob(db, job.id, workerId, this.leaseTime(), this.options.retryDelayMs);
    }
    return 'failed';
  }
}
