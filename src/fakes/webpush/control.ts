/**
 * What a test steers in the fake Web Push service: the HTTP answer for a subscription (or every
 * subscription), and the pushes it received, decrypted.
 */
export interface WebPushRule {
  /** 404 and 410: the subscription is gone; 429 with retryAfter; 5xx. */
  status: number;
  times?: number;
  retryAfter?: string;
}

export interface WebPushDelivery {
  subscriptionId: string;
  /** The decrypted payload, as the browser's service worker would read it. */
  payload: string;
  headers: { ttl: string; urgency: string | null; topic: string | null; vapidSubject: string };
  receivedAt: number;
}

export class WebPushControl {
  readonly received: WebPushDelivery[] = [];
  private readonly rules = new Map<string, WebPushRule>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly keep: boolean, private readonly onDelivery?: (delivery: WebPushDelivery) => void) {}

  respond(target: string, rule: WebPushRule): void {
    this.rules.set(target, { ...rule });
  }

  clearRules(): void {
    this.rules.clear();
  }

  take(subscriptionId: string): WebPushRule | null {
    const key = this.rules.has(subscriptionId) ? subscriptionId : this.rules.has('*') ? '*' : null;
    if (key === null) return null;
    const rule = this.rules.get(key)!;
    if (rule.times !== undefined && --rule.times <= 0) this.rules.delete(key);
    return rule;
  }

  record(delivery: WebPushDelivery): void {
    if (this.keep) this.received.push(delivery);
    this.onDelivery?.(delivery);
    for (const wake of this.waiters) wake();
  }

  waitFor(count: number, filter: (d: WebPushDelivery) => boolean = () => true, timeoutMs = 10_000): Promise<WebPushDelivery[]> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const matching = this.received.filter(filter);
        if (matching.length < count) return;
        done();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${count} Web Push deliveries`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }
}
