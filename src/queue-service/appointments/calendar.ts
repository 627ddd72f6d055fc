/**
 * An appointment as an iCalendar event (RFC 5545; docs/design.md §Calendars): offered on the
 * ticket page and attached to the appointment's e-mails, so it lands in the person's calendar and
 * moves or disappears with the appointment. One UID per ticket; SEQUENCE is the ticket's version,
 * so a calendar takes a moved appointment as an update of the same event and a CANCEL removes it.
 */
import { nameIn, resolveLocale, type Locale } from '../../contract/locale.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { offsetAt } from './zoned-time.js';

export interface AppointmentEvent {
  ticketId: string;
  version: number;
  label: string;
  start: number;
  durationMinutes: number;
  queueName: string;
  placeName: string;
  address: string | null;
  timeZone: string;
  canceled: boolean;
  /** The ticket's language: the names and the description are in it. */
  locale: Locale;
  /** When the file is made (DTSTAMP). */
  now: number;
}

const DEFAULT_DURATION_MINUTES = 15;

/** The event's description, in the ticket's language: what to do with the number on arrival. */
const DESCRIPTIONS: Record<Locale, string> = {
  en_US: 'Ticket {label}. Show this number when you arrive.',
  fr_FR: 'Ticket {label}. Présentez ce numéro à votre arrivée.',
  es_ES: 'Turno {label}. Muestre este número al llegar.',
  de_DE: 'Nummer {label}. Bitte zeigen Sie diese Nummer bei Ihrer Ankunft.',
  it_IT: 'Numero {label}. Mostri questo numero al suo arrivo.',
  nl_NL: 'Volgnummer {label}. Laat dit nummer zien bij aankomst.',
};

/** The event of an appointment ticket, or null for a walk-in. */
export async function appointmentEventOf(db: QueueDb, ticket: Ticket, now: number): Promise<AppointmentEvent | null> {
  if (ticket.is_appointment !== 1 || ticket.booked_for === null) return null;
  const place = await db
    .selectFrom('queues')
    .innerJoin('places', 'places.id', 'queues.place_id')
    .select(['queues.name as queue_name', 'queues.names as queue_names', 'places.name as place_name', 'places.names as place_names'])
    .select(['places.address', 'places.time_zone'])
    .where('queues.id', '=', ticket.queue_id)
    .executeTakeFirstOrThrow();
  const type = ticket.appointment_type_id
    ? await db.selectFrom('appointment_types').select('duration_minutes').where('id', '=', ticket.appointment_type_id).executeTakeFirst()
    : undefined;
  return {
    ticketId: ticket.id,
    version: ticket.version,
    label: ticket.label,
    start: ticket.booked_for,
    durationMinutes: type?.duration_minutes ?? DEFAULT_DURATION_MINUTES,
    queueName: nameIn(ticket.lang, place.queue_name, parseJsonText(place.queue_names)),
    placeName: nameIn(ticket.lang, place.place_name, parseJsonText(place.place_names)),
    address: place.address,
    timeZone: place.time_zone,
    canceled: ticket.state === 600,
    locale: resolveLocale(ticket.lang),
    now,
  };
}

export function appointmentIcs(event: AppointmentEvent): string {
  const end = event.start + event.durationMinutes * 60_000;
  const offset = offsetAt(event.start, event.timeZone);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//queuebell//appointments//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.canceled ? 'CANCEL' : 'PUBLISH'}`,
    // The zone as it is at the appointment: the only instant the file names, so one STANDARD
    // observance with that offset describes it exactly without copying the zone's whole history.
    'BEGIN:VTIMEZONE',
    `TZID:${text(event.timeZone)}`,
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${utcOffset(offset)}`,
    `TZOFFSETTO:${utcOffset(offset)}`,
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${event.ticketId}@queuebell`,
    `SEQUENCE:${event.version}`,
    `DTSTAMP:${utc(event.now)}`,
    `DTSTART;TZID=${text(event.timeZone)}:${wall(event.start, offset)}`,
    `DTEND;TZID=${text(event.timeZone)}:${wall(end, offset)}`,
    `SUMMARY:${text(`${event.queueName} — ${event.placeName} (${event.label})`)}`,
    `DESCRIPTION:${text(DESCRIPTIONS[event.locale].replace('{label}', event.label))}`,
    ...(event.address ? [`LOCATION:${text(`${event.placeName}, ${event.address}`)}`] : [`LOCATION:${text(event.placeName)}`]),
    `STATUS:${event.canceled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space (§3.1), never inside a character. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = Buffer.byteLength(char, 'utf8');
    if (size + length > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function wall(ms: number, offset: number): string {
  return utc(ms + offset).slice(0, -1);
}

function utcOffset(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
}
