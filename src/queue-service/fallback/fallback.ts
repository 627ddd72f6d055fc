/**
 * Fallback to SMS (docs/design.md §Fallback): when an urgent push has not reached a person who
 * agreed to it, the same text goes by SMS — once, before the push's deadline, never after a
 * "pushed" receipt, never for a change a newer one superseded. Two moments decide, each inside
 * the caller's transaction: the check due `fallbackWaitSeconds` after the change (the scheduler),
 * and a receipt saying every device failed (the receipt route). The decision, sent or skipped,
 * is one row per change with its reason; its primary key makes a second decision a no-op, so a
 * late receipt after the SMS never sends another.
 */
import { isNegativeOutcome, type ReceiptOutcome } from '../../contract/receipts.js';
import type { FallbackDecision, Message, MessageReceipt, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { insertDecisionOnce } from '../db/queries/fallback-decisions.js';
import { isOptedOut } from '../db/queries/sms-contacts.js';
import { listReceiptsOfMessages } from '../db/queries/message-receipts.js';
import { findNewestWebhookMessage, listWebhookMessagesOfVersion } from '../db/queries/messages.js';
import { newSortableId } from '../../platform/ids.js';
import type { QueueSettings } from '../entities/queue-settings.js';
import { writeFallbackSms } from '../notifications/outbox.js';

/** Why an SMS was sent, or why not. Also the label of the fallback metric. */
export type FallbackReason =
  | 'no_receipt_in_time'
  | Exclude<ReceiptOutcome, 'pushed'>
  | 'pushed'
  | 'superseded'
  | 'deadline_passed'
  | 'no_consent'
  | 'no_phone'
  | 'opted_out'
  | 'sms_already_sent';

export type FallbackTrigger = { kind: 'wait_over' } | { kind: 'receipt' };

export interface Decided {
  decision: FallbackDecision['decision'];
  reason: FallbackReason;
  smsMessageId: string | null;
}

/** The wait is over: judge the ticket's newest urgent push. */
export async function fallBackAfterWait(db: QueueDb, ticket: Ticket, settings: QueueSettings, now: number): Promise<Decided | null> {
  const push = await findNewestWebhookMessage(db, ticket.id, settings.urgentActions);
  if (!push) return null;
  return decide(db, ticket, push, settings, now, { kind: 'wait_over' });
}

/** A negative receipt arrived for `push`: fall back now if every device of the change has failed. */
export async function fallBackOnReceipt(
  db: QueueDb,
  ticket: Ticket,
  push: Message,
  settings: QueueSettings,
  now: number,
): Promise<Decided | null> {
  if (ticket.sms_fallback !== 1 || !settings.urgentActions.includes(push.action)) return null;
  return decide(db, ticket, push, settings, now, { kind: 'receipt' });
}

async function decide(
  db: QueueDb,
  ticket: Ticket,
  push: Message,
  settings: QueueSettings,
  now: number,
  trigger: FallbackTrigger,
): Promise<Decided | null> {
  // One change may have gone to several push servers: it reached the person if any of them pushed.
  const pushes = await listWebhookMessagesOfVersion(db, push.ticket_id, push.ticket_version);
  const anchor = pushes[0] ?? push;
  const receipts = await listReceiptsOfMessages(
    db,
    pushes.map((m) => m.id),
  );
  const reached = receipts.some((r) => r.type === 'push.receipt' && r.outcome === 'pushed');
  let failure: FallbackReason | null = null;
  if (trigger.kind === 'receipt') {
    failure = everyDeviceFailed(pushes, receipts);
    if (failure === null || reached) return null;
  }
  let skip = reached ? 'pushed' : skipReason(ticket, push, pushes, settings, now);
  // The number replied STOP to this company's texts: no SMS, whatever it agreed to at booking.
  if (skip === null && (await isOptedOut(db, ticket.company_id, ticket.phone!))) skip = 'opted_out';
  const reason: FallbackReason = skip ?? failure ?? 'no_receipt_in_time';
  const decision = skip ? 'skipped' : 'sent';
  const smsMessageId = decision === 'sent' ? newSortableId('msg', now) : null;
  const recorded = await insertDecisionOnce(db, {
    message_id: anchor.id,
    company_id: anchor.company_id,
    ticket_id: anchor.ticket_id,
    decision,
    reason,
    fallback_message_id: smsMessageId,
    decided_at: now,
  });
  if (!recorded) return null;
  if (smsMessageId !== null) await writeFallbackSms(db, anchor, ticket.phone!, smsMessageId, now);
  return { decision, reason, smsMessageId };
}

/** Why no SMS goes out for this push, or null when one should. */
function skipReason(
  ticket: Ticket,
  push: Message,
  pushes: readonly Message[],
  settings: QueueSettings,
  now: number,
): FallbackReason | null {
  if (ticket.sms_fallback !== 1 || !settings.urgentActions.includes(push.action)) return 'no_consent';
  if (ticket.version > push.ticket_version || pushes.every((m) => m.status === 'superseded')) return 'superseded';
  if (now >= push.deliver_by) return 'deadline_passed';
  if (!ticket.phone) return 'no_phone';
  // The person gets every change by SMS already: a second text of the same change adds nothing.
  if (ticket.send_sms === 1) return 'sms_already_sent';
  return null;
}

/**
 * The failure every push of the change ended in, or null while some device may still show it: a
 * message-level outcome (no devices, unknown pushId, expired on arrival), or as many negative device
 * receipts as the push server counted devices.
 */
function everyDeviceFailed(pushes: readonly Message[], receipts: readonly MessageReceipt[]): FallbackReason | null {
  let last: FallbackReason | null = null;
  for (const push of pushes) {
    const own = receipts.filter((r) => r.message_id === push.id && r.type === 'push.receipt');
    const whole = own.find((r) => r.device_id === null && isNegativeOutcome(r.outcome as ReceiptOutcome));
    if (whole) {
      last = whole.outcome as FallbackReason;
      continue;
    }
    const failed = own.filter((r) => r.device_id !== null && isNegativeOutcome(r.outcome as ReceiptOutcome));
    const devices = Math.max(0, ...own.map((r) => r.devices));
    if (devices === 0 || new Set(failed.map((r) => r.device_id)).size < devices) return null;
    last = failed[failed.length - 1]!.outcome as FallbackReason;
  }
  return last;
}
