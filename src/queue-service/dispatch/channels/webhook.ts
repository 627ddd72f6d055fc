/**
 * Webhooks (docs/design.md §The message): the stored body, byte for byte, POSTed to the destination with Standard
 * Webhooks headers — `webhook-id` is the message id on every attempt, `webhook-timestamp` is the
 * moment of this attempt, one `v1,` signature per live secret — and `x-queuebell-deliver-by`.
 */
import { DELIVER_BY_HEADER } from '../../../contract/message.js';
import { signWebhook } from '../../../contract/standard-webhooks.js';
import { toIso } from '../../../platform/clock.js';
import type { SafeHttpClient } from '../../../platform/net/safe-http.js';
import type { Clock } from '../../../platform/clock.js';
import type { Message } from '../../db/schema.js';
import type { DeliveryOutcome } from '../outcome.js';
import { liveSecrets } from '../signing-secrets.js';
import { notSent, type Channel, type NotSent, type PrepareContext, type Prepared } from './channel.js';
import { httpOutcome } from './http-outcome.js';

export interface PreparedWebhook extends Prepared {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export class WebhookChannel implements Channel<PreparedWebhook> {
  readonly name = 'webhook' as const;

  constructor(
    private readonly http: SafeHttpClient,
    private readonly clock: Clock,
  ) {}

  prepare(message: Message, { now, destination }: PrepareContext): PreparedWebhook | NotSent {
    if (!destination) return notSent('failed', 'the destination was deleted');
    if (!destination.enabled) return notSent('failed', 'the destination is disabled');
    const secrets = liveSecrets(destination.secrets, now);
    if (secrets.length === 0) return notSent('failed', 'the destination has no live signing secret');
    const body = Buffer.from(message.body, 'utf8');
    const headers = {
      ...signWebhook(secrets, message.id, Math.floor(now / 1000), body),
      'content-type': 'application/json',
      [DELIVER_BY_HEADER]: toIso(message.deliver_by),
    };
    return { message, url: destination.url, headers, body };
  }

  async send(prepared: PreparedWebhook): Promise<DeliveryOutcome> {
    const result = await this.http.post(prepared.url, prepared.headers, prepared.body);
    return httpOutcome(result, this.clock.now());
  }

  abortAll(): void {
    this.http.abortAll();
  }

  async close(): Promise<void> {}
}
