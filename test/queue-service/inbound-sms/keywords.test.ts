import { describe, expect, it } from 'vitest';
import { keywordOf } from '../../../src/queue-service/inbound-sms/keywords.js';

describe('the words people text back', () => {
  it('knows each language’s words, with or without accents, and leaves shared words to the ticket’s language', () => {
    expect(keywordOf('Bestätigen bitte')).toEqual({ intent: 'confirm', locale: 'de_DE' });
    expect(keywordOf('BESTAETIGEN')).toEqual({ intent: 'confirm', locale: 'de_DE' });
    expect(keywordOf('Sí')).toEqual({ intent: 'confirm', locale: null });
    expect(keywordOf('ja!')).toEqual({ intent: 'confirm', locale: null });
    expect(keywordOf('baja')).toEqual({ intent: 'stop', locale: 'es_ES' });
    expect(keywordOf('Annulla')).toEqual({ intent: 'cancel', locale: 'it_IT' });
    expect(keywordOf('annuleren')).toEqual({ intent: 'cancel', locale: 'nl_NL' });
    expect(keywordOf('Hilfe')).toEqual({ intent: 'help', locale: 'de_DE' });
    expect(keywordOf('hola')).toEqual({ intent: 'unknown', locale: null });
  });
});
