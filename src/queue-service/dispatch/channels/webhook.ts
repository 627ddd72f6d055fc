/**
 * Webhooks (docs/design.md §The message): the stored body, byte for byte, POSTed to the destination with Standard
 * Webhooks headers — `webhook-id` is the message id on every attempt, `webhook-timestamp` is the
 * moment of this attempt, one `v1,` signature per live secret — and the deadline twice: as
 * `x-queuebell-ttl-ms`, the time left after the signed timestamp, which a receiver judges on
 * elapsed time whatever its clock says, and as `x-queuebell-deliver-by` for receivers that read only
 * that. Both are capped at the receivers' 24-hour horizon: a reminder days ahead still goes out.
 * Both are signed, with the id and timestamp, in `x-queuebell-deadline-signature`, by the same
 * secrets as the body.
 */
import { signDeadline } from '../../../contract/deadline-signature.js';
import { DEADLINE_SIGNATURE_HEADER, DELIVER_BY_HEADER, MAX_DELIVERY_HORIZON_MS, TIME_TO_LIVE_HEADER } from '../../../contract/message.js';
import { signWebhook } from '../../../contract/standard-webhooks.js';
import { toIso } from '../../../platform/clock.js';
import {
  endRequestSpan,
  NO_SPAN,
  pushIdHash,
  startSpan,
  tracing,
  withTraceHeader,
  type TraceSpan,
} from '../../../platform/tracing/tracing.js';
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

/** The POST continues the trace of the change that wrote the message (docs/design.md §Traces). */
function webhookSpan(message: Message): TraceSpan {
  if (!tracing('queue-service')) return NO_SPAN;
  return startSpan({
    service: 'queue-service',
    name: 'deliver webhook',
    kind: 'client',
    parent: message.traceparent,
    attributes: {
      'queuebell.webhook_id': message.id,
      'queuebell.ticket.id': message.ticket_id,
      'queuebell.action': message.action,
      'queuebell.destination.id': message.destination_id ?? undefined,
      'queuebell.attempt': message.attempt_count,
      'queuebell.push_id.hash': pushIdHash(message.recipient),
    },
  });
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
    const signedAt = Math.floor(now / 1000);
    const timeToLive = Math.min(message.deliver_by - signedAt * 1000, MAX_DELIVERY_HORIZON_MS);
    const deliverBy = toIso(signedAt * 1000 + timeToLive);
    const ttl = String(timeToLive);
    const headers = {
      ...signWebhook(secrets, message.id, signedAt, body),
      'content-type': 'application/json',
      [DELIVER_BY_HEADER]: deliverBy,
      [TIME_TO_LIVE_HEADER]: ttl,
      [DEADLINE_SIGNATURE_HEADER]: signDeadline(secrets, message.id, signedAt, ttl, deliverBy),
    };
    return { message, url: destination.url, headers, body };
  }

  async send(prepared: PreparedWebhook): Promise<DeliveryOutcome> {
    const span = webhookSpan(prepared.message);
    const result = await this.http.post(prepared.url, withTraceHeader(prepared.headers, span), prepared.body);
    const outcome = httpOutcome(result, this.clock.now());
    endRequestSpan(
      span,
      outcome.kind,
      'statusCode' in outcome ? outcome.statusCode : null,
      outcome.kind === 'delivered' ? null : outcome.error,
    );
    return outcome;
  }

  abortAll(): void {
    this.http.abortAll();
  }

  async close(): Promise<void> {}
}
