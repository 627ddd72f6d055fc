/** Message locales: `en_US` and `fr_FR` are built in; anything else falls back by language, then to English. */
export const SUPPORTED_LOCALES = ['en_US', 'fr_FR'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const BY_LANGUAGE: Record<string, Locale> = { en: 'en_US', fr: 'fr_FR' };

/** Accepts `fr`, `fr_FR`, `fr-FR`, `FR-fr`… and returns the locale messages are written in. */
export function resolveLocale(lang: string | null | undefined): Locale {
  if (!lang) return 'en_US';
  const [language = '', region] = lang.replace('-', '_').split('_');
  const exact = `${language.toLowerCase()}_${(region ?? '').toUpperCase()}`;
  if ((SUPPORTED_LOCALES as readonly string[]).includes(exact)) return exact as Locale;
  return BY_LANGUAGE[language.toLowerCase()] ?? 'en_US';
}

/** BCP 47 tag for Intl formatting. */
export function intlTag(locale: Locale): string {
  return locale.replace('_', '-');
}
