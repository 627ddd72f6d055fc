/**
 * Step ④, the push worker: claim → prepare → send → record, as a pipeline on the worker engine
 * (platform/workers/engine.ts). It claims a batch whenever it has room for more pushes in flight, so
 * thousands of requests share the providers' HTTP/2 sessions while the next batch is being read.
 * Stopping gives back at once what it claimed and has not sent, finishes what is in flight and
 * records it. Leases are short and renewed while pushes are in flight, stamped by the database's
 * clock; on PostgreSQL a crashed worker's leases are taken over as soon as its liveness lock frees,
 * otherwise they come back when they run out (docs/design.md §Workers). Its policy: jobs of paused
 * providers are not claimed (the claim query), retries per cause (retry-policy.ts), outcomes per
 * provider answer (record.ts).
 */
import type { Logger } from 'pino';
import type { AppCache } from '../apps/app-cache.js';
import type { Clock } from '../../platform/clock.js';
import type { Signal } from '../../platform/signal.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import { HeldLeases } from '../../platform/workers/held-leases.js';
import { leaseClockFor, leaseTimeOf, type LeaseTime } from '../../platform/db/lease-time.js';
import { OutcomeJournal } from '../../platform/workers/outcome-journal.js';
import { newWorkerId } from '../../platform/workers/worker-id.js';
import type { PushDatabase, PushDb } from '../db/connect.js';
import {
  claimPushJobsAt,
  releasePushClaims,
  renewPushLeases,
  replayJobUpdates,
  takeOverPushLeasesOfStoppedWorkers,
  type HeldJob,
  type JobUpdate,
  type PushJobRow,
} from '../db/queries/push-jobs.js';
import type { PushMetrics } from '../metrics.js';
import type { AppContext, PreparedPush, Provider, ProviderName } from '../providers/provider.js';
import {
  endRequestSpan,
  NO_SPAN,
  pushIdHash,
  startSpan,
  tracing,
  withTraceHeader,
  type TraceSpan,
} from '../../platform/tracing/tracing.js';
import { JOBS_CHANNEL } from './jobs-channel.js';
import type { ClaimedPush, LocalDispatch } from './local-dispatch.js';
import { prepareBatch, prepareLoaded, type PrepareContext, type ReadyPush } from './prepare.js';
import { ResultRecorder } from './record.js';

export interface WorkerOptions {
  workerId: string;
  /** Jobs claimed per query. */
  batchSize: number;
  /** Pushes waiting for a provider's answer at most; bounds memory and each provider's queue. */
  maxInFlight: number;
  /** How long a claim holds unless renewed: a crashed worker's pushes are sent again this soon at the latest. */
  leaseMs: number;
  /** How often the leases of pushes in flight are renewed (a quarter lease). */
  renewEveryMs: number;
  /** Which clock stamps leases and retry times: 'database' (PostgreSQL's; SQLite's one process) or 'own' (a test's clock). */
  leaseClock: 'database' | 'own';
  /** The data directory for the outcome journal; null: none (outcomes unwritten at a crash are sent again). */
  journalDir: string | null;
  /** The polling fallback when no wake-up arrives. */
  pollIntervalMs: number;
  /** How long stop() waits for pushes in flight before leaving them to their lease. */
  stopTimeoutMs: number;
  /** PostgreSQL: the pause before listening again after the LISTEN connection was lost. */
  listenRetryMs?: number;
}

const DEFAULT_WORKER_OPTIONS = {
  batchSize: 200,
  maxInFlight: 1000,
  leaseMs: 10_000,
  renewEveryMs: 2_500,
  pollIntervalMs: 500,
  stopTimeoutMs: 15_000,
  journalDir: null,
};

export interface WorkerDeps {
  database: Pick<PushDatabase, 'pgPool'>;
  db: PushDb;
  apps: AppCache;
  clock: Clock;
  logger: Logger;
  metrics: PushMetrics;
  signal: Signal;
  /** Rung when receipts were written, to wake the receipt sender of this process. */
  receiptSignal?: Signal;
  providers: Record<ProviderName, Provider>;
}

/** The provider request continues the trace of the ingest that wrote the job (docs/design.md §Traces). */
function providerSpan(job: PushJobRow, provider: ProviderName): TraceSpan {
  if (!tracing('push-server')) return NO_SPAN;
  return startSpan({
    service: 'push-server',
    name: `push ${provider}`,
    kind: 'client',
    parent: job.traceparent,
    attributes: {
      'queuebell.provider': provider,
      'queuebell.push_job.id': job.id,
      'queuebell.device.id': job.device_id,
      'queuebell.push_id.hash': pushIdHash(job.push_id),
      'queuebell.ticket.id': job.collapse_key,
      'queuebell.attempt': job.attempts,
    },
  });
}

/** The provider sees `traceparent` too: APNs, FCM and push services may log it with their own ids. */
function withTraceparent(prepared: PreparedPush, span: TraceSpan): PreparedPush {
  return span.traceparent === null ? prepared : { ...prepared, headers: withTraceHeader(prepared.headers, span) };
}

