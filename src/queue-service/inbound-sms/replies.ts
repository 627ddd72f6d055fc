/** What the service texts back to a reply, in the person's language (docs/design.md §Two-way SMS). */
import type { Locale } from '../../contract/locale.js';

export type ReplyKey = 'stopped' | 'started' | 'help' | 'canceled' | 'confirmed' | 'noTicket' | 'unknownNumber';

const REPLIES: Record<Locale, Record<ReplyKey, string>> = {
  en_US: {
    stopped: 'You will get no more texts from {companies}. Reply START to get them again.',
    started: 'Texts from {companies} are on again. Reply STOP to stop them.',
    help: '{companies}: reply CANCEL to cancel your ticket, OK to confirm it, STOP to stop texts, START to get them again.',
    canceled: 'Your ticket {label} is canceled.',
    confirmed: 'Thank you: ticket {label} is confirmed. We will text you when it is your turn.',
    noTicket: 'There is no ticket waiting with this number, so nothing was changed. Reply HELP for the words you can send.',
    unknownNumber: 'This number gets no texts from us. Nothing was changed.',
  },
  fr_FR: {
    stopped: 'Vous ne recevrez plus de SMS de {companies}. Répondez START pour les recevoir à nouveau.',
    started: 'Les SMS de {companies} reprennent. Répondez STOP pour les arrêter.',
    help: '{companies} : répondez ANNULER pour annuler votre ticket, OUI pour le confirmer, STOP pour ne plus recevoir de SMS, START pour les recevoir à nouveau.',
    canceled: 'Votre ticket {label} est annulé.',
    confirmed: 'Merci : le ticket {label} est confirmé. Nous vous enverrons un SMS quand ce sera votre tour.',
    noTicket: "Aucun ticket n'attend avec ce numéro : rien n'a été changé. Répondez AIDE pour connaître les mots possibles.",
    unknownNumber: "Ce numéro ne reçoit pas de SMS de notre part. Rien n'a été changé.",
  },
  es_ES: {
    stopped: 'No recibirá más SMS de {companies}. Responda ALTA para volver a recibirlos.',
    started: 'Vuelve a recibir los SMS de {companies}. Responda BAJA para dejar de recibirlos.',
    help: '{companies}: responda CANCELAR para cancelar su turno, SI para confirmarlo, BAJA para no recibir más SMS, ALTA para volver a recibirlos.',
    canceled: 'Su turno {label} está cancelado.',
    confirmed: 'Gracias: el turno {label} está confirmado. Le enviaremos un SMS cuando le toque.',
    noTicket:
      'No hay ningún turno en espera con este número, así que no se ha cambiado nada. Responda AYUDA para ver las palabras que puede enviar.',
    unknownNumber: 'Este número no recibe SMS nuestros. No se ha cambiado nada.',
  },
  de_DE: {
    stopped: 'Sie erhalten keine SMS mehr von {companies}. Antworten Sie START, um sie wieder zu erhalten.',
    started: 'SMS von {companies} sind wieder aktiv. Antworten Sie STOPP, um sie abzubestellen.',
    help: '{companies}: Antworten Sie STORNO, um Ihre Nummer zu stornieren, JA, um sie zu bestätigen, STOPP für keine SMS mehr, START, um sie wieder zu erhalten.',
    canceled: 'Ihre Nummer {label} ist storniert.',
    confirmed: 'Danke: Die Nummer {label} ist bestätigt. Wir schicken Ihnen eine SMS, wenn Sie an der Reihe sind.',
    noTicket: 'Mit dieser Nummer wartet keine Wartenummer, daher wurde nichts geändert. Antworten Sie HILFE für die möglichen Wörter.',
    unknownNumber: 'Diese Nummer erhält keine SMS von uns. Es wurde nichts geändert.',
  },
  it_IT: {
    stopped: 'Non riceverà più SMS da {companies}. Risponda START per riceverli di nuovo.',
    started: 'Gli SMS di {companies} sono di nuovo attivi. Risponda STOP per interromperli.',
    help: '{companies}: risponda ANNULLA per annullare il suo numero, SI per confermarlo, STOP per non ricevere più SMS, START per riceverli di nuovo.',
    canceled: 'Il suo numero {label} è annullato.',
    confirmed: 'Grazie: il numero {label} è confermato. Le invieremo un SMS quando sarà il suo turno.',
    noTicket: 'Nessun numero in attesa con questo telefono, quindi non è cambiato nulla. Risponda AIUTO per le parole che può inviare.',
    unknownNumber: 'Questo numero non riceve SMS da noi. Non è cambiato nulla.',
  },
  nl_NL: {
    stopped: 'U ontvangt geen sms meer van {companies}. Antwoord START om ze weer te ontvangen.',
    started: 'Sms’jes van {companies} staan weer aan. Antwoord STOP om ze te stoppen.',
    help: '{companies}: antwoord ANNULEER om uw volgnummer te annuleren, JA om het te bevestigen, STOP om geen sms meer te krijgen, START om ze weer te ontvangen.',
    canceled: 'Uw volgnummer {label} is geannuleerd.',
    confirmed: 'Bedankt: volgnummer {label} is bevestigd. We sturen u een sms als u aan de beurt bent.',
    noTicket:
      'Er wacht geen volgnummer met dit telefoonnummer, dus er is niets gewijzigd. Antwoord HULP voor de woorden die u kunt sturen.',
    unknownNumber: 'Dit nummer ontvangt geen sms van ons. Er is niets gewijzigd.',
  },
};

export function replyText(locale: string, key: ReplyKey, values: Record<string, string> = {}): string {
  const texts = Object.hasOwn(REPLIES, locale) ? REPLIES[locale as Locale] : REPLIES.en_US;
  return texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
