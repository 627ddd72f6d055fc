/**
 * Message texts per text key and locale, with placeholders {label}, {counter}, {queue},
 * {place}, {ahead} (people ahead), {eta} (estimated local time) and {appointment} (local date and
 * time). A queue may override any of them in its settings. Here in the contract because the admin
 * page shows the defaults next to a queue's own texts.
 *
 * A text key is the message's action, or a finer key sent under an action
 * (docs/design.md §The message): `TICKET_POSTPONED` (sent as TICKET_BOOKED), `TICKET_ALERTED_<n>` (the alert at n people
 * ahead), `TICKET_REMIND_<id>`, `TICKET_TRANSFERRED` and `TICKET_TRANSFERRED_TO_COUNTER` (sent as TICKET_BOOKED). The most specific key with a text wins; at each key a queue's own
 * text beats the built-in one.
 */
import type { Locale } from './locale.js';
import { reminderRuleId } from './ticket-states.js';

/** A message text, and the e-mail subject. */
export interface MessageTemplate {
  text: string;
  subject?: string;
}

type TemplateKey =
  | 'TICKET_BOOKED'
  | 'TICKET_POSTPONED'
  | 'TICKET_ALERTED'
  | 'TICKET_ALERTED_1'
  | 'TICKET_ALERTED_0'
  | 'TICKET_CALLED'
  | 'TICKET_ONHOLD'
  | 'TICKET_NOSHOW'
  | 'TICKET_INPROGRESS'
  | 'TICKET_CANCELED'
  | 'TICKET_DONE'
  | 'TICKET_REMIND';

/**
 * Texts of moving tickets (docs/design.md §Moving tickets), sent under TICKET_BOOKED. Optional per
 * locale: a locale without them says TICKET_BOOKED's text.
 */
type TransferKey = 'TICKET_TRANSFERRED' | 'TICKET_TRANSFERRED_TO_COUNTER';

export const DEFAULT_TEMPLATES: Record<Locale, Record<TemplateKey, MessageTemplate> & Partial<Record<TransferKey, MessageTemplate>>> = {
  en_US: {
    TICKET_BOOKED: {
      subject: 'Your ticket {label}',
      text: 'Ticket {label} for {queue} is booked. People ahead of you: {ahead}, about {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Your appointment is moved',
      text: 'Ticket {label}: your appointment for {queue} is moved to {appointment}.',
    },
    TICKET_ALERTED: { subject: "It's nearly your turn", text: "Ticket {label}: it's nearly your turn, please come back to {place}." },
    TICKET_ALERTED_1: {
      subject: "It's almost your turn",
      text: 'Ticket {label}: you will be called very soon, please be ready at {place}.',
    },
    TICKET_ALERTED_0: { subject: 'You are next', text: 'Ticket {label}: you are next, please be ready at {place}.' },
    TICKET_CALLED: { subject: "It's your turn", text: "Ticket {label}, it's your turn: please go to {counter}." },
    TICKET_ONHOLD: {
      subject: 'We called you',
      text: 'Ticket {label}: we called you at {counter}. Please come now or your ticket will lapse.',
    },
    TICKET_NOSHOW: { subject: 'Missed turn', text: 'Ticket {label}: we could not see you when called, so it was marked as missed.' },
    TICKET_INPROGRESS: { subject: 'Being served', text: 'Ticket {label}: you are being served at {counter}.' },
    TICKET_CANCELED: { subject: 'Ticket canceled', text: 'Ticket {label} for {queue} was canceled.' },
    TICKET_DONE: { subject: 'Thank you', text: 'Ticket {label}: thank you for your visit to {place}.' },
    TICKET_REMIND: {
      subject: 'Appointment reminder',
      text: 'Reminder: your appointment for {queue} at {place} is on {appointment} (ticket {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Your ticket moved to {queue}',
      text: 'Ticket {label}: you now wait for {queue}. People ahead of you: {ahead}, about {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'You will be called at {counter}',
      text: 'Ticket {label}: you will be called at {counter} for {queue}. People ahead of you: {ahead}, about {eta}.',
    },
  },
  fr_FR: {
    TICKET_BOOKED: {
      subject: 'Votre ticket {label}',
      text: 'Ticket {label} pour {queue} réservé. Personnes devant vous : {ahead}, vers {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Votre rendez-vous est déplacé',
      text: 'Ticket {label} : votre rendez-vous pour {queue} est déplacé au {appointment}.',
    },
    TICKET_ALERTED: { subject: 'Bientôt votre tour', text: "Ticket {label} : c'est bientôt votre tour, merci de revenir à {place}." },
    TICKET_ALERTED_1: {
      subject: 'Presque votre tour',
      text: 'Ticket {label} : vous allez être appelé très bientôt, merci de vous tenir prêt à {place}.',
    },
    TICKET_ALERTED_0: {
      subject: 'Vous êtes le prochain',
      text: 'Ticket {label} : vous êtes le prochain, merci de vous tenir prêt à {place}.',
    },
    TICKET_CALLED: { subject: "C'est votre tour", text: "Ticket {label}, c'est votre tour : présentez-vous au {counter}." },
    TICKET_ONHOLD: {
      subject: 'Nous vous avons appelé',
      text: 'Ticket {label} : nous vous avons appelé au {counter}. Venez maintenant, sinon votre ticket expirera.',
    },
    TICKET_NOSHOW: {
      subject: 'Tour manqué',
      text: "Ticket {label} : nous ne vous avons pas vu à l'appel, votre passage est noté comme manqué.",
    },
    TICKET_INPROGRESS: { subject: 'En cours', text: 'Ticket {label} : vous êtes servi au {counter}.' },
    TICKET_CANCELED: { subject: 'Ticket annulé', text: 'Le ticket {label} pour {queue} a été annulé.' },
    TICKET_DONE: { subject: 'Merci', text: 'Ticket {label} : merci de votre visite à {place}.' },
    TICKET_REMIND: {
      subject: 'Rappel de rendez-vous',
      text: 'Rappel : votre rendez-vous pour {queue} à {place} est le {appointment} (ticket {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Votre ticket passe à {queue}',
      text: 'Ticket {label} : vous attendez maintenant pour {queue}. Personnes devant vous : {ahead}, vers {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'Vous serez appelé au {counter}',
      text: 'Ticket {label} : vous serez appelé au {counter} pour {queue}. Personnes devant vous : {ahead}, vers {eta}.',
    },
  },
};