export class PushWorker implements LocalDispatch {
  private readonly options: WorkerOptions;
  private readonly recorder: ResultRecorder;
  private readonly engine: WorkerEngine;
  private readonly appVersions = new Map<string, number>();
  private readonly leases: HeldLeases;
  /** The attempt each held job was claimed for: the fence of its renewals and release. */
  private readonly attempts = new Map<string, number>();
  private readonly journal: OutcomeJournal<JobUpdate> | null;
  private readonly logger: Logger;
  private stopping = false;
  /** Claims given back unsent during shutdown. */
  private readonly released: HeldJob[] = [];

  constructor(
    private readonly deps: WorkerDeps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { workerId: newWorkerId('pwk'), leaseClock: leaseClockFor(deps.clock), ...DEFAULT_WORKER_OPTIONS, ...options };
    // A lease shorter than the default is still renewed several times before it runs out.
    this.options.renewEveryMs = options.renewEveryMs ?? Math.min(DEFAULT_WORKER_OPTIONS.renewEveryMs, this.options.leaseMs / 4);
    this.logger = deps.logger.child({ component: 'push worker', workerId: this.options.workerId });
    this.leases = new HeldLeases(this.options.leaseMs);
    const { journalDir } = this.options;
    this.journal = journalDir ? new OutcomeJournal({ dir: journalDir, name: 'push-worker', logger: this.logger }) : null;
    this.recorder = new ResultRecorder(deps.db, deps.metrics, this.logger, {
      now: () => this.leaseTime(),
      leaseMs: this.options.leaseMs,
      journal: this.journal,
      // A job's slot is free only once its outcome is written: answers the database has not taken
      // yet count against maxInFlight, so a slow record stage slows claiming instead of piling up.
      onWritten: (jobs) => {
        for (const job of jobs) this.forget(job.id);
        this.release(jobs.length);
      },
      onReceipts: () => deps.receiptSignal?.notify(),
    });
    const { batchSize, maxInFlight, pollIntervalMs, stopTimeoutMs, listenRetryMs, renewEveryMs, workerId } = this.options;
    const pool = deps.database.pgPool;
    this.engine = new WorkerEngine(
      {
        name: 'push worker',
        logger: this.logger,
        batchSize,
        capacity: maxInFlight,
        pollIntervalMs,
        minClaim: Math.min(batchSize, maxInFlight) / 2,
        // A provider that does not answer within the grace period keeps its pushes until their lease ends.
        graceMs: stopTimeoutMs,
        afterGrace: 'leave',
        signals: [deps.signal],
        listen: pool ? { pool, channel: JOBS_CHANNEL, purpose: 'push jobs', retryMs: listenRetryMs } : null,
        renewEveryMs,
        liveness: pool ? { pool, workerId } : null,
      },
      {
        prepare: () => this.replayJournal(),
        claim: (limit) => this.claim(limit),
        flush: () => this.recorder.flush(),
        renew: () => this.renew(),
      },
    );
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  get workerId(): string {
    return this.options.workerId;
  }

  reserve(count: number): number {
    return this.engine.reserve(count);
  }

  release(count: number): void {
    this.engine.give(count);
  }

  dispatch(pushes: ClaimedPush[], now: number): void {
    const jobs = pushes.map((push) => push.job);
    // Stamped now, a little after ingest wrote the lease: the process judges it no later than the database.
    this.hold(jobs, performance.now());
    const devices = new Map(pushes.map((push) => [push.device.id, push.device]));
    const messages = new Map(pushes.map((push) => [push.message.id, push.message]));
    this.engine.track(this.process(jobs, now, (ctx) => prepareLoaded(ctx, jobs, devices, messages, now)));
  }

  /** Starts claiming; resolves once it listens for NOTIFY (PostgreSQL). */
  start(): Promise<void> {
    return this.engine.start();
  }

  /**
   * No new claims; what is claimed and not yet sent goes back at once; pushes on the wire may finish
   * within the stop timeout, then are left to their lease; every outcome gathered is recorded (or
   * journaled) before this returns.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.recorder.giveUpAfter(this.options.stopTimeoutMs);
    await this.engine.stop();
    const released = this.released.splice(0);
    await releasePushClaims(this.deps.db, this.options.workerId, released, this.leaseTime()).catch((error) =>
      this.logger.warn({ err: error }, 'could not release unsent claims; they return after their lease'),
    );
    await this.journal?.close();
  }

  private leaseTime(): LeaseTime {
    return leaseTimeOf(this.options.leaseClock, this.deps.clock);
  }

  private hold(jobs: PushJobRow[], stampedAt: number): void {
    for (const job of jobs) {
      this.leases.hold(job.id, stampedAt);
      this.attempts.set(job.id, job.attempts);
    }
  }

  private forget(id: string): void {
    this.leases.forget(id);
    this.attempts.delete(id);
  }

  /** Renews what is in flight or waits to be recorded; then takes over the leases of workers that died. */
  private async renew(): Promise<void> {
    const { workerId, leaseMs } = this.options;
    await this.leases.renew((ids) =>
      renewPushLeases(
        this.deps.db,
        workerId,
        ids.map((id) => ({ id, attempts: this.attempts.get(id) ?? -1 })),
        leaseMs,
        this.leaseTime(),
      ),
    );
    for (const id of this.attempts.keys()) if (!this.leases.has(id)) this.attempts.delete(id);
    if (await takeOverPushLeasesOfStoppedWorkers(this.deps.db, workerId)) this.engine.wake();
  }

  /** Outcomes a crashed worker journaled are recorded before any claim could send their pushes again. */
  private async replayJournal(): Promise<void> {
    await this.journal?.replay((updates) =>
      this.deps.db.transaction().execute(async (tx) => {
        await replayJobUpdates(tx, updates, Date.now());
      }),
    );
  }

  /** A batch that found jobs may not be the last: look again at once, room permitting. */
  private async claim(limit: number): Promise<ClaimRound> {
    const stampedAt = performance.now();
    const { jobs } = await claimPushJobsAt(this.deps.db, {
      now: this.leaseTime(),
      limit,
      leaseMs: this.options.leaseMs,
      workerId: this.options.workerId,
    });
    // Deadlines and the attempt log are the process's wall time, as ingest wrote them.
    const now = this.deps.clock.now();
    if (jobs.length === 0) return { progressed: false, more: false };
    this.hold(jobs, stampedAt);
    this.engine.take(jobs.length);
    this.engine.track(this.process(jobs, now, (ctx) => prepareBatch(ctx, jobs, now)));
    return { progressed: true, more: true };
  }

  /**
   * Every job of the batch counts against maxInFlight until its outcome is written (the recorder's
   * onWritten gives its slot back) or it is dropped unsent.
   */
  private async process(jobs: PushJobRow[], now: number, prepare: (ctx: PrepareContext) => ReturnType<typeof prepareBatch>): Promise<void> {
    let held = jobs.length;
    // Recorded: the recorder frees the slot once the outcome is written.
    const handedOver = (): void => {
      held -= 1;
    };
    // Dropped unsent: nothing will be written, so the slot is free now.
    const dropped = (): void => {
      held -= 1;
      this.release(1);
    };
    try {
      const ctx = {
        db: this.deps.db,
        apps: this.deps.apps,
        providers: this.deps.providers,
        onApp: (app: AppContext) => this.noticeApp(app),
      };
      const { ready, settled } = await prepare(ctx);
      for (const { job, outcome } of settled) {
        this.recorder.add({ job, outcome, startedAt: now, answeredAt: now });
        handedOver();
      }
      await Promise.all(
        ready.map(async (push) => {
          const recorded = await this.send(push).catch((error: unknown) => {
            this.logger.error({ err: error, jobId: push.job.id }, 'push not recorded; it comes back after its lease');
            this.forget(push.job.id);
            return false;
          });
          if (recorded) handedOver();
          else dropped();
        }),
      );
    } catch (error) {
      // Not renewed any more: the jobs return to any worker when their lease runs out.
      for (const job of jobs) if (!this.recorder.has(job.id)) this.forget(job.id);
      this.logger.error({ err: error }, 'push batch failed; its jobs come back after their lease');
    } finally {
      if (held > 0) this.release(held);
    }
  }

  /** Whether the push's outcome went to the recorder (false: dropped unsent, its slot is the caller's to free). */
  private async send({ job, provider, prepared }: ReadyPush): Promise<boolean> {
    // Shutting down: what has not started goes back now rather than after its lease. A lease that
    // ran out (a stalled process, a database away) may be someone else's already.
    if (this.stopping || !this.holdsLease(job)) {
      if (this.stopping && this.attempts.has(job.id)) this.released.push({ id: job.id, attempts: job.attempts });
      this.forget(job.id);
      return false;
    }
    const startedAt = this.deps.clock.now();
    const sendStarted = performance.now();
    const span = providerSpan(job, provider.name);
    const outcome = await provider.send(withTraceparent(prepared, span)).catch((error: Error) => ({
      kind: 'retry_later' as const,
      status: null,
      reason: `send failed: ${error.message}`,
      cause: 'network' as const,
    }));
    endRequestSpan(span, outcome.kind, outcome.status, outcome.kind === 'delivered' ? null : outcome.reason);
    this.deps.metrics.sendDuration.labels({ provider: provider.name }).observe((performance.now() - sendStarted) / 1000);
    this.recorder.add({ job, outcome, startedAt, answeredAt: this.deps.clock.now(), traceparent: span.traceparent });
    return true;
  }

  private holdsLease(job: PushJobRow): boolean {
    if (this.options.leaseClock === 'own') return this.leases.has(job.id) && this.deps.clock.now() < job.available_at;
    return this.leases.holds(job.id);
  }

  /** New credentials (a newer app version) must not ride on sessions and tokens of the old ones. */
  private noticeApp(app: AppContext): void {
    const known = this.appVersions.get(app.appId);
    if (known !== undefined && known !== app.version) {
      for (const provider of Object.values(this.deps.providers)) provider.forgetApp(app.appId);
    }
    this.appVersions.set(app.appId, app.version);
  }
}
