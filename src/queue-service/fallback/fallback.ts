/**
 * Fallback to SMS or e-mail (docs/design.md §Fallback): when an urgent push has not reached a person
 * who agreed to it, the same text goes by the first of the queue's `fallbackChannels` the person
 * agreed to and can be reached on — once, before the push's deadline, never after a "pushed"
 * receipt, never for a change a newer one superseded. Two moments decide, each inside the caller's
 * transaction: the check due `fallbackWaitSeconds` after the change (the scheduler), and a receipt
 * saying every device failed (the receipt route). The decision, sent or skipped, is one row per
 * change with its reason, its channel and why each channel before it was passed over; its primary
 * key makes a second decision a no-op, so a late receipt after the fallback never sends another.
 */
import { isNegativeOutcome, type ReceiptOutcome } from '../../contract/receipts.js';
import type { FallbackChannel, FallbackDecision, Message, MessageReceipt, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { insertDecisionOnce } from '../db/queries/fallback-decisions.js';
import { listReceiptsOfMessages } from '../db/queries/message-receipts.js';
import { findNewestWebhookMessage, listWebhookMessagesOfVersion } from '../db/queries/messages.js';
import { newSortableId } from '../../platform/ids.js';
import { toJsonText } from '../../platform/json-text.js';
import type { QueueSettings } from '../entities/queue-settings.js';
import { writeFallbackMessage } from '../notifications/outbox.js';
import { refusalOf, type RefusalReason } from '../notifications/send-policy.js';

/** Why a channel was passed over: the person's choices, or the company's send limits. */
export type ChannelSkipReason =
  | 'no_consent'
  | 'no_phone'
  | 'no_mail'
  | 'opted_out'
  | 'sms_already_sent'
  | 'mail_already_sent'
  | Exclude<RefusalReason, 'recipient_opted_out'>;

/** Why a fallback was sent, or why not. Also the label of the fallback metric. */
export type FallbackReason =
  | 'no_receipt_in_time'
  | Exclude<ReceiptOutcome, 'pushed'>
  | 'pushed'
  | 'superseded'
  | 'deadline_passed'
  | ChannelSkipReason;

export type FallbackTrigger = { kind: 'wait_over' } | { kind: 'receipt' };

export interface Decided {
  decision: FallbackDecision['decision'];
  reason: FallbackReason;
  channel: FallbackChannel | null;
  fallbackMessageId: string | null;
}

interface ChannelSkip {
  channel: FallbackChannel;
  reason: ChannelSkipReason;
}

/** Whether the person agreed to a fallback on any channel the queue falls back to. */
export function hasFallbackConsent(ticket: Ticket, settings: QueueSettings): boolean {
  return settings.fallbackChannels.some((channel) => consented(ticket, channel) && addressOf(ticket, channel) !== null);
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
  if (!hasFallbackConsent(ticket, settings) || !settings.urgentActions.includes(push.action)) return null;
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
  const skip: FallbackReason | null = reached ? 'pushed' : changeSkipReason(ticket, push, pushes, settings, now);
  const { channel, skips } = skip === null ? await chooseChannel(db, ticket, settings, now) : { channel: null, skips: [] };
  const reason: FallbackReason = skip ?? (channel === null ? whyNoChannel(skips) : (failure ?? 'no_receipt_in_time'));
  const fallbackMessageId = channel !== null ? newSortableId('msg', now) : null;
  const recorded = await insertDecisionOnce(db, {
    message_id: anchor.id,
    company_id: anchor.company_id,
    ticket_id: anchor.ticket_id,
    decision: channel !== null ? 'sent' : 'skipped',
    reason,
    channel,
    channel_skips: skips.length > 0 ? toJsonText(skips) : null,
    fallback_message_id: fallbackMessageId,
    decided_at: now,
  });
  if (!recorded) return null;
  if (channel !== null) await writeFallbackMessage(db, anchor, channel, addressOf(ticket, channel)!, fallbackMessageId!, now);
  return { decision: channel !== null ? 'sent' : 'skipped', reason, channel, fallbackMessageId };
}

/** Why no fallback goes out for this change whatever the channel, or null when one may. */
function changeSkipReason(
  ticket: Ticket,
  push: Message,
  pushes: readonly Message[],
  settings: QueueSettings,
  now: number,
): FallbackReason | null {
  if (!hasFallbackConsent(ticket, settings) || !settings.urgentActions.includes(push.action)) return 'no_consent';
  if (ticket.version > push.ticket_version || pushes.every((m) => m.status === 'superseded')) return 'superseded';
  if (now >= push.deliver_by) return 'deadline_passed';
  return null;
}

/** The first of the queue's channels that may carry the fallback, and why each before it may not. */
async function chooseChannel(
  db: QueueDb,
  ticket: Ticket,
  settings: QueueSettings,
  now: number,
): Promise<{ channel: FallbackChannel | null; skips: ChannelSkip[] }> {
  const skips: ChannelSkip[] = [];
  for (const channel of settings.fallbackChannels) {
    const reason = await channelSkipReason(db, ticket, channel, now);
    if (reason === null) return { channel, skips };
    skips.push({ channel, reason });
  }
  return { channel: null, skips };
}

async function channelSkipReason(db: QueueDb, ticket: Ticket, channel: FallbackChannel, now: number): Promise<ChannelSkipReason | null> {
  if (!consented(ticket, channel)) return 'no_consent';
  const address = addressOf(ticket, channel);
  if (address === null) return channel === 'sms' ? 'no_phone' : 'no_mail';
  // The person gets every change by this channel already: a second copy of the same change adds nothing.
  if (channel === 'sms' && ticket.send_sms === 1) return 'sms_already_sent';
  if (channel === 'email' && ticket.send_mail === 1) return 'mail_already_sent';
  // STOP, the SMS countries and the caps (docs/security.md §SMS and e-mail): a refused channel leaves
  // the next one its chance instead of writing a message that would fail at once.
  const refusal = await refusalOf(db, ticket.company_id, channel, address, now);
  if (refusal === 'recipient_opted_out') return 'opted_out';
  return refusal;
}

/** A channel the person never agreed to says less than one they did that failed: the latter is the reason. */
function whyNoChannel(skips: readonly ChannelSkip[]): ChannelSkipReason {
  return (skips.find((s) => s.reason !== 'no_consent') ?? skips[0])?.reason ?? 'no_consent';
}

function consented(ticket: Ticket, channel: FallbackChannel): boolean {
  return (channel === 'sms' ? ticket.sms_fallback : ticket.email_fallback) === 1;
}

function addressOf(ticket: Ticket, channel: FallbackChannel): string | null {
  return (channel === 'sms' ? ticket.phone : ticket.mail) || null;
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
