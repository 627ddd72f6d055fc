/**
 * The board's data: the place's counters (each with the ticket it calls now) and the stream of
 * calls. On connect the stream sends today's latest calls, then each call and recall as it happens,
 * and a `counters` event whenever a counter opens or closes. The counters are fetched on that event
 * and on every (re)connection, so a board that was offline catches up.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { openLive, type LiveState } from '../shared/live.js';

export interface Call {
  ticketId: string;
  label: string;
  /** Names per locale, as Lineberty's display API gives them. */
  queue: { queueId: string; name: Record<string, string> };
  endpoint: { endpointId: string; name: Record<string, string> } | null;
  calledAt: string;
  recall: boolean;
  recallCount: number;
  /** The stream's event id: two calls of one ticket are two events. */
  eventId: string | null;
}

export interface BoardCounter {
  id: string;
  name: string;
  names: Record<string, string>;
  isOpen: boolean;
  current: { label: string; calledAt: string | null; priority?: boolean } | null;
}

export interface BoardPlace {
  name: string;
  /** The place's own names per locale, beside its default name. */
  names: Record<string, string>;
  lang: string;
  timeZone: string;
  endpoints: BoardCounter[];
}

const KEEP = 12;

export function useCalls(placeId: string, bookingKey: string) {
  const [place, setPlace] = useState<BoardPlace | null>(null);
  const [calls, setCalls] = useState<Call[]>([]);
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const base = `/v2/display/places/${encodeURIComponent(placeId)}`;
    const loadCounters = () => api<BoardPlace>('GET', `${base}/endpoints`, { key: bookingKey }).then(setPlace, setError);
    const live = openLive({
      url: `${base}/calls/sse`,
      headers: { 'x-api-key': bookingKey },
      onState: setLiveState,
      onOpen: () => void loadCounters(),
      poll: loadCounters,
      onEvent: (event) => {
        // A counter opened or closed: read the counters again.
        if (event.type === 'counters') {
          void loadCounters();
          return;
        }
        if (event.type !== 'call') return;
        const call = { ...(JSON.parse(event.data) as Omit<Call, 'eventId'>), eventId: event.id };
        setCalls((list) =>
          [call, ...list.filter((known) => !(known.eventId && known.eventId === call.eventId))]
            .sort((a, b) => b.calledAt.localeCompare(a.calledAt))
            .slice(0, KEEP),
        );
        // The counter now calls this ticket: no need to wait for the next fetch.
        setPlace(
          (current) =>
            current && {
              ...current,
              endpoints: current.endpoints.map((counter) =>
                counter.id === call.endpoint?.endpointId
                  ? { ...counter, current: { label: call.label, calledAt: call.calledAt } }
                  : counter,
              ),
            },
        );
      },
    });
    return () => live.close();
  }, [placeId, bookingKey]);

  return { place, calls, liveState, error };
}
