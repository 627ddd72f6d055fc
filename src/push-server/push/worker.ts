/**
 * Step ④, the push worker: claim → prepare → send → record, as a pipeline on the worker engine
 * (platform/workers/engine.ts). It claims a batch whenever it has room for more pushes in flight, so
 * thousands of requests share the providers' HTTP/2 sessions while the next batch is being read.
 * Stopping finishes what is in flight and records it; whatever a crash leaves half-done comes back
 * when its lease runs out. Its policy: jobs of paused providers are not claimed (the claim query),
 * retries per cause (retry-policy.ts), outcomes per provider answer (record.ts).
 */
import type { Logger } from 'pino';
import type { AppCache } from '../apps/app-cache.js';
import type { Clock } from '../../platform/clock.js';
import type { Signal } from '../../platform/signal.js';
import { WorkerEngine, type ClaimRound } from '../../platform/workers/engine.js';
import type { PushDatabase, PushDb } from '../db/connect.js';
import { claimPushJobs, type PushJobRow } from '../db/queries/push-jobs.js';
import type { PushMetrics } from '../metrics.js';
import type { AppContext, Provider, ProviderName } from '../providers/provider.js';
import { JOBS_CHANNEL } from './jobs-channel.js';
import type { ClaimedPush, LocalDispatch } from './local-dispatch.js';
import { prepareBatch, prepareLoaded, type PrepareContext, type ReadyPush } from './prepare.js';
import { ResultRecorder } from './record.js';

export interface WorkerOptions {
  /** Jobs claimed per query. */
  batchSize: number;
  /** Pushes waiting for a provider's answer at most; bounds memory and each provider's queue. */
  maxInFlight: number;
  /** How long a claim holds; longer than any send (10 s timeout), so a live worker never loses one. */
  leaseMs: number;
  /** The polling fallback when no wake-up arrives. */
  pollIntervalMs: number;
  /** How long stop() waits for pushes in flight before leaving them to their lease. */
  stopTimeoutMs: number;
  /** PostgreSQL: the pause before listening again after the LISTEN connection was lost. */
  listenRetryMs?: number;
}

const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  batchSize: 200,
  maxInFlight: 1000,
  leaseMs: 60_000,
  pollIntervalMs: 500,
  stopTimeoutMs: 15_000,
};

export interface WorkerDeps {
  database: Pick<PushDatabase, 'pgPool'>;
  db: PushDb;
  apps: AppCache;
  clock: Clock;
  logger: Logger;
  metrics: PushMetrics;
  signal: Signal;
  providers: Record<ProviderName, Provider>;
}

export class PushWorker implements LocalDispatch {
  private readonly options: WorkerOptions;
  private readonly recorder: ResultRecorder;
  private readonly engine: WorkerEngine;
  private readonly appVersions = new Map<string, number>();

  constructor(
    private readonly deps: WorkerDeps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.recorder = new ResultRecorder(deps.db, deps.metrics, deps.logger, () => deps.clock.now());
    const { batchSize, maxInFlight, pollIntervalMs, stopTimeoutMs, listenRetryMs } = this.options;
    const pool = deps.database.pgPool;
    this.engine = new WorkerEngine(
      {
        name: 'push worker',
        logger: deps.logger,
        batchSize,
        capacity: maxInFlight,
        pollIntervalMs,
        minClaim: Math.min(batchSize, maxInFlight) / 2,
        // A provider that does not answer within the grace period keeps its pushes until their lease ends.
        graceMs: stopTimeoutMs,
        afterGrace: 'leave',
        signals: [deps.signal],
        listen: pool ? { pool, channel: JOBS_CHANNEL, purpose: 'push jobs', retryMs: listenRetryMs } : null,
      },
      {
        claim: (limit) => this.claim(limit),
        flush: () => this.recorder.flush(),
      },
    );
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  reserve(count: number): number {
    return this.engine.reserve(count);
  }

  release(count: number): void {
    this.engine.give(count);
  }

  dispatch(pushes: ClaimedPush[], now: number): void {
    const jobs = pushes.map((push) => push.job);
    const devices = new Map(pushes.map((push) => [push.device.id, push.device]));
    const messages = new Map(pushes.map((push) => [push.message.id, push.message]));
    this.engine.track(this.process(jobs, now, (ctx) => prepareLoaded(ctx, jobs, devices, messages, now)));
  }

  /** Starts claiming; resolves once it listens for NOTIFY (PostgreSQL). */
  start(): Promise<void> {
    return this.engine.start();
  }

  stop(): Promise<void> {
    return this.engine.stop();
  }

  /** A batch that found jobs may not be the last: look again at once, room permitting. */
  private async claim(limit: number): Promise<ClaimRound> {
    const now = this.deps.clock.now();
    const jobs = await claimPushJobs(this.deps.db, { now, limit, leaseMs: this.options.leaseMs });
    if (jobs.length === 0) return { progressed: false, more: false };
    this.engine.take(jobs.length);
    this.engine.track(this.process(jobs, now, (ctx) => prepareBatch(ctx, jobs, now)));
    return { progressed: true, more: true };
  }

  /** Every job of the batch counts against maxInFlight until it is answered or settled. */
  private async process(jobs: PushJobRow[], now: number, prepare: (ctx: PrepareContext) => ReturnType<typeof prepareBatch>): Promise<void> {
    let unanswered = jobs.length;
    const answered = (count = 1): void => {
      unanswered -= count;
      this.release(count);
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
        answered();
      }
      await Promise.all(ready.map((push) => this.send(push).finally(() => answered())));
    } catch (error) {
      this.deps.logger.error({ err: error }, 'push batch failed; its jobs come back after their lease');
    } finally {
      if (unanswered > 0) answered(unanswered);
    }
  }

  private async send({ job, provider, prepared }: ReadyPush): Promise<void> {
    const startedAt = this.deps.clock.now();
    const sendStarted = performance.now();
    const outcome = await provider.send(prepared).catch((error: Error) => ({
      kind: 'retry_later' as const,
      status: null,
      reason: `send failed: ${error.message}`,
      cause: 'network' as const,
    }));
    this.deps.metrics.sendDuration.labels({ provider: provider.name }).observe((performance.now() - sendStarted) / 1000);
    this.recorder.add({ job, outcome, startedAt, answeredAt: this.deps.clock.now() });
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
