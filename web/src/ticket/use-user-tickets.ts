/**
 * The person's tickets, kept current: a snapshot from the API on every (re)connection, then each
 * change from the user's event stream (streams/payloads.ts): `ticket` events carry the whole ticket
 * view and replace it; `position` events move its place in line; anything else is a hint to fetch
 * the snapshot again.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { TicketView } from '../../../src/contract/message.js';
import { openLive, type LiveState } from '../shared/live.js';
import { USER_TICKETS_STREAM, forgetUser, isUnauthorized, listTickets, storedUser, streamHeaders, type UserSession } from './api.js';

export function useUserTickets(bookingKey: string) {
  const [session, setSession] = useState<UserSession | null>(() => storedUser(bookingKey));
  const [tickets, setTickets] = useState<TicketView[] | null>(session ? null : []);
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const latest = useRef(session);
  latest.current = session;

  const upsert = useCallback((ticket: TicketView) => {
    setTickets((list) => {
      const current = (list ?? []).find((known) => known.ticketId === ticket.ticketId);
      // Events and answers can cross: never let an older view of a ticket replace a newer one.
      if (current && current.timeline.updatedAt > ticket.timeline.updatedAt) return list;
      return [...(list ?? []).filter((known) => known.ticketId !== ticket.ticketId), ticket];
    });
  }, []);

  /** The line moved: only the position and the estimate change, nothing to fetch. */
  const movePosition = useCallback((data: string) => {
    const moved = JSON.parse(data) as {
      ticketId: string;
      ticketPosition: TicketView['ticketPosition'];
      timeline: { estimatedFor: string | null };
    };
    setTickets(
      (list) =>
        list?.map((ticket) =>
          ticket.ticketId === moved.ticketId
            ? {
                ...ticket,
                ticketPosition: moved.ticketPosition,
                timeline: { ...ticket.timeline, estimatedFor: moved.timeline.estimatedFor },
              }
            : ticket,
        ) ?? null,
    );
  }, []);

  const lostSession = useCallback(() => {
    forgetUser();
    setSession(null);
    setTickets([]);
  }, []);

  const refresh = useCallback(async () => {
    const current = latest.current;
    if (!current) return;
    try {
      setTickets(await listTickets(current));
    } catch (error) {
      if (isUnauthorized(error)) return lostSession();
      throw error;
    }
  }, []);

  useEffect(() => {
    if (!session) return;
    void refresh().catch(() => {});
    const live = openLive({
      url: USER_TICKETS_STREAM,
      headers: streamHeaders(session),
      onState: setLiveState,
      poll: refresh,
      onUnauthorized: lostSession,
      onEvent: (event) => {
        if (event.type === 'position') return movePosition(event.data);
        const ticket = ticketIn(event.data);
        if (ticket) upsert(ticket);
        else void refresh().catch(() => {});
      },
    });
    // The service worker tells an open page about a push at once (see public/sw.js).
    const fromWorker = (event: MessageEvent) => {
      if ((event.data as { type?: string } | null)?.type === 'queuebell-push') void refresh().catch(() => {});
    };
    navigator.serviceWorker?.addEventListener('message', fromWorker);
    return () => {
      live.close();
      navigator.serviceWorker?.removeEventListener('message', fromWorker);
    };
  }, [session]);

  const adoptSession = useCallback(() => setSession(storedUser(bookingKey)), [bookingKey]);
  return { session, tickets, liveState, upsert, adoptSession };
}

function ticketIn(data: string): TicketView | null {
  try {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    const candidate = (parsed.ticket ?? parsed) as Partial<TicketView>;
    return typeof candidate.ticketId === 'string' &&
      typeof candidate.label === 'string' &&
      typeof candidate.state === 'number' &&
      candidate.timeline
      ? (candidate as TicketView)
      : null;
  } catch {
    return null;
  }
}
