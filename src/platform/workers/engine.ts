/**
 * The one loop behind every background worker (docs/design.md §Workers): claim → lease → do →
 * record. The engine owns what is the same for all of them — when to claim, how much work may be in
 * flight, the wake-ups, and an orderly stop; a worker's policy owns what differs — what to claim and
 * under which lease (its query), how to do it, how to record the outcome.
 *
 * Wake-ups, any of which is enough (a missed one delays work, never loses it):
 * - in-process signals, rung after a commit in this process;
 * - PostgreSQL LISTEN on the worker's channel; each time LISTEN takes effect (again) the loop claims
 *   once more, since NOTIFYs sent while nobody listened reached nobody;
 * - the poll interval, whatever happens to those.
 *
 * Leases (docs/design.md §Workers): a worker claims under a short lease and, while work is in flight,
 * renews what it holds every `renewEveryMs` (the policy's `renew`); on PostgreSQL it also holds a
 * liveness lock (liveness.ts) from before its first claim until it stops, so others may take over
 * its leases as soon as its connection drops.
 *
 * Before its first claim the loop runs the policy's `prepare` (the outcome journal's replay) until it
 * succeeds.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { PgListener } from '../db/pg-listener.js';
import { WorkerLiveness } from './liveness.js';
import type { Signal } from '../signal.js';
import { Wakeup } from './wakeup.js';

/** What one claim found. */
export interface ClaimRound {
  /** Something was claimed or settled: a test draining the work should look again. */
  progressed: boolean;
  /** More is due now: claim again at once when there is room. */
  more: boolean;
  /** The next work falls due in this many ms: wait no longer than that (default: the poll interval). */
  dueInMs?: number;
}

export interface WorkPolicy {
  /** Before the first claim, tried until it succeeds (or the stop): replays the outcome journal. */
  prepare?(): Promise<void>;
  /** Claims at most `limit` units under a lease and starts doing them (see WorkerEngine.track). */
  claim(limit: number): Promise<ClaimRound>;
  /** The record stage: writes every outcome still buffered. */
  flush(): Promise<void>;
  /** Called once the stop's grace period is over with work still in flight: cut it short. */
  abort?(): void;
  /** Every `renewEveryMs` while running: extends the leases of what is in flight (and may take over those of stopped workers). */
  renew?(): Promise<void>;
}

export interface EngineOptions {
  /** For the log: "dispatcher", "push worker"… */
  name: string;
  logger: Logger;
  /** Units claimed per query at most. */
  batchSize: number;
  /** Units in flight at most (claimed and not yet answered). */
  capacity: number;
  /** While work is in flight, a claim waits until this much room is free: fewer is not worth its round trips. */
  minClaim: number;
  pollIntervalMs: number;
  /** How long stop() lets work in flight finish. */
  graceMs: number;
  /**
   * After the grace period: 'abort' calls policy.abort and still waits for every outcome (they are
   * recorded quickly); 'leave' stops waiting and leaves the rest to its lease.
   */
  afterGrace: 'abort' | 'leave';
  /** In-process signals that mean "work is waiting". */
  signals?: Signal[];
  /** PostgreSQL: a channel whose NOTIFY means "work is waiting". */
  listen?: { pool: pg.Pool; channel: string; purpose: string; retryMs?: number } | null;
  /** How often `policy.renew` runs (a fraction of the lease). */
  renewEveryMs?: number;
  /** PostgreSQL: the worker's liveness lock, held from before the first claim until stop. */
  liveness?: { pool: pg.Pool; workerId: string } | null;
}

const IDLE: ClaimRound = { progressed: false, more: false };

export class WorkerEngine {
  private readonly wakeup = new Wakeup();
  private readonly tracked = new Set<Promise<unknown>>();
  private readonly unsubscribes: (() => void)[] = [];
  private listener: PgListener | null = null;
  private liveness: WorkerLiveness | null = null;
  private renewal: Promise<void> | null = null;
  /** Renewal runs from start until every outcome is recorded in stop. */
  private renewing = true;
  private wakeRenewal: (() => void) | null = null;
  private started: Promise<void> | null = null;
  private loop: Promise<void> | null = null;
  private used = 0;
  private stopping = false;
  /** Until the liveness lock is first held, others could take over this worker's leases: no claims, no hand-offs. */
  private livenessHeld = false;
  /** Whether a freed slot may let the next claim find something (the last claim was cut short, or skipped for want of room). */
  private wantRoom = false;

  constructor(
    private readonly options: EngineOptions,
    private readonly policy: WorkPolicy,
  ) {}

  get running(): boolean {
    return this.loop !== null && !this.stopping;
  }

  /**
   * Subscribes to the wake-ups and starts the loop; resolves once LISTEN took effect (or failed and
   * retries) and the liveness lock is held. Again: the same promise.
   */
  start(): Promise<void> {
    this.started ??= this.begin();
    return this.started;
  }

