/**
 * The words a person may text back (docs/design.md §Two-way SMS), in every language the service
 * speaks. The first word counts, in any case and with or without accents ("Arrêt", "annuler !").
 * CANCEL cancels the ticket here, unlike carriers' generic keyword lists where it stops texts:
 * a person answering a ticket's text means the ticket. The stop words are the ones people are told
 * to send in each country: STOP everywhere (the word carriers honour), BAJA in Spain, STOPP and
 * ABMELDEN in Germany, AFMELDEN in the Netherlands; ALTA (Spain) puts texts back on.
 */
export type Intent = 'stop' | 'start' | 'help' | 'cancel' | 'confirm';

const KEYWORDS: Record<string, { intent: Intent; locale: string | null }> = {};
const add = (intent: Intent, locale: string | null, words: string[]) => {
  for (const word of words) KEYWORDS[word] = { intent, locale };
};
// Words several languages use leave the reply's language to the person's ticket.
add('stop', null, ['STOP', 'STOPALL']);
add('stop', 'en_US', ['UNSUBSCRIBE', 'END', 'QUIT']);
add('stop', 'fr_FR', ['ARRET', 'ARRETER', 'DESABONNER']);
add('stop', 'es_ES', ['BAJA', 'PARAR']);
add('stop', 'de_DE', ['STOPP', 'ABMELDEN']);
add('stop', 'it_IT', ['DISISCRIVI']);
add('stop', 'nl_NL', ['AFMELDEN']);
add('start', null, ['START']);
add('start', 'en_US', ['UNSTOP', 'SUBSCRIBE']);
add('start', 'fr_FR', ['DEMARRER', 'REPRENDRE']);
add('start', 'es_ES', ['ALTA']);
add('start', 'de_DE', ['ANMELDEN']);
add('start', 'it_IT', ['RIATTIVA']);
add('start', 'nl_NL', ['AANMELDEN']);
add('help', null, ['INFO']);
add('help', 'en_US', ['HELP']);
add('help', 'fr_FR', ['AIDE']);
add('help', 'es_ES', ['AYUDA']);
add('help', 'de_DE', ['HILFE']);
add('help', 'it_IT', ['AIUTO']);
add('help', 'nl_NL', ['HULP']);
add('cancel', 'en_US', ['CANCEL']);
add('cancel', 'fr_FR', ['ANNULER', 'ANNULATION']);
add('cancel', 'es_ES', ['CANCELAR', 'ANULAR']);
add('cancel', 'de_DE', ['STORNO', 'STORNIEREN', 'ABSAGEN']);
add('cancel', 'it_IT', ['ANNULLA', 'ANNULLARE']);
add('cancel', 'nl_NL', ['ANNULEREN', 'ANNULEER']);
add('confirm', null, ['OK', 'SI', 'JA']);
add('confirm', 'en_US', ['YES', 'CONFIRM']);
add('confirm', 'fr_FR', ['OUI', 'CONFIRMER']);
add('confirm', 'es_ES', ['CONFIRMAR']);
add('confirm', 'de_DE', ['BESTATIGEN', 'BESTAETIGEN']);
add('confirm', 'it_IT', ['CONFERMA', 'CONFERMO']);
add('confirm', 'nl_NL', ['BEVESTIG', 'BEVESTIGEN']);

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
