/**
 * A queue's settings (docs/design.md §States and transitions): stored as JSON on the queue row, always read through
 * `parseQueueSettings` so a missing key falls back to its default.
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { MAX_REMINDER_ID } from '../../contract/ticket-states.js';

/** Any positive integer, as Lineberty's `TICKET_REMIND_12345`. */
const ReminderId = Type.Integer({ minimum: 1, maximum: MAX_REMINDER_ID });

const ReminderRule = Type.Union([
  Type.Object({ id: ReminderId, minutesBefore: Type.Integer({ minimum: 1, maximum: 10080 }) }, { additionalProperties: false }),
  Type.Object(
    {
      id: ReminderId,
      dayBefore: Type.Literal(true),
      at: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    },
    { additionalProperties: false },
  ),
]);

const Template = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** Every field optional: what PATCH and POST accept. */
export const QueueSettingsInput = Type.Object(
  {
    minGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    mailRequired: Type.Optional(Type.Boolean()),
    phoneRequired: Type.Optional(Type.Boolean()),
    bookingOpen: Type.Optional(Type.Boolean()),
    /** The queue is full when this many tickets are waiting. */
    maxWaitingTickets: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()])),
    /** The queue is full for the day once this many tickets were booked today. */
    maxTicketsPerDay: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()])),
    /** Open tickets one user may hold in this queue at once (null: no limit); see docs/security.md §Fair use. */
    maxOpenTicketsPerUser: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
    /** Open tickets one phone number or one e-mail address may hold in this queue at once (null: no limit). */
    maxOpenTicketsPerContact: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
    /** Bookings per hour from one client address (an IPv6 /64) into this queue with a user token (null: no limit). */
    bookingsPerAddressPerHour: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000000 }), Type.Null()])),
    /** Bookings per hour with one booking key into this queue with a user token (null: no limit). */
    bookingsPerKeyPerHour: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000000 }), Type.Null()])),
    /** SMS and e-mail only to a phone or address proven by a one-time code (POST /v2/user/contacts/verify). */
    contactVerificationRequired: Type.Optional(Type.Boolean()),
    /**
     * A waiting FIFO ticket gets a TICKET_ALERTED at each of these counts of people ahead (the first
     * moves it to alerted), each with its own text; [] alerts nobody.
     */
    alertPositions: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 1000 }), { maxItems: 10, uniqueItems: true })),
    /** The former single alert position: n is alertPositions [n]. */
    alertThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** Minutes before an appointment at which it is alerted. */
    appointmentAlertMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    /** Ask people to confirm they are coming (state 50) instead of alerting them directly. */
    confirmRequired: Type.Optional(Type.Boolean()),
    /** Counter staff may mark walk-ins priority: they are called before the rest of the line (docs/design.md §Moving tickets). */
    priorityAllowed: Type.Optional(Type.Boolean()),
    /** Operators whose role allows it may act at a closed counter in this queue (Lineberty's hidden mode). */
    hiddenModeAllowed: Type.Optional(Type.Boolean()),
    onHoldTimeoutMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    noShowTimeoutMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10080 })),
    /** Service time assumed until the queue has history. */
    defaultServiceMinutes: Type.Optional(Type.Number({ minimum: 0.1, maximum: 480 })),
    /** Deliver-by deadlines in seconds per action, overriding the defaults of notifications/deadlines.ts. */
    deliverBySeconds: Type.Optional(
      Type.Record(Type.String({ pattern: '^TICKET_[A-Z_0-9]+$' }), Type.Integer({ minimum: 1, maximum: 7 * 86400 })),
    ),
    reminders: Type.Optional(Type.Array(ReminderRule, { maxItems: 10 })),
    /** Actions whose push falls back to SMS for people who agreed (docs/design.md §Fallback). */
    urgentActions: Type.Optional(Type.Array(Type.String({ pattern: '^TICKET_[A-Z_0-9]+$' }), { maxItems: 20 })),
    /** How long to wait for a "pushed" receipt before falling back. */
    fallbackWaitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    /**
     * The channels a push falls back to, in order of preference: the first the person agreed to and
     * can be reached on is used, once; [] turns the fallback off (docs/design.md §Fallback).
     */
    fallbackChannels: Type.Optional(
      Type.Array(Type.Union([Type.Literal('sms'), Type.Literal('email')]), { maxItems: 2, uniqueItems: true }),
    ),
    /** Message texts per action and locale, overriding the built-in templates. */
    templates: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^TICKET_[A-Z_0-9]+$' }),
        Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Template),
      ),
    ),
  },
  { additionalProperties: false },
);

