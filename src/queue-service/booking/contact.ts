/**
 * The notification subscription of a ticket: which channels to use and the contact
 * details each needs. A channel without its detail is a 400 that names the missing field.
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { QueueSettings } from '../entities/queue-settings.js';

export const E164 = '^\\+[1-9][0-9]{6,14}$';
export const MAIL = '^[^\\s@]{1,64}@[^\\s@]{1,253}\\.[^\\s@]{2,63}$';

/** Lineberty's samples send empty strings for details the person left out: the same as absent. */
const Blank = Type.Literal('');
const UserDataSchema = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Blank, Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ pattern: E164, description: 'E.164, e.g. +33612345678' }), Blank, Type.Null()])),
    mail: Type.Optional(Type.Union([Type.String({ pattern: MAIL, maxLength: 254 }), Blank, Type.Null()])),
  },
  { additionalProperties: false, description: 'An empty string is the same as absent.' },
);

/** true or "true" (Lineberty clients send both). */
const Flag = Type.Optional(Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]));

export const SubscriptionFields = {
  pushId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_:.-]+$' }), Blank, Type.Null()])),
  sendClientPush: Flag,
  sendClientSms: Flag,
  sendClientMail: Flag,
  smsFallback: Type.Optional(
    Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], {
      description: 'Text me if an urgent push (alerted, called) does not reach my phone in time. Needs userData.phone.',
    }),
  ),
  emailFallback: Type.Optional(
    Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')], {
      description: 'E-mail me if an urgent push (alerted, called) does not reach my phone in time. Needs userData.mail.',
    }),
  ),
  userData: Type.Optional(UserDataSchema),
  lang: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2}([_-][a-zA-Z]{2})?$' })),
};

/** PUT routes take an absent or empty body (docs/lineberty.md §Requests). */
export const SubscriptionInput = Type.Union([Type.Object(SubscriptionFields, { additionalProperties: false }), Type.Null()]);
export type SubscriptionInput = Static<typeof SubscriptionInput>;

export interface Contact {
  pushId: string | null;
  sendPush: boolean;
  sendSms: boolean;
  sendMail: boolean;
  smsFallback: boolean;
  emailFallback: boolean;
  name: string | null;
  phone: string | null;
  mail: string | null;
}

type SubscriptionFieldsInput = Static<ReturnType<typeof Type.Object<typeof SubscriptionFields>>>;

const flag = (value: boolean | 'true' | 'false' | undefined) => (value === undefined ? undefined : value === true || value === 'true');
/** A given detail: an empty string means absent, so the current one stays. */
const given = <T>(value: T | '' | undefined): T | undefined => (value === '' ? undefined : value);

/**
 * Applies the input over the current contact and checks that every chosen channel can be reached;
 * a 400 names every missing field, not only the first (`details.fields`, `details.field` the first).
 */
export function resolveContact(input: SubscriptionFieldsInput | null, current: Contact, settings: QueueSettings | null): Contact {
  const data = input?.userData;
  const pushId = given(input?.pushId);
  const name = given(data?.name);
  const phone = given(data?.phone);
  const mail = given(data?.mail);
  const contact: Contact = {
    pushId: pushId !== undefined ? pushId : current.pushId,
    sendPush: flag(input?.sendClientPush) ?? current.sendPush,
    sendSms: flag(input?.sendClientSms) ?? current.sendSms,
    sendMail: flag(input?.sendClientMail) ?? current.sendMail,
    smsFallback: flag(input?.smsFallback) ?? current.smsFallback,
    emailFallback: flag(input?.emailFallback) ?? current.emailFallback,
    name: name !== undefined ? name : current.name,
    phone: phone !== undefined ? phone : current.phone,
    mail: mail !== undefined ? mail : current.mail,
  };
  const problems = new Map<string, string>();
  const need = (field: string, message: string) => problems.set(field, problems.get(field) ?? message);
  if (contact.sendPush && !contact.pushId) need('pushId', 'sendClientPush needs a pushId.');
  if (contact.sendSms && !contact.phone) need('userData.phone', 'sendClientSms needs userData.phone (E.164).');
  if (contact.smsFallback && !contact.phone) need('userData.phone', 'smsFallback needs userData.phone (E.164).');
  if (contact.sendMail && !contact.mail) need('userData.mail', 'sendClientMail needs userData.mail.');
  if (contact.emailFallback && !contact.mail) need('userData.mail', 'emailFallback needs userData.mail.');
  if (settings?.mailRequired && !contact.mail) need('userData.mail', 'This queue requires userData.mail.');
  if (settings?.phoneRequired && !contact.phone) need('userData.phone', 'This queue requires userData.phone.');
  if (problems.size > 0) {
    const fields = [...problems.keys()];
    const message = fields.map((field) => `${field}: ${problems.get(field)}`).join(' ');
    throw new AppError('MISSING_FIELD', `Missing field${fields.length > 1 ? 's' : ''} ${message}`, { field: fields[0], fields });
  }
  return contact;
}

export const NO_CONTACT: Contact = {
  pushId: null,
  sendPush: false,
  sendSms: false,
  sendMail: false,
  smsFallback: false,
  emailFallback: false,
  name: null,
  phone: null,
  mail: null,
};
