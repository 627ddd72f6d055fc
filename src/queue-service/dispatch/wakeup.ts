/**
 * How a dispatcher learns there is work (DESIGN §6): at once from the in-process signal when the
 * API runs in the same process; through PostgreSQL LISTEN on OUTBOX_CHANNEL when it runs
 * elsewhere; and by polling, whatever happens to those. A missed wake-up delays, never loses, a message.
 */
import type pg from 'pg';
import type { Logger } from 'pino';

const RELISTEN_DELAY_MS = 2_000;

export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;
  private listener: pg.PoolClient | null = null;
  private closed = false;

  /** Wakes the loop now, or makes its next wait return at once. */
  notify(): void {
    this.pending = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Resolves on a notification (perhaps one that came before the call), or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending || this.closed) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.waiter === done) self.waiter = null;
        self.pending = false;
        resolve();
      }
      this.waiter = done;
    });
  }

  /** Holds one pooled connection in LISTEN; when it breaks, polling carries on and it listens again. */
  async listen(pool: pg.Pool, channel: string, logger: Logger): Promise<void> {
    if (this.closed) return;
    try {
      const client = await pool.connect();
      if (this.closed) return client.release();
      client.on('notification', () => this.notify());
      client.on('error', (error) => {
        logger.warn({ err: error }, 'outbox notification connection lost; polling until it is back');
        if (this.listener === client) this.listener = null;
        client.release(error);
        if (!this.closed) setTimeout(() => void this.listen(pool, channel, logger), RELISTEN_DELAY_MS).unref();
      });
      await client.query(`LISTEN ${channel}`);
      this.listener = client;
      // Work committed before LISTEN took effect sent its NOTIFY to nobody.
      this.notify();
    } catch (error) {
      logger.warn({ err: error }, 'could not LISTEN for outbox messages; polling until it works');
      if (!this.closed) setTimeout(() => void this.listen(pool, channel, logger), RELISTEN_DELAY_MS).unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    const listener = this.listener;
    this.listener = null;
    if (listener) {
      await listener.query('UNLISTEN *').catch(() => {});
      listener.release();
    }
  }
}