export type QueueSettingsPatch = Static<typeof QueueSettingsInput>;
export type ReminderRule = Static<typeof ReminderRule>;
export type MessageTemplate = Static<typeof Template>;

export interface QueueSettings {
  minGroupSize: number;
  maxGroupSize: number;
  mailRequired: boolean;
  phoneRequired: boolean;
  bookingOpen: boolean;
  maxWaitingTickets: number | null;
  maxTicketsPerDay: number | null;
  maxOpenTicketsPerUser: number | null;
  maxOpenTicketsPerContact: number | null;
  bookingsPerAddressPerHour: number | null;
  bookingsPerKeyPerHour: number | null;
  contactVerificationRequired: boolean;
  /** Largest first; never empty-looking duplicates. */
  alertPositions: number[];
  appointmentAlertMinutes: number;
  confirmRequired: boolean;
  hiddenModeAllowed: boolean;
  priorityAllowed: boolean;
  onHoldTimeoutMinutes: number;
  noShowTimeoutMinutes: number;
  defaultServiceMinutes: number;
  deliverBySeconds: Record<string, number>;
  reminders: ReminderRule[];
  templates: Record<string, Record<string, MessageTemplate>>;
  urgentActions: string[];
  fallbackWaitSeconds: number;
  fallbackChannels: ('sms' | 'email')[];
}

/** Lineberty's: the day before (at 18:00, place time) and 2 hours before the appointment. */
const DEFAULT_REMINDERS: ReminderRule[] = [
  { id: 1, dayBefore: true, at: '18:00' },
  { id: 2, minutesBefore: 120 },
];

const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  minGroupSize: 1,
  maxGroupSize: 10,
  mailRequired: false,
  phoneRequired: false,
  bookingOpen: true,
  maxWaitingTickets: null,
  maxTicketsPerDay: null,
  maxOpenTicketsPerUser: 1,
  maxOpenTicketsPerContact: 1,
  bookingsPerAddressPerHour: 30,
  bookingsPerKeyPerHour: null,
  contactVerificationRequired: false,
  alertPositions: [2, 1],
  appointmentAlertMinutes: 15,
  confirmRequired: false,
  hiddenModeAllowed: false,
  priorityAllowed: false,
  onHoldTimeoutMinutes: 10,
  noShowTimeoutMinutes: 30,
  defaultServiceMinutes: 5,
  deliverBySeconds: {},
  reminders: DEFAULT_REMINDERS,
  templates: {},
  urgentActions: ['TICKET_ALERTED', 'TICKET_CALLED'],
  fallbackWaitSeconds: 10,
  // SMS first: a text reaches a phone in seconds; the person's consent picks among these.
  fallbackChannels: ['sms', 'email'],
};

/**
 * Priority is a queue's choice, and only for walk-ins: an appointment is called at its time
 * already (docs/design.md §Moving tickets).
 */
export function assertPriorityAllowed(settings: QueueSettings, isAppointment: number): void {
  if (!settings.priorityAllowed) throw new AppError('PRIORITY_NOT_ALLOWED', 'This queue does not take priority tickets (priorityAllowed).');
  if (isAppointment === 1)
    throw new AppError('PRIORITY_NOT_ALLOWED', 'An appointment is called at its time; only a walk-in can be priority.');
}

const cache = new Map<string, QueueSettings>();

/** Parses the stored JSON over the defaults; memoised by text because every booking reads it. */
export function parseQueueSettings(json: string): QueueSettings {
  let settings = cache.get(json);
  if (!settings) {
    settings = mergeQueueSettings(DEFAULT_QUEUE_SETTINGS, JSON.parse(json) as QueueSettingsPatch);
    if (cache.size > 1000) cache.clear();
    cache.set(json, settings);
  }
  return settings;
}

export function mergeQueueSettings(current: QueueSettings, patch: QueueSettingsPatch): QueueSettings {
  const { alertThreshold, alertPositions, ...rest } = patch;
  const positions = alertPositions ?? (alertThreshold !== undefined ? [alertThreshold] : current.alertPositions);
  return { ...current, ...(rest as Partial<QueueSettings>), alertPositions: [...new Set(positions)].sort((a, b) => b - a) };
}
