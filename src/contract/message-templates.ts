/**
 * Message texts per action and locale, with placeholders {label}, {counter}, {queue},
 * {place}, {ahead} (people ahead), {eta} (estimated local time) and {appointment} (local date and
 * time). A queue may override any of them in its settings. Here in the contract because the admin
 * page shows the defaults next to a queue's own texts.
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
  | 'TICKET_ALERTED'
  | 'TICKET_CALLED'
  | 'TICKET_ONHOLD'
  | 'TICKET_NOSHOW'
  | 'TICKET_INPROGRESS'
  | 'TICKET_CANCELED'
  | 'TICKET_DONE'
  | 'TICKET_REMIND';

export const DEFAULT_TEMPLATES: Record<Locale, Record<TemplateKey, MessageTemplate>> = {
  en_US: {
    TICKET_BOOKED: {
      subject: 'Your ticket {label}',
      text: 'Ticket {label} for {queue} is booked. People ahead of you: {ahead}, about {eta}.',
    },
    TICKET_ALERTED: { subject: 'Your turn is near', text: 'Ticket {label}: your turn is near, please come back to {place}.' },
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
  },
  fr_FR: {
    TICKET_BOOKED: {
      subject: 'Votre ticket {label}',
      text: 'Ticket {label} pour {queue} réservé. Personnes devant vous : {ahead}, vers {eta}.',
    },
    TICKET_ALERTED: { subject: 'Bientôt votre tour', text: 'Ticket {label} : votre tour approche, merci de revenir à {place}.' },
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
  },
};

export type TemplateValues = Record<'label' | 'counter' | 'queue' | 'place' | 'ahead' | 'eta' | 'appointment', string>;

/** The template of an action: the queue's override for the action (or locale's language), else the default. */
export function templateFor(action: string, locale: Locale, overrides: Record<string, Record<string, MessageTemplate>>): MessageTemplate {
  const override = Object.hasOwn(overrides, action) ? overrides[action] : undefined;
  const own = override && (ownField(override, locale) ?? ownField(override, locale.slice(0, 2)));
  if (own) return own;
  const key: TemplateKey = reminderRuleId(action) !== null ? 'TICKET_REMIND' : (action as TemplateKey);
  return ownField(DEFAULT_TEMPLATES[locale], key) ?? DEFAULT_TEMPLATES[locale].TICKET_BOOKED;
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
