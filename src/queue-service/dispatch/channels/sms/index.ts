/** SMS: the stored `{to, text}` sent through the configured provider. */
import type { Clock } from '../../../../platform/clock.js';
import type { SmsConfig } from '../../../../platform/config.js';
import type { SafeHttpClient } from '../../../../platform/net/safe-http.js';
import type { Message } from '../../../db/schema.js';
import type { DeliveryOutcome } from '../../outcome.js';
import { notSent, type Channel, type NotSent, type Prepared } from '../channel.js';
import type { Sms, SmsProvider, SmsProviderFactory } from './provider.js';
import { createTwilioProvider } from './twilio.js';

const PROVIDERS: Record<SmsConfig['provider'], SmsProviderFactory> = {
  twilio: createTwilioProvider,
};

export interface PreparedSms extends Prepared {
  sms: Sms;
}

export class SmsChannel implements Channel<PreparedSms> {
  readonly name = 'sms' as const;
  private readonly provider: SmsProvider | null;

  /** `http` may reach private addresses: the provider's base URL is the operator's setting, not a tenant's. */
  constructor(
    config: SmsConfig | null,
    private readonly http: SafeHttpClient,
    clock: Clock,
  ) {
    this.provider = config ? PROVIDERS[config.provider](config, http, () => clock.now()) : null;
  }

  prepare(message: Message): PreparedSms | NotSent {
    if (!this.provider) return notSent('failed', 'SMS is not configured (QUEUEBELL_SMS_ACCOUNT_SID, _AUTH_TOKEN, _FROM)');
    const { to, text } = JSON.parse(message.body) as Sms;
    return { message, sms: { to, text } };
  }

  send(prepared: PreparedSms): Promise<DeliveryOutcome> {
    return this.provider!.send(prepared.sms);
  }

  abortAll(): void {
    this.http.abortAll();
  }

  async close(): Promise<void> {}
}
