/**
 * What a test steers in the fake APNs: the answer for a device token (or for every token), and
 * what the fake received. A rule may apply a number of times, then the fake answers normally again.
 */
import { FakeControl, type Rule } from '../control.js';

export interface ApnsRule extends Rule {
  status: number;
  reason: string;
  retryAfter?: string;
}

export interface ApnsDelivery {
  token: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
  /** performance.timeOrigin + performance.now(): comparable across processes on one machine. */
  receivedAt: number;
}

export class ApnsControl extends FakeControl<ApnsRule, ApnsDelivery> {
  /** Every answer waits this long: lets a test catch pushes in flight. */
  delayMs = 0;

  constructor(keep: boolean, onDelivery?: (delivery: ApnsDelivery) => void) {
    super('APNs deliveries', keep, onDelivery);
  }

  protected override key(token: string): string {
    return token.toLowerCase();
  }
}
