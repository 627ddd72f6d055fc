/** Words every page shares: connection states and common buttons, in English and French. */
import type { Dict, Lang } from './i18n.js';

const COMMON: Record<Lang, Dict> = {
  en: {
    'live.connecting': 'Connecting…',
    'live.live': 'Live',
    'live.reconnecting': 'Connection lost — reconnecting…',
    'live.polling': 'Updating every few seconds',
    'live.offline': 'Offline — not updating',
    'common.language': 'Language',
    'common.dismiss': 'Dismiss',
    'common.loading': 'Loading…',
    'common.retry': 'Try again',
    'common.cancel': 'Cancel',
    'common.save': 'Save',
    'common.close': 'Close',
    'error.NETWORK': 'The service cannot be reached. Check your connection and try again.',
    'error.RATE_LIMITED': 'Too many requests just now. Please wait a moment and try again.',
    'error.generic': 'Something went wrong: {message}',
  },
  fr: {
    'live.connecting': 'Connexion…',
    'live.live': 'En direct',
    'live.reconnecting': 'Connexion perdue — reconnexion…',
    'live.polling': 'Mise à jour toutes les quelques secondes',
    'live.offline': 'Hors ligne — pas de mise à jour',
    'common.language': 'Langue',
    'common.dismiss': 'Fermer',
    'common.loading': 'Chargement…',
    'common.retry': 'Réessayer',
    'common.cancel': 'Annuler',
    'common.save': 'Enregistrer',
    'common.close': 'Fermer',
    'error.NETWORK': 'Le service est injoignable. Vérifiez votre connexion et réessayez.',
    'error.RATE_LIMITED': 'Trop de demandes à la fois. Patientez un instant et réessayez.',
    'error.generic': 'Une erreur est survenue : {message}',
  },
};

/** A page's dictionary merged over the shared one. */
export function withCommon(page: Record<Lang, Dict>): Record<Lang, Dict> {
  return { en: { ...COMMON.en, ...page.en }, fr: { ...COMMON.fr, ...page.fr } };
}
