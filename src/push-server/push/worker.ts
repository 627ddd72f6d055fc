/**
 * Step ④, the push worker: claim → prepare → send → record, as a pipeline. It claims a batch
 * whenever it has room for more pushes in flight, so thousands of requests share the providers'
 * HTTP/2 sessions while the next batch is being read. Stopping finishes what is in flight and
 * records it; whatever a crash leaves half-done comes back when its lease runs out.
 */
import type { Logger } from 'pino';
import type { AppCache } from '../apps/app-cache.js';
import type { Clock } from '../../platform/clock.js';
import type { PushDb } from '../db/connect.js';
import { claimPushJobs, type PushJobRow } from '../db/queries/push-jobs.js';
import type { PushMetrics } from '../metrics.js';
import type { AppContext, Provider, ProviderName } from '../providers/provider.js';
import type { ClaimedPush, LocalDispatch } from './local-dispatch.js';
import { prepareBatch, prepareLoaded, type PrepareContext, type ReadyPush } from './prepare.js';
import { ResultRecorder } from './record.js';
import type { JobSignal } from './wakeup.js';

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
}

const DEFAULT_WORKER_OPTIONS: WorkerOptions = { batchSize: 200, maxInFlight: 1000, leaseMs: 60_000, pollIntervalMs: 500, stopTimeoutMs: 15_000 };

export interface WorkerDeps {
  db: PushDb;
  apps: AppCache;
  clock: Clock;
  logger: Logger;
  metrics: PushMetrics;
  signal: JobSignal;
  providers: Record<ProviderName, Provider>;
}

export class PushWorker implements LocalDispatch {
  private readonly options: WorkerOptions;
  private readonly recorder: ResultRecorder;
  private readonly appVersions = new Map<string, number>();
  /** Claimed jobs not yet answered; each counts against maxInFlight until recorded. */
  private pendingJobs = 0;
  private readonly batches = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private roomFreed: (() => void) | null = null;

  constructor(private readonly deps: WorkerDeps, options: Partial<WorkerOptions> = {}) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.recorder = new ResultRecorder(deps.db, deps.metrics, deps.logger, () => deps.clock.now());
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  reserve(count: number): number {
    if (!this.running) return 0;
    const granted = Math.max(0, Math.min(count, this.options.maxInFlight - this.pendingJobs));
    this.pendingJobs += granted;
    return granted;
  }

  release(count: number): void {
    this.pendingJobs -= count;
    this.roomFreed?.();
  }

  dispatch(pushes: ClaimedPush[], now: number): void {
    const jobs = pushes.map((push) => push.job);
    const devices = new Map(pushes.map((push) => [push.device.id, push.device]));
    const messages = new Map(pushes.map((push) => [push.message.id, push.message]));
    this.track(this.process(jobs, now, (ctx) => prepareLoaded(ctx, jobs, devices, messages, now)));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.deps.signal.notify();
    this.roomFreed?.();
    await this.loop;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.options.stopTimeoutMs).unref());
    await Promise.race([Promise.allSettled([...this.batches]), timeout]);
    await this.recorder.flush();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.step();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'push worker step failed; retrying after the poll interval');
        await new Promise((resolve) => setTimeout(resolve, this.options.pollIntervalMs));
      }
    }
  }

  private async step(): Promise<void> {
    const room = this.options.maxInFlight - this.pendingJobs;
    if (room < Math.min(this.options.batchSize, this.options.maxInFlight) / 2) return this.waitForRoom();
    const seen = this.deps.signal.generation;
    const now = this.deps.clock.now();
    const jobs = await claimPushJobs(this.deps.db, { now, limit: Math.min(this.options.batchSize, room), leaseMs: this.options.leaseMs });
    if (jobs.length === 0) return this.deps.signal.wait(this.options.pollIntervalMs, seen);
    this.pendingJobs += jobs.length;
    this.track(this.process(jobs, now, (ctx) => prepareBatch(ctx, jobs, now)));
  }

  private track(batch: Promise<void>): void {
    this.batches.add(batch);
    void batch.finally(() => this.batches.delete(batch));
  }

  /** Every job of the batch counts against maxInFlight until it is answered or settled. */
  private async process(jobs: PushJobRow[], now: number, prepare: (ctx: PrepareContext) => ReturnType<typeof prepareBatch>): Promise<void> {
    let unanswered = jobs.length;
    const answered = (count = 1): void => {
      unanswered -= count;
      this.release(count);
    };
    try {
      const ctx = { db: this.deps.db, apps: this.deps.apps, providers: this.deps.providers, onApp: (app: AppContext) => this.noticeApp(app) };
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
    const outcome = await provider.send(prepared).catch((error: Error) => ({ kind: 'retry_later' as const, status: null, reason: `send failed: ${error.message}`, cause: 'network' as const }));
    this.deps.metrics.sendDuration.labels({ provider: provider.name }).observe((performance.now() - sendStarted) / 1000);
    this.recorder.add({ job, outcome, startedAt, answeredAt: this.deps.clock.now() });
  }

  private waitForRoom(): Promise<void> {
    return new Promise((resolve) => {
      this.roomFreed = () => {
        this.roomFreed = null;
        resolve();
      };
    });
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
