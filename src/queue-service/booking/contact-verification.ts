/**
 * One-time codes that prove a phone number or e-mail address (docs/security.md §SMS and e-mail).
 * A queue with `contactVerificationRequired` sends SMS and e-mail only to a contact its user proved:
 * `POST /v2/user/contacts/verify` without a code sends one (an outbox row, under the company's send
 * limits), with the code confirms it. Codes are stored hashed, live ten minutes and allow five tries.
 */
import { randomInt } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { hashToken } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { QueueDb } from '../db/types.js';
import {
  countCodesSent,
  findLatestVerification,
  hasVerifiedContact,
  insertContactVerification,
  recordCodeAttempt,
} from '../db/queries/contact-verifications.js';
import { findNotificationLimitsOfCompany } from '../db/queries/companies.js';
import { findQueueWithPlaceForCompany } from '../db/queries/queues.js';
import type { QueueSettings } from '../entities/queue-settings.js';
import { Id } from '../http/schemas.js';
import { parseNotificationLimits } from '../notifications/limits.js';
import { writeContactCodeMessage } from '../notifications/outbox.js';
import { countryOfPhone, smsCountryAllowed } from '../notifications/send-policy.js';
import { E164, MAIL, type Contact } from './contact.js';

const CODE_TTL_MS = 10 * 60_000;
const MAX_TRIES = 5;
/** A proof holds this long; past it the person proves the address again. */
const PROOF_TTL_MS = 30 * 86_400_000;
/** Codes per hour to one address, and asked by one user: a code costs an SMS. */
const CODES_PER_ADDRESS_PER_HOUR = 3;
const CODES_PER_USER_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

export const ContactVerifyInput = Type.Object(
  {
    queueId: Id,
    phone: Type.Optional(Type.String({ pattern: E164, description: 'E.164, e.g. +33612345678' })),
    mail: Type.Optional(Type.String({ pattern: MAIL, maxLength: 254 })),
    code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'The code received; without it a code is sent.' })),
  },
  { additionalProperties: false },
);
export type ContactVerifyInput = Static<typeof ContactVerifyInput>;

export const ContactVerifyView = Type.Object({
  status: Type.Union([Type.Literal('sent'), Type.Literal('verified')]),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});

export async function verifyContact(
  deps: QueueServiceDeps,
  user: { userId: string; companyId: string },
  input: ContactVerifyInput,
): Promise<Static<typeof ContactVerifyView>> {
  if ((input.phone === undefined) === (input.mail === undefined))
    throw new AppError('VALIDATION_FAILED', 'Give exactly one of phone and mail.', { field: 'phone' });
  const channel = input.phone !== undefined ? 'sms' : 'email';
  const address = (input.phone ?? input.mail)!;
  const now = deps.clock.now();
  const { code } = input;
  if (code !== undefined) {
    // A wrong try is committed before the 400, or retrying would be free.
    const right = await deps.database.transaction((db) => confirmCode(db, user.userId, channel, address, code, now));
    if (!right) throw new AppError('VALIDATION_FAILED', 'The code is not right.', { field: 'code' });
    return { status: 'verified' };
  }
  const expiresAt = await deps.database.transaction((db) => sendCode(db, user, input.queueId, channel, address, now));
  deps.outboxSignal.notify();
  return { status: 'sent', expiresAt: new Date(expiresAt).toISOString() };
}

async function sendCode(
  db: QueueDb,
  user: { userId: string; companyId: string },
  queueId: string,
  channel: 'sms' | 'email',
  address: string,
  now: number,
): Promise<number> {
  const queue = await findQueueWithPlaceForCompany(db, user.companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND');
  if (channel === 'sms') await assertSmsCountry(db, user.companyId, address);
  const hourAgo = now - HOUR_MS;
  if (
    (await countCodesSent(db, { address }, hourAgo)) >= CODES_PER_ADDRESS_PER_HOUR ||
    (await countCodesSent(db, { userId: user.userId }, hourAgo)) >= CODES_PER_USER_PER_HOUR
  )
    throw new AppError('RATE_LIMITED', 'Too many codes asked for; retry in an hour.', undefined, { 'retry-after': '3600' });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = newId('cvf', 12);
  await insertContactVerification(db, {
    id,
    company_id: user.companyId,
    user_id: user.userId,
    channel,
    address,
    code_hash: hashToken(`${id}:${code}`),
    attempts: 0,
    created_at: now,
    expires_at: now + CODE_TTL_MS,
    verified_at: null,
  });
  const text = `${queue.place_name}: your code is ${code}. It expires in 10 minutes.`;
  await writeContactCodeMessage(db, { verificationId: id, companyId: user.companyId, queueId: queue.id, channel, address, text, now });
  return now + CODE_TTL_MS;
}

async function confirmCode(
  db: QueueDb,
  userId: string,
  channel: 'sms' | 'email',
  address: string,
  code: string,
  now: number,
): Promise<boolean> {
  const pending = await findLatestVerification(db, userId, channel, address);
  if (!pending || pending.verified_at !== null || pending.expires_at <= now || pending.attempts >= MAX_TRIES)
    throw new AppError('VALIDATION_FAILED', 'No code is waiting for this contact; ask for a new one.', { field: 'code' });
  const right = hashToken(`${pending.id}:${code}`) === pending.code_hash;
  await recordCodeAttempt(db, pending.id, right ? now : null);
  return right;
}

/** A booking asking for SMS or e-mail on a queue that wants proven contacts: 403 CONTACT_NOT_VERIFIED otherwise. */
export async function assertVerifiedContacts(
  db: QueueDb,
  settings: QueueSettings,
  userId: string | null,
  contact: Pick<Contact, 'sendSms' | 'sendMail' | 'smsFallback' | 'emailFallback' | 'phone' | 'mail'>,
  now: number,
): Promise<void> {
  if (!settings.contactVerificationRequired || userId === null) return;
  const since = now - PROOF_TTL_MS;
  // A fallback sends to the same address as a subscription would: the same proof (docs/design.md §Fallback).
  const texts = contact.sendSms || contact.smsFallback;
  const mails = contact.sendMail || contact.emailFallback;
  if (texts && contact.phone && !(await hasVerifiedContact(db, userId, 'sms', contact.phone, since)))
    throw new AppError('CONTACT_NOT_VERIFIED', undefined, { field: 'userData.phone' });
  if (mails && contact.mail && !(await hasVerifiedContact(db, userId, 'email', contact.mail, since)))
    throw new AppError('CONTACT_NOT_VERIFIED', undefined, { field: 'userData.mail' });
}

/** 400 SMS_COUNTRY_NOT_ALLOWED when the company does not send SMS to the number's country. */
export async function assertSmsCountry(db: QueueDb, companyId: string, phone: string): Promise<void> {
  const limits = parseNotificationLimits(await findNotificationLimitsOfCompany(db, companyId));
  if (!(await smsCountryAllowed(db, companyId, limits, phone)))
    throw new AppError('SMS_COUNTRY_NOT_ALLOWED', `SMS cannot be sent to this number's country (${countryOfPhone(phone) ?? 'unknown'}).`, {
      field: 'userData.phone',
    });
}
