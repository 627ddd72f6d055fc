/** The display board's words, in every page language: few, large, readable from across the room. */
import type { Dict, PageLang } from '../shared/i18n.js';

const en: Dict = {
  title: 'Now serving',
  latest: 'Ticket {label}, please go to {counter}',
  recall: 'Called again',
  recent: 'Recent calls',
  counters: 'Counters',
  'counter.closed': 'closed',
  'counter.idle': 'open',
  none: 'No ticket called yet today.',
  noPlace: 'No place given: open /display/<place id>.',
  noKey: 'This board is not set up yet: the queue service has no booking key to offer.',
  priority: 'Priority',
};

const fr: Dict = {
  title: 'Appels en cours',
  latest: 'Ticket {label}, présentez-vous au {counter}',
  recall: 'Rappel',
  recent: 'Derniers appels',
  counters: 'Guichets',
  'counter.closed': 'fermé',
  'counter.idle': 'ouvert',
  none: "Aucun ticket appelé aujourd'hui.",
  noPlace: 'Aucun lieu indiqué : ouvrez /display/<identifiant du lieu>.',
  noKey: "Cet écran n'est pas encore configuré : le service n'a pas de clé de réservation à proposer.",
  priority: 'Prioritaire',
};

const es: Dict = {
  title: 'Atendiendo ahora',
  latest: 'Turno {label}, acuda a {counter}',
  recall: 'Nueva llamada',
  recent: 'Últimas llamadas',
  counters: 'Ventanillas',
  'counter.closed': 'cerrada',
  'counter.idle': 'abierta',
  none: 'Aún no se ha llamado ningún turno hoy.',
  noPlace: 'No se indicó ningún lugar: abra /display/<id del lugar>.',
  noKey: 'Esta pantalla aún no está configurada: el servicio no tiene clave de reserva que ofrecer.',
  priority: 'Prioritario',
};

const de: Dict = {
  title: 'Aufgerufen',
  latest: 'Nummer {label}, bitte zu {counter}',
  recall: 'Erneuter Aufruf',
  recent: 'Letzte Aufrufe',
  counters: 'Schalter',
  'counter.closed': 'geschlossen',
  'counter.idle': 'geöffnet',
  none: 'Heute wurde noch keine Nummer aufgerufen.',
  noPlace: 'Kein Ort angegeben: Öffnen Sie /display/<Orts-ID>.',
  noKey: 'Diese Anzeige ist noch nicht eingerichtet: Der Dienst hat keinen Buchungsschlüssel.',
  priority: 'Vorrang',
};

const it: Dict = {
  title: 'Ora serviamo',
  latest: 'Numero {label}: {counter}',
  recall: 'Nuova chiamata',
  recent: 'Ultime chiamate',
  counters: 'Sportelli',
  'counter.closed': 'chiuso',
  'counter.idle': 'aperto',
  none: 'Oggi non è ancora stato chiamato nessun numero.',
  noPlace: 'Nessun luogo indicato: apra /display/<id del luogo>.',
  noKey: 'Questo schermo non è ancora configurato: il servizio non ha una chiave di prenotazione da offrire.',
  priority: 'Prioritario',
};

const nl: Dict = {
  title: 'Nu aan de beurt',
  latest: 'Volgnummer {label}, ga naar {counter}',
  recall: 'Opnieuw opgeroepen',
  recent: 'Laatste oproepen',
  counters: 'Loketten',
  'counter.closed': 'gesloten',
  'counter.idle': 'open',
  none: 'Vandaag is nog geen nummer opgeroepen.',
  noPlace: 'Geen locatie opgegeven: open /display/<locatie-id>.',
  noKey: 'Dit scherm is nog niet ingesteld: de dienst heeft geen boekingssleutel om aan te bieden.',
  priority: 'Voorrang',
};

export const DISPLAY_WORDS: Record<PageLang, Dict> = { en, fr, es, de, it, nl };