export type TemplateValues = Record<'label' | 'counter' | 'queue' | 'place' | 'ahead' | 'eta' | 'appointment', string>;

/** The text key of the alert at `ahead` people ahead: its own text where one is written, else TICKET_ALERTED's. */
export function alertTextKey(ahead: number): string {
  return `TICKET_ALERTED_${ahead}`;
}

/** The keys tried for a text key, most specific first. */
function keysFor(key: string): string[] {
  if (reminderRuleId(key) !== null) return [key, 'TICKET_REMIND'];
  if (/^TICKET_ALERTED_[0-9]+$/.test(key)) return [key, 'TICKET_ALERTED'];
  if (key === 'TICKET_TRANSFERRED_TO_COUNTER') return [key, 'TICKET_TRANSFERRED', 'TICKET_BOOKED'];
  if (key === 'TICKET_TRANSFERRED') return [key, 'TICKET_BOOKED'];
  return [key];
}

/** The template of a text key: per key, most specific first, the queue's override (for the locale or its language), else the built-in. */
export function templateFor(key: string, locale: Locale, overrides: Record<string, Record<string, MessageTemplate>>): MessageTemplate {
  for (const candidate of keysFor(key)) {
    const override = Object.hasOwn(overrides, candidate) ? overrides[candidate] : undefined;
    const own = override && (ownField(override, locale) ?? ownField(override, locale.slice(0, 2)));
    if (own) return own;
    const builtIn = ownField(DEFAULT_TEMPLATES[locale] as Record<string, MessageTemplate>, candidate);
    if (builtIn) return builtIn;
  }
  return DEFAULT_TEMPLATES[locale].TICKET_BOOKED;
}

/**
 * Fills `{name}` placeholders from the values' own fields only: `name in values` would also find
 * what every object inherits, and `{constructor}` in a tenant's template would render a function.
 */
function ownField<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as keyof TemplateValues] : whole));
}
