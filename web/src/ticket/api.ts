/** The booking API as the ticket page uses it: an anonymous user per browser, their tickets, the queues. */
import type { TicketView } from '../../../src/contract/message.js';
import { ApiError, api, authHeaders } from '../shared/api.js';
import { download } from '../shared/download.js';
import { readStored, writeStored } from '../shared/storage.js';

export type { TicketView };

/** Names per locale, as Lineberty's API gives them. */
export type Names = Record<string, string>;

export interface Place {
  placeId: string;
  name: Names;
  address: string | null;
  timezone: string;
}
export interface AppointmentType {
  appointmentTypeId: string;
  name: Names;
  duration: number;
  /** The queue's own type when it has none: joining the line now. */
  isWalkIn: boolean;
}
export interface Queue {
  queueId: string;
  placeId: string;
  name: Names;
  appointmentTypes: Record<string, AppointmentType>;
  config: { groupSizeLimit: { min: number; max: number }; phoneRequired: boolean; confirmRequired: boolean };
  mailRequired: boolean;
}
export interface QueueState {
  queueId: string;
  bookingIsOpened: boolean;
  queueIsOpened: boolean;
  queueIsFull: boolean;
  queueIsFullForTheDay: boolean;
  waiting: { tickets: number; people: number };
  openEndpoints: number;
  estimatedWaitMinutes: number;
}

export interface UserSession {
  userId: string;
  jwtToken: string;
  bookingKey: string;
}

const SESSION_KEY = 'qb.user';

/** The browser's user, created on first booking and kept, so the person finds their ticket after a reload. */
export async function ensureUser(bookingKey: string): Promise<UserSession> {
  const stored = readStored<UserSession>('local', SESSION_KEY);
  if (stored && stored.bookingKey === bookingKey) return stored;
  const created = await api<{ userId: string; jwtToken: string }>('POST', '/v2/users', { key: bookingKey });
  const session = { ...created, bookingKey };
  writeStored('local', SESSION_KEY, session);
  return session;
}

export function storedUser(bookingKey: string): UserSession | null {
  adoptFollowLink(bookingKey);
  const stored = readStored<UserSession>('local', SESSION_KEY);
  return stored && stored.bookingKey === bookingKey ? stored : null;
}

/**
 * A kiosk's QR code (docs/design.md §Kiosks) opens `/?follow=<ticketId>#token=<user token>`: the
 * walk-in's own user becomes this browser's, so the ticket shows and stays after a reload. The
 * token leaves the address bar at once; the fragment never reached a server.
 */
function adoptFollowLink(bookingKey: string): void {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) return;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    if (typeof payload.sub !== 'string') return;
    writeStored('local', SESSION_KEY, { userId: payload.sub, jwtToken: token, bookingKey } satisfies UserSession);
  } catch {
    // Not a token we can read: the page goes on with the session it had.
  }
}

export function forgetUser(): void {
  writeStored('local', SESSION_KEY, null);
}

const as = (session: UserSession) => ({ key: session.bookingKey, token: session.jwtToken });

export async function listTickets(session: UserSession): Promise<TicketView[]> {
  const { tickets } = await api<{ tickets: Record<string, TicketView> }>('GET', '/v2/user/tickets', as(session));
  return Object.values(tickets);
}

export interface BookingInput {
  userData: { name?: string; phone?: string; mail?: string };
  sendClientPush: boolean;
  sendClientSms: boolean;
  sendClientMail: boolean;
  smsFallback?: boolean;
  emailFallback?: boolean;
  pushId?: string;
  groupSize: number;
  lang: string;
  source: string;
  bookedFor?: string;
  appointmentTypeId?: string;
}

/** The types a person may book a time for: the queue's own walk-in type is joining the line now. */
export const appointmentTypesOf = (queue: Queue): AppointmentType[] =>
  Object.values(queue.appointmentTypes).filter((type) => !type.isWalkIn);

export function bookTicket(session: UserSession, queueId: string, input: BookingInput): Promise<TicketView> {
  return api<TicketView>('POST', `/v2/queues/${encodeURIComponent(queueId)}/ticket`, { ...as(session), body: input });
}

/** Changes the ticket's consent to a fallback by SMS or e-mail; 200 with an empty body. */
export async function setFallback(
  session: UserSession,
  ticketId: string,
  consent: { smsFallback: boolean } | { emailFallback: boolean },
): Promise<void> {
  await api('PUT', `/v2/user/tickets/${encodeURIComponent(ticketId)}/notifications`, { ...as(session), body: consent });
}

export function ticketAction(
  session: UserSession,
  ticketId: string,
  action: 'cancel' | 'confirm' | 'report' | 'checkIn' | 'runningLate',
  body?: unknown,
): Promise<TicketView> {
  return api<TicketView>('PUT', `/v2/user/tickets/${encodeURIComponent(ticketId)}/${action}`, { ...as(session), body });
}

export function rateTicket(session: UserSession, ticketId: string, rating: number, comment: string | null): Promise<TicketView> {
  return api<TicketView>('PUT', `/v2/user/tickets/${encodeURIComponent(ticketId)}/rate`, { ...as(session), body: { rating, comment } });
}

export const USER_TICKETS_STREAM = '/v2/user/tickets/sse';

/** Keys and tokens travel in headers, not in URLs that proxies and logs keep. */
export const streamHeaders = (session: UserSession) => authHeaders({ key: session.bookingKey, token: session.jwtToken });

export const listPlaces = async (key: string) => Object.values(await api<Record<string, Place>>('GET', '/v2/places', { key }));
export const listQueues = async (key: string, placeId: string) =>
  Object.values(await api<Record<string, Queue>>('GET', `/v2/places/${encodeURIComponent(placeId)}/queues`, { key }));
export const getPlace = (key: string, placeId: string) => api<Place>('GET', `/v2/places/${encodeURIComponent(placeId)}`, { key });
export const getQueue = (key: string, queueId: string) => api<Queue>('GET', `/v2/queues/${encodeURIComponent(queueId)}`, { key });
export const getQueueState = (key: string, queueId: string) =>
  api<QueueState>('GET', `/v2/queues/${encodeURIComponent(queueId)}/state`, { key });

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The appointment as an .ics file (docs/design.md §Calendars), fetched with the user's token. */
export const downloadCalendar = (session: UserSession, ticketId: string, label: string): Promise<void> =>
  download(`/v2/user/tickets/${encodeURIComponent(ticketId)}/calendar.ics`, `${label}.ics`, as(session));
