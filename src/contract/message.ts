/**
 * The notification message of step ③ (docs/design.md §The message): the body the queue service signs and the push
 * server ingests, and the ticket view that travels inside it as `data`.
 */
import { Type, type Static } from 'typebox';
import type { TicketAction, TicketStateCode } from './ticket-states.js';

export interface TicketPosition {
  queue: { tickets: number; people: number };
  endpoint: { tickets: number; people: number };
}

/** Moments in a ticket's life, RFC 3339 strings; null until they happen. */
export interface TicketTimeline {
  bookedAt: string;
  estimatedFor: string | null;
  toConfirmAt: string | null;
  alertedAt: string | null;
  calledAt: string | null;
  onHoldAt: string | null;
  noShowAt: string | null;
  inProgressAt: string | null;
  canceledAt: string | null;
  doneAt: string | null;
  updatedAt: string;
}

/**
 * A ticket exactly as `GET /v2/user/tickets` shows it, and as `message.data` carries it, with
 * Lineberty's names (docs/lineberty.md §Ticket): the names inside are plain text in the ticket's
 * language, as Lineberty's sample apps render them; the counter's name comes in every locale too.
 */
export interface TicketView {
  ticketId: string;
  label: string;
  state: TicketStateCode;
  companyId: string;
  place: { placeId: string; name: string };
  queue: { queueId: string; name: string };
  appointmentType: { appointmentTypeId: string; name: string };
  language: string;
  groupSize: number;
  source: string | null;
  isAnAppointment: boolean;
  bookedFor: string | null;
  userData: { name: string | null; phone: string | null; mail: string | null };
  notifications: {
    pushId: string | null;
    sendClientPush: boolean;
    sendClientSms: boolean;
    sendClientMail: boolean;
    smsFallback: boolean;
    emailFallback: boolean;
  };
  endpoint: { endpointId: string; name: string; names: Record<string, string> } | null;
  recallCount: number;
  ticketPosition: TicketPosition | null;
  timeline: TicketTimeline;
  rating: { rating: number; comment: string | null } | null;
  /** Called before the rest of its line (docs/design.md §Moving tickets); absent otherwise. */
  priority?: true;
  /** When the person said "I'm here"; absent until then. */
  checkedInAt?: string;
  /** The person said they are running late: by how many minutes, when. */
  runningLate?: { minutes: number; at: string };
}

export interface NotificationMessage {
  pushId: string;
  message: { action: TicketAction; content: string; data: TicketView };
}

/** What a receiver checks before trusting a body; `data` stays open so receivers tolerate new fields. */
export const NotificationBodySchema = Type.Object(
  {
    pushId: Type.String({ minLength: 1, maxLength: 200 }),
    message: Type.Object({
      action: Type.String({ minLength: 1, maxLength: 64 }),
      content: Type.String({ maxLength: 4000 }),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { additionalProperties: true },
);
export type NotificationBody = Static<typeof NotificationBodySchema>;

/** queuebell's own header beside the Standard Webhooks ones: after this moment the message is not worth showing. */
export const DELIVER_BY_HEADER = 'x-queuebell-deliver-by';

/**
 * The deadline again, as milliseconds left after the signed `webhook-timestamp`: a receiver judges
 * it on time elapsed since signing, so it holds when the two clocks disagree (docs/design.md §The message).
 */
export const TIME_TO_LIVE_HEADER = 'x-queuebell-ttl-ms';

/**
 * The deadline headers signed with the same secrets as the body (docs/design.md §The message): one
 * `v1,<base64 HMAC-SHA256(secret, "{webhook-id}.{webhook-timestamp}.{ttl-ms}.{deliver-by}")>` per
 * secret, space-separated, an absent header read as empty. Standard Webhooks verifiers ignore it.
 */
export const DEADLINE_SIGNATURE_HEADER = 'x-queuebell-deadline-signature';

/** The farthest deadline a receiver takes: a push that keeps failing is retried until then, and years would be abuse. */
export const MAX_DELIVERY_HORIZON_MS = 24 * 3600_000;

/** The ingest answer's `status` when the deadline had already passed on arrival: nothing will be pushed. */
export const EXPIRED_ON_ARRIVAL = 'expired_on_arrival';

/** `details` of a 401 STALE_TIMESTAMP: the receiver's clock minus the signed timestamp, and the window it allows. */
export interface StaleTimestampDetails {
  offsetSeconds: number;
  toleranceSeconds: number;
}
