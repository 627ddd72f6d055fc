/**
 * Every time a page shows, on the place's clock: a person at the town hall reads "10:30" as the
 * town hall's 10:30 whatever their phone or the desk PC is set to. Where the browser's own zone
 * differs, the time says its zone ("10:30 CET"), so nobody misreads it.
 */
import type { PageLang } from './i18n.js';

type Instant = string | number | Date;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function format(instant: Instant, lang: PageLang, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const differs = browserZone() !== timeZone;
  return new Intl.DateTimeFormat(lang, { ...options, timeZone, ...(differs ? { timeZoneName: 'short' } : {}) }).format(new Date(instant));
}

/** "14:30" (or "2:30 PM"), in the place's zone. */
export function timeAt(instant: Instant, lang: PageLang, timeZone: string, withSeconds = false): string {
  return format(instant, lang, timeZone, { hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) });
}

/** "Tuesday 3 March, 14:30", in the place's zone. */
export function dateTimeAt(instant: Instant, lang: PageLang, timeZone: string): string {
  return format(instant, lang, timeZone, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
}

/** A calendar day of the place ("2026-03-03") in words, "Tuesday 3 March": a date has no zone to say. */
export function dayInWords(date: string, lang: PageLang): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(lang, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
}

/** The place's calendar day of an instant, "2026-03-03". */
export function dayAt(instant: Instant, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}
