/**
 * What a test steers in the fake SMS provider: the Twilio error answered for a number (or every
 * number, `*`), a number of times or for good, and every message the fake accepted.
 */
import { FakeControl, type Rule } from '../control.js';

export interface TwilioError {
  status: number;
  /** Twilio's error code: 21211 invalid To, 21610 unsubscribed recipient, 20429 too many requests… */
  code: number;
  message: string;
  retryAfter?: string;
}

export const TWILIO_ERRORS = {
  invalidTo: { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  tooManyRequests: { status: 429, code: 20429, message: 'Too Many Requests' },
  unavailable: { status: 503, code: 20503, message: 'Service Unavailable' },
} satisfies Record<string, TwilioError>;

export interface SmsRule extends TwilioError, Rule {}

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  receivedAt: number;
}

export class SmsControl extends FakeControl<SmsRule, FakeSms> {
  /** Every request, accepted or not, with the status answered: what a test asserts retries with. */
  readonly requests: { to: string; status: number }[] = [];

  constructor() {
    super('SMS');
  }
}
