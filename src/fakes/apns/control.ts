/**
 * What a test steers in the fake APNs: the answer for a device token (or for every token), and
 * what the fake received. A rule may apply a number of times, then the fake answers normally again.
 */
export interface ApnsRule {
  status: number;
  reason: string;
  /** How many requests get this answer; unlimited when absent. */
  times?: number;
  retryAfter?: string;
}

export interface ApnsDelivery {
  token: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
  /** performance.timeOrigin + performance.now(): comparable across processes on one machine. */
  receivedAt: number;
}

export class ApnsControl {
  readonly received: ApnsDelivery[] = [];
  /** Every answer waits this long: lets a test catch pushes in flight. */
  delayMs = 0;
  private readonly rules = new Map<string, ApnsRule>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly keep: boolean, private readonly onDelivery?: (delivery: ApnsDelivery) => void) {}

  /** `target` is a device token, or '*' for every token. */
  respond(target: string, rule: ApnsRule): void {
    this.rules.set(target.toLowerCase(), { ...rule });
  }

  clearRules(): void {
    this.rules.clear();
  }

  take(token: string): ApnsRule | null {
    const key = this.rules.has(token) ? token : this.rules.has('*') ? '*' : null;
    if (key === null) return null;
    const rule = this.rules.get(key)!;
    if (rule.times !== undefined && --rule.times <= 0) this.rules.delete(key);
    return rule;
  }

  record(delivery: ApnsDelivery): void {
    if (this.keep) this.received.push(delivery);
    this.onDelivery?.(delivery);
    for (const wake of this.waiters) wake();
  }

  /** Resolves once `count` deliveries (matching `filter`) are in; rejects after `timeoutMs`. */
  waitFor(count: number, filter: (d: ApnsDelivery) => boolean = () => true, timeoutMs = 10_000): Promise<ApnsDelivery[]> {
    return waitUntil(() => {
      const matching = this.received.filter(filter);
      return matching.length >= count ? matching : null;
    }, this.waiters, timeoutMs, `${count} APNs deliveries`);
  }
}

function waitUntil<T>(check: () => T | null, waiters: Set<() => void>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const result = check();
      if (result === null) return;
      cleanup();
      resolve(result);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      waiters.delete(attempt);
    };
    waiters.add(attempt);
    attempt();
  });
}
