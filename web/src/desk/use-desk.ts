/**
 * The desk's data and actions: the counter, its line and the tickets at it, refreshed after every
 * action and live from the queue state stream of the counter's queues. Every action reports back
 * at once (busy state, then a notice) and an error is explained, never swallowed — a 409 from a
 * race with another desk says what the ticket became.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../shared/api.js';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { openLive, type LiveState } from '../shared/live.js';
import * as desk from './api.js';
import type { Counter, DeskSession, Indicators, QueueState, TicketView } from './api.js';
import { OPEN_STATES } from './transitions.js';

export interface DeskNotice {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export function useDesk(session: DeskSession, t: Translate, onSignedOut: (reason: string) => void) {
  const [counter, setCounter] = useState<Counter>(session.counter);
  const [tickets, setTickets] = useState<TicketView[] | null>(null);
  const [indicators, setIndicators] = useState<Indicators | null>(null);
  const [queueStates, setQueueStates] = useState<Record<string, QueueState>>({});
  const [liveState, setLiveState] = useState<LiveState>('connecting');
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<DeskNotice | null>(null);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    // Answers can cross when refreshes overlap: only the latest one is shown.
    const mine = ++generation.current;
    const [list, current, stats] = await Promise.all([
      desk.listTickets(session, { state: OPEN_STATES }),
      desk.getCounter(session),
      desk.getIndicators(session).catch(() => null),
    ]);
    if (mine !== generation.current) return;
    setTickets(list);
    setCounter(current);
    setIndicators(stats);
  }, [session]);

  const explain = useCallback(
    async (error: unknown, ticketId: string | null): Promise<string> => {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        onSignedOut(t('error.UNAUTHENTICATED'));
        return t('error.UNAUTHENTICATED');
      }
      if (error instanceof ApiError && error.code === 'INVALID_TRANSITION' && ticketId) {
        const now = await desk.getTicket(session, ticketId).catch(() => null);
        if (!now) return t('error.INVALID_TRANSITION.unknown');
        const state = t(`state.${now.state}`);
        return t('error.INVALID_TRANSITION', { state: now.endpoint ? t('state.at', { state, counter: now.endpoint.name }) : state });
      }
      return describeError(error, t);
    },
    [session, t],
  );

  /** Runs one action: busy at once, then a notice in words, then fresh lists whatever happened. */
  const run = useCallback(
    async (key: string, ticketId: string | null, action: () => Promise<string>) => {
      setBusy(key);
      setNotice(null);
      try {
        setNotice({ kind: 'success', text: await action() });
      } catch (error) {
        setNotice({ kind: 'error', text: await explain(error, ticketId) });
      } finally {
        setBusy(null);
        await refresh().catch(() => {});
      }
    },
    [explain, refresh],
  );

  // A burst of stream events (one per queue on connect, several per action) makes one refresh.
  const soon = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = useCallback(() => {
    if (soon.current) clearTimeout(soon.current);
    soon.current = setTimeout(() => void refresh().catch(() => {}), 100);
  }, [refresh]);

  useEffect(() => {
    void refresh().catch(async (error) => setNotice({ kind: 'error', text: await explain(error, null) }));
    const live = openLive({
      url: `/v2/queues/state/sse?queueIds=${counter.queueIds.map(encodeURIComponent).join(',')}`,
      headers: { authorization: `Bearer ${session.token}` },
      onState: setLiveState,
      onOpen: refreshSoon,
      onEvent: (event) => {
        if (event.type === 'state') {
          const state = JSON.parse(event.data) as QueueState;
          setQueueStates((known) => ({ ...known, [state.queueId]: state }));
        }
        refreshSoon();
      },
      poll: refresh,
      pollIntervalMs: 3_000,
      onUnauthorized: () => onSignedOut(t('error.UNAUTHENTICATED')),
    });
    return () => live.close();
  }, [session]);

  return { counter, tickets, indicators, queueStates, setQueueStates, liveState, busy, notice, setNotice, run, refresh };
}
