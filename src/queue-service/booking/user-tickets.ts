/** What a person does with their own tickets: read them, cancel, change how they are notified. */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { TicketState } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findTicketForUser, listTicketsForUser, settingsOfQueues } from '../db/queries/tickets.js';
import { parseQueueSettings } from '../entities/queue-settings.js';
import { presentTicket } from '../tickets/present.js';
import { loadTicketContext } from '../entities/ticket-context.js';
import { runTicketUnit } from '../tickets/unit-of-work.js';
import { resolveContact, type SubscriptionInput } from './contact.js';
import { assertSmsCountry, assertVerifiedContacts } from './contact-verification.js';

export async function presentStoredTicket(db: QueueDb, ticket: Ticket, now: number): Promise<TicketView> {
  return presentTicket(db, ticket, await loadTicketContext(db, ticket), now);
}

export async function listUserTickets(deps: QueueServiceDeps, userId: string): Promise<Record<string, TicketView>> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const tickets = await listTicketsForUser(db, userId);
  const views = await Promise.all(tickets.map((ticket) => presentStoredTicket(db, ticket, now)));
  return Object.fromEntries(views.map((view) => [view.ticketId, view]));
}

/** A ticket of this user, or 404: another user's ticket is indistinguishable from none. */
export async function userTicket(db: QueueDb, userId: string, ticketId: string): Promise<Ticket> {
  const ticket = await findTicketForUser(db, userId, ticketId);
  if (!ticket) throw new AppError('TICKET_NOT_FOUND');
  return ticket;
}

export async function getUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string): Promise<TicketView> {
  return presentStoredTicket(deps.database.db, await userTicket(deps.database.db, userId, ticketId), deps.clock.now());
}

export async function cancelUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string): Promise<TicketView> {
  const now = deps.clock.now();
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    return (await apply({ kind: 'state', ticket, to: TicketState.CANCELED, actor: `user:${userId}`, now })).view;
  });
}

/** Replaces the ticket's subscription; later changes of the ticket reach the new channels. */
export async function subscribeUserTicket(
  deps: QueueServiceDeps,
  userId: string,
  ticketId: string,
  input: SubscriptionInput,
): Promise<void> {
  await runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    const contact = resolveContact(
      input,
      {
        pushId: ticket.push_id,
        sendPush: ticket.send_push === 1,
        sendSms: ticket.send_sms === 1,
        sendMail: ticket.send_mail === 1,
        smsFallback: ticket.sms_fallback === 1,
        emailFallback: ticket.email_fallback === 1,
        name: ticket.name,
        phone: ticket.phone,
        mail: ticket.mail,
      },
      null,
    );
    // The same send rules as a booking: a subscription must not be a way around them.
    if (contact.sendSms && contact.phone) await assertSmsCountry(trx, ticket.company_id, contact.phone);
    const settings = parseQueueSettings((await settingsOfQueues(trx, [ticket.queue_id])).get(ticket.queue_id) ?? '{}');
    await assertVerifiedContacts(trx, settings, userId, contact, deps.clock.now());
    await apply({
      kind: 'subscribe',
      ticket,
      now: deps.clock.now(),
      changes: {
        push_id: contact.pushId,
        send_push: contact.sendPush ? 1 : 0,
        send_sms: contact.sendSms ? 1 : 0,
        send_mail: contact.sendMail ? 1 : 0,
        sms_fallback: contact.smsFallback ? 1 : 0,
        email_fallback: contact.emailFallback ? 1 : 0,
        name: contact.name,
        phone: contact.phone,
        mail: contact.mail,
        lang: input?.lang ?? ticket.lang,
      },
    });
  });
}
