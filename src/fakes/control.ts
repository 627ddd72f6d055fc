/**
 * What a test steers in a fake provider, the same for each of them: rules that make the fake answer
 * an error for one recipient (or every one, `*`), a number of times or for good, and the deliveries
 * the fake accepted, with a way to wait for them.
 */
export interface Rule {
  /** How many requests get this answer; unlimited when absent. */
  times?: number;
}

export class FakeControl<R extends Rule, Delivery> {
  readonly received: Delivery[] = [];
  private readonly rules = new Map<string, R>();
  private readonly waiters = new Set<() => void>();

  constructor(
    /** For the timeout message: "APNs deliveries". */
    private readonly what: string,
    private readonly keep = true,
    private readonly onDelivery?: (delivery: Delivery) => void,
  ) {}

  /** `target` is a recipient (device token, subscription, phone number), or '*' for all. */
  respond(target: string, rule: R): void {
    this.rules.set(this.key(target), { ...rule });
  }

  clearRules(): void {
    this.rules.clear();
  }

  /** The rule answering this recipient now, counting one use of it. */
  take(target: string): R | null {
    const own = this.key(target);
    const key = this.rules.has(own) ? own : this.rules.has('*') ? '*' : null;
    if (key === null) return null;
    const rule = this.rules.get(key)!;
    if (rule.times !== undefined && --rule.times <= 0) this.rules.delete(key);
    return rule;
  }

  record(delivery: Delivery): void {
    if (this.keep) this.received.push(delivery);
    this.onDelivery?.(delivery);
    for (const wake of this.waiters) wake();
  }

  /** Resolves once `count` deliveries (matching `filter`) are in; rejects after `timeoutMs`. */
  waitFor(count: number, filter: (delivery: Delivery) => boolean = () => true, timeoutMs = 10_000): Promise<Delivery[]> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const matching = this.received.filter(filter);
        if (matching.length < count) return;
        cleanup();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${count} ${this.what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }

  /** How recipients are compared (APNs tokens are hex in any case). */
  protected key(target: string): string {
    return target;
  }
}
