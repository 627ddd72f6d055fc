/** The kiosk page's words, in English and French. */
import type { Dict, Lang } from '../shared/i18n.js';

const en: Dict = {
  setup: 'This kiosk is not set up yet. Open the kiosk link from the admin page (it ends with #key=…) on this tablet once.',
  forget: 'Set up this kiosk again',
  'pick.title': 'Take a ticket',
  'pick.waiting_one': '{count} person waiting · about {minutes} min',
  'pick.waiting_other': '{count} people waiting · about {minutes} min',
  'pick.closed': 'Closed for now',
  'details.phone': 'Your mobile number (optional)',
  'details.phoneHint': 'We text you when it is nearly your turn. Leave it empty to just take a ticket.',
  'details.phoneInvalid': 'Write the number with its country code, e.g. +33 6 12 34 56 78.',
  'details.take': 'Get my ticket',
  'details.back': 'Back',
  'ticket.title': 'Your ticket',
  'ticket.ahead_one': '{count} person ahead of you',
  'ticket.ahead_other': '{count} people ahead of you',
  'ticket.qrAlt': 'QR code to follow your ticket on your phone',
  'ticket.scan': 'Scan to follow your ticket on your phone',
  'ticket.print': 'Print my ticket',
  'ticket.done': 'Done',
};

const fr: Dict = {
  setup:
    "Cette borne n'est pas encore configurée. Ouvrez une fois sur cette tablette le lien de borne donné par la page d'administration (il finit par #key=…).",
  forget: 'Configurer à nouveau cette borne',
  'pick.title': 'Prendre un ticket',
  'pick.waiting_one': '{count} personne en attente · environ {minutes} min',
  'pick.waiting_other': '{count} personnes en attente · environ {minutes} min',
  'pick.closed': 'Fermé pour le moment',
  'details.phone': 'Votre numéro de portable (facultatif)',
  'details.phoneHint': 'Nous vous envoyons un SMS quand votre tour approche. Laissez vide pour prendre simplement un ticket.',
  'details.phoneInvalid': 'Écrivez le numéro avec son indicatif, par exemple +33 6 12 34 56 78.',
  'details.take': 'Prendre mon ticket',
  'details.back': 'Retour',
  'ticket.title': 'Votre ticket',
  'ticket.ahead_one': '{count} personne avant vous',
  'ticket.ahead_other': '{count} personnes avant vous',
  'ticket.qrAlt': 'QR code pour suivre votre ticket sur votre téléphone',
  'ticket.scan': 'Scannez pour suivre votre ticket sur votre téléphone',
  'ticket.print': 'Imprimer mon ticket',
  'ticket.done': 'Terminé',
};

export const KIOSK_WORDS: Record<Lang, Dict> = { en, fr };
