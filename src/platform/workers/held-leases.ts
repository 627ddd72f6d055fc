/**
 * The leases one worker holds, each with the monotonic time it was last stamped (docs/design.md
 * §Workers). Whether a lease is still held is judged by elapsed time, which wall-clock jumps do not
 * move; the stamp is read before the query that set the lease, so the judgement is never later than
 * the database's. Every worker (dispatcher, push worker, scheduler) keeps its leases here and renews
 * them through `renew`.
 */
export class HeldLeases<K = string> {
  private readonly stamps = new Map<K, number>();

  constructor(private readonly leaseMs: number) {}

  get size(): number {
    return this.stamps.size;
  }

  /** Held from `stampedAt` (a `performance.now()` reading taken before the claim). */
  hold(key: K, stampedAt: number): void {
    this.stamps.set(key, stampedAt);
  }

  /** Whether the lease is still this worker's to act on. */
  holds(key: K, now = performance.now()): boolean {
    const stampedAt = this.stamps.get(key);
    return stampedAt !== undefined && now - stampedAt < this.leaseMs;
  }

  has(key: K): boolean {
    return this.stamps.has(key);
  }

  forget(key: K): void {
    this.stamps.delete(key);
  }

  keys(): K[] {
    return [...this.stamps.keys()];
  }

  /**
   * Renews every lease held when it starts: `extend` writes the new lease ends and answers which it
   * still held; the others were settled meanwhile or taken over, and are forgotten. Leases taken
   * meanwhile keep their own, fresher stamp.
   */
  async renew(extend: (keys: K[]) => Promise<Iterable<K>>): Promise<void> {
    if (this.stamps.size === 0) return;
    const stampedAt = performance.now();
    const asked = this.keys();
    const kept = new Set(await extend(asked));
    for (const key of asked) {
      if (!this.stamps.has(key)) continue;
      if (kept.has(key)) this.stamps.set(key, stampedAt);
      else this.stamps.delete(key);
    }
  }
}
