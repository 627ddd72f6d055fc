/**
 * A worker's liveness signal on PostgreSQL (docs/design.md §Workers): a session advisory lock keyed
 * by the worker id, held on a connection of its own for as long as the worker runs. The server frees
 * it the moment that connection ends — the process exited, was killed, or lost the network — so
 * another worker may take over its leases at once instead of waiting for them to run out
 * (`workerLockKey` is the key both sides compute in SQL).
 * If the connection drops while the worker lives, its leases may be taken over (a duplicate send at
 * worst); the lock is taken again after a pause.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { storageFaultOf } from '../db/faults.js';

/** The advisory lock key of a worker, as an SQL expression over `idExpression` (a column or a parameter). */
const workerLockKey = (idExpression: string): string => `hashtextextended('queuebell-worker:' || ${idExpression}, 0)`;

/**
 * An SQL condition, true when no session holds the liveness lock of the worker named by
 * `ownerExpression`: that worker has stopped, so its leases may be taken over at once. A bigint
 * advisory lock shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
 */
export const workerHasStopped = (ownerExpression: string): string => `not exists (
  select 1 from pg_locks l
  where l.locktype = 'advisory' and l.granted and l.objsubid = 1
    and l.database = (select oid from pg_database where datname = current_database())
    and ((l.classid::bigint << 32) | l.objid::bigint) = ${workerLockKey(ownerExpression)})`;

export interface LivenessOptions {
  pool: pg.Pool;
  workerId: string;
  logger: Logger;
  retryMs?: number;
}

export class WorkerLiveness {
  private connection: pg.PoolClient | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private resolveHeld: (() => void) | null = null;
  private readonly released = new WeakSet<pg.PoolClient>();
  /** Resolves once the lock was first taken (or the liveness stopped): claims wait for it. */
  readonly held: Promise<void> = new Promise((resolve) => {
    this.resolveHeld = resolve;
  });

  constructor(private readonly options: LivenessOptions) {}

  start(): void {
    void this.take();
  }

  /** Ends the connection, which frees the lock: a stopped worker's leftover leases are anyone's. */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.connection) this.released.add(this.connection);
    this.connection?.release(true);
    this.connection = null;
    this.resolveHeld?.();
  }

  private async take(): Promise<void> {
    if (this.stopped) return;
    let connection: pg.PoolClient | null = null;
    try {
      connection = await this.options.pool.connect();
      const owned = connection;
      owned.on('error', (error) => this.lost(owned, error));
      await owned.query(`select pg_advisory_lock(${workerLockKey('$1::text')})`, [this.options.workerId]);
      if (this.stopped) {
        this.released.add(owned);
        return owned.release(true);
      }
      this.connection = owned;
      this.resolveHeld?.();
    } catch (error) {
      if (connection) this.lost(connection, error as Error);
      else this.report(error);
    }
  }

  private lost(connection: pg.PoolClient, error: Error): void {
    if (this.connection === connection) this.connection = null;
    // An error event may follow a failed query on the same connection: it is given back once.
    if (this.released.has(connection)) return;
    this.released.add(connection);
    connection.release(true);
    if (this.stopped) return;
    this.report(error);
  }

  private report(error: unknown): void {
    const fault = storageFaultOf(error);
    this.options.logger.warn(
      fault ? { code: fault.code, reason: fault.reason } : { err: error },
      'the liveness lock of this worker was lost; other workers may take over its leases; taking it again',
    );
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.take();
    }, this.options.retryMs ?? 2_000);
    this.retry.unref();
  }
}
