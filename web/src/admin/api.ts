/** The admin API with the admin token (kept for the tab only), typed as the admin page reads it. */
import { api, type RequestOptions } from '../shared/api.js';
import { readStored, writeStored } from '../shared/storage.js';

const TOKEN_KEY = 'qb.admin';
export const storedToken = () => readStored<string>('session', TOKEN_KEY);
export const keepToken = (token: string | null) => writeStored('session', TOKEN_KEY, token);

export function admin<T>(token: string, method: string, path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
  return api<T>(method, path, { ...options, token });
}

export interface Company {
  id: string;
  name: string;
  retentionDays: number;
}
/** What /config.json gives the public pages (`GET`/`PUT /admin/pages`). */
export interface PagesSettings {
  bookingKey: string | null;
  placeId: string | null;
  queueId: string | null;
  push: { serverUrl: string; appId: string; appKey: string; vapidPublicKey: string | null } | null;
  demo: { webPushBridgeUrl: string | null; endpointId: string | null; operatorLoginId: string | null } | null;
}
export interface Place {
  id: string;
  name: string;
  timeZone: string;
  lang: string;
}
export type ReminderRule = { id: number; minutesBefore: number } | { id: number; dayBefore: true; at: string };
export interface Template {
  text: string;
  subject?: string;
}
export interface QueueSettings {
  alertPositions: number[];
  appointmentAlertMinutes: number;
  onHoldTimeoutMinutes: number;
  noShowTimeoutMinutes: number;
  defaultServiceMinutes: number;
  maxWaitingTickets: number | null;
  maxOpenTicketsPerUser: number | null;
  maxOpenTicketsPerContact: number | null;
  bookingsPerAddressPerHour: number | null;
  bookingsPerKeyPerHour: number | null;
  contactVerificationRequired: boolean;
  maxGroupSize: number;
  minGroupSize: number;
  bookingOpen: boolean;
  confirmRequired: boolean;
  phoneRequired: boolean;
  mailRequired: boolean;
  deliverBySeconds: Record<string, number>;
  reminders: ReminderRule[];
  templates: Record<string, Record<string, Template>>;
}
export interface Queue {
  id: string;
  placeId: string;
  name: string;
  labelPrefix: string;
  settings: QueueSettings;
}
export interface Counter {
  id: string;
  placeId: string;
  name: string;
  names: Record<string, string>;
  queueIds: string[];
  isOpen: boolean;
}
/** What an operator may do (docs/lineberty/auth.md §Roles): the states they may set and the other rights. */
export interface OperatorRoles {
  allowedStates: number[];
  recall: boolean;
  manageCounter: boolean;
  showIndicators: boolean;
  bookingClosedForTodayAllowed: boolean;
  hiddenModeAllowed: boolean;
  extendedAttributes: Record<string, unknown>;
}
export interface Operator {
  id: string;
  companyId: string;
  loginId: string;
  name: string;
  roles: OperatorRoles;
  createdAt: string;
}
/** An operator's role in one queue, instead of their own. */
export interface QueueRole {
  queueId: string;
  roles: OperatorRoles;
  updatedAt: string;
}
export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  actions: string[] | null;
  health: 'healthy' | 'failing' | 'disabled';
  failingSince: string | null;
  lastFailureReason: string | null;
  disabledReason: string | null;
  secrets: { createdAt: string; expiresAt: string | null }[];
  waitingMessages?: number;
}
export interface Message {
  id: string;
  ticketId: string;
  queueId: string;
  channel: string;
  destinationId: string | null;
  recipient: string;
  action: string;
  status: string;
  body: unknown;
  createdAt: string;
  deliverBy: string;
  attemptCount: number;
  lastError: string | null;
  deliveredAt: string | null;
  replayCount: number;
  replayedAt: string | null;
}
export interface Attempt {
  id: string;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  outcome: string;
  responseExcerpt: string | null;
  error: string | null;
}

export interface TimelineMessage {
  id: string;
  channel: string;
  status: string;
  committedAt: string;
  deliveredAt: string | null;
  attempts: { startedAt: string; durationMs: number; statusCode: number | null; outcome: string; error: string | null }[];
  receipts: {
    id: string;
    type: string;
    outcome: string;
    deviceId: string | null;
    provider: string | null;
    reason: string | null;
    at: string;
  }[];
  fallback: { decision: string; reason: string; decidedAt: string; smsMessageId: string | null } | null;
}
export interface TimelineChange {
  version: number;
  at: string;
  action: string | null;
  by: { kind: string; id: string | null; name: string | null };
  counter: { id: string; name: string | null } | null;
  messages: TimelineMessage[];
  reach: { reached: boolean | null; channel: string | null; at: string | null; changeToReachedMs: number | null };
}
export interface Timeline {
  ticketId: string;
  label: string;
  changes: TimelineChange[];
}

export const listCompanies = (token: string) => admin<Company[]>(token, 'GET', '/admin/companies');
export const listPlaces = (token: string, companyId: string) => admin<Place[]>(token, 'GET', `/admin/companies/${companyId}/places`);
export const listQueues = (token: string, placeId: string) => admin<Queue[]>(token, 'GET', `/admin/places/${placeId}/queues`);
export const listCounters = (token: string, placeId: string) => admin<Counter[]>(token, 'GET', `/admin/places/${placeId}/endpoints`);
export const patchQueue = (token: string, queueId: string, body: unknown) =>
  admin<Queue>(token, 'PATCH', `/admin/queues/${queueId}`, { body });
export const deliveryHealth = (token: string, companyId: string) =>
  admin<{ destinations: Webhook[]; needsAttention: boolean }>(token, 'GET', `/admin/companies/${companyId}/delivery-health`);
