/**
 * The pages' languages. Each page keeps its own dictionary (so the ticket page does not carry the
 * admin's words); this module picks the language and fills in `{placeholders}`. A key with `_one` /
 * `_other` variants is chosen by the language's plural rules (French says "1 personne" and
 * "0 personne", English "0 people"). A page offers the languages its dictionary has; a key missing
 * in one falls back to English (test/web/words-complete.test.ts keeps that from happening).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { readStored, writeStored } from './storage.js';

/** Every language the pages speak, in the order the language switch lists them. */
export const LANGS = ['en', 'fr', 'es', 'de', 'it', 'nl'] as const;
export type PageLang = (typeof LANGS)[number];
export type Dict = Record<string, string>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;
/** A page's dictionaries: English always (the fallback), and the other languages it speaks. */
export type Dicts<L extends PageLang> = Record<L, Dict> & { en: Dict };

/** The locale the API speaks for a page language (ticket lang, message templates). */
export const API_LOCALE: Record<PageLang, string> = {
  en: 'en_US',
  fr: 'fr_FR',
  es: 'es_ES',
  de: 'de_DE',
  it: 'it_IT',
  nl: 'nl_NL',
};

/**
 * A name from the API's locale map in the page's language: its locale's entry, its language's,
 * else the default name when the map holds only the names given (a counter's own `names`), else
 * English (maps in every locale always have the page's).
 */
export const nameIn = (names: Record<string, string>, lang: PageLang, defaultName?: string): string =>
  names[API_LOCALE[lang]] ?? names[lang] ?? defaultName ?? names.en_US ?? Object.values(names)[0] ?? '';

/** The languages a page's dictionaries offer, in LANGS order. */
function langsOf<L extends PageLang>(dicts: Dicts<L>): L[] {
  return LANGS.filter((lang): lang is L & PageLang => Object.hasOwn(dicts, lang)) as L[];
}

function detectLang<L extends PageLang>(offered: readonly L[]): L {
  const known = (value: string | null | undefined): value is L => !!value && (offered as readonly string[]).includes(value);
  const asked = new URLSearchParams(location.search).get('lang');
  if (known(asked)) return asked;
  const stored = readStored<string>('local', 'qb.lang');
  if (known(stored)) return stored;
  for (const preferred of navigator.languages ?? [navigator.language]) {
    const base = preferred.slice(0, 2).toLowerCase();
    if (known(base)) return base;
  }
  return 'en' as L;
}

function makeTranslate<L extends PageLang>(dicts: Dicts<L>, lang: L): Translate {
  const plural = new Intl.PluralRules(lang);
  return (key, vars = {}) => {
    const dict: Dict = dicts[lang];
    const count = vars.count;
    const pluralKey = typeof count === 'number' ? `${key}_${plural.select(count) === 'one' ? 'one' : 'other'}` : null;
    const text = (pluralKey && (dict[pluralKey] ?? dicts.en[pluralKey])) ?? dict[key] ?? dicts.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/** The page language, remembered across visits and reflected on <html lang> for screen readers. */
export function useLang<L extends PageLang>(dicts: Dicts<L>): { lang: L; setLang: (lang: L) => void; t: Translate; langs: L[] } {
  const langs = useMemo(() => langsOf(dicts), [dicts]);
  const [lang, setLangState] = useState<L>(() => detectLang(langs));
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = useMemo(() => makeTranslate(dicts, lang), [dicts, lang]);
  const setLang = (next: L) => {
    writeStored('local', 'qb.lang', next);
    setLangState(next);
  };
  return { lang, setLang, t, langs };
}
