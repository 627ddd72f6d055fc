/**
 * Step ③ begins here (docs/design.md §Delivery): a ticket change becomes message rows inside the transaction that
 * made the change, one per destination the ticket subscribed to. A crash at any instant leaves
 * either the change with its messages or neither; the dispatcher delivers them later.
 */
import type { NotificationMessage, TicketView } from '../../contract/message.js';
import type { TicketAction } from '../../contract/ticket-states.js';
import { newSortableId } from '../../platform/ids.js';
import { inSpan, tracing } from '../../platform/tracing/tracing.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { Message, NewMessage, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { insertMessages } from '../db/queries/messages.js';
import { listEnabledWebhookTargets } from '../db/queries/webhooks.js';
import type { TicketContext } from '../entities/ticket-context.js';
import { deliverBy } from '../../contract/deliver-by.js';
import { composeMessage } from './compose.js';
import { appointmentEventOf, appointmentIcs } from '../appointments/calendar.js';

import { refusalOf } from './send-policy.js';

/** A refused SMS or e-mail is written ended, with its reason; the dispatcher never claims it. */
async function sendPolicy(
  db: QueueDb,
  companyId: string,
  channel: 'sms' | 'email',
  recipient: string,
  now: number,
): Promise<Pick<NewMessage, 'status' | 'refused_reason' | 'last_error'>> {
  const reason = await refusalOf(db, companyId, channel, recipient, now);
  return reason === null
    ? { status: 'pending' }
    : {
        status: 'failed',
        refused_reason: reason,
        last_error:
          reason === 'recipient_opted_out'
            ? 'The number replied STOP to this company’s texts.'
            : `Refused by the company's send limits: ${reason}.`,
      };
}

/** PostgreSQL NOTIFY channel that wakes dispatchers in every process when messages are committed. */
export const OUTBOX_CHANNEL = 'queuebell_outbox';

/**
 * Writes the rows; when one is pending, dispatchers in other processes are woken at commit
 * (PostgreSQL NOTIFY, carried by the last insert's statement).
 */
function insertAndWake(db: QueueDb, rows: NewMessage[]): Promise<void> {
  return insertMessages(db, rows, rows.some((row) => row.status === 'pending') ? OUTBOX_CHANNEL : null);
}

/** Which of the ticket's channels a message goes to. */
export interface Channels {
  push: boolean;
  sms: boolean;
  mail: boolean;
}

const EVERY_CHANNEL: Channels = { push: true, sms: true, mail: true };

export interface TicketChangeForOutbox {
  ticket: Ticket;
  view: TicketView;
  action: TicketAction;
  /** The text's key when finer than the action (message-templates.ts); the action otherwise. */
  textKey?: string;
  /** Only these of the ticket's channels (a new subscription); all of them otherwise. */
  channels?: Channels;
  context: TicketContext;
  now: number;
}

/**
 * The change's messages, in a span of the request (or scheduler run) that made it: each row keeps
 * that span's `traceparent`, which the dispatcher's webhook continues (docs/design.md §Traces).
 */
export async function writeTicketMessages(db: QueueDb, change: TicketChangeForOutbox): Promise<NewMessage[]> {
  if (!tracing('queue-service')) return writeMessages(db, change, null);
  const attributes = { 'queuebell.ticket.id': change.ticket.id, 'queuebell.action': change.action };
  return inSpan({ service: 'queue-service', name: 'outbox write', kind: 'internal', attributes }, async (span) => {
    const rows = await writeMessages(db, change, span.traceparent);
    span.set({ 'queuebell.messages': rows.length });
    return rows;
  });
}

async function writeMessages(db: QueueDb, change: TicketChangeForOutbox, traceparent: string | null): Promise<NewMessage[]> {
  const { ticket, action, context, now } = change;
  const channels = change.channels ?? EVERY_CHANNEL;
  const composed = composeMessage(change.view, change.textKey ?? action, context);
  const base = {
    company_id: ticket.company_id,
    ticket_id: ticket.id,
    queue_id: ticket.queue_id,
    action,
    ticket_version: ticket.version,
    status: 'pending' as const,
    created_at: now,
    deliver_by: deliverBy(action, now, context.settings.deliverBySeconds, ticket.booked_for),
    next_attempt_at: now,
    attempt_count: 0,
    last_error: null,
    delivered_at: null,
    lease_owner: null,
    lease_expires_at: null,
    traceparent,
  };
  const rows: NewMessage[] = [];
  if (channels.push && ticket.send_push === 1 && ticket.push_id) {
    const body: NotificationMessage = { pushId: ticket.push_id, message: { action, content: composed.text, data: change.view } };
    const json = JSON.stringify(body);
    for (const target of await listEnabledWebhookTargets(db, ticket.company_id)) {
      if (target.actions && !parseJsonText(target.actions).includes(action)) continue;
      rows.push({
        ...base,
        id: newSortableId('msg', now),
        channel: 'webhook',
        destination_id: target.id,
        recipient: ticket.push_id,
        body: json,
      });
    }
  }
  if (channels.sms && ticket.send_sms === 1 && ticket.phone) {
    rows.push({
      ...base,
      ...(await sendPolicy(db, ticket.company_id, 'sms', ticket.phone, now)),
      id: newSortableId('msg', now),
      channel: 'sms',
      destination_id: null,
      recipient: ticket.phone,
      body: JSON.stringify({ to: ticket.phone, text: composed.text }),
    });
  }
  if (channels.mail && ticket.send_mail === 1 && ticket.mail) {
    rows.push({
      ...base,
      ...(await sendPolicy(db, ticket.company_id, 'email', ticket.mail, now)),
      id: newSortableId('msg', now),
      channel: 'email',
      destination_id: null,
      recipient: ticket.mail,
      body: JSON.stringify({ to: ticket.mail, subject: composed.subject, text: composed.text, ...(await calendarOf(db, change, now)) }),
    });
  }
  await insertAndWake(db, rows);
  return rows;
}

