/**
 * The doorbell of one worker loop: anything may ring it (an in-process signal, a NOTIFY, a freed
 * slot); the loop waits on it with the poll interval as the longest wait. A ring while the loop is
 * busy is kept, so the next wait returns at once: a wake-up is never lost between a claim and a wait.
 */
export class Wakeup {
  private pending = false;
  private waiter: (() => void) | null = null;
  private closed = false;

  /** Wakes the loop now, or makes its next wait return at once. */
  notify(): void {
    this.pending = true;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Forgets earlier rings: a claim about to start covers them. */
  clear(): void {
    this.pending = false;
  }

  /** Resolves on a ring (perhaps one since the last clear), after `timeoutMs`, or at once when closed. */
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

  /** Every later wait returns at once. */
  close(): void {
    this.closed = true;
    this.notify();
  }
}
