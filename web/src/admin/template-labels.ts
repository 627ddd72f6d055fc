/**
 * The template picker in words: "Ticket called" for `TICKET_CALLED`, "English (US)" for `en_US`.
 * The codes stay the option values (they are what the API stores).
 */
import type { Translate } from '../shared/i18n.js';
import type { ReminderRule } from './api.js';

/** Each language in its own words, as a speaker looks for it in a list. */
const LOCALE_NAMES: Record<string, string> = {
  en_US: 'English (US)',
  fr_FR: 'Français',
  es_ES: 'Español',
  de_DE: 'Deutsch',
  it_IT: 'Italiano',
  nl_NL: 'Nederlands',
};

export const localeLabel = (locale: string): string => LOCALE_NAMES[locale] ?? locale;

/** A template key in words; a key the page has no words for shows as it is. */
export function templateKeyLabel(key: string, t: Translate, reminders: readonly ReminderRule[] = []): string {
  const alert = /^TICKET_ALERTED_(\d+)$/.exec(key);
  if (alert) return t('templateKey.alertedAt', { count: Number(alert[1]) });
  const remind = /^TICKET_REMIND_(\d+)$/.exec(key);
  if (remind) {
    const rule = reminders.find((candidate) => candidate.id === Number(remind[1]));
    if (!rule) return t('templateKey.remind', { id: remind[1]! });
    return 'minutesBefore' in rule
      ? t('templateKey.remindMinutes', { minutes: rule.minutesBefore })
      : t('templateKey.remindDayBefore', { at: rule.at });
  }
  const named = `templateKey.${key}`;
  const label = t(named);
  return label === named ? key : label;
}
