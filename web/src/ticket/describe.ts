/** A ticket in plain words: never a state code, always what the person should know or do. */
import type { TicketView } from '../../../src/contract/message.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { dateTimeAt, timeAt } from '../shared/time.js';

export const WAITING_STATES = new Set([0, 50, 100]);
export const ENDED_STATES = new Set([400, 600, 700]);

export function headline(ticket: TicketView, t: Translate, counterName: string | null = ticket.endpoint?.name ?? null): string {
  const counter = counterName ?? t('state.counterUnknown');
  if (ticket.state === 200 && ticket.recallCount > 0) return t('state.200.recall', { counter });
  return t(`state.${ticket.state}`, { counter });
}

/** "2 people ahead of you (1 ticket) · about 6 min" for a waiting FIFO ticket, else null. */
export function positionLine(ticket: TicketView, t: Translate, lang: PageLang, now: number, timeZone: string | null): string | null {
  if (!WAITING_STATES.has(ticket.state) || ticket.isAnAppointment || !ticket.ticketPosition) return null;
  const { people, tickets } = ticket.ticketPosition.endpoint;
  const parts = [people === 0 ? t('ahead.none') : t('ahead', { count: people })];
  // Groups make people and tickets differ; then both help.
  if (people !== tickets && tickets > 0) parts[0] += ` ${t('ahead.tickets', { count: tickets })}`;
  // With nobody ahead the estimate only says how soon a counter frees up: "you are next" says it better.
  const eta = people > 0 ? etaText(ticket.timeline.estimatedFor, t, lang, now, timeZone) : null;
  if (eta) parts.push(eta);
  return parts.join(' · ');
}

function etaText(estimatedFor: string | null, t: Translate, lang: PageLang, now: number, timeZone: string | null): string | null {
  if (!estimatedFor) return null;
  const minutes = Math.round((Date.parse(estimatedFor) - now) / 60_000);
  if (minutes <= 1) return t('eta.soon');
  if (minutes <= 90) return t('eta.minutes', { minutes });
  return timeZone ? t('eta.at', { time: timeAt(estimatedFor, lang, timeZone) }) : null;
}

export function appointmentLine(ticket: TicketView, t: Translate, lang: PageLang, timeZone: string): string | null {
  if (!ticket.isAnAppointment || !ticket.bookedFor) return null;
  return t('appointment.at', { date: dateTimeAt(ticket.bookedFor, lang, timeZone) });
}

/** A visual tone for the card: the person sees at a glance that something needs them. */
export function tone(ticket: TicketView): 'calm' | 'soon' | 'now' | 'ended' {
  if (ticket.state === 200 || ticket.state === 300) return 'now';
  if (ticket.state === 100 || ticket.state === 50) return 'soon';
  if (ENDED_STATES.has(ticket.state)) return 'ended';
  return 'calm';
}
