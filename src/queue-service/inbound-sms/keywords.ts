/**
 * The words a person may text back (docs/design.md §Two-way SMS), in every language the service
 * speaks. The first word counts, in any case and with or without accents ("Arrêt", "annuler !").
 * CANCEL cancels the ticket here, unlike carriers' generic keyword lists where it stops texts:
 * a person answering a ticket's text means the ticket.
 */
export type Intent = 'stop' | 'start' | 'help' | 'cancel' | 'confirm';

const KEYWORDS: Record<string, { intent: Intent; locale: string | null }> = {};
const add = (intent: Intent, locale: string | null, words: string[]) => {
  for (const word of words) KEYWORDS[word] = { intent, locale };
};
// Words both languages use leave the reply's language to the person's ticket.
add('stop', null, ['STOP', 'STOPALL']);
add('stop', 'en_US', ['UNSUBSCRIBE', 'END', 'QUIT']);
add('stop', 'fr_FR', ['ARRET', 'ARRETER', 'DESABONNER']);
add('start', null, ['START']);
add('start', 'en_US', ['UNSTOP', 'SUBSCRIBE']);
add('start', 'fr_FR', ['DEMARRER', 'REPRENDRE']);
add('help', null, ['INFO']);
add('help', 'en_US', ['HELP']);
add('help', 'fr_FR', ['AIDE']);
add('cancel', 'en_US', ['CANCEL']);
add('cancel', 'fr_FR', ['ANNULER', 'ANNULATION']);
add('confirm', null, ['OK']);
add('confirm', 'en_US', ['YES', 'CONFIRM']);
add('confirm', 'fr_FR', ['OUI', 'CONFIRMER']);

export interface Keyword {
  intent: Intent | 'unknown';
  /** The language the word itself is in, or null when it is the same in every language. */
  locale: string | null;
}

export function keywordOf(text: string): Keyword {
  const first = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .split(/[^A-Za-z]+/)[0]
    ?.toUpperCase();
  const found = first ? KEYWORDS[first] : undefined;
  return found ?? { intent: 'unknown', locale: null };
}
