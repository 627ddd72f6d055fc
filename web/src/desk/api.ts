/** The validation API as the desk uses it, with the operator's token for one counter. */
import type { TicketView as UserTicketView } from '../../../src/contract/message.js';
import { api } from '../shared/api.js';
import { readStored, writeStored } from '../shared/storage.js';

/** The ticket as the counter routes answer it: with the note only staff see (docs/design.md §Moving tickets). */
export type TicketView = UserTicketView & { note?: string | null; keptForEndpointId?: string | null };
/** What becomes of the counter's called ticket when it calls another. */
export type PreviousTicket = 'done' | 'no_show' | 'keep';

export interface Roles {
  allowedStates: number[];
  recall: boolean;
  manageCounter: boolean;
  showIndicators?: boolean;
  bookingClosedForTodayAllowed?: boolean;
}
export interface Counter {
  id: string;
  placeId: string;
  name: string;
  names: Record<string, string>;
  queueIds: string[];
  isOpen: boolean;
  openedAt: string | null;
  /** The place's time zone (absent from a session stored before it was sent). */
  timeZone?: string;
}
export interface DeskSession {
  token: string;
  counter: Counter;
  operator: { id: string; loginId: string; name: string; roles: Roles };
}

const SESSION_KEY = 'qb.desk';

/** Kept for the tab only: a shared counter PC must not stay signed in for the next person. */
export const storedDesk = () => readStored<DeskSession>('session', SESSION_KEY);
export const forgetDesk = () => writeStored('session', SESSION_KEY, null);

export async function signIn(counterId: string, loginId: string, password: string): Promise<DeskSession> {
  const answer = await api<{ token: string; operator: DeskSession['operator']; endpoint: Counter }>(
    'POST',
    `/v2/operator/endpoint/${encodeURIComponent(counterId)}/login`,
    { body: { loginId, password } },
  );
  const session = { token: answer.token, counter: answer.endpoint, operator: answer.operator };
  writeStored('session', SESSION_KEY, session);
  return session;
}

const base = (session: DeskSession) => `/v2/endpoints/${encodeURIComponent(session.counter.id)}`;

/** Ends the operator's session on the service: the token stops working everywhere. */
export const logout = (session: DeskSession) => api<void>('POST', '/v2/operator/logout', { token: session.token });
export const getCounter = (session: DeskSession) => api<Counter>('GET', base(session), { token: session.token });
export const setOpen = (session: DeskSession, isOpen: boolean) =>
  api<Counter>('PUT', base(session), { token: session.token, body: { isOpen } });
export const callNext = (session: DeskSession, previousTicket?: PreviousTicket) =>
  api<TicketView>('POST', `${base(session)}/next`, { token: session.token, body: previousTicket ? { previousTicket } : undefined });
export const setPriority = (session: DeskSession, ticketId: string, priority: boolean) =>
  api<TicketView>('PUT', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/priority`, { token: session.token, body: { priority } });
export const setNote = (session: DeskSession, ticketId: string, note: string | null) =>
  api<TicketView>('PUT', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/note`, { token: session.token, body: { note } });
/** Where a transfer goes (docs/design.md §Moving tickets): another queue of the place, or one counter. */
export type TransferTarget = { toQueueId: string } | { toEndpointId: string };
/** keep: its place in line, from when it first joined; end: behind everyone waiting now. */
export type TransferPlace = 'keep' | 'end';
export const transfer = (session: DeskSession, ticketId: string, target: TransferTarget, place: TransferPlace) =>
  api<TicketView>('POST', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/transfer`, {
    token: session.token,
    body: { ...target, place },
  });
export const recall = (session: DeskSession, ticketId: string) =>
  api<TicketView>('PUT', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/recall`, { token: session.token });
export const moveTo = (session: DeskSession, ticketId: string, state: number) =>
  api<TicketView>('PUT', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/state`, { token: session.token, body: { state } });
export const getTicket = (session: DeskSession, ticketId: string) =>
  api<TicketView>('GET', `${base(session)}/tickets/${encodeURIComponent(ticketId)}`, { token: session.token });

export interface CallReach {
  reached: boolean | null;
  channel: string | null;
  at: string | null;
  changeToReachedMs: number | null;
}
export const getCallReach = (session: DeskSession, ticketId: string) =>
  api<CallReach>('GET', `${base(session)}/tickets/${encodeURIComponent(ticketId)}/reach`, { token: session.token });

export async function listTickets(session: DeskSession, query: { state?: number[]; q?: string; limit?: number }): Promise<TicketView[]> {
  return (
    await api<{ tickets: TicketView[] }>('GET', `${base(session)}/tickets`, {
      token: session.token,
      query: { ...query, limit: query.limit ?? 200 },
    })
  ).tickets;
}

/** GET /v2/endpoints/{id}/indicators: the counter's totals and each of its queues', for today by default. */
export interface Totals {
  waiting: { tickets: number; people: number };
  booked: number;
  served: number;
  noShows: number;
  canceled: number;
  averageWaitMinutes: number | null;
  averageServiceMinutes: number | null;
  averageRating: number | null;
  ratings: number;
}
export interface Indicators {
  endpoint: Totals;
  queues: (Totals & { queueId: string; name: string })[];
}

export const getIndicators = (session: DeskSession) => api<Indicators>('GET', `${base(session)}/indicators`, { token: session.token });

/** The queue state the queue-state stream sends (GET /v2/queues/{id}/state). */
export interface QueueState {
  queueId: string;
  bookingIsOpened: boolean;
  bookingPausedUntil: string | null;
  queueIsFull: boolean;
  waiting: { tickets: number; people: number };
  estimatedWaitMinutes: number;
}

/** A walk-in added by staff (docs/design.md §Kiosks): a ticket in one of the counter's queues. */
export const addVisitor = (session: DeskSession, queueId: string, name: string | null) =>
  api<{ ticket: TicketView }>('POST', `${base(session)}/walk-ins`, {
    token: session.token,
    body: { queueId, ...(name ? { userData: { name } } : {}) },
  });

export const setBookingPaused = (session: DeskSession, queueId: string, paused: boolean) =>
  api<QueueState>('PUT', `${base(session)}/queues/${encodeURIComponent(queueId)}/booking`, { token: session.token, body: { paused } });
