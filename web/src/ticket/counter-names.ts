/**
 * The counter's name in the page's language: a ticket carries its counter's names in every locale
 * ("Guichet 1" for "Counter 1"), beside the name in the ticket's own language.
 */
import type { TicketView } from '../../../src/contract/message.js';
import { API_LOCALE, type PageLang } from '../shared/i18n.js';

export function counterNameIn(ticket: TicketView, lang: PageLang): string | null {
  if (!ticket.endpoint) return null;
  return ticket.endpoint.names[API_LOCALE[lang]] ?? ticket.endpoint.name;
}
