/**
 * Receipts from the push server (docs/design.md §Receipts): `POST /v2/receipts/{webhookId}`, signed
 * per Standard Webhooks with the destination's receipt secret. Checked in order — the destination
 * takes receipts, the signature and timestamp, the body, the message is this destination's (so
 * another company's message is refused) — and nothing is written unless all pass. A receipt is
 * stored by its own webhook-id, once, whatever our dispatcher has recorded of the attempt so far (the
 * push server can answer faster than we commit). A receipt saying every device failed may set off
 * the fallback (SMS or e-mail) in the same transaction.
 */
import { Compile } from 'typebox/compile';
import { AppError } from '../../contract/errors.js';
import { ReceiptBatchSchema, ReceiptEventSchema, type ReceiptBatch, type ReceiptEvent } from '../../contract/receipts.js';
import { verifyWebhook } from '../../contract/standard-webhooks.js';
import { assertStorable } from '../../platform/http/storable-text.js';
import { annotateActiveSpan, tracing } from '../../platform/tracing/tracing.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Message } from '../db/schema.js';
import { insertReceiptOnce } from '../db/queries/message-receipts.js';
import { findMessage } from '../db/queries/messages.js';
import { findTicket } from '../db/queries/tickets.js';
import { findWebhook } from '../db/queries/webhooks.js';
import { webhookSecretBox } from '../dispatch/signing-secrets.js';
import { loadTicketContext } from '../entities/ticket-context.js';
import { fallBackOnReceipt, type Decided } from '../fallback/fallback.js';
import { queueMetricsOf } from '../metrics.js';

type Headers = Record<string, string | string[] | undefined>;

export interface ReceiptAnswer {
  received: true;
  duplicate: boolean;
  /** The fallback this receipt set off, if any. */
  fallback: Decided | null;
}

const checkEvent = Compile(ReceiptEventSchema);
const checkBatch = Compile(ReceiptBatchSchema);

export async function receiveReceipt(deps: QueueServiceDeps, webhookId: string, headers: Headers, body: Buffer): Promise<ReceiptAnswer> {
  const webhook = await findWebhook(deps.database.db, webhookId);
  if (!webhook?.receipt_secret) throw new AppError('WEBHOOK_NOT_FOUND', 'No destination with this id takes receipts.');
  const secret = webhookSecretBox(deps.config.masterKey).open(webhook.receipt_secret);
  const now = deps.clock.now();
  const verified = verifyWebhook([secret], headers, body, { nowSeconds: Math.floor(now / 1000) });
  if (!verified.ok) {
    if (verified.reason === 'missing_headers') throw new AppError('MISSING_WEBHOOK_HEADERS');
    if (verified.reason === 'stale_timestamp') throw new AppError('STALE_TIMESTAMP');
    throw new AppError('INVALID_SIGNATURE');
  }
  const items = parseReceipts(body, verified.id);
  // A batch's request span lives in its first receipt's trace (docs/design.md §Traces): it names every
  // message it reports, so the others' receipts are found from their messages too.
  if (tracing('queue-service'))
    annotateActiveSpan({
      'queuebell.receipts': items.length,
      'queuebell.webhook_ids': [...new Set(items.map(({ event }) => event.webhookId))],
    });
  const answer = await deps.database.transaction(async (trx): Promise<ReceiptAnswer> => {
    // Every receipt is checked before any is written: a batch with one that is not ours records nothing.
    const messages: Message[] = [];
    for (const { event } of items) {
      const message = await findMessage(trx, event.webhookId);
      if (message?.channel !== 'webhook' || message.company_id !== webhook.company_id || message.destination_id !== webhook.id) {
        throw new AppError('MESSAGE_NOT_FOUND', `No message of this destination has the webhook-id ${event.webhookId.slice(0, 100)}.`);
      }
      messages.push(message);
    }
    let fresh = 0;
    let fallback: Decided | null = null;
    for (const [index, { id, event }] of items.entries()) {
      const message = messages[index]!;
      if (!(await insertReceiptOnce(trx, receiptRow(id, event, message, now)))) continue;
      fresh += 1;
      observe(deps, event, message);
      if (event.type === 'push.receipt' && event.outcome !== 'pushed') fallback = (await fallBackIfDue(trx, message, now)) ?? fallback;
    }
    return { received: true, duplicate: fresh === 0, fallback };
  });
  if (answer.fallback?.fallbackMessageId) deps.outboxSignal.notify();
  return answer;
}

function receiptRow(id: string, event: ReceiptEvent, message: Message, now: number) {
  // A receipt for a message whose personal data was erased keeps its outcome, not the phone's ids (docs/design.md §Retention).
  const erased = message.personal_data_erased_at !== null;
  return {
    id,
    message_id: message.id,
    company_id: message.company_id,
    type: event.type,
    outcome: event.type === 'push.receipt' ? event.outcome : 'token_invalid',
    device_id: erased ? null : event.deviceId,
    provider: event.provider,
    provider_message_id: event.type === 'push.receipt' && !erased ? event.providerMessageId : null,
    reason: event.reason,
    devices: event.type === 'push.receipt' ? event.devices : 0,
    occurred_at: Date.parse(event.at),
    received_at: now,
  };
}

async function fallBackIfDue(trx: Parameters<typeof findTicket>[0], message: Message, now: number): Promise<Decided | null> {
  const ticket = await findTicket(trx, message.ticket_id);
  if (!ticket) return null;
  const context = await loadTicketContext(trx, ticket);
  return fallBackOnReceipt(trx, ticket, message, context.settings, now);
}

function observe(deps: QueueServiceDeps, event: ReceiptEvent, message: Message): void {
  const metrics = queueMetricsOf(deps);
  if (event.type !== 'push.receipt') return;
  metrics.receipts.inc({ outcome: event.outcome });
  if (event.outcome === 'pushed') metrics.changeToProviderAccepted.observe(Math.max(0, Date.parse(event.at) - message.created_at) / 1000);
}

/** One receipt (its id is the webhook-id) or a batch of them, each with its own id. */
function parseReceipts(raw: Buffer, webhookId: string): { id: string; event: ReceiptEvent }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  assertStorable(parsed, 'body');
  const batch = (parsed as { type?: unknown }).type === 'receipt.batch';
  const check = batch ? checkBatch : checkEvent;
  if (!check.Check(parsed)) {
    const first = check.Errors(parsed)[0];
    const field = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : 'body';
    throw new AppError('VALIDATION_FAILED', `Invalid field ${field}: ${first?.message ?? 'not valid'}.`);
  }
  const items = batch
    ? (parsed as ReceiptBatch).receipts.map((event) => ({ id: event.id, event }))
    : [{ id: webhookId, event: parsed as ReceiptEvent }];
  if (items.some(({ event }) => Number.isNaN(Date.parse(event.at))))
    throw new AppError('VALIDATION_FAILED', 'Invalid field at: not an RFC 3339 date-time.');
  return items;
}
