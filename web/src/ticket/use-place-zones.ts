/** The time zone of each place the person holds a ticket at, fetched once per place: the ticket's times are that place's. */
import { useEffect, useState } from 'preact/hooks';
import { getPlace, type TicketView } from './api.js';

export function usePlaceZones(bookingKey: string, tickets: readonly TicketView[] | null): Record<string, string> {
  const [zones, setZones] = useState<Record<string, string>>({});
  const placeIds = [...new Set((tickets ?? []).map((ticket) => ticket.place.placeId))].filter((id) => !Object.hasOwn(zones, id));
  useEffect(() => {
    for (const placeId of placeIds)
      void getPlace(bookingKey, placeId).then(
        (place) => setZones((known) => ({ ...known, [placeId]: place.timezone })),
        () => {},
      );
  }, [placeIds.join(',')]);
  return zones;
}