  private async begin(): Promise<void> {
    if (this.stopping) return;
    for (const signal of this.options.signals ?? []) this.unsubscribes.push(signal.subscribe(() => this.wake()));
    const liveness = this.options.liveness;
    if (liveness) {
      this.liveness = new WorkerLiveness({ ...liveness, logger: this.options.logger });
      this.liveness.start();
    }
    this.loop = this.run();
    this.renewal = this.renewWhileRunning();
    const listen = this.options.listen;
    if (!listen) return await this.liveness?.held;
    this.listener = new PgListener({
      ...listen,
      logger: this.options.logger,
      onNotification: () => this.wake(),
      // Work committed before LISTEN took effect sent its NOTIFY to nobody.
      onListening: () => this.wake(),
    });
    await this.listener.start();
    await this.liveness?.held;
  }

  /**
   * No new claims; work in flight may finish within the grace period (then see `afterGrace`);
   * every outcome gathered is recorded before this returns.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.wakeup.close();
    await this.listener?.stop();
    this.listener = null;
    await this.loop;
    await this.settleWithinGrace();
    await this.policy.flush();
    // Renewal goes on until every outcome is recorded: a lease must not run out under a slow record.
    this.renewing = false;
    this.wakeRenewal?.();
    await this.renewal;
    this.liveness?.stop();
  }

  /** Rings the doorbell: work may be waiting. */
  wake(): void {
    this.wakeup.notify();
  }

  /** Free slots. */
  room(): number {
    return this.options.capacity - this.used;
  }

  /** Reserves up to `count` slots for work claimed elsewhere (a hand-off); 0 when stopping, full, or not yet alive to others. */
  reserve(count: number): number {
    if (!this.running || (this.options.liveness && !this.livenessHeld)) return 0;
    const granted = Math.max(0, Math.min(count, this.room()));
    this.used += granted;
    return granted;
  }

  /** Counts `count` units as in flight. */
  take(count: number): void {
    this.used += count;
  }

  /** `count` units were answered: their slots are free again. */
  give(count: number): void {
    this.used -= count;
    if (this.wantRoom) this.wakeup.notify();
  }

  /** Work that stop() waits for; its slots are the policy's to take and give. */
  track(work: Promise<unknown>): void {
    this.tracked.add(work);
    void work.finally(() => this.tracked.delete(work));
  }

  /** One claim if there is room for it (tests with a manual clock drive the engine through this). */
  async claimOnce(): Promise<ClaimRound> {
    const room = this.room();
    if (room <= 0 || (room < this.options.minClaim && this.used > 0)) {
      this.wantRoom = true;
      return IDLE;
    }
    // Rings until now are covered by this claim; those during it may be for rows it cannot see.
    this.wakeup.clear();
    const round = await this.policy.claim(Math.min(this.options.batchSize, room));
    this.wantRoom = round.more;
    return round;
  }

  /** Resolves when all tracked work has settled. */
  async idle(): Promise<void> {
    while (this.tracked.size > 0) await Promise.allSettled([...this.tracked]);
  }

  private async renewWhileRunning(): Promise<void> {
    const { renewEveryMs, logger, name } = this.options;
    if (!this.policy.renew || !renewEveryMs) return;
    while (this.renewing) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, renewEveryMs);
        this.wakeRenewal = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!this.renewing) return;
      try {
        await this.policy.renew();
      } catch (error) {
        logger.warn({ err: error }, `${name}: could not renew leases; trying again`);
      }
    }
  }

  private async run(): Promise<void> {
    await this.liveness?.held;
    this.livenessHeld = true;
    const { pollIntervalMs, minClaim, logger, name } = this.options;
    await this.prepare();
    while (!this.stopping) {
      let round = IDLE;
      try {
        round = await this.claimOnce();
      } catch (error) {
        logger.error({ err: error }, `${name}: claim failed; trying again after the poll interval`);
      }
      if (this.stopping) break;
      if (round.more && this.room() >= minClaim) continue;
      await this.wakeup.wait(Math.min(pollIntervalMs, round.dueInMs ?? pollIntervalMs));
    }
  }

  /** Outcomes of a stopped worker are recorded before any claim could send their messages again. */
  private async prepare(): Promise<void> {
    if (!this.policy.prepare) return;
    const { logger, name } = this.options;
    while (!this.stopping) {
      try {
        return await this.policy.prepare();
      } catch (error) {
        logger.warn({ err: error }, `${name}: could not replay the outcome journal; claims wait for it`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private async settleWithinGrace(): Promise<void> {
    if (this.tracked.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => {
      timer = setTimeout(() => resolve('grace over'), this.options.graceMs);
    });
    const settled = this.idle();
    const first = await Promise.race([settled, graceOver]);
    clearTimeout(timer);
    if (first === 'grace over' && this.options.afterGrace === 'abort') {
      this.policy.abort?.();
      await settled;
    }
  }
}
