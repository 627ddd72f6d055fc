/**
 * Whether an SMS or e-mail may go out (docs/security.md §SMS and e-mail), decided when its message
 * row is written, inside the ticket change's transaction: a refused one is written `failed` with
 * its `refused_reason` and never reaches a provider. Counts are sliding windows over the message
 * rows themselves, so every process sees the same ones.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { countryOfTimeZone } from '../../platform/geo/time-zone-countries.js';
import type { MessageChannel } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findNotificationLimitsOfCompany } from '../db/queries/companies.js';
import { countSendsOfCompany, countSendsToRecipient } from '../db/queries/messages.js';
import { listTimeZonesOfCompany } from '../db/queries/places.js';
import { isOptedOut } from '../db/queries/sms-contacts.js';
import { parseNotificationLimits, type NotificationLimits } from './limits.js';

export type RefusalReason =
  | 'recipient_opted_out'
  | 'sms_country_not_allowed'
  | 'recipient_hourly_cap'
  | 'recipient_daily_cap'
  | 'company_hourly_cap'
  | 'company_daily_cap';

const HOUR_MS = 3_600_000;

/** The reason an SMS or e-mail to `recipient` is refused now, or null when it may go. */
export async function refusalOf(
  db: QueueDb,
  companyId: string,
  channel: Exclude<MessageChannel, 'webhook'>,
  recipient: string,
  now: number,
): Promise<RefusalReason | null> {
  // A number that texted STOP hears nothing more from the company (docs/design.md §Two-way SMS).
  if (channel === 'sms' && (await isOptedOut(db, companyId, recipient))) return 'recipient_opted_out';
  const limits = parseNotificationLimits(await findNotificationLimitsOfCompany(db, companyId));
  if (channel === 'sms' && !(await smsCountryAllowed(db, companyId, limits, recipient))) return 'sms_country_not_allowed';
  const caps =
    channel === 'sms'
      ? {
          recipient: [limits.smsPerNumberPerHour, limits.smsPerNumberPerDay],
          company: [limits.smsPerCompanyPerHour, limits.smsPerCompanyPerDay],
        }
      : {
          recipient: [limits.mailPerAddressPerHour, limits.mailPerAddressPerDay],
          company: [limits.mailPerCompanyPerHour, limits.mailPerCompanyPerDay],
        };
  const [hourAgo, dayAgo] = [now - HOUR_MS, now - 24 * HOUR_MS];
  const own = await countSendsToRecipient(db, channel, recipient, hourAgo, dayAgo);
  if (over(own.lastHour, caps.recipient[0])) return 'recipient_hourly_cap';
  if (over(own.lastDay, caps.recipient[1])) return 'recipient_daily_cap';
  const all = await countSendsOfCompany(db, companyId, channel, hourAgo, dayAgo);
  if (over(all.lastHour, caps.company[0])) return 'company_hourly_cap';
  if (over(all.lastDay, caps.company[1])) return 'company_daily_cap';
  return null;
}

function over(count: number, cap: number | null | undefined): boolean {
  return cap !== null && cap !== undefined && count >= cap;
}

/** The countries SMS may go to: the company's list, or the countries of its places' time zones. */
export async function allowedSmsCountries(db: QueueDb, companyId: string, limits: NotificationLimits): Promise<Set<string>> {
  if (limits.smsCountries) return new Set(limits.smsCountries);
  const zones = await listTimeZonesOfCompany(db, companyId);
  return new Set(zones.map(countryOfTimeZone).filter((country): country is string => country !== null));
}

/** The ISO country of an E.164 number, or null when it belongs to none libphonenumber knows. */
export function countryOfPhone(phone: string): string | null {
  return parsePhoneNumberFromString(phone)?.country ?? null;
}

export async function smsCountryAllowed(db: QueueDb, companyId: string, limits: NotificationLimits, phone: string): Promise<boolean> {
  const country = countryOfPhone(phone);
  return country !== null && (await allowedSmsCountries(db, companyId, limits)).has(country);
}
