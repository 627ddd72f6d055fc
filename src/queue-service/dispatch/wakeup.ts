/**
 * How a dispatcher learns there is work (docs/design.md §Workers): at once from the in-process signal when the
 * API runs in the same process; through PostgreSQL LISTEN on OUTBOX_CHANNEL when it runs
 * elsewhere; and by polling, whatever happens to those. A missed wake-up delays, never loses, a message.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { PgListener } from '../../platform/db/pg-listener.js';

export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;
  private listener: PgListener | null = null;
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

  /** Holds one pooled connection in LISTEN; while it is lost, polling carries on. */
  async listen(pool: pg.Pool, channel: string, logger: Logger): Promise<void> {
    if (this.closed) return;
    this.listener = new PgListener({
      pool, channel, logger, purpose: 'outbox messages',
      onNotification: () => this.notify(),
      // Work committed before LISTEN took effect sent its NOTIFY to nobody.
      onListening: () => this.notify(),
    });
    await this.listener.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await this.listener?.stop();
    this.listener = null;
  }
}
