/**
 * A stored message, for one device, as a provider-neutral Notification: the text is the message's
 * `content`, the title is the app's for the device's locale, and the data is the compact ticket.
 * ALERTED and CALLED are the moments a person must act now, so they go out at high priority.
 */
import type { CompactTicket } from '../db/schema.js';
import type { AppContext, Notification } from '../providers/provider.js';

const HIGH_PRIORITY_ACTIONS = new Set(['TICKET_ALERTED', 'TICKET_CALLED']);

export interface RenderInput {
  app: AppContext;
  action: string;
  content: string;
  ticket: CompactTicket;
  deliverBy: number;
  deviceLocale: string | null;
}

export function renderNotification(input: RenderInput): Notification {
  const { ticket } = input;
  return {
    title: titleFor(input.app, [input.deviceLocale, ticket.lang]),
    body: input.content,
    data: {
      action: input.action,
      ticketId: ticket.id,
      label: ticket.label,
      state: String(ticket.state ?? ''),
      counter: ticket.counter ?? '',
    },
    collapseKey: ticket.id,
    highPriority: HIGH_PRIORITY_ACTIONS.has(input.action),
    expiresAt: input.deliverBy,
  };
}

/** Exact locale first (fr_FR), then its language (fr), for the device then the ticket; else `default`, else the app name. */
export function titleFor(app: AppContext, locales: readonly (string | null)[]): string {
  for (const locale of locales) {
    if (!locale) continue;
    const exact = app.titles[locale];
    if (exact) return exact;
    const language = app.titles[locale.split('_')[0]!];
    if (language) return language;
  }
  return app.titles.default ?? app.name;
}
