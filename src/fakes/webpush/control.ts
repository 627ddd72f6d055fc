/**
 * What a test steers in the fake Web Push service: the HTTP answer for a subscription (or every
 * subscription), and the pushes it received, decrypted.
 */
import { FakeControl, type Rule } from '../control.js';

export interface WebPushRule extends Rule {
  /** 404 and 410: the subscription is gone; 429 with retryAfter; 5xx. */
  status: number;
  retryAfter?: string;
}

export interface WebPushDelivery {
  subscriptionId: string;
  /** The decrypted payload, as the browser's service worker would read it. */
  payload: string;
  /** `authorization`: the VAPID header as received (`vapid t=<JWT>, k=<key>`), for tests that check the JWT themselves. */
  headers: { ttl: string; urgency: string | null; topic: string | null; vapidSubject: string; authorization: string };
  receivedAt: number;
}

export class WebPushControl extends FakeControl<WebPushRule, WebPushDelivery> {
  constructor(keep: boolean, onDelivery?: (delivery: WebPushDelivery) => void) {
    super('Web Push deliveries', keep, onDelivery);
  }
}
