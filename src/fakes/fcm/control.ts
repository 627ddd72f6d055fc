/**
 * What a test steers in the fake FCM: the error answered for a registration token (or every
 * token), by FCM error code, and what the fake received. A rule may apply a number of times.
 */
export type FcmErrorCode = 'UNREGISTERED' | 'INVALID_ARGUMENT' | 'QUOTA_EXCEEDED' | 'UNAVAILABLE' | 'INTERNAL' | 'THIRD_PARTY_AUTH_ERROR' | 'SENDER_ID_MISMATCH';

export interface FcmRule {
  errorCode: FcmErrorCode;
  /** INVALID_ARGUMENT only: say the registration token itself is bad (the device must go). */
  invalidToken?: boolean;
  times?: number;
  retryAfter?: string;
}

export interface FcmDelivery {
  token: string;
  message: Record<string, unknown>;
  receivedAt: number;
}

export class FcmControl {
  readonly received: FcmDelivery[] = [];
  private readonly rules = new Map<string, FcmRule>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly keep: boolean, private readonly onDelivery?: (delivery: FcmDelivery) => void) {}

  respond(target: string, rule: FcmRule): void {
    this.rules.set(target, { ...rule });
  }

  clearRules(): void {
    this.rules.clear();
  }

  take(token: string): FcmRule | null {
    const key = this.rules.has(token) ? token : this.rules.has('*') ? '*' : null;
    if (key === null) return null;
    const rule = this.rules.get(key)!;
    if (rule.times !== undefined && --rule.times <= 0) this.rules.delete(key);
    return rule;
  }

  record(delivery: FcmDelivery): void {
    if (this.keep) this.received.push(delivery);
    this.onDelivery?.(delivery);
    for (const wake of this.waiters) wake();
  }

  waitFor(count: number, filter: (d: FcmDelivery) => boolean = () => true, timeoutMs = 10_000): Promise<FcmDelivery[]> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const matching = this.received.filter(filter);
        if (matching.length < count) return;
        done();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${count} FCM deliveries`));
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

/** FCM's HTTP status and google.rpc status for each error code (FCM v1 ErrorCode reference). */
export const FCM_ERRORS: Record<FcmErrorCode, { status: number; rpc: string }> = {
  UNREGISTERED: { status: 404, rpc: 'NOT_FOUND' },
  INVALID_ARGUMENT: { status: 400, rpc: 'INVALID_ARGUMENT' },
  QUOTA_EXCEEDED: { status: 429, rpc: 'RESOURCE_EXHAUSTED' },
  UNAVAILABLE: { status: 503, rpc: 'UNAVAILABLE' },
  INTERNAL: { status: 500, rpc: 'INTERNAL' },
  THIRD_PARTY_AUTH_ERROR: { status: 401, rpc: 'UNAUTHENTICATED' },
  SENDER_ID_MISMATCH: { status: 403, rpc: 'PERMISSION_DENIED' },
};
