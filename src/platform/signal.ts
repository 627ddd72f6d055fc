/** An in-process wake-up: producers `notify()` after a commit; listeners run soon after, coalesced. */
export class Signal {
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  notify(): void {
    if (this.scheduled || this.listeners.size === 0) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
