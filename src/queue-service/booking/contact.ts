/**
 * The notification subscription of a ticket: which channels to use and the contact
 * details each needs. A channel without its detail is a 400 that names the missing field.
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { QueueSettings } from '../entities/queue-settings.js';

const E164 = '^\\+[1-9][0-9]{6,14}$';
const MAIL = '^[^\\s@]{1,64}@[^\\s@]{1,253}\\.[^\\s@]{2,63}$';

const UserDataSchema = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ pattern: E164, description: 'E.164, e.g. +33612345678' }), Type.Null()])),
    mail: Type.Optional(Type.Union([Type.String({ pattern: MAIL, maxLength: 254 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const SubscriptionFields = {
  pushId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_:.-]+$' }), Type.Null()])),
  sendClientPush: Type.Optional(Type.Boolean()),
  sendClientSms: Type.Optional(Type.Boolean()),
  sendClientMail: Type.Optional(Type.Boolean()),
  smsFallback: Type.Optional(
    Type.Boolean({ description: 'Text me if an urgent push (alerted, called) does not reach my phone in time. Needs userData.phone.' }),
  ),
  userData: Type.Optional(UserDataSchema),
  lang: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2}([_-][a-zA-Z]{2})?$' })),
};

export const SubscriptionInput = Type.Object(SubscriptionFields, { additionalProperties: false });
export type SubscriptionInput = Static<typeof SubscriptionInput>;

export interface Contact {
  pushId: string | null;
  sendPush: boolean;
  sendSms: boolean;
  sendMail: boolean;
  smsFallback: boolean;
  name: string | null;
  phone: string | null;
  mail: string | null;
}

/** Applies the input over the current contact and checks that every chosen channel can be reached. */
export function resolveContact(input: SubscriptionInput, current: Contact, settings: QueueSettings | null): Contact {
  const contact: Contact = {
    pushId: input.pushId !== undefined ? input.pushId : current.pushId,
    sendPush: input.sendClientPush ?? current.sendPush,
    sendSms: input.sendClientSms ?? current.sendSms,
    sendMail: input.sendClientMail ?? current.sendMail,
    smsFallback: input.smsFallback ?? current.smsFallback,
    name: input.userData?.name !== undefined ? input.userData.name : current.name,
    phone: input.userData?.phone !== undefined ? input.userData.phone : current.phone,
    mail: input.userData?.mail !== undefined ? input.userData.mail : current.mail,
  };
  if (contact.sendPush && !contact.pushId) missing('pushId', 'sendClientPush needs a pushId.');
  if (contact.sendSms && !contact.phone) missing('userData.phone', 'sendClientSms needs userData.phone (E.164).');
  if (contact.smsFallback && !contact.phone) missing('userData.phone', 'smsFallback needs userData.phone (E.164).');
  if (contact.sendMail && !contact.mail) missing('userData.mail', 'sendClientMail needs userData.mail.');
  if (settings?.mailRequired && !contact.mail) missing('userData.mail', 'This queue requires userData.mail.');
  if (settings?.phoneRequired && !contact.phone) missing('userData.phone', 'This queue requires userData.phone.');
  return contact;
}

function missing(field: string, message: string): never {
  throw new AppError('MISSING_FIELD', `Missing field ${field}: ${message}`, { field });
}

export const NO_CONTACT: Contact = {
  pushId: null,
  sendPush: false,
  sendSms: false,
  sendMail: false,
  smsFallback: false,
  name: null,
  phone: null,
  mail: null,
};