/**
 * An appointment's booking, move (both TICKET_BOOKED) and cancellation e-mails carry the event, so
 * the person's calendar follows the appointment (docs/design.md §Calendars).
 */
async function calendarOf(db: QueueDb, change: TicketChangeForOutbox, now: number): Promise<{ calendar?: string }> {
  if (change.action !== 'TICKET_BOOKED' && change.action !== 'TICKET_CANCELED') return {};
  const event = await appointmentEventOf(db, change.ticket, now);
  return event ? { calendar: appointmentIcs(event) } : {};
}

export interface ContactCode {
  /** The verification's id: the message's lane, as a ticket id is for a ticket's messages. */
  verificationId: string;
  companyId: string;
  queueId: string;
  channel: 'sms' | 'email';
  address: string;
  text: string;
  now: number;
}

/**
 * A one-time code on its way (booking/contact-verification.ts): an outbox row like a ticket's, so
 * it is delivered with the same retries and counted against the same send limits.
 */
export async function writeContactCodeMessage(db: QueueDb, code: ContactCode): Promise<NewMessage> {
  const row: NewMessage = {
    id: newSortableId('msg', code.now),
    company_id: code.companyId,
    ticket_id: code.verificationId,
    queue_id: code.queueId,
    action: 'CONTACT_VERIFY',
    ticket_version: 1,
    created_at: code.now,
    deliver_by: code.now + CONTACT_CODE_DELIVER_BY_MS,
    next_attempt_at: code.now,
    attempt_count: 0,
    last_error: null,
    delivered_at: null,
    lease_owner: null,
    lease_expires_at: null,
    ...(await sendPolicy(db, code.companyId, code.channel, code.address, code.now)),
    channel: code.channel,
    destination_id: null,
    recipient: code.address,
    body: JSON.stringify(
      code.channel === 'sms' ? { to: code.address, text: code.text } : { to: code.address, subject: code.text, text: code.text },
    ),
  };
  await insertAndWake(db, [row]);
  return row;
}

/** A code is worth nothing once it has expired (CONTACT_CODE_TTL_MS in booking/contact-verification.ts). */
const CONTACT_CODE_DELIVER_BY_MS = 10 * 60_000;

/**
 * The SMS or e-mail a push falls back to (docs/design.md §Fallback): the push's own text, to the
 * ticket's phone or mailbox, with the push's deadline; the same row as any SMS or e-mail, so the
 * dispatcher retries it within that deadline and expires it after, and the same send limits and
 * STOP apply. Written in the transaction that records the decision.
 */
export async function writeFallbackMessage(
  db: QueueDb,
  push: Message,
  channel: 'sms' | 'email',
  recipient: string,
  id: string,
  now: number,
): Promise<NewMessage> {
  const { message } = JSON.parse(push.body) as NotificationMessage;
  const body =
    channel === 'sms'
      ? { to: recipient, text: message.content }
      : // The templates' default subject: the push carries its text, not the queue's subject template.
        { to: recipient, subject: `${message.data.queue.name}: ${message.data.label}`, text: message.content };
  const row: NewMessage = {
    id,
    company_id: push.company_id,
    ticket_id: push.ticket_id,
    queue_id: push.queue_id,
    channel,
    destination_id: null,
    recipient,
    action: push.action,
    ticket_version: push.ticket_version,
    body: JSON.stringify(body),
    created_at: now,
    deliver_by: push.deliver_by,
    next_attempt_at: now,
    attempt_count: 0,
    last_error: null,
    delivered_at: null,
    lease_owner: null,
    lease_expires_at: null,
    ...(await sendPolicy(db, push.company_id, channel, recipient, now)),
  };
  await insertAndWake(db, [row]);
  return row;
}
