/** The display board's words, in English and French: few, large, readable from across the room. */
import type { Dict, Lang } from '../shared/i18n.js';

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
  arrow: 'to',
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
  arrow: 'au',
  priority: 'Prioritaire',
};

export const DISPLAY_WORDS: Record<Lang, Dict> = { en, fr };
