/** The kiosk page's words, in every page language (formal where the language expects it). */
import type { Dict, PageLang } from '../shared/i18n.js';

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

const es: Dict = {
  setup:
    'Este quiosco aún no está configurado. Abra una vez en esta tableta el enlace del quiosco de la página de administración (termina en #key=…).',
  forget: 'Configurar de nuevo este quiosco',
  'pick.title': 'Pedir turno',
  'pick.waiting_one': '{count} persona esperando · unos {minutes} min',
  'pick.waiting_other': '{count} personas esperando · unos {minutes} min',
  'pick.closed': 'Cerrada por ahora',
  'details.phone': 'Su número de móvil (opcional)',
  'details.phoneHint': 'Le enviamos un SMS cuando falte poco para su turno. Déjelo vacío para pedir solo el turno.',
  'details.phoneInvalid': 'Escriba el número con el prefijo del país, p. ej. +34 612 34 56 78.',
  'details.take': 'Pedir mi turno',
  'details.back': 'Volver',
  'ticket.title': 'Su turno',
  'ticket.ahead_one': '{count} persona delante de usted',
  'ticket.ahead_other': '{count} personas delante de usted',
  'ticket.qrAlt': 'Código QR para seguir su turno en el móvil',
  'ticket.scan': 'Escanéelo para seguir su turno en el móvil',
  'ticket.print': 'Imprimir mi turno',
  'ticket.done': 'Listo',
};

const de: Dict = {
  setup:
    'Dieses Terminal ist noch nicht eingerichtet. Öffnen Sie auf diesem Tablet einmal den Terminal-Link aus der Verwaltungsseite (er endet auf #key=…).',
  forget: 'Dieses Terminal neu einrichten',
  'pick.title': 'Wartenummer ziehen',
  'pick.waiting_one': '{count} Person wartet · etwa {minutes} Min.',
  'pick.waiting_other': '{count} Personen warten · etwa {minutes} Min.',
  'pick.closed': 'Derzeit geschlossen',
  'details.phone': 'Ihre Handynummer (optional)',
  'details.phoneHint': 'Wir schicken Ihnen eine SMS, wenn Sie bald an der Reihe sind. Leer lassen, um nur eine Nummer zu ziehen.',
  'details.phoneInvalid': 'Schreiben Sie die Nummer mit Ländervorwahl, z. B. +49 170 1234567.',
  'details.take': 'Meine Nummer ziehen',
  'details.back': 'Zurück',
  'ticket.title': 'Ihre Wartenummer',
  'ticket.ahead_one': '{count} Person vor Ihnen',
  'ticket.ahead_other': '{count} Personen vor Ihnen',
  'ticket.qrAlt': 'QR-Code, um Ihre Nummer auf dem Handy zu verfolgen',
  'ticket.scan': 'Scannen, um Ihre Nummer auf dem Handy zu verfolgen',
  'ticket.print': 'Meine Nummer drucken',
  'ticket.done': 'Fertig',
};

const it: Dict = {
  setup:
    'Questo totem non è ancora configurato. Apra una volta su questo tablet il link del totem fornito dalla pagina di amministrazione (termina con #key=…).',
  forget: 'Configura di nuovo questo totem',
  'pick.title': 'Prendere un numero',
  'pick.waiting_one': '{count} persona in attesa · circa {minutes} min',
  'pick.waiting_other': '{count} persone in attesa · circa {minutes} min',
  'pick.closed': 'Chiusa per ora',
  'details.phone': 'Il suo numero di cellulare (facoltativo)',
  'details.phoneHint': 'Le invieremo un SMS quando il suo turno si avvicina. Lasci vuoto per prendere solo il numero.',
  'details.phoneInvalid': 'Scriva il numero con il prefisso internazionale, ad es. +39 347 123 4567.',
  'details.take': 'Prendi il mio numero',
  'details.back': 'Indietro',
  'ticket.title': 'Il suo numero',
  'ticket.ahead_one': '{count} persona davanti a lei',
  'ticket.ahead_other': '{count} persone davanti a lei',
  'ticket.qrAlt': 'Codice QR per seguire il suo numero sul telefono',
  'ticket.scan': 'Scansioni per seguire il suo numero sul telefono',
  'ticket.print': 'Stampa il mio numero',
  'ticket.done': 'Fatto',
};

const nl: Dict = {
  setup: 'Deze zuil is nog niet ingesteld. Open op deze tablet één keer de zuil-link van de beheerpagina (die eindigt op #key=…).',
  forget: 'Deze zuil opnieuw instellen',
  'pick.title': 'Een volgnummer nemen',
  'pick.waiting_one': '{count} persoon wacht · ongeveer {minutes} min',
  'pick.waiting_other': '{count} personen wachten · ongeveer {minutes} min',
  'pick.closed': 'Op dit moment gesloten',
  'details.phone': 'Uw mobiele nummer (optioneel)',
  'details.phoneHint': 'We sturen u een sms als u bijna aan de beurt bent. Laat leeg om alleen een volgnummer te nemen.',
  'details.phoneInvalid': 'Schrijf het nummer met landcode, bijv. +31 6 12345678.',
  'details.take': 'Mijn volgnummer nemen',
  'details.back': 'Terug',
  'ticket.title': 'Uw volgnummer',
  'ticket.ahead_one': '{count} persoon voor u',
  'ticket.ahead_other': '{count} personen voor u',
  'ticket.qrAlt': 'QR-code om uw volgnummer op uw telefoon te volgen',
  'ticket.scan': 'Scan om uw volgnummer op uw telefoon te volgen',
  'ticket.print': 'Mijn volgnummer afdrukken',
  'ticket.done': 'Klaar',
};

export const KIOSK_WORDS: Record<PageLang, Dict> = { en, fr, es, de, it, nl };
