/**
 * Whether a change reached the person (docs/design.md §Timeline): from its messages and the
 * receipts of its pushes. Read by the admin timeline and by the desk's reached mark.
 */
import { toIso } from '../../platform/clock.js';
import type { Message, MessageReceipt } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { listReceiptsOfMessages } from '../db/queries/message-receipts.js';
import { listMessagesOfTicketVersion } from '../db/queries/messages.js';

export interface Reach {
  /** true: a push provider accepted it or an SMS or e-mail was delivered; false: every way failed; null: still on its way (or no message). */
  reached: boolean | null;
  channel: 'push' | 'sms' | 'email' | null;
  at: string | null;
  /** The change's time to the provider accepting its push (or the SMS or e-mail being delivered). */
  changeToReachedMs: number | null;
}

/** Whether one change reached the person, from its messages and their receipts. */
export function reachOf(changedAt: number, messages: readonly Message[], receipts: ReadonlyMap<string, MessageReceipt[]>): Reach {
  const pushed = messages
    .flatMap((m) => receipts.get(m.id) ?? [])
    .filter((r) => r.type === 'push.receipt' && r.outcome === 'pushed')
    .sort((a, b) => a.occurred_at - b.occurred_at)[0];
  if (pushed) return reached('push', pushed.occurred_at, changedAt);
  const delivered = messages
    .filter((m) => m.channel !== 'webhook' && m.status === 'delivered' && m.delivered_at !== null)
    .sort((a, b) => a.delivered_at! - b.delivered_at!)[0];
  if (delivered) return reached(delivered.channel as 'sms' | 'email', delivered.delivered_at!, changedAt);
  if (messages.length === 0) return { reached: null, channel: null, at: null, changeToReachedMs: null };
  const ended = messages.every((m) => {
    if (['failed', 'expired', 'superseded'].includes(m.status)) return true;
    const own = receipts.get(m.id) ?? [];
    return m.channel === 'webhook' && own.some((r) => r.type === 'push.receipt' && r.device_id === null);
  });
  return { reached: ended ? false : null, channel: null, at: null, changeToReachedMs: null };
}

function reached(channel: Reach['channel'], at: number, changedAt: number): Reach {
  return { reached: true, channel, at: toIso(at), changeToReachedMs: Math.max(0, at - changedAt) };
}

/** The reach of one change of a ticket (its version), changed at `changedAt`. */
export async function reachOfChange(db: QueueDb, ticketId: string, version: number, changedAt: number): Promise<Reach> {
  const messages = await listMessagesOfTicketVersion(db, ticketId, version);
  const receipts = await listReceiptsOfMessages(
    db,
    messages.map((m) => m.id),
  );
  const byMessage = new Map<string, MessageReceipt[]>();
  for (const receipt of receipts) byMessage.set(receipt.message_id, [...(byMessage.get(receipt.message_id) ?? []), receipt]);
  return reachOf(changedAt, messages, byMessage);
}
