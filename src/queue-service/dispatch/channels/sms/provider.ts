/**
 * What an SMS provider implements. Twilio's REST API is the one shipped (twilio.ts); another
 * provider is one more file of this shape plus a line in `createSmsProvider`.
 */
import type { SmsConfig } from '../../../../platform/config.js';
import type { SafeHttpClient } from '../../../../platform/net/safe-http.js';
import type { DeliveryOutcome } from '../../outcome.js';

export interface Sms {
  /** E.164 phone number. */
  to: string;
  text: string;
}

export interface SmsProvider {
  readonly name: string;
  send(sms: Sms): Promise<DeliveryOutcome>;
}

export type SmsProviderFactory = (config: SmsConfig, http: SafeHttpClient, now: () => number) => SmsProvider;
