/**
 * One pooled PostgreSQL connection held in LISTEN on a channel. If it cannot connect, or the
 * connection drops, it says so once in the log and listens again after a pause; whoever relies on
 * it keeps a slower path (polling, a catch-up read) for the gap, since NOTIFYs sent meanwhile reach
 * nobody. `onListening` runs each time LISTEN takes effect, with `again` true after a loss.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { storageFaultOf } from './faults.js';

export interface PgListenerOptions {
  pool: pg.Pool;
  channel: string;
  logger: Logger;
  /** What listens, for the log: "outbox messages", "push jobs"… */
  purpose: string;
  onNotification(payload: string | undefined): void;
  onListening?(again: boolean): void | Promise<void>;
  retryMs?: number;
}

const DEFAULT_RETRY_MS = 2_000;

export class PgListener {
  private connection: pg.PoolClient | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** While the database stays away, one line says so, not one per retry (docs/design.md §Faults). */
  private failing = false;

  constructor(private readonly options: PgListenerOptions) {}

  start(): Promise<void> {
    return this.listen(false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      await connection.query(`UNLISTEN ${this.options.channel}`).catch(() => {});
      release(connection);
    }
  }

  private async listen(again: boolean): Promise<void> {
    if (this.stopped) return;
    const { pool, channel, logger, purpose } = this.options;
    let connection: pg.PoolClient | null = null;
    try {
      connection = await pool.connect();
      if (this.stopped) return release(connection);
      const held = connection;
      connection.on('notification', (message) => this.options.onNotification(message.payload));
      connection.on('error', (error) => this.lost(held, error));
      await connection.query(`LISTEN ${channel}`);
      this.connection = connection;
      await this.options.onListening?.(again);
      if (this.failing) logger.info(`listening for ${purpose} again`);
      this.failing = false;
    } catch (error) {
      if (connection) this.lost(connection, error as Error);
      else this.report(error, `could not LISTEN for ${purpose}; trying again every ${this.retryMs()} ms`);
      this.scheduleListen();
    }
  }

  private lost(connection: pg.PoolClient, error: Error): void {
    release(connection, error);
    if (this.connection === connection) this.connection = null;
    if (this.stopped) return;
    this.report(error, `the connection listening for ${this.options.purpose} was lost; listening again`);
    this.scheduleListen();
  }

  /** An outage is one warning with its code, without a stack; repeats go to debug until LISTEN works again. */
  private report(error: unknown, message: string): void {
    const fault = storageFaultOf(error);
    const fields = fault ? { code: fault.code, reason: fault.reason } : { err: error };
    if (this.failing) this.options.logger.debug(fields, message);
    else this.options.logger.warn(fields, message);
    this.failing = true;
  }

  private retryMs(): number {
    return this.options.retryMs ?? DEFAULT_RETRY_MS;
  }

  private scheduleListen(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen(true);
    }, this.retryMs());
    this.retry.unref();
  }
}

const released = new WeakSet<pg.PoolClient>();

/** An error can arrive after the connection was given back (the server ended it): release once. */
function release(connection: pg.PoolClient, error?: Error): void {
  if (released.has(connection)) return;
  released.add(connection);
  connection.release(error);
}
