/**
 * Counter names in the page's language: the ticket carries the counter's default name, the
 * display API has its names per locale ("Guichet 1" for "Counter 1"). Fetched once per place, and
 * only when a ticket is at a counter and the page speaks another language than the default.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TicketView } from '../../../src/contract/message.js';
import { api } from '../shared/api.js';
import { API_LOCALE, type Lang } from '../shared/i18n.js';

/** placeId → counter id → locale → name. */
type Names = Record<string, Record<string, Record<string, string>>>;

export function useCounterNames(bookingKey: string, tickets: TicketView[] | null, lang: Lang): (ticket: TicketView) => string | null {
  const [names, setNames] = useState<Names>({});
  const places = [...new Set((tickets ?? []).filter((ticket) => ticket.endpoint).map((ticket) => ticket.placeId))].filter(
    (id) => !(id in names),
  );
  useEffect(() => {
    if (lang === 'en') return;
    for (const placeId of places) {
      void api<{ endpoints: { id: string; names: Record<string, string> }[] }>(
        'GET',
        `/v2/display/places/${encodeURIComponent(placeId)}/endpoints`,
        { key: bookingKey },
      ).then(
        (found) => setNames((known) => ({ ...known, [placeId]: Object.fromEntries(found.endpoints.map((e) => [e.id, e.names])) })),
        () => {},
      );
    }
  }, [places.join(','), lang]);
  return (ticket) => {
    if (!ticket.endpoint) return null;
    return names[ticket.placeId]?.[ticket.endpoint.id]?.[API_LOCALE[lang]] ?? ticket.endpoint.name;
  };
}
