/**
 * A company's limits on SMS and e-mail (docs/security.md §SMS and e-mail): which countries SMS may
 * go to and how many sends per recipient and per company an hour and a day. Stored as JSON on the
 * company row, always read through `parseNotificationLimits` so a missing key takes its default.
 */
import { Type, type Static } from 'typebox';

const Cap = Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()]);

/** What the admin route accepts: every field optional, null lifts a cap. */
export const NotificationLimitsInput = Type.Object(
  {
    /** ISO 3166-1 alpha-2 codes SMS may go to; null: the countries of the company's places. */
    smsCountries: Type.Optional(Type.Union([Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 250 }), Type.Null()])),
    smsPerNumberPerHour: Type.Optional(Cap),
    smsPerNumberPerDay: Type.Optional(Cap),
    smsPerCompanyPerHour: Type.Optional(Cap),
    smsPerCompanyPerDay: Type.Optional(Cap),
    mailPerAddressPerHour: Type.Optional(Cap),
    mailPerAddressPerDay: Type.Optional(Cap),
    mailPerCompanyPerHour: Type.Optional(Cap),
    mailPerCompanyPerDay: Type.Optional(Cap),
  },
  { additionalProperties: false },
);
export type NotificationLimitsInput = Static<typeof NotificationLimitsInput>;

export interface NotificationLimits {
  smsCountries: string[] | null;
  smsPerNumberPerHour: number | null;
  smsPerNumberPerDay: number | null;
  smsPerCompanyPerHour: number | null;
  smsPerCompanyPerDay: number | null;
  mailPerAddressPerHour: number | null;
  mailPerAddressPerDay: number | null;
  mailPerCompanyPerHour: number | null;
  mailPerCompanyPerDay: number | null;
}

/**
 * A ticket sends about six messages in its life (booked, alerted, called, served, done, a reminder):
 * a person with two tickets in a day stays well inside the per-recipient caps.
 */
const DEFAULT_NOTIFICATION_LIMITS: NotificationLimits = {
  smsCountries: null,
  smsPerNumberPerHour: 20,
  smsPerNumberPerDay: 50,
  smsPerCompanyPerHour: 2_000,
  smsPerCompanyPerDay: 20_000,
  mailPerAddressPerHour: 20,
  mailPerAddressPerDay: 50,
  mailPerCompanyPerHour: 5_000,
  mailPerCompanyPerDay: 50_000,
};

export function parseNotificationLimits(json: string | null | undefined): NotificationLimits {
  return json ? { ...DEFAULT_NOTIFICATION_LIMITS, ...(JSON.parse(json) as Partial<NotificationLimits>) } : DEFAULT_NOTIFICATION_LIMITS;
}

export function mergeNotificationLimits(current: NotificationLimits, patch: NotificationLimitsInput): NotificationLimits {
  return { ...current, ...(patch as Partial<NotificationLimits>) };
}
