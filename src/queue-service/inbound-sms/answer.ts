/**
 * A text a person sends back (docs/design.md §Two-way SMS): STOP and START per company, HELP, and
 * CANCEL or OK acting on their latest waiting ticket through the unit of work. The answer is the
 * text to send back, or null when the ticket's own message already tells them (a canceled ticket
 * subscribed to SMS gets its TICKET_CANCELED text; a second one would say the same thing twice).
 */
import { resolveLocale } from '../../contract/locale.js';
import { TicketState } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Ticket } from '../db/schema.js';
import { companiesTexting, isOptedOut, latestTicketOfPhone, optIn, optOut } from '../db/queries/sms-contacts.js';
import { findTicketForCompany } from '../db/queries/tickets.js';
import { runTicketUnit } from '../tickets/unit-of-work.js';
import { keywordOf } from './keywords.js';
import { replyText } from './replies.js';

/** How far back a number's texts and tickets count: a reply to a text from three months ago still stops them. */
const LOOKBACK_MS = 90 * 86_400_000;
const OPEN_STATES = [TicketState.BOOKED, TicketState.TO_CONFIRM, TicketState.ALERTED];
const ANY_STATE = Object.values(TicketState);

export async function answerSms(deps: QueueServiceDeps, from: string, text: string): Promise<string | null> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const since = now - LOOKBACK_MS;
  const word = keywordOf(text);
  const latest = await latestTicketOfPhone(db, from, ANY_STATE, since);
  const locale = resolveLocale(word.locale ?? latest?.lang);
  const companies = await companiesTexting(db, from, since);
  const names = { companies: companies.map((company) => company.name).join(', ') };

  switch (word.intent) {
    case 'stop':
      if (companies.length === 0) return replyText(locale, 'unknownNumber');
      for (const company of companies) await optOut(db, company.id, from, now);
      return replyText(locale, 'stopped', names);
    case 'start':
      if (companies.length === 0) return replyText(locale, 'unknownNumber');
      for (const company of companies) await optIn(db, company.id, from);
      return replyText(locale, 'started', names);
    case 'cancel':
    case 'confirm': {
      const to = word.intent === 'cancel' ? TicketState.CANCELED : TicketState.ALERTED;
      const from_ = word.intent === 'cancel' ? OPEN_STATES : [TicketState.TO_CONFIRM];
      const ticket = await latestTicketOfPhone(db, from, from_, since);
      if (!ticket) return replyText(locale, 'noTicket');
      const changed = await changeTicket(deps, ticket, from_, to, now);
      if (!changed) return replyText(locale, 'noTicket');
      if (ticket.send_sms === 1 && !(await isOptedOut(db, ticket.company_id, from))) return null;
      return replyText(resolveLocale(ticket.lang), word.intent === 'cancel' ? 'canceled' : 'confirmed', { label: ticket.label });
    }
    default:
      return replyText(locale, 'help', { companies: names.companies || 'queuebell' });
  }
}

/** The change, unless the ticket moved on meanwhile (an operator called it between the lookup and now). */
async function changeTicket(
  deps: QueueServiceDeps,
  found: Ticket,
  from: readonly number[],
  to: Ticket['state'],
  now: number,
): Promise<boolean> {
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await findTicketForCompany(trx, found.company_id, found.id);
    if (!ticket || !from.includes(ticket.state)) return false;
    await apply({ kind: 'state', ticket, to, actor: 'sms', now });
    return true;
  });
}
