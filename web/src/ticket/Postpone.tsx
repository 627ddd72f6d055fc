/** Moving an appointment to another free slot (PUT /report); the reminders move with it on the server. */
import { useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import { ticketAction, type TicketView, type UserSession } from './api.js';
import { SlotPicker } from './SlotPicker.js';

export function Postpone({
  ticket,
  session,
  t,
  lang,
  onChanged,
  onDone,
}: {
  ticket: TicketView;
  session: UserSession;
  t: Translate;
  lang: PageLang;
  onChanged(ticket: TicketView): void;
  onDone(message: string): void;
}) {
  const [slot, setSlot] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!slot) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await ticketAction(session, ticket.ticketId, 'report', { reportFor: slot }));
      onDone(t('postpone.done'));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="postpone" onSubmit={submit}>
      <SlotPicker
        bookingKey={session.bookingKey}
        queueId={ticket.queue.queueId}
        appointmentTypeId={ticket.appointmentType.appointmentTypeId}
        groupSize={ticket.groupSize}
        t={t}
        lang={lang}
        idPrefix={`move-${ticket.ticketId}`}
        onPick={setSlot}
      />
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      <button type="submit" class="button" disabled={busy || !slot}>
        {t('postpone.submit')}
      </button>
    </form>
  );
}
