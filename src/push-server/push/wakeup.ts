/**
 * How a worker learns that jobs are waiting: at once when ingest runs in the same process; through
 * PostgreSQL LISTEN/NOTIFY when it runs elsewhere; and, whatever happens to those, by polling every
 * `pollIntervalMs` (a missed notification only delays, never loses, a push).
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../../platform/db/engine-of.js';
import { PgListener } from '../../platform/db/pg-listener.js';

const JOBS_CHANNEL = 'queuebell_push_jobs';

export class JobSignal {
  private waiters = new Set<() => void>();
  private listener: PgListener | null = null;
  private closed = false;
  /** Counts notifications, so a worker can tell one arrived between its last claim and its wait. */
  generation = 0;

  /** Wakes every worker loop of this process. */
  notify(): void {
    this.generation += 1;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves on the next notify after `seen`, or after `timeoutMs` (the polling fallback). */
  wait(timeoutMs: number, seen: number): Promise<void> {
    if (this.closed || this.generation !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      this.waiters.add(done);
    });
  }

  /** Holds one pool connection in LISTEN; while it is lost, polling carries the load. */
  async listen(pool: pg.Pool, logger: Logger, retryMs = 5_000): Promise<void> {
    if (this.closed) return;
    this.listener = new PgListener({ pool, channel: JOBS_CHANNEL, logger, purpose: 'push jobs', retryMs, onNotification: () => this.notify() });
    await this.listener.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await this.listener?.stop();
    this.listener = null;
  }
}

/** PostgreSQL: wakes workers in other processes. Inside a transaction it is sent at commit. */
export async function notifyOtherProcesses(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') await sql`select pg_notify(${JOBS_CHANNEL}, '')`.execute(db);
}
