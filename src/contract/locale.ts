/** Message locales built in; anything else falls back by language (`es_MX` → `es_ES`), then to English. */
export const SUPPORTED_LOCALES = ['en_US', 'fr_FR', 'es_ES', 'de_DE', 'it_IT', 'nl_NL'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const BY_LANGUAGE: Record<string, Locale> = { en: 'en_US', fr: 'fr_FR', es: 'es_ES', de: 'de_DE', it: 'it_IT', nl: 'nl_NL' };

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

/**
 * A name in every built-in locale, plus any other locale it was given in: each from its own entry,
 * else its language's (`fr`), else the default name. Lineberty clients index names by locale
 * (`name.en_US`), so every locale they may ask for is there (docs/lineberty.md §Names).
 */
export function namesInEveryLocale(name: string, names: Readonly<Record<string, string>>): Record<string, string> {
  const all: Record<string, string> = {};
  for (const locale of SUPPORTED_LOCALES) all[locale] = ownName(names, locale) ?? ownName(names, locale.slice(0, 2)) ?? name;
  for (const [locale, text] of Object.entries(names)) if (locale.length === 5 && !Object.hasOwn(all, locale)) all[locale] = text;
  return all;
}

/** The name in one language: the locale's own entry, its language's, else the default name. */
export function nameIn(lang: string | null | undefined, name: string, names: Readonly<Record<string, string>>): string {
  const locale = resolveLocale(lang);
  return (
    (lang ? ownName(names, lang.replace('-', '_')) : undefined) ?? ownName(names, locale) ?? ownName(names, locale.slice(0, 2)) ?? name
  );
}

function ownName(names: Readonly<Record<string, string>>, locale: string): string | undefined {
  return Object.hasOwn(names, locale) ? names[locale] : undefined;
}
