/** What the service texts back to a reply, in the person's language (docs/design.md §Two-way SMS). */
export type ReplyKey = 'stopped' | 'started' | 'help' | 'canceled' | 'confirmed' | 'noTicket' | 'unknownNumber';

const REPLIES: Record<string, Record<ReplyKey, string>> = {
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
};

export function replyText(locale: string, key: ReplyKey, values: Record<string, string> = {}): string {
  const texts = REPLIES[locale] ?? REPLIES.en_US!;
  return texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
