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
  // Spanish: usted; the ticket is a "turno", as Spanish offices and their ticket machines call it.
  es_ES: {
    TICKET_BOOKED: {
      subject: 'Su turno {label}',
      text: 'Turno {label} para {queue} reservado. Personas delante de usted: {ahead}, hacia las {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Su cita ha cambiado',
      text: 'Turno {label}: su cita para {queue} pasa al {appointment}.',
    },
    TICKET_ALERTED: { subject: 'Su turno se acerca', text: 'Turno {label}: su turno se acerca, vuelva a {place}, por favor.' },
    TICKET_ALERTED_1: {
      subject: 'Casi le toca',
      text: 'Turno {label}: le llamaremos muy pronto, esté preparado en {place}, por favor.',
    },
    TICKET_ALERTED_0: { subject: 'Es el siguiente', text: 'Turno {label}: es el siguiente, esté preparado en {place}, por favor.' },
    TICKET_CALLED: { subject: 'Le toca', text: 'Turno {label}, le toca: acuda a {counter}, por favor.' },
    TICKET_ONHOLD: {
      subject: 'Le hemos llamado',
      text: 'Turno {label}: le hemos llamado en {counter}. Venga ahora o su turno caducará.',
    },
    TICKET_NOSHOW: {
      subject: 'Turno perdido',
      text: 'Turno {label}: no le vimos cuando le llamamos, así que su turno se ha dado por perdido.',
    },
    TICKET_INPROGRESS: { subject: 'Le estamos atendiendo', text: 'Turno {label}: le atienden en {counter}.' },
    TICKET_CANCELED: { subject: 'Turno cancelado', text: 'El turno {label} para {queue} se ha cancelado.' },
    TICKET_DONE: { subject: 'Gracias', text: 'Turno {label}: gracias por su visita a {place}.' },
    TICKET_REMIND: {
      subject: 'Recordatorio de cita',
      text: 'Recordatorio: su cita para {queue} en {place} es el {appointment} (turno {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Su turno pasa a {queue}',
      text: 'Turno {label}: ahora espera para {queue}. Personas delante de usted: {ahead}, hacia las {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'Le llamarán en {counter}',
      text: 'Turno {label}: le llamarán en {counter} para {queue}. Personas delante de usted: {ahead}, hacia las {eta}.',
    },
  },
  // German: Sie; the ticket is a "Wartenummer" ("Nummer"), as German offices call it.
  de_DE: {
    TICKET_BOOKED: {
      subject: 'Ihre Wartenummer {label}',
      text: 'Nummer {label} für {queue} gebucht. Personen vor Ihnen: {ahead}, voraussichtlich gegen {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Ihr Termin wurde verschoben',
      text: 'Nummer {label}: Ihr Termin für {queue} wurde auf {appointment} verschoben.',
    },
    TICKET_ALERTED: {
      subject: 'Sie sind bald an der Reihe',
      text: 'Nummer {label}: Sie sind bald an der Reihe, bitte kommen Sie zurück zu {place}.',
    },
    TICKET_ALERTED_1: {
      subject: 'Gleich sind Sie an der Reihe',
      text: 'Nummer {label}: Sie werden sehr bald aufgerufen, bitte halten Sie sich in {place} bereit.',
    },
    TICKET_ALERTED_0: {
      subject: 'Sie sind als Nächstes dran',
      text: 'Nummer {label}: Sie sind als Nächstes dran, bitte halten Sie sich in {place} bereit.',
    },
    TICKET_CALLED: { subject: 'Sie sind an der Reihe', text: 'Nummer {label}, Sie sind an der Reihe: Bitte kommen Sie zu {counter}.' },
    TICKET_ONHOLD: {
      subject: 'Wir haben Sie aufgerufen',
      text: 'Nummer {label}: Wir haben Sie an {counter} aufgerufen. Bitte kommen Sie jetzt, sonst verfällt Ihre Nummer.',
    },
    TICKET_NOSHOW: {
      subject: 'Aufruf verpasst',
      text: 'Nummer {label}: Wir haben Sie beim Aufruf nicht gesehen, daher wurde Ihre Nummer als verpasst vermerkt.',
    },
    TICKET_INPROGRESS: { subject: 'Sie werden bedient', text: 'Nummer {label}: Sie werden an {counter} bedient.' },
    TICKET_CANCELED: { subject: 'Nummer storniert', text: 'Die Nummer {label} für {queue} wurde storniert.' },
    TICKET_DONE: { subject: 'Vielen Dank', text: 'Nummer {label}: Vielen Dank für Ihren Besuch bei {place}.' },
    TICKET_REMIND: {
      subject: 'Terminerinnerung',
      text: 'Erinnerung: Ihr Termin für {queue} bei {place} ist am {appointment} (Nummer {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Ihre Nummer wurde zu {queue} verschoben',
      text: 'Nummer {label}: Sie warten jetzt auf {queue}. Personen vor Ihnen: {ahead}, voraussichtlich gegen {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'Sie werden an {counter} aufgerufen',
      text: 'Nummer {label}: Sie werden an {counter} für {queue} aufgerufen. Personen vor Ihnen: {ahead}, voraussichtlich gegen {eta}.',
    },
  },
  // Italian: Lei; the ticket is a "numero", as Italian offices call it.
  it_IT: {
    TICKET_BOOKED: {
      subject: 'Il suo numero {label}',
      text: 'Numero {label} per {queue} prenotato. Persone davanti a lei: {ahead}, verso le {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Il suo appuntamento è stato spostato',
      text: 'Numero {label}: il suo appuntamento per {queue} è stato spostato al {appointment}.',
    },
    TICKET_ALERTED: {
      subject: 'Il suo turno si avvicina',
      text: 'Numero {label}: il suo turno si avvicina, torni presso {place}, per favore.',
    },
    TICKET_ALERTED_1: {
      subject: 'Manca poco al suo turno',
      text: 'Numero {label}: sarà chiamato a breve, si tenga pronto presso {place}.',
    },
    TICKET_ALERTED_0: { subject: 'È il prossimo', text: 'Numero {label}: è il prossimo, si tenga pronto presso {place}.' },
    TICKET_CALLED: { subject: 'È il suo turno', text: 'Numero {label}, è il suo turno: {counter}.' },
    TICKET_ONHOLD: {
      subject: "L'abbiamo chiamata",
      text: "Numero {label}: l'abbiamo chiamata ({counter}). Venga ora, altrimenti il suo numero scadrà.",
    },
    TICKET_NOSHOW: {
      subject: 'Turno perso',
      text: "Numero {label}: non l'abbiamo vista alla chiamata, quindi il suo turno risulta perso.",
    },
    TICKET_INPROGRESS: { subject: 'In servizio', text: 'Numero {label}: la stiamo servendo ({counter}).' },
    TICKET_CANCELED: { subject: 'Numero annullato', text: 'Il numero {label} per {queue} è stato annullato.' },
    TICKET_DONE: { subject: 'Grazie', text: 'Numero {label}: grazie per la sua visita presso {place}.' },
    TICKET_REMIND: {
      subject: 'Promemoria appuntamento',
      text: 'Promemoria: il suo appuntamento per {queue} presso {place} è il {appointment} (numero {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Il suo numero passa a {queue}',
      text: 'Numero {label}: ora attende per {queue}. Persone davanti a lei: {ahead}, verso le {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'Sarà chiamato a {counter}',
      text: 'Numero {label}: sarà chiamato a {counter} per {queue}. Persone davanti a lei: {ahead}, verso le {eta}.',
    },
  },
  // Dutch: u; the ticket is a "volgnummer", as Dutch and Flemish counters call it.
  nl_NL: {
    TICKET_BOOKED: {
      subject: 'Uw volgnummer {label}',
      text: 'Volgnummer {label} voor {queue} is geboekt. Personen voor u: {ahead}, rond {eta}.',
    },
    TICKET_POSTPONED: {
      subject: 'Uw afspraak is verzet',
      text: 'Volgnummer {label}: uw afspraak voor {queue} is verzet naar {appointment}.',
    },
    TICKET_ALERTED: {
      subject: 'U bent bijna aan de beurt',
      text: 'Volgnummer {label}: u bent bijna aan de beurt, kom alstublieft terug naar {place}.',
    },
    TICKET_ALERTED_1: {
      subject: 'U bent zo aan de beurt',
      text: 'Volgnummer {label}: u wordt zeer binnenkort opgeroepen, houd u gereed in {place}.',
    },
    TICKET_ALERTED_0: { subject: 'U bent de volgende', text: 'Volgnummer {label}: u bent de volgende, houd u gereed in {place}.' },
    TICKET_CALLED: { subject: 'U bent aan de beurt', text: 'Volgnummer {label}, u bent aan de beurt: ga alstublieft naar {counter}.' },
    TICKET_ONHOLD: {
      subject: 'We hebben u opgeroepen',
      text: 'Volgnummer {label}: we hebben u opgeroepen bij {counter}. Kom nu, anders vervalt uw volgnummer.',
    },
    TICKET_NOSHOW: {
      subject: 'Beurt gemist',
      text: 'Volgnummer {label}: we zagen u niet toen u werd opgeroepen, daarom is uw beurt als gemist genoteerd.',
    },
    TICKET_INPROGRESS: { subject: 'U wordt geholpen', text: 'Volgnummer {label}: u wordt geholpen bij {counter}.' },
    TICKET_CANCELED: { subject: 'Volgnummer geannuleerd', text: 'Volgnummer {label} voor {queue} is geannuleerd.' },
    TICKET_DONE: { subject: 'Bedankt', text: 'Volgnummer {label}: bedankt voor uw bezoek aan {place}.' },
    TICKET_REMIND: {
      subject: 'Herinnering aan uw afspraak',
      text: 'Herinnering: uw afspraak voor {queue} bij {place} is op {appointment} (volgnummer {label}).',
    },
    TICKET_TRANSFERRED: {
      subject: 'Uw volgnummer is verplaatst naar {queue}',
      text: 'Volgnummer {label}: u wacht nu voor {queue}. Personen voor u: {ahead}, rond {eta}.',
    },
    TICKET_TRANSFERRED_TO_COUNTER: {
      subject: 'U wordt opgeroepen bij {counter}',
      text: 'Volgnummer {label}: u wordt opgeroepen bij {counter} voor {queue}. Personen voor u: {ahead}, rond {eta}.',
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
