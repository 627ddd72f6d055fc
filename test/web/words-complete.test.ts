/**
 * Every text in every language: a key the English has and a language lacks would show English (or
 * the raw key) in the middle of a Spanish page or a Dutch SMS. Each translation also keeps the
 * English text's {placeholders}, or the label or the counter would go missing from the sentence.
 */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../src/contract/locale.js';
import { DEFAULT_TEMPLATES } from '../../src/contract/message-templates.js';
import { ADMIN_WORDS } from '../../web/src/admin/words.js';
import { DESK_WORDS } from '../../web/src/desk/words.js';
import { DISPLAY_WORDS } from '../../web/src/display/words.js';
import { KIOSK_WORDS } from '../../web/src/kiosk/words.js';
import { COMMON_WORDS } from '../../web/src/shared/common-words.js';
import { LANGS, type Dict } from '../../web/src/shared/i18n.js';
import { TICKET_WORDS } from '../../web/src/ticket/words.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

/** What each language lacks or garbles, as lines a reviewer can act on. */
function problems(dicts: Partial<Record<string, Dict>>, languages: readonly string[]): string[] {
  const english = dicts.en ?? dicts.en_US!;
  const found: string[] = [];
  for (const lang of languages) {
    const dict = dicts[lang];
    if (!dict) {
      found.push(`${lang}: no words at all`);
      continue;
    }
    for (const [key, text] of Object.entries(english)) {
      if (!Object.hasOwn(dict, key)) found.push(`${lang}: missing ${key}`);
      else if (placeholders(dict[key]!).join() !== placeholders(text).join())
        found.push(`${lang}: ${key} has other placeholders than English`);
      else if (dict[key]!.trim() === '') found.push(`${lang}: ${key} is empty`);
    }
    for (const key of Object.keys(dict)) if (!Object.hasOwn(english, key)) found.push(`${lang}: ${key} is not in English`);
  }
  return found;
}

describe('every text in every language', () => {
  it.each([
    ['shared words', COMMON_WORDS],
    ['ticket page', TICKET_WORDS],
    ['desk', DESK_WORDS],
    ['display board', DISPLAY_WORDS],
    ['kiosk', KIOSK_WORDS],
    ['admin page', ADMIN_WORDS],
  ] as const)('the %s has every English key in every page language', (_page, words) => {
    expect(problems(words, LANGS)).toEqual([]);
  });

  it('the message templates have every English text and subject in every locale', () => {
    const flat = Object.fromEntries(
      SUPPORTED_LOCALES.map((locale) => [
        locale,
        Object.fromEntries(
          Object.entries(DEFAULT_TEMPLATES[locale]).flatMap(([key, template]) => [
            [`${key}.text`, template.text],
            [`${key}.subject`, template.subject ?? ''],
          ]),
        ),
      ]),
    );
    expect(problems(flat, SUPPORTED_LOCALES)).toEqual([]);
  });

  it('fails on a missing key, a lost placeholder and a stray key', () => {
    const en = { a: 'Ticket {label}', b: 'Hello' };
    expect(problems({ en, es: { a: 'Turno', c: 'Hola' } }, ['es'])).toEqual([
      'es: a has other placeholders than English',
      'es: missing b',
      'es: c is not in English',
    ]);
  });
});
