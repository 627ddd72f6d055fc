/**
 * One pooled PostgreSQL connection held in LISTEN on a channel. If it cannot connect, or the
 * connection drops, it says so once in the log and listens again after a pause; whoever relies on
 * it keeps a slower path (polling, a catch-up read) for the gap, since NOTIFYs sent meanwhile reach
 * nobody. `onListening` runs each time LISTEN takes effect, with `again` true after a loss.
 */
import type pg from 'pg';
import type { Logger } from 'pino';

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
    try {
      const connection = await pool.connect();
      if (this.stopped) return release(connection);
      connection.on('notification', (message) => this.options.onNotification(message.payload));
      connection.on('error', (error) => this.lost(connection, error));
      await connection.query(`LISTEN ${channel}`);
      this.connection = connection;
      await this.options.onListening?.(again);
    } catch (error) {
      logger.warn({ err: error }, `could not LISTEN for ${purpose}; trying again`);
      this.scheduleListen();
    }
  }

  private lost(connection: pg.PoolClient, error: Error): void {
    release(connection, error);
    if (this.connection === connection) this.connection = null;
    if (this.stopped) return;
    this.options.logger.warn({ err: error }, `the connection listening for ${this.options.purpose} was lost; listening again`);
    this.scheduleListen();
  }

  private scheduleListen(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen(true);
    }, this.options.retryMs ?? DEFAULT_RETRY_MS);
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
