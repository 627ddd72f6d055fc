/**
 * English and French for every page. Each page keeps its own dictionary (so the ticket page does not
 * carry the admin's words); this module picks the language and fills in `{placeholders}`. A key
 * with `_one` / `_other` variants is chosen by the language's plural rules (French says "1 personne"
 * and "0 personne", English "0 people").
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { readStored, writeStored } from './storage.js';

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];
export type Dict = Record<string, string>;
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** The locale the API speaks for a page language (ticket lang, message templates). */
export const API_LOCALE: Record<Lang, string> = { en: 'en_US', fr: 'fr_FR' };

/** A name from the API's locale map in the page's language (every built-in locale is there). */
export const nameIn = (names: Record<string, string>, lang: Lang): string => names[API_LOCALE[lang]] ?? Object.values(names)[0] ?? '';

function detectLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'fr') return asked;
  const stored = readStored<Lang>('local', 'qb.lang');
  if (stored === 'en' || stored === 'fr') return stored;
  for (const preferred of navigator.languages ?? [navigator.language]) {
    const base = preferred.slice(0, 2).toLowerCase();
    if (base === 'en' || base === 'fr') return base;
  }
  return 'en';
}

function makeTranslate(dicts: Record<Lang, Dict>, lang: Lang): Translate {
  const plural = new Intl.PluralRules(lang);
  return (key, vars = {}) => {
    const dict = dicts[lang];
    const count = vars.count;
    const pluralKey = typeof count === 'number' ? `${key}_${plural.select(count) === 'one' ? 'one' : 'other'}` : null;
    const text = (pluralKey && (dict[pluralKey] ?? dicts.en[pluralKey])) ?? dict[key] ?? dicts.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/** The page language, remembered across visits and reflected on <html lang> for screen readers. */
export function useLang(dicts: Record<Lang, Dict>): { lang: Lang; setLang: (lang: Lang) => void; t: Translate } {
  const [lang, setLangState] = useState<Lang>(detectLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = useMemo(() => makeTranslate(dicts, lang), [dicts, lang]);
  const setLang = (next: Lang) => {
    writeStored('local', 'qb.lang', next);
    setLangState(next);
  };
  return { lang, setLang, t };
}
