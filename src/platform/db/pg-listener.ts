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
  private held: Held | null = null;
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
    const held = this.held;
    this.held = null;
    if (held) {
      await held.connection.query(`UNLISTEN ${this.options.channel}`).catch(() => {});
      held.giveBack();
    }
  }

  private async listen(again: boolean): Promise<void> {
    if (this.stopped) return;
    const { pool, channel, logger, purpose } = this.options;
    let held: Held | null = null;
    try {
      const connection = await pool.connect();
      const loan: Held = hold(
        connection,
        (payload) => this.options.onNotification(payload),
        (error) => this.lost(loan, error),
      );
      held = loan;
      if (this.stopped) return loan.giveBack();
      await connection.query(`LISTEN ${channel}`);
      // Stopped while LISTEN was on its way: nobody else would give this connection back.
      if (this.stopped) return loan.giveBack();
      this.held = loan;
      await this.options.onListening?.(again);
      if (this.failing) logger.info(`listening for ${purpose} again`);
      this.failing = false;
    } catch (error) {
      if (held) this.lost(held, error as Error);
      else this.report(error, `could not LISTEN for ${purpose}; trying again every ${this.retryMs()} ms`);
      this.scheduleListen();
    }
  }

  private lost(held: Held, error: Error): void {
    held.giveBack(error);
    if (this.held === held) this.held = null;
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

interface Held {
  connection: pg.PoolClient;
  /** Gives the connection back to the pool once, detached from this listener. */
  giveBack(error?: Error): void;
}

/**
 * The pool lends the same client object again later, so the handlers come off when it is given
 * back, and "given back" is per loan: an error can still arrive after the server ended it.
 */
function hold(connection: pg.PoolClient, onNotification: (payload: string | undefined) => void, onError: (error: Error) => void): Held {
  const notification = (message: pg.Notification) => onNotification(message.payload);
  connection.on('notification', notification);
  connection.on('error', onError);
  let given = false;
  return {
    connection,
    giveBack: (error) => {
      if (given) return;
      given = true;
      connection.off('notification', notification);
      connection.off('error', onError);
      connection.release(error);
    },
  };
}
