import type { TicketView } from '../../contract/message.js';
import { intlTag, resolveLocale } from '../../contract/locale.js';
import { renderTemplate, templateFor, type TemplateValues } from '../../contract/message-templates.js';
import { MinuteFormatter } from '../../platform/minute-formatter.js';
import type { TicketContext } from '../entities/ticket-context.js';

export interface ComposedMessage {
  text: string;
  subject: string;
}

/** The text of a message in the ticket's language, from the queue's template or the default (by text key, message-templates.ts). */
export function composeMessage(view: TicketView, textKey: string, context: TicketContext): ComposedMessage {
  const locale = resolveLocale(view.language);
  const template = templateFor(textKey, locale, context.settings.templates);
  const values = templateValues(view, context, intlTag(locale));
  return { text: renderTemplate(template.text, values), subject: renderTemplate(template.subject ?? '{queue}: {label}', values) };
}

const formatters = new Map<string, MinuteFormatter>();

/** Intl formatters are costly to build and every message needs one: one per locale, zone and style. */
function formatter(tag: string, timeZone: string, withDate: boolean): MinuteFormatter {
  const key = `${tag}|${timeZone}|${withDate}`;
  let found = formatters.get(key);
  if (!found) {
    found = new MinuteFormatter(new Intl.DateTimeFormat(tag, { timeZone, dateStyle: withDate ? 'medium' : undefined, timeStyle: 'short' }));
    formatters.set(key, found);
  }
  return found;
}

function templateValues(view: TicketView, context: TicketContext, tag: string): TemplateValues {
  const time = (iso: string | null, withDate: boolean) => (iso ? formatter(tag, context.timeZone, withDate).at(Date.parse(iso)) : '');
  return {
    label: view.label,
    counter: view.endpoint?.name ?? '',
    queue: view.queue.name,
    place: view.place.name,
    ahead: String(view.ticketPosition?.queue.people ?? 0),
    eta: time(view.timeline.estimatedFor, false),
    appointment: time(view.bookedFor, true),
  };
}
