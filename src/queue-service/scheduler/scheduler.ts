/**
 * Time-driven changes (docs/design.md §States and transitions): timeouts, reminders and appointment alerts live as durable
 * due rows (scheduled_jobs), not in-memory timers, so a restart misses nothing. Each sweep claims
 * the due rows under a lease (SKIP LOCKED on PostgreSQL, so several schedulers share the work) and
 * fires each in its own transaction that also removes it, so none fires twice.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import type { QueueServiceDeps } from '../deps.js';
import type { ScheduledJob } from '../db/schema.js';
import { claimDueJobs, nextJobDueAt, releaseJob, takeClaimedJob } from '../db/queries/scheduled-jobs.js';
import { SweepContexts, fireJob } from './fire.js';
import { SCHEDULER } from './policy.js';

export interface SchedulerOptions {
  workerId: string;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
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

export class Scheduler {
  readonly options: SchedulerOptions;
  private readonly logger: Logger;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private sleeper: { timer: NodeJS.Timeout; wake: () => void } | null = null;

  constructor(private readonly deps: QueueServiceDeps, options: Partial<SchedulerOptions> = {}) {
    this.options = { workerId: `sch_${hostname().replace(/[^A-Za-z0-9-]/g, '').slice(0, 20)}_${process.pid}_${newId('', 6).slice(1)}`, ...SCHEDULER, ...options };
    this.logger = deps.logger.child({ component: 'scheduler', workerId: this.options.workerId });
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper?.wake();
    await this.loop;
  }

  /** Fires every job due now, batch after batch, and returns what happened. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { claimed: 0, fired: 0, skipped: 0, failed: 0 };
    const contexts = new SweepContexts();
    for (;;) {
      const jobs = await claimDueJobs(this.deps.database, { workerId: this.options.workerId, now: this.deps.clock.now(), limit: this.options.batchSize, leaseMs: this.options.leaseMs });
      if (jobs.length === 0) break;
      result.claimed += jobs.length;
      for (const outcome of await this.fireAll(jobs, contexts)) result[outcome] += 1;
      // Changes were committed: wake the dispatcher and the live streams of this process.
      this.deps.outboxSignal.notify();
      if (jobs.length < this.options.batchSize || this.stopping) break;
    }
    return result;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.sweep();
        const next = await nextJobDueAt(this.deps.database.db);
        await this.sleep(next === null ? this.options.pollIntervalMs : Math.min(this.options.pollIntervalMs, Math.max(0, next - this.deps.clock.now())));
      } catch (error) {
        this.logger.error({ err: error }, 'scheduler sweep failed; trying again shortly');
        await this.sleep(this.options.pollIntervalMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeper = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleeper = { timer, wake };
    });
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

  private async fireOne(job: ScheduledJob, contexts: SweepContexts): Promise<JobOutcome> {
    const { workerId } = this.options;
    try {
      return await this.deps.database.transaction(async (trx) => {
        if (!(await takeClaimedJob(trx, job.id, workerId))) return 'skipped';
        return fireJob(trx, job, this.deps.clock.now(), contexts);
      });
    } catch (error) {
      return this.failed(job, error);
    }
  }

  private async failed(job: ScheduledJob, error: unknown): Promise<JobOutcome> {
    const { workerId } = this.options;
    const db = this.deps.database.db;
    // Someone changed the ticket between our read and our write: look again at once.
    if (error instanceof AppError && error.code === 'CONFLICT') {
      await releaseJob(db, job.id, workerId, this.deps.clock.now());
      return 'skipped';
    }
    if (job.attempts >= this.options.maxAttempts) {
      this.logger.error({ err: error, jobId: job.id, ticketId: job.ticket_id, kind: job.kind }, 'scheduled job failed too often; dropping it');
      await this.deps.database.transaction((trx) => takeClaimedJob(trx, job.id, workerId));
    } else {
      this.logger.warn({ err: error, jobId: job.id, ticketId: job.ticket_id, kind: job.kind, attempts: job.attempts }, 'scheduled job failed; will retry');
      await releaseJob(db, job.id, workerId, this.deps.clock.now() + this.options.retryDelayMs);
    }
    return 'failed';
  }
}
